"""Years and reporting periods as people say them, read against today in Asia/Ho_Chi_Minh:
"năm nay", "năm ngoái", "quý 3 năm nay", "quý III/2025", "6 tháng đầu năm 2025", "cả năm 2024".
Pure functions over the normalised question (normalize.normalise)."""

import datetime
import re
from dataclasses import dataclass

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d|2100)\b")
_QUARTER = re.compile(r"\bquy (1|2|3|4|i|ii|iii|iv|nay|truoc|nay nam)\b")
_HALF_FIRST = re.compile(r"\b(6|sau) thang dau( nam)?\b|\bnua dau nam\b")
_HALF_LAST = re.compile(r"\b(6|sau) thang cuoi( nam)?\b|\bnua cuoi nam\b")


@dataclass(frozen=True)
class When:
    year: int | None = None
    period_type: str = ""  # quarterly | semiannual | yearly | "" (a year only)
    number: int = 0

    @property
    def label(self) -> str:
        if self.period_type == "quarterly":
            return f"Quý {['', 'I', 'II', 'III', 'IV'][self.number]}/{self.year}"
        if self.period_type == "semiannual":
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"năm {self.year}" if self.year else ""


def _year(text: str, today: datetime.date) -> int | None:
    if re.search(r"\bnam (ngoai|truoc|roi)\b", text):
        return today.year - 1
    if re.search(r"\bnam (sau|toi)\b", text):
        return today.year + 1
    found = _YEAR.findall(text)
    if found:
        return int(found[-1])
    if re.search(r"\bnam nay\b|\bhien nay\b|\bhien tai\b", text):
        return today.year
    return None


def read_when(text: str, today: datetime.date) -> When:
    """The year and, if one is named, the period of the normalised question."""
    year = _year(text, today)
    quarter = _QUARTER.search(text)
    if quarter:
        word = quarter.group(1)
        current = (today.month - 1) // 3 + 1
        if word in ("nay", "nay nam"):
            return When(year or today.year, "quarterly", current)
        if word == "truoc":
            q, y = current - 1, today.year
            return When(y - 1, "quarterly", 4) if q == 0 else When(y, "quarterly", q)
        number = int(word) if word.isdigit() else _ROMAN[word]
        return When(year or today.year, "quarterly", number)
    if _HALF_FIRST.search(text):
        return When(year or today.year, "semiannual", 1)
    if _HALF_LAST.search(text):
        return When(year or today.year, "semiannual", 2)
    if year is not None and re.search(r"\bca nam\b|\bky nam\b|\bbao cao nam\b", text):
        return When(year, "yearly", 1)
    return When(year)


def strip_when(text: str) -> str:
    """The question without its period words, for matching names."""
    text = _QUARTER.sub(" ", text)
    text = _HALF_FIRST.sub(" ", _HALF_LAST.sub(" ", text))
    text = re.sub(r"\bnam (nay|ngoai|truoc|roi|sau|toi)\b|\bhien (nay|tai)\b|\bca nam\b", " ", text)
    text = _YEAR.sub(" ", text)
    text = re.sub(r"\b(nam|den nam|giai doan)\b(?= |$)", " ", text)
    return re.sub(r"\s+", " ", text).strip()
