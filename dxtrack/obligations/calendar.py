"""Reporting periods as the national regime counts them (Nghị định 09/2019/NĐ-CP, Điều 12),
and due dates as the plans write them. Pure functions: no database.

A period has two spans, named here once for every page, file and report (ADR 14):
- its "kỳ báo cáo", the calendar span it is named for (Quý I/2025 = 01/01–31/03/2025), fields
  `start`/`end`;
- its "kỳ số liệu", the decree's "thời gian chốt số liệu" the report's figures cover: a quarter's
  data run from the 15th of the month before the quarter to the 14th of its last month, a
  half-year's from 15/12 (or 15/6) to 14/6 (or 14/12), a year's from 15/12 of the year before to
  14/12; fields `data_from`/`data_to`.
"""

import calendar as _calendar
import dataclasses
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from dxtrack.core.dates import format_vn_date

# The two spans' names (ADR 14). Every page, file and report uses these, never another wording.
# Marked with gettext_noop: plain strings, usable at import time (the Excel template's fixed texts
# and the open-data columns are built from them); the sources are Vietnamese (ADR 0003).
REPORTING_PERIOD = gettext_noop("Kỳ báo cáo")
DATA_PERIOD = gettext_noop("Kỳ số liệu")
DATA_PERIOD_BASIS = gettext_noop("thời gian chốt số liệu theo Nghị định 09/2019/NĐ-CP")

QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class PeriodSpec:
    period_type: str  # quarterly, semiannual, yearly
    year: int
    number: int  # quarter 1–4, half 1–2, year 1
    start: datetime.date
    end: datetime.date
    data_from: datetime.date
    data_to: datetime.date

    @property
    def label(self) -> str:
        if self.period_type == "quarterly":
            return f"Quý {QUARTER_NAMES[self.number]}/{self.year}"
        if self.period_type == "semiannual":
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"Năm {self.year}"

    def fields(self) -> dict:
        """The stored Period's fields (reporting.models.Period) this spec fixes."""
        return {**dataclasses.asdict(self), "label": self.label}


@dataclass(frozen=True)
class PeriodBounds:
    """A period's label and both spans, wherever they come from (a stored report's facts)."""

    label: str
    start: datetime.date
    end: datetime.date
    data_from: datetime.date
    data_to: datetime.date


@dataclass(frozen=True)
class Span:
    name: str
    start: datetime.date
    end: datetime.date

    @property
    def dates(self) -> str:
        """'01/07/2025–30/09/2025'."""
        return f"{format_vn_date(self.start)}–{format_vn_date(self.end)}"


def spans(period) -> tuple[Span, Span]:
    """The period's kỳ báo cáo and kỳ số liệu, for a PeriodSpec or a stored Period alike."""
    return (
        Span(REPORTING_PERIOD, period.start, period.end),
        Span(DATA_PERIOD, period.data_from, period.data_to),
    )


def bounds_sentence(period) -> str:
    """'Kỳ báo cáo Quý III/2025: 01/07/2025–30/09/2025; kỳ số liệu: 15/06/2025–14/09/2025.'"""
    calendar_span, data_span = spans(period)
    return f"{calendar_span.name} {period.label}: {calendar_span.dates}; {data_span.name.lower()}: {data_span.dates}."


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, _calendar.monthrange(year, month)[1])


def _fifteenth_before(year: int, month: int) -> datetime.date:
    """The 15th of the month before `month` of `year`."""
    return datetime.date(year - 1, 12, 15) if month == 1 else datetime.date(year, month - 1, 15)


def periods(period_type: str, year: int) -> list[PeriodSpec]:
    if period_type == "quarterly":
        out = []
        for q in range(1, 5):
            first, last = 3 * q - 2, 3 * q
            out.append(
                PeriodSpec(
                    "quarterly",
                    year,
                    q,
                    datetime.date(year, first, 1),
                    _last_day(year, last),
                    _fifteenth_before(year, first),
                    datetime.date(year, last, 14),
                )
            )
        return out
    if period_type == "semiannual":
        return [
            PeriodSpec(
                "semiannual",
                year,
                1,
                datetime.date(year, 1, 1),
                datetime.date(year, 6, 30),
                datetime.date(year - 1, 12, 15),
                datetime.date(year, 6, 14),
            ),
            PeriodSpec(
                "semiannual",
                year,
                2,
                datetime.date(year, 7, 1),
                datetime.date(year, 12, 31),
                datetime.date(year, 6, 15),
                datetime.date(year, 12, 14),
            ),
        ]
    if period_type == "yearly":
        return [
            PeriodSpec(
                "yearly",
                year,
                1,
                datetime.date(year, 1, 1),
                datetime.date(year, 12, 31),
                datetime.date(year - 1, 12, 15),
                datetime.date(year, 12, 14),
            )
        ]
    raise ValueError(f"unknown period type {period_type!r}")


_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*$")
_LAST_MONTH_OF_QUARTER = re.compile(r"^\s*(\d{1,2}) of last month of quarter\s*$")
_FIRST_MONTH_OF_NEXT_QUARTER = re.compile(r"^\s*(\d{1,2}) of first month of next quarter\s*$")


