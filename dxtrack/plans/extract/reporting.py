"""Reporting calendars a plan fixes: who reports, to whom, how often, by when.

A reporting rule is a sentence (a clause between semicolons) where a body reports ("báo cáo")
on a calendar: a period word (hằng quý, 6 tháng, hằng năm, hằng tháng) or a due day ("trước ngày
15/12"). A report "theo yêu cầu" or "đột xuất" alone, or "định kỳ" without a period or a day, fixes
no calendar and is left to the task it belongs to.

- `when`: "quarterly", "semiannual", "yearly", "monthly" or "once" (a dated one-off report).
  A yearly sentence with two due days ("trước ngày 30/6 và 15/12 hằng năm") is semiannual; a
  day/month without a period word recurs every year.
- `due`: day/month strings without leading zeros ("30/6", "15/12"), a full date for a one-off
  report ("30/6/2024"), or a rule relative to the period:
  "15 of last month of quarter" (trước ngày 15 của tháng cuối quý),
  "5 of first month of next quarter" (ngày 5 tháng đầu quý sau), "20 of each month" (ngày 20 hằng tháng).
- `from_`: the sentence's subject; else the subject of its paragraph; else the bodies named by
  the "Tổ chức thực hiện" heading the duty sits under.
- `to`: the bodies after "gửi (về)", "về", "cho", or right after "báo cáo", before the purpose
  clause ("để tổng hợp, báo cáo UBND tỉnh" is the recipient's onward report, not this one).
"""

import datetime
import re

from .deadlines import DOC_REF
from .model import AgencyRef, Clause, ExtractedReporting, SourceText
from .structure import clause_at
from .tasks import SUBJECT_START, Names, duty_owner, is_row, one_line

_REPORT = re.compile(r"(?<!\w)báo cáo(?!\w)", re.IGNORECASE)
_PERIODS = [
    ("quarterly", re.compile(r"h[àằ]ng\s+quý|định\s+kỳ\s+quý|mỗi\s+quý|theo\s+quý|quý\s*/\s*(?:1|01|một)\s+lần", re.I)),
    ("monthly", re.compile(r"h[àằ]ng\s+tháng|mỗi\s+tháng|định\s+kỳ\s+tháng", re.I)),
    ("semiannual", re.compile(r"(?:6|06|sáu)\s+tháng|nửa\s+năm|bán\s+niên|hai\s+lần\s+(?:một|mỗi)\s+năm", re.I)),
    ("yearly", re.compile(r"h[àằ]ng\s+năm|mỗi\s+năm|định\s+kỳ\s+năm|thường\s+niên|báo\s+cáo\s+năm", re.I)),
]
_LAST_MONTH = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s+(?:của\s+)?tháng\s+cuối\s+(?:cùng\s+)?(?:của\s+)?(?:mỗi\s+|hằng\s+|hàng\s+)?quý", re.I
)
_FIRST_MONTH_NEXT = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s+(?:của\s+)?tháng\s+đầu\s+(?:tiên\s+)?(?:của\s+)?quý\s+(?:sau|tiếp\s+theo)", re.I
)
_EACH_MONTH = re.compile(r"ngày\s+(?P<d>\d{1,2})\s+(?:h[àằ]ng|mỗi)\s+tháng", re.I)
_DATE = re.compile(r"(?<![\d/])(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?(?![\d/])")
_DATE_WORDS = re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s+năm\s+(?P<y>\d{4}))?", re.I)
# Where the recipient is named, and where its name stops.
_TO = re.compile(r"(?<!\w)(?:gửi\s+về|gửi\s+đến|gửi\s+lên|gửi|về|cho|lên|tới|đến)\s+", re.I)
_TO_STOP = re.compile(
    r"\s(?:trước|để|theo|trong|về|kết quả|tình hình|định kỳ|hoặc|chậm nhất|vào|đúng|qua|bằng)\b|[;(.:]|\s-\s"
)


def _segments(text: str) -> list[str]:
    parts = re.split(r";\s*|(?<=[^\s.])\.\s+(?=[A-ZĐ])", text)
    return [p.strip() for p in parts if p.strip()]


def _valid(day: int, month: int) -> bool:
    try:
        datetime.date(2000, month, day)  # a leap year, so 29/2 passes
    except ValueError:
        return False
    return True


def due_days(text: str) -> list[str]:
    """The due days a reporting sentence names, as written in the module notes."""
    out: list[str] = []
    for rx, rule in (
        (_LAST_MONTH, "{d} of last month of quarter"),
        (_FIRST_MONTH_NEXT, "{d} of first month of next quarter"),
        (_EACH_MONTH, "{d} of each month"),
    ):
        out += [rule.format(d=int(m["d"])) for m in rx.finditer(text)]
    body = DOC_REF.sub(" ", text)
    for rx in (_DATE, _DATE_WORDS):
        for m in rx.finditer(body):
            day, month = int(m["d"]), int(m["m"])
            if _valid(day, month):
                out.append(f"{day}/{month}/{m['y']}" if m["y"] else f"{day}/{month}")
    return list(dict.fromkeys(out))


def period_of(text: str, due: list[str]) -> str:
    found = sorted((m.start(), name) for name, rx in _PERIODS if (m := rx.search(text)))
    when = found[0][1] if found else ""
    dated = [d for d in due if re.fullmatch(r"\d{1,2}/\d{1,2}", d)]
    if when in ("yearly", "") and len(dated) >= 4:
        return "quarterly"
    if when in ("yearly", "") and len(dated) >= 2:
        return "semiannual"
    if not when and dated:
        return "yearly"
    if not when and any(re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", d) for d in due):
        return "once"
    if not when and any("quarter" in d for d in due):
        return "quarterly"
    if not when and any("each month" in d for d in due):
        return "monthly"
    return when


def _recipients(head: str, names: Names) -> list[AgencyRef]:
    candidates = [m.end() for m in _TO.finditer(head)]
    candidates += [m.end() + 1 for m in _REPORT.finditer(head) if head[m.end() : m.end() + 1] == " "]
    for start in sorted(candidates):
        rest = head[start:]
        if not SUBJECT_START.match(rest):
            continue
        stop = _TO_STOP.search(rest)
        named = rest[: stop.start()] if stop else rest
        refs = names.refs(named)
        if any(r.code for r in refs):
            return refs
    return []


def _strip_marker(text: str) -> str:
    text = re.sub(r"^[-–•+]\s*", "", text)
    return re.sub(r"^(?:\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\))\s*", "", text)


def find_reporting(
    source: SourceText, clauses: list[Clause], *, year_context: int | None, resolver
) -> list[ExtractedReporting]:
    names = Names(resolver, at=datetime.date(year_context, 1, 1) if year_context else None)
    rules: list[ExtractedReporting] = []
    for line in source.lines:
        if is_row(line) or not _REPORT.search(line.clean):
            continue
        paragraph = _strip_marker(one_line(line.clean))
        segments = _segments(paragraph)
        for segment in segments:
            if not _REPORT.search(segment):
                continue
            head = re.split(r"\s(?:để|nhằm)\s", segment, maxsplit=1)[0]
            due = due_days(head)
            when = period_of(head, due)
            if not when:
                continue
            reporters, _rest = names.subject(segment)
            if not reporters and segments:
                reporters, _rest = names.subject(segments[0])
            if not reporters:
                reporters = duty_owner(source, clauses, line.number, names)
            rules.append(
                ExtractedReporting(
                    text=segment,
                    from_=reporters,
                    to=_recipients(head, names),
                    when=when,
                    due=due,
                    clause=clause_at(clauses, line.number),
                    line=line.number,
                )
            )
    return rules
