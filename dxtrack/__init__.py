"""dxtrack: run a digital transformation programme by its plans."""
