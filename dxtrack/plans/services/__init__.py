"""Every write to the plan register, one module per use case (issue #13): `uploads` (reading a
plan into a draft import), `review` (the secretariat's edits to a draft), `publication` (a draft
into the register), `writers` (one writer per register item kind, shared with the register
loader), `matching` (which register item a proposal revises). Import the module, not its names."""
