"""Deadlines as plans write them, read into a date and a recurrence.

`parse_deadline(text, year_context)` returns `(deadline, recurrence)`; the caller keeps the text
as written beside what it means. Recurrence is one of "quarterly", "semiannual", "yearly",
"continuous", "once" or None:

- a date, a month, a quarter or a year → the last day of it, "once": "30/6/2024", "Tháng 11/2024",
  "Quý III/2024", "Năm 2024". A day/month, month or quarter written without a year takes the
  plan's year (`year_context`); without one, no date.
- a recurrence word → that recurrence, no date: "Hàng Quý", "6 tháng/1 lần", "hai lần một năm",
  "Hằng năm", "Thường xuyên". "Tháng 11 hằng năm" keeps both (30/11 of the plan's year, yearly).
- a period → the last day of its end year and no recurrence (a span, not an event):
  "2022 - 2025", "Giai đoạn 2021-2025", "từ năm 2021 đến năm 2025".
- a reference to another schedule → (None, None): "Theo lộ trình …", "Theo Kế hoạch số …",
  "Theo tiến độ …"; and (None, None) for "" and for text that names no time.

Conventions: "trước tháng 12/2022" (before December 2022) means due by the end of that month, as
plans use it; a date introduced by "từ"/"bắt đầu từ" is a start, not a deadline, and is skipped;
dates inside document references ("Kế hoạch số 106/KH-UBND ngày 12/4/2022") are skipped; a cell
listing several deadlines ("- Hoàn thành trước tháng 12/2022. - … năm 2021") takes the latest.
Monthly recurrence ("hằng tháng") has no value of its own in the register and gives None.
"""

import calendar
import datetime
import re
import unicodedata

_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_ROMAN_QUARTER = {"I": 1, "II": 2, "III": 3, "IV": 4}

# Another document or the central government sets the schedule.
_REFERENCE = re.compile(r"^\W*theo\s+(?!quý\b|năm\b|tháng\b)", re.IGNORECASE)
# A document reference: "số 106/KH-UBND ngày 12/4/2022", "Quyết định 749/QĐ-TTg".
DOC_REF = re.compile(
    r"(?:số\s+)?\d+(?:-[A-ZĐ]+)?/[A-ZĐa-zđ][\w\-]*(?:/[\w\-]+)?(?:\s+ngày\s+\d{1,2}/\d{1,2}/\d{4})?", re.IGNORECASE
)

_RECURRENCES = [
    (
        "quarterly",
        r"h[àằ]ng\s+quý|định\s+kỳ\s+quý|mỗi\s+quý|theo\s+quý|(?:1|01|một)\s+quý\s*/\s*(?:1|01|một)\s+lần"
        r"|quý\s*/\s*(?:1|01|một)\s+lần",
    ),
    (
        "semiannual",
        r"(?:6|06|sáu)\s+tháng(?!\s+(?:đầu|cuối))|hai\s+lần\s+(?:một|mỗi|trong)\s+năm|(?:2|02)\s+lần\s*/\s*năm"
        r"|nửa\s+năm|bán\s+niên",
    ),
    (
        "yearly",
        r"h[àằ]ng\s+năm|mỗi\s+năm|định\s+kỳ\s+năm|(?:1|01|một)\s+năm\s*/\s*(?:1|01|một)\s+lần"
        r"|năm\s*/\s*(?:1|01|một)\s+lần|(?:1|01|một)\s+lần\s*/\s*năm|thường\s+niên",
    ),
    ("continuous", r"thường\s+xuyên|liên\s+tục"),
]
_RECURRENCE_RE = [(name, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)) for name, pattern in _RECURRENCES]

