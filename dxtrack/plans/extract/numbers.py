"""Numbers in a plan document's text: decimal comma, thousands dot. The extractor finds them in
prose with NUMBER; reading one is dxtrack.core.numbers' work, as for what people type."""

import re

from dxtrack.core.numbers import NumberError
from dxtrack.core.numbers import parse_number as read_number

# 1.750 | 7,0 | 1.234,5 | 100 | 0,5 — a dot followed by exactly three digits groups thousands.
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_NUMBER_RE = re.compile(rf"^(?:{NUMBER})$")


def parse_number(text: str) -> float | None:
    """'1.750' → 1750.0; '7,0' → 7.0; '1.234,5' → 1234.5; '0,5' → 0.5. None if it is no number."""
    text = (text or "").strip()
    if not _NUMBER_RE.match(text):
        return None
    try:
        return float(read_number(text))
    except NumberError:  # "0.125": a dot that groups no thousands is no number of a plan's
        return None
