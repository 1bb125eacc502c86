"""Dates as Vietnamese users write them."""

import datetime
import re

_VN_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_vn_date(text: str) -> datetime.date | None:
    """'1/7/2025', '01/07/2025', '01-07-2025' or ISO '2025-07-01'; None when it is no real date."""
    if not isinstance(text, str) or len(text) > 32:
        return None
    if match := _VN_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def format_vn_date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