_YEAR = r"(?:19|20)\d{2}"
_PERIOD = re.compile(
    rf"(?:giai\s+đoạn\s+|từ\s+(?:năm\s+)?)?(?<![\d/])(?P<y1>{_YEAR})\s*(?:-|–|—|đến(?:\s+năm)?)\s*(?P<y2>{_YEAR})(?![\d/])",
    re.IGNORECASE,
)
_FULL_DATE = re.compile(r"(?<![\d/])(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})(?![\d/])")
_QUARTER = re.compile(rf"quý\s+(?P<q>IV|I{{1,3}}|[1-4])(?:\s*(?:/|năm|-)\s*(?P<y>{_YEAR}))?(?![\w/])", re.IGNORECASE)
_MONTH = re.compile(
    rf"(?:tháng\s+(?P<m>\d{{1,2}})(?:\s*(?:/|năm|-)\s*(?P<y>{_YEAR}))?|(?<![\d/])(?P<m2>\d{{1,2}})\s*/\s*(?P<y2>{_YEAR}))"
    r"(?![\d/])",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(r"(?<![\d/])(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?![\d/])")
_YEAR_ALONE = re.compile(rf"(?:năm\s+)?(?<![\d/])(?P<y>{_YEAR})(?![\d/])", re.IGNORECASE)
_HALF = re.compile(rf"(?P<n>6|06|sáu)\s+tháng\s+(?P<which>đầu|cuối)\s+năm(?:\s+(?P<y>{_YEAR}))?", re.IGNORECASE)
# What comes just before a start date: "từ", "bắt đầu từ", "kể từ", "thực hiện từ".
_START_BEFORE = re.compile(r"(?:từ|bắt\s+đầu|khởi\s+công)\s*$", re.IGNORECASE)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    return _SPACES.sub(" ", _TAGS.sub(" ", text)).strip()


def _end_of_month(year: int, month: int) -> datetime.date | None:
    if not 1 <= month <= 12:
        return None
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def recurrence_of(text: str) -> str | None:
    """The first recurrence word in the text (by position), or None."""
    found = [(m.start(), name) for name, rx in _RECURRENCE_RE if (m := rx.search(text))]
    return min(found)[1] if found else None


def _is_start(text: str, start: int) -> bool:
    return bool(_START_BEFORE.search(text[max(0, start - 20) : start]))


def _dates(text: str, year_context: int | None) -> tuple[list[datetime.date], bool]:
    """Every deadline-like date in the text, skipping start dates, and whether a date was written
    without a year the plan could give it. Matched spans are masked so a year inside a date is
    not read again on its own."""
    out: list[datetime.date] = []
    yearless = False
    chars = list(text)

    def masked() -> str:
        return "".join(chars)

    def mask(m: re.Match) -> None:
        for i in range(m.start(), m.end()):
            chars[i] = " "

    def take(rx: re.Pattern, build) -> None:
        nonlocal yearless
        for m in rx.finditer(masked()):
            if not _is_start(masked(), m.start()):
                value = build(m)
                if value is not None:
                    out.append(value)
                elif year_context is None and not m.groupdict().get("y") and not m.groupdict().get("y2"):
                    yearless = True
            mask(m)

    def full(m):
        return _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))

    def half(m):
        year = int(m["y"]) if m["y"] else year_context
        if year is None:
            return None
        return datetime.date(year, 6, 30) if m["which"].lower() == "đầu" else datetime.date(year, 12, 31)

    def quarter(m):
        q = _ROMAN_QUARTER.get(m["q"].upper()) or int(m["q"])
        year = int(m["y"]) if m["y"] else year_context
        return _end_of_month(year, q * 3) if year else None

    def month(m):
        if m["m2"]:
            return _end_of_month(int(m["y2"]), int(m["m2"]))
        year = int(m["y"]) if m["y"] else year_context
        return _end_of_month(year, int(m["m"])) if year else None

    def day_month(m):
        return _safe_date(year_context, int(m["m"]), int(m["d"])) if year_context else None

    def year(m):
        return datetime.date(int(m["y"]), 12, 31)

    take(_FULL_DATE, full)
    take(_HALF, half)
    take(_QUARTER, quarter)
    take(_MONTH, month)
    take(_DAY_MONTH, day_month)
    take(_YEAR_ALONE, year)
    return out, yearless


def parse_deadline(text: str, year_context: int | None) -> tuple[datetime.date | None, str | None]:
    """(deadline, recurrence) for a deadline as written; see the module notes for the forms."""
    text = _clean(text)
    if not text or _REFERENCE.match(text):
        return None, None
    recurrence = recurrence_of(text)
    body = DOC_REF.sub(" ", text)
    period = _PERIOD.search(body)
    if period:
        body = body[: period.start()] + " " + body[period.end() :]
    dates, yearless = _dates(body, year_context)
    if dates:
        return max(dates), recurrence or "once"
    if yearless:
        return None, recurrence or "once"
    if period:
        return datetime.date(int(period["y2"]), 12, 31), recurrence
    return None, recurrence