def due_date(period: PeriodSpec, due: list[str]) -> datetime.date:
    """The period's due date under a rule's `due` list (as the extractor encodes it):
    ["30/6", "15/12"] picks the first date on or after the end of the period's data window;
    "15 of last month of quarter" and "15 of first month of next quarter" are rules.
    Without a rule, the regime's default applies: the 15th of the month after the data window."""
    candidates: list[datetime.date] = []
    for item in due:
        if m := _DAY_MONTH.match(item):
            day, month = int(m.group(1)), int(m.group(2))
            for year in (period.year - 1, period.year, period.year + 1):
                try:
                    candidates.append(datetime.date(year, month, day))
                except ValueError:
                    continue
        elif (m := _LAST_MONTH_OF_QUARTER.match(item)) and period.period_type == "quarterly":
            candidates.append(datetime.date(period.year, 3 * period.number, int(m.group(1))))
        elif (m := _FIRST_MONTH_OF_NEXT_QUARTER.match(item)) and period.period_type == "quarterly":
            month = 3 * period.number + 1
            year = period.year + (month > 12)
            candidates.append(datetime.date(year, (month - 1) % 12 + 1, int(m.group(1))))
    # A report cannot be due before its data are all in: a due date lies from the last day of the
    # data window to six weeks after it (a half-year's due 30/6 for data to 14/6). A plan's date
    # inside the window (a year's report "before 30/11" while its data run to 14/12) is no due
    # date for that window: the regime's default applies.
    fitting = [d for d in candidates if 0 <= (d - period.data_to).days <= 45]
    if fitting:
        return min(fitting)
    following = period.data_to + datetime.timedelta(days=1)
    return datetime.date(following.year, following.month, 15) if following.day <= 15 else following


def in_force_from(issued_on: datetime.date | None, year: int | None) -> datetime.date | None:
    """The first day a plan's reporting duties apply: its issue date, or the first day of its
    year when only the year is known; None when neither is (no bound: the calendar makes the
    obligations of every year it is asked for)."""
    if issued_on:
        return issued_on
    return datetime.date(year, 1, 1) if year else None


def clip(
    start: datetime.date, end: datetime.date, valid_from: datetime.date | None, valid_to: datetime.date | None
) -> tuple[datetime.date, datetime.date] | None:
    """The part of [start, end] in which a body existed; None when it did not exist at all."""
    lo = max(start, valid_from) if valid_from else start
    hi = min(end, valid_to) if valid_to else end
    return (lo, hi) if lo <= hi else None


# ---- a period as users type it -----------------------------------------------------------------------

PERIOD_HINT = "ghi ví dụ “Quý III/2025”, “6 tháng đầu năm 2025” hoặc “Năm 2025”"
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_QUARTER = re.compile(r"^(?:quý|q)\s*([ivx]+|\d+)\s*(?:/|-|\s|năm)*\s*(\d+)$")
_QUARTER_DHIS2 = re.compile(r"^(\d{4})\s*q\s*(\d+)$")
_HALF = re.compile(r"^6\s*tháng\s*(đầu|cuối)\s*(?:năm)?\s*(\d+)$")
_HALF_DHIS2 = re.compile(r"^(\d{4})\s*s\s*(\d+)$")
_YEAR_ONLY = re.compile(r"^(?:năm\s*)?(\d+)$")


def read_period(text) -> tuple[str, int, int]:
    """(period_type, year, number) of a period typed as people write it: "Quý III/2025",
    "quý 3/2025", "Q3/2025", "2025Q3", "6 tháng đầu năm 2025", "2025S1", "Năm 2025", "2025".
    ValueError with the Vietnamese message to show when it is empty, incomplete or no period."""
    raw = " ".join(str(text or "").split())
    if not raw:
        raise ValueError(f"Kỳ báo cáo để trống; {PERIOD_HINT}.")
    shown, low = raw[:40], raw.lower()

    def year_of(digits: str) -> int:
        if len(digits) != 4 or not 2000 <= int(digits) <= 2100:
            raise ValueError(f"Kỳ “{shown}”: năm phải đủ bốn chữ số, trong khoảng 2000–2100; {PERIOD_HINT}.")
        return int(digits)

    if (m := _QUARTER.match(low)) or (m := _QUARTER_DHIS2.match(low)):
        number_text, year_text = (m.group(1), m.group(2)) if m.re is _QUARTER else (m.group(2), m.group(1))
        number = _ROMAN.get(number_text.upper()) if not number_text.isdigit() else int(number_text)
        if number not in (1, 2, 3, 4):
            raise ValueError(f"Kỳ “{shown}”: một năm có bốn quý (I, II, III, IV); {PERIOD_HINT}.")
        return "quarterly", year_of(year_text), number
    if m := _HALF.match(low):
        return "semiannual", year_of(m.group(2)), 1 if m.group(1) == "đầu" else 2
    if m := _HALF_DHIS2.match(low):
        if m.group(2) not in ("1", "2"):
            raise ValueError(f"Kỳ “{shown}”: một năm có hai kỳ 6 tháng (S1, S2); {PERIOD_HINT}.")
        return "semiannual", year_of(m.group(1)), int(m.group(2))
    if m := _YEAR_ONLY.match(low):
        return "yearly", year_of(m.group(1)), 1
    if re.match(r"^(?:quý|q)\s*([ivx]+|\d+)$", low) or re.match(r"^6\s*tháng\s*(đầu|cuối)(\s*năm)?$", low):
        raise ValueError(f"Kỳ “{shown}” thiếu năm; {PERIOD_HINT}.")
    raise ValueError(f"Không hiểu kỳ “{shown}”; {PERIOD_HINT}.")
