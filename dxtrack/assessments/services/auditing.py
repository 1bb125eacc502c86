"""Values as the audit log keeps them: decimals as text (the log is JSON; no float rounding)."""

from decimal import Decimal


def plain(values: dict) -> dict:
    return {k: format(v, "f") if isinstance(v, Decimal) else v for k, v in values.items()}
