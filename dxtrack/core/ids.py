"""Row ids read from outside (query strings, forms, JSON).

A database id is a signed 64-bit integer on SQLite and PostgreSQL alike; a wider number given to
a query raises OverflowError deep in the driver, so every id from outside is read here and one
that no row can have is simply no id."""

MAX_ID = 2**63 - 1


def parse_id(raw) -> int | None:
    """The id (or optimistic version) in `raw`: a string of digits, 1 … MAX_ID; None for anything else."""
    text = str(raw).strip() if raw is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
