"""A criterion's requirement as data: comparator, value(s), unit — or a 1–5 level scale.

"≥ 80%", "Từ 80% trở lên", "tối thiểu 02 lần/năm" → ">="; "≤ 5%", "không quá 3 ngày" → "<=";
"từ 3 đến 5 lần", "3 – 5 lần" → "range"; "Có/Không", "Đạt/Không đạt", a duty with no figure
("Ban hành kế hoạch chuyển đổi số năm") → "boolean". Prose is read by the plan extractor's own
quantity reader (plans/extract/targets.py), so "đạt", "ít nhất", "trở lên", units and years mean
here what they mean in a plan; only the symbols and the bare ranges of a table cell are added.
"""

import re
from dataclasses import dataclass

from dxtrack.plans.extract import targets as plan_targets
from dxtrack.plans.extract.numbers import NUMBER, parse_number


@dataclass(frozen=True)
class Threshold:
    comparator: str  # ">=", "<=", "=", "range", "boolean"
    value: float | None = None
    value_max: float | None = None
    unit: str = ""


BOOLEAN = Threshold("boolean")
LEVELS = Threshold("range", 1, 5, "mức")  # a 1–5 level scale: the level reached is the score's measure

_N = rf"(?:{NUMBER})"
_UNIT = r"(?P<unit>%|[^\W\d_]+(?:\s+[^\W\d_]+)?(?:/[^\W\d_]+)?)?"
# "≥ 80%", ">= 2 lần/năm", "= 100%": a table cell's symbols, which the prose reader does not know.
_SYMBOL = re.compile(rf"(?P<op>≥|>=|=>|≤|<=|=<|=|>|<)\s*(?P<a>{_N})\s*{_UNIT}", re.I)
_OPS = {"≥": ">=", ">=": ">=", "=>": ">=", ">": ">=", "≤": "<=", "<=": "<=", "=<": "<=", "<": "<=", "=": "="}
# "từ 3 đến 5 lần", "3 - 5", "từ 20% đến 40%": the unit may follow either number or none.
_RANGE = re.compile(
    rf"(?:\btừ\s+)?(?<![\d/.,])(?P<a>{_N})\s*(?P<pa>%)?\s*(?:-|–|—|\bđến\b|\btới\b)\s*(?:dưới\s+)?(?P<b>{_N})(?![\d/])"
    rf"\s*{_UNIT}",
    re.I,
)
_YES_NO = re.compile(r"^\s*(?:có|đạt|đã)\s*(?:/|hoặc|-)\s*(?:không|chưa)(?:\s+đạt|\s+có)?\s*$", re.I)
# A 1–5 level scale: "mức 1–5", "mức độ 1 đến 5", "thang 5 mức", "theo 05 mức".
LEVEL_SCALE = re.compile(
    r"\bmức\s*(?:độ\s*)?(?:từ\s+)?0?1\s*(?:-|–|—|đến|tới)\s*(?:mức\s*)?0?5\b"
    r"|\b(?:thang|theo)\s+(?:0?5|năm)\s+mức\b"
    r"|\b(?:0?5|năm)\s+mức\s+(?:độ|đánh\s+giá)\b",
    re.I,
)
_NON_UNITS = {"trở", "lên", "xuống", "và", "hoặc", "trong", "trên", "của", "so", "với", "điểm"}


def _unit(raw: str | None) -> str:
    words = (raw or "").strip().split()
    kept = []
    for word in words:
        if word.lower() in _NON_UNITS:
            break
        kept.append(word)
    return " ".join(kept)


def _number(text: str) -> float | None:
    return parse_number(text.strip())


def has_level_scale(text: str) -> bool:
    return bool(LEVEL_SCALE.search(text or ""))


def parse_requirement(text: str) -> Threshold:
    """The threshold a requirement states; BOOLEAN when it states none (a yes/no duty)."""
    text = re.sub(r"\s+", " ", LEVEL_SCALE.sub(" ", text or "")).strip()
    if not text or _YES_NO.match(text):
        return BOOLEAN
    if m := _SYMBOL.search(text):
        value = _number(m["a"])
        if value is not None:
            return Threshold(_OPS[m["op"]], value, None, _unit(m["unit"]))
    masked, _years = plan_targets._mask(text)
    if m := _RANGE.search(masked):
        a, b = _number(m["a"]), _number(m["b"])
        if a is not None and b is not None and a < b:
            unit = "%" if m["pa"] else _unit(m["unit"])
            return Threshold("range", a, b, unit)
    for q in plan_targets._quantities(masked):
        if q.kind != "single":
            continue
        comparator = plan_targets._direction(q, masked, 0, len(masked))
        return Threshold(comparator, q.value, None, q.unit)
    return BOOLEAN


def threshold_stated(text: str) -> bool:
    """Whether `text`, its level-scale phrase aside, states a figure to reach."""
    return parse_requirement(text).comparator != "boolean"
