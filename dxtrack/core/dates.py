"""Dates as Vietnamese users write them, and moments as the province's clock shows them.

Every stored moment is aware (USE_TZ); a date is read from it on the province's clock
(Asia/Ho_Chi_Minh, settings.TIME_ZONE), never on UTC's: 22:00 UTC is already the next day here.
"""

import datetime
import re

from django.utils import timezone

_VN_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
YEAR_MIN, YEAR_MAX = 2000, 2100
DATE_HINT = "ghi theo dạng ngày/tháng/năm, ví dụ 30/11/2026"


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


def read_date(text, *, what: str = "Ngày") -> datetime.date:
    """A date typed by a user (a form field, a command's option); ValueError with the Vietnamese
    message to show when it is empty, not a date, or written in a way that could mean two days
    (a year of two digits, no year, month first)."""
    raw = text.strip() if isinstance(text, str) else ""
    if not raw:
        raise ValueError(f"{what} để trống; {DATE_HINT}.")
    shown = raw[:40]
    day = parse_vn_date(raw)
    if day is None:
        parts = re.split(r"\s*[/.-]\s*", raw)
        day_first = all(p.isdigit() for p in parts) and len(parts[0]) <= 2
        if len(parts) == 3 and day_first and len(parts[2]) == 2:
            raise ValueError(
                f"{what} “{shown}” có năm hai chữ số, không rõ là năm nào; ghi đủ bốn chữ số, ví dụ 30/11/2026."
            )
        if len(parts) == 2 and day_first:
            raise ValueError(f"{what} “{shown}” thiếu năm; {DATE_HINT}.")
        if len(parts) == 3 and day_first and int(parts[1]) > 12 >= int(parts[0]):
            raise ValueError(f"{what} “{shown}” ghi tháng trước ngày; {DATE_HINT}.")
        raise ValueError(f"{what} “{shown}” không phải là ngày có thật; {DATE_HINT}.")
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise ValueError(f"{what} “{shown}” nằm ngoài khoảng năm {YEAR_MIN}–{YEAR_MAX}.")
    return day


def read_year(text, *, what: str = "Năm") -> int:
    """A year typed by a user; ValueError with the Vietnamese message when it is not one."""
    raw = str(text).strip() if text is not None else ""
    if not raw:
        raise ValueError(f"{what} để trống; ghi bốn chữ số, ví dụ 2026.")
    match = _YEAR.match(raw)
    if not match:
        raise ValueError(f"{what} “{raw[:40]}” không hợp lệ; ghi bốn chữ số, ví dụ 2026.")
    year = int(match.group(1))
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(f"{what} {year} nằm ngoài khoảng {YEAR_MIN}–{YEAR_MAX}.")
    return year


def local_date(value: datetime.date | datetime.datetime) -> datetime.date:
    """The day a date or moment falls on by the province's clock."""
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def at_local(day: datetime.date, time: datetime.time = datetime.time.min) -> datetime.datetime:
    """The aware moment `time` of `day` on the province's clock."""
    return timezone.make_aware(datetime.datetime.combine(day, time), timezone.get_default_timezone())


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of `day` on the province's clock."""
    return at_local(day + datetime.timedelta(days=1)) - datetime.timedelta(microseconds=1)


def format_vn_date(value: datetime.date | datetime.datetime | None) -> str:
    """dd/mm/yyyy; a moment is shown on the province's clock (not the UTC date it is stored in)."""
    return local_date(value).strftime("%d/%m/%Y") if value else ""


def format_vn_datetime(value: datetime.datetime | None) -> str:
    """dd/mm/yyyy HH:MM on the province's clock."""
    if not value:
        return ""
    moment = timezone.localtime(value, timezone.get_default_timezone()) if timezone.is_aware(value) else value
    return moment.strftime("%d/%m/%Y %H:%M")
