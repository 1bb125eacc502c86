"""Checks of reported values, as they are typed. Pure functions: no database.

Three kinds of check, each giving findings at the level the user must act on:
- the value against its unit (a percentage in 0–100; counts whole and non-negative; a ratio's
  numerator not above its denominator): errors;
- rules between two values of the same report, each with an importance: high is an error, medium
  and low are warnings;
- the value against the reporting body's own history of the indicator (modified z-score,
  Iglewicz & Hoaglin: |0,6745·(x − median)/MAD| > 3,5): a warning.
A warning may be kept with a comment; an error may be saved in a draft but never submitted.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from dxtrack.core.numbers import COUNT_UNITS, EXACT, MAX_ABS, RANK_UNITS, NumberError, format_number  # noqa: F401
from dxtrack.core.numbers import parse_number as _parse_number

ERROR = "error"
WARNING = "warning"

OUTLIER_THRESHOLD = Decimal("3.5")
OUTLIER_MIN_HISTORY = 4


@dataclass(frozen=True)
class Finding:
    level: str  # error | warning
    field: str  # value | numerator | denominator | the rule's name
    message: str
    code: str = ""


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str
    is_ratio: bool
    scale: Decimal = Decimal(100)  # a ratio in % is numerator / denominator · 100


@dataclass
class Entry:
    """A value as entered: the value, or numerator and denominator for a ratio."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    comment: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None


# One reading of typed numbers for the whole project (web form, Excel text cells, API strings).
NotANumber = NumberError


def parse_number(raw) -> Decimal | None:
    """A reported number as given (a JSON or spreadsheet number, or Vietnamese text), rounded to
    the four places a stored value keeps. Empty → None; anything else raises NotANumber."""
    return _parse_number(raw, places=EXACT)


def derived_value(spec: IndicatorSpec, entry: Entry) -> Decimal | None:
    """A ratio's value from its parts; None while either part is missing or the base is 0."""
    if not spec.is_ratio:
        return entry.value
    if entry.numerator is None or entry.denominator is None or entry.denominator == 0:
        return None
    return (entry.numerator / entry.denominator * spec.scale).quantize(Decimal("0.0001"))


def _whole(number: Decimal) -> bool:
    return number == number.to_integral_value()


def check_unit(spec: IndicatorSpec, entry: Entry) -> list[Finding]:
    out: list[Finding] = []
    if spec.is_ratio:
        num, den = entry.numerator, entry.denominator
        if (num is None) != (den is None):
            missing = "mẫu số" if den is None else "tử số"
            out.append(Finding(ERROR, "denominator" if den is None else "numerator", f"Thiếu {missing}.", "partial"))
        for name, part, label in (("numerator", num, "Tử số"), ("denominator", den, "Mẫu số")):
            if part is not None and part < 0:
                out.append(Finding(ERROR, name, f"{label} không được âm.", "negative"))
        if den is not None and den == 0:
            out.append(Finding(ERROR, "denominator", "Mẫu số phải lớn hơn 0.", "zero_base"))
        if num is not None and den is not None and num >= 0 and den > 0 and num > den and spec.unit == "%":
            out.append(Finding(ERROR, "numerator", "Tử số không được lớn hơn mẫu số.", "num_gt_den"))
        return out
    value = entry.value
    if value is None:
        return out
    if spec.unit == "%" and not 0 <= value <= 100:
        out.append(Finding(ERROR, "value", "Tỷ lệ phần trăm phải trong khoảng 0–100.", "percent_range"))
    elif spec.unit in COUNT_UNITS:
        if value < 0:
            out.append(Finding(ERROR, "value", "Số lượng không được âm.", "negative"))
        elif not _whole(value):
            out.append(Finding(ERROR, "value", "Số lượng phải là số nguyên.", "not_whole"))
    elif spec.unit in RANK_UNITS and (value < 1 or not _whole(value)):
        out.append(Finding(ERROR, "value", "Thứ hạng phải là số nguyên từ 1 trở lên.", "rank"))
    elif spec.unit == "tỷ đồng" and value < 0:
        out.append(Finding(ERROR, "value", "Giá trị không được âm.", "negative"))
    return out


@dataclass(frozen=True)
class RuleSpec:
    name: str
    message: str
    left: str
    left_part: str
    operator: str
    right: str
    right_part: str
    importance: str  # high | medium | low


_OPS = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
}


def check_rules(
    rules: list[RuleSpec], values: dict[str, Entry], specs: dict[str, IndicatorSpec]
) -> list[tuple[str, Finding]]:
    """(indicator code, finding) for every rule whose two sides are both given and disagree.
    The finding is attached to the rule's left-hand indicator."""
    out = []
    for rule in rules:
        sides = []
        for code, part in ((rule.left, rule.left_part), (rule.right, rule.right_part)):
            entry, spec = values.get(code), specs.get(code)
            if entry is None or spec is None:
                break
            number = derived_value(spec, entry) if part == "value" else getattr(entry, part)
            if number is None:
                break
            sides.append(number)
        if len(sides) == 2 and not _OPS[rule.operator](*sides):
            level = ERROR if rule.importance == "high" else WARNING
            out.append((rule.left, Finding(level, rule.name, rule.message, "rule")))
    return out


def modified_z(value: Decimal, history: list[Decimal]) -> Decimal | None:
    """Iglewicz–Hoaglin modified z-score of `value` against `history`; None when the history is
    too short or has no spread (MAD = 0)."""
    if len(history) < OUTLIER_MIN_HISTORY:
        return None
    med = median(history)
    mad = median([abs(h - med) for h in history])
    if mad == 0:
        return None
    return Decimal("0.6745") * (value - med) / mad


def check_outlier(spec: IndicatorSpec, entry: Entry, history: list[Decimal]) -> list[Finding]:
    value = derived_value(spec, entry)
    if value is None:
        return []
    z = modified_z(value, history)
    if z is None or abs(z) <= OUTLIER_THRESHOLD:
        return []
    direction = "cao" if z > 0 else "thấp"
    typical = median(history)
    return [
        Finding(
            WARNING,
            "value",
            f"Giá trị {direction} bất thường so với các kỳ trước của đơn vị "
            f"(trung vị {format_number(typical, spec.unit)}). "
            "Hãy kiểm tra lại hoặc ghi giải trình.",
            "outlier",
        )
    ]


def blocking(findings: list[Finding], comment: str) -> list[Finding]:
    """What stops a submission: every error, and every warning not explained by a comment."""
    return [f for f in findings if f.level == ERROR or not comment.strip()]
