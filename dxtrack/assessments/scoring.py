"""Scoring an assessment: pure functions on plain values, no database (ADR 0032).

A framework is read once into `CriterionRule`s, `Tier`s and `Band`s (see `models.Framework.scorer`)
and compiled into a `Scorer`: each criterion becomes a small function of its answer, so that
scoring thousands of subjects is a loop over prepared closures, not a walk over the rules' data.

The kinds of criterion seen in the provinces' sets (ASSESSMENTS.md):
- boolean: yes → full points, no → 0;
- threshold: the declared figure compared with a value (>=, <=, =, or a range) → full points or 0;
- ratio: a / b × points;
- steps: a table "at least N → P points" (steering-committee meetings: 4 → 20, 3 → 15 …);
- level: an answer on a 1…level_max scale → points × level / level_max;
- declared: a figure kept for the record, worth no points.

Errors are `ScoreError`s whose message is fit to show the user (Vietnamese).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

BOOLEAN, THRESHOLD, RATIO, STEPS, LEVEL, DECLARED = "boolean", "threshold", "ratio", "steps", "level", "declared"
KINDS = (BOOLEAN, THRESHOLD, RATIO, STEPS, LEVEL, DECLARED)
COMPARATORS = (">=", "<=", "=", "range")
# Floating-point slack when comparing sums of points written with decimals (12,5 + 7,5 = 20).
EPSILON = 1e-9


class ScoreError(ValueError):
    """An answer, a score or a rule that cannot be scored; `message` says why, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CriterionRule:
    code: str
    kind: str
    points: float
    group: str = ""
    mandatory: bool = False
    comparator: str = ""
    value: float | None = None
    value_max: float | None = None
    # (at least, points) pairs of a step table, in any order.
    steps: tuple[tuple[float, float], ...] = ()
    level_max: int | None = None


@dataclass(frozen=True)
class Tier:
    """A recognition tier: reached with at least `min_points` (when set) and the given shares of
    mandatory and of extended criteria met (fractions: 0.3 for 30%)."""

    level: int
    name: str
    min_points: float | None = None
    mandatory_share: float = 0.0
    extended_share: float = 0.0


@dataclass(frozen=True)
class Band:
    """A score band (TP.HCM-style): a total at least `min_points` is in this band, up to the next."""

    name: str
    min_points: float


def _fmt(number: float | None) -> str:
    """A number as the Vietnamese write it (decimal comma), for messages."""
    if number is None:
        return ""
    text = f"{number:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


# ---- the rules ----------------------------------------------------------------------------------


def rule_problems(rule: CriterionRule) -> list[str]:
    """What is wrong with one criterion's rule (empty: nothing)."""
    where = f"Tiêu chí {rule.code}"
    problems = []
    if rule.kind not in KINDS:
        return [f"{where}: loại tiêu chí “{rule.kind}” không hợp lệ."]
    if rule.points is None or rule.points < 0:
        problems.append(f"{where}: số điểm phải là số không âm.")
    has_threshold = bool(rule.comparator) or rule.value is not None or rule.value_max is not None
    has_levels = rule.level_max is not None
    if has_threshold and has_levels:
        problems.append(f"{where}: vừa có ngưỡng vừa có thang mức; mỗi tiêu chí chỉ chấm theo một cách.")
    if rule.kind == THRESHOLD:
        if rule.comparator not in COMPARATORS:
            problems.append(f"{where}: tiêu chí ngưỡng cần phép so sánh (≥, ≤, = hoặc khoảng).")
        if rule.value is None:
            problems.append(f"{where}: tiêu chí ngưỡng cần giá trị ngưỡng.")
        if rule.comparator == "range" and (rule.value_max is None or (rule.value or 0) > rule.value_max):
            problems.append(f"{where}: khoảng cần giá trị trên không nhỏ hơn giá trị dưới.")
    elif has_threshold and not has_levels:
        problems.append(f"{where}: chỉ tiêu chí loại ngưỡng mới có phép so sánh và giá trị ngưỡng.")
    if rule.kind == LEVEL and (rule.level_max is None or rule.level_max < 1):
        problems.append(f"{where}: tiêu chí chấm theo mức cần mức cao nhất (ví dụ 5).")
    if rule.kind != LEVEL and has_levels and not has_threshold:
        problems.append(f"{where}: chỉ tiêu chí chấm theo mức mới có thang mức.")
    if rule.kind == STEPS:
        if not rule.steps:
            problems.append(f"{where}: tiêu chí bậc thang cần bảng bậc (từ mức nào được bao nhiêu điểm).")
        elif max(p for _, p in rule.steps) > rule.points + EPSILON:
            problems.append(f"{where}: điểm của một bậc lớn hơn điểm tối đa {_fmt(rule.points)}.")
    elif rule.steps:
        problems.append(f"{where}: chỉ tiêu chí bậc thang mới có bảng bậc.")
    if rule.kind == DECLARED and rule.points:
        problems.append(f"{where}: số liệu kê khai không được tính điểm.")
    return problems


def framework_problems(
    rules: Iterable[CriterionRule],
    *,
    max_points: float | None = None,
    group_max: Mapping[str, float] | None = None,
    tiers: Iterable[Tier] = (),
) -> list[str]:
    """Everything wrong with a framework: each criterion's rule, codes used twice, points that do
    not add up to the stated total (of the framework and of each group), tiers out of range."""
    rules = list(rules)
    problems = [p for rule in rules for p in rule_problems(rule)]
    seen: set[str] = set()
    for rule in rules:
        if rule.code in seen:
            problems.append(f"Mã tiêu chí {rule.code} bị trùng.")
        seen.add(rule.code)
    total = sum(r.points or 0 for r in rules)
    if max_points is not None and abs(total - max_points) > 1e-6:
        problems.append(
            f"Tổng điểm các tiêu chí là {_fmt(total)}, không khớp tổng điểm tối đa {_fmt(max_points)} của bộ tiêu chí."
        )
    for group, maximum in (group_max or {}).items():
        if maximum is None:
            continue
        sub = sum(r.points or 0 for r in rules if r.group == group)
        if abs(sub - maximum) > 1e-6:
            problems.append(
                f"Nhóm {group}: tổng điểm các tiêu chí là {_fmt(sub)}, không khớp điểm tối đa {_fmt(maximum)} của nhóm."
            )
    for tier in tiers:
        for share in (tier.mandatory_share, tier.extended_share):
            if not 0 <= share <= 1:
                problems.append(f"Mức công nhận “{tier.name}”: tỷ lệ tiêu chí phải từ 0 đến 100%.")
                break
        if tier.min_points is not None and tier.min_points < 0:
            problems.append(f"Mức công nhận “{tier.name}”: điểm tối thiểu không được âm.")
    return problems


# ---- one criterion ------------------------------------------------------------------------------


def _number(rule: CriterionRule, answer: Any) -> float:
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        try:
            return float(str(answer).replace(",", "."))
        except (TypeError, ValueError):
            raise ScoreError(f"Tiêu chí {rule.code}: cần nhập một số.") from None
    return float(answer)


def _boolean(rule: CriterionRule) -> Callable[[Any], float]:
    points, code = float(rule.points), rule.code

    def boolean(answer):
        if answer is None or answer is False:
            return 0.0
        if answer is True:
            return points
        raise ScoreError(f"Tiêu chí {code}: chỉ trả lời có hoặc không.")

    return boolean


def _threshold(rule: CriterionRule) -> Callable[[Any], float]:
    points, low, high = float(rule.points), rule.value, rule.value_max
    tests = {
        ">=": lambda x: x >= low - EPSILON,
        "<=": lambda x: x <= low + EPSILON,
        "=": lambda x: abs(x - low) <= EPSILON,
        "range": lambda x: low - EPSILON <= x <= high + EPSILON,
    }
    test = tests[rule.comparator]

    def threshold(answer):
        if answer is None:
            return 0.0
        return points if test(_number(rule, answer)) else 0.0

    return threshold


def _ratio(rule: CriterionRule) -> Callable[[Any], float]:
    points, code = float(rule.points), rule.code

    def ratio(answer):
        if answer is None:
            return 0.0
        try:
            a, b = answer
        except (TypeError, ValueError):
            raise ScoreError(f"Tiêu chí {code}: cần tử số và mẫu số.") from None
        a, b = _number(rule, a), _number(rule, b)
        if b <= 0 or a < 0:
            raise ScoreError(f"Tiêu chí {code}: mẫu số phải lớn hơn 0 và tử số không âm.")
        if a > b + EPSILON:
            raise ScoreError(f"Tiêu chí {code}: tử số ({_fmt(a)}) lớn hơn mẫu số ({_fmt(b)}).")
        return round(points * a / b, 2)

    return ratio


def _steps(rule: CriterionRule) -> Callable[[Any], float]:
    table, code = sorted(rule.steps, reverse=True), rule.code

    def steps(answer):
        if answer is None:
            return 0.0
        x = _number(rule, answer)
        if x < 0:
            raise ScoreError(f"Tiêu chí {code}: số liệu không được âm.")
        return next((float(p) for at_least, p in table if x >= at_least - EPSILON), 0.0)

    return steps


def _level(rule: CriterionRule) -> Callable[[Any], float]:
    points, code, top = float(rule.points), rule.code, int(rule.level_max or 5)

    def level(answer):
        if answer is None:
            return 0.0
        x = _number(rule, answer)
        if x != int(x) or not 1 <= x <= top:
            raise ScoreError(f"Tiêu chí {code}: mức phải là số nguyên từ 1 đến {top}.")
        return round(points * x / top, 2)

    return level


def _declared(rule: CriterionRule) -> Callable[[Any], float]:
    return lambda answer: 0.0  # kept for the record, not scored


_BUILDERS = {
    BOOLEAN: _boolean,
    THRESHOLD: _threshold,
    RATIO: _ratio,
    STEPS: _steps,
    LEVEL: _level,
    DECLARED: _declared,
}


def _compile(rule: CriterionRule) -> Callable[[Any], float]:
    """The function answer → points of one criterion (None, no answer yet, scores 0)."""
    return _BUILDERS[rule.kind](rule)


def criterion_score(rule: CriterionRule, answer: Any) -> float:
    """The self-assessed score of one answer under one rule."""
    return _compile(rule)(answer)


def checked_score(rule: CriterionRule, score: Any) -> float:
    """A score given by hand (the council's, the final): a number from 0 to the criterion's points."""
    value = _number(rule, score)
    if not 0 <= value <= rule.points + EPSILON:
        raise ScoreError(f"Điểm của tiêu chí {rule.code} phải từ 0 đến {_fmt(rule.points)}; đã nhập {_fmt(value)}.")
    return round(value, 2)


def is_met(rule: CriterionRule, score: float) -> bool:
    """A criterion counts as met (for the tiers' shares) when it earns its full points."""
    return rule.kind != DECLARED and rule.points > 0 and score >= rule.points - 1e-6


# ---- a subject, and many -------------------------------------------------------------------------


@dataclass
class Outcome:
    total: float
    max_points: float
    index: float  # total / max_points, 0–1 (DTI-style)
    scores: dict[str, float]
    group_totals: dict[str, float]
    mandatory_met: int
    mandatory_count: int
    extended_met: int
    extended_count: int
    tier: Tier | None = None
    band: Band | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def tiers_met(self) -> int:
        return self.tier.level if self.tier else 0


def share(met: int, count: int) -> float:
    """The share of criteria met; with no such criterion, the requirement holds (1)."""
    return met / count if count else 1.0


def tier_reached(
    tiers: Iterable[Tier], *, total: float, mandatory: tuple[int, int], extended: tuple[int, int]
) -> Tier | None:
    """The highest tier whose every condition holds."""
    m_share, e_share = share(*mandatory), share(*extended)
    best = None
    for tier in tiers:
        if tier.min_points is not None and total < tier.min_points - EPSILON:
            continue
        if m_share < tier.mandatory_share - EPSILON or e_share < tier.extended_share - EPSILON:
            continue
        if best is None or tier.level > best.level:
            best = tier
    return best


def band_of(bands: Iterable[Band], total: float) -> Band | None:
    """The band of a total: the one with the highest lower bound not above it."""
    fitting = [b for b in bands if total >= b.min_points - EPSILON]
    return max(fitting, key=lambda b: b.min_points) if fitting else None


class Scorer:
    """A framework compiled once, to score one subject or thousands."""

    def __init__(
        self,
        rules: Iterable[CriterionRule],
        *,
        tiers: Iterable[Tier] = (),
        bands: Iterable[Band] = (),
        max_points: float | None = None,
    ):
        self.rules = list(rules)
        problems = [p for rule in self.rules for p in rule_problems(rule)]
        if problems:
            raise ScoreError(" ".join(problems))
        self.tiers, self.bands = list(tiers), list(bands)
        self.max_points = float(max_points) if max_points else float(sum(r.points for r in self.rules))
        self._compiled = [(r, _compile(r)) for r in self.rules]
        self.mandatory_count = sum(1 for r in self.rules if r.mandatory and r.kind != DECLARED)
        self.extended_count = sum(1 for r in self.rules if not r.mandatory and r.kind != DECLARED)

    def score(self, answers: Mapping[str, Any], *, overrides: Mapping[str, float] | None = None) -> Outcome:
        """The outcome of one subject. `answers` maps criterion code → answer; `overrides` maps
        code → a score given by hand (the council's or the final), which wins over the answer.
        An answer that cannot be scored scores 0 and is named in `errors` (so a form can show
        every problem at once)."""
        scores: dict[str, float] = {}
        groups: dict[str, float] = {}
        errors: dict[str, str] = {}
        m_met = e_met = 0
        overrides = overrides or {}
        for rule, fn in self._compiled:
            code = rule.code
            if code in overrides and overrides[code] is not None:
                value = overrides[code]
            else:
                try:
                    value = fn(answers.get(code))
                except ScoreError as exc:
                    errors[code], value = exc.message, 0.0
            scores[code] = value
            groups[rule.group] = groups.get(rule.group, 0.0) + value
            if is_met(rule, value):
                if rule.mandatory:
                    m_met += 1
                else:
                    e_met += 1
        total = round(sum(scores.values()), 2)
        return Outcome(
            total=total,
            max_points=self.max_points,
            index=round(total / self.max_points, 4) if self.max_points else 0.0,
            scores=scores,
            group_totals={k: round(v, 2) for k, v in groups.items()},
            mandatory_met=m_met,
            mandatory_count=self.mandatory_count,
            extended_met=e_met,
            extended_count=self.extended_count,
            tier=tier_reached(
                self.tiers, total=total, mandatory=(m_met, self.mandatory_count), extended=(e_met, self.extended_count)
            ),
            band=band_of(self.bands, total),
            errors=errors,
        )

    def score_many(self, subjects: Iterable[Mapping[str, Any]]) -> list[Outcome]:
        """Every subject's outcome, in order (the batch the rankings and the bench use)."""
        return [self.score(answers) for answers in subjects]


# ---- the DTI-style index -------------------------------------------------------------------------


def normalised(points: float, maximum: float) -> float:
    """A score on the 0–1 scale the national DTI publishes (0,6077)."""
    if maximum <= 0:
        raise ScoreError("Điểm tối đa phải lớn hơn 0 để quy về thang 0–1.")
    if not 0 <= points <= maximum + EPSILON:
        raise ScoreError(f"Điểm {_fmt(points)} nằm ngoài khoảng 0 đến {_fmt(maximum)}.")
    return round(points / maximum, 4)


def merged_index(indices: Iterable[float]) -> float:
    """A merged province's index: the arithmetic mean of its former provinces' (2025 merger)."""
    values = list(indices)
    if not values:
        raise ScoreError("Cần ít nhất một chỉ số để tính trung bình.")
    return round(sum(values) / len(values), 4)


# ---- the enterprise index, 1970/QĐ-BTTTT --------------------------------------------------------


@dataclass(frozen=True)
class EnterpriseRule:
    """The levels rule of the enterprise digital-transformation index, as data.

    `pillar_cutoffs`: (share of the pillar's maximum at most, in percent; level) in rising order;
    above the last, `pillar_top`. `overall`: (level, total strictly above, pillars needed, each at
    least this level), any order; the highest that holds wins, else level 0."""

    pillar_cutoffs: tuple[tuple[float, int], ...]
    pillar_top: int
    overall: tuple[tuple[int, float, int, int], ...]


# 1970/QĐ-BTTTT (13/12/2021), as ASSESSMENTS.md states it.
RULE_1970 = EnterpriseRule(
    pillar_cutoffs=((10, 0), (20, 1), (40, 2), (60, 3), (80, 4)),
    pillar_top=5,
    overall=((1, 20, 4, 1), (2, 64, 4, 2), (3, 128, 4, 3), (4, 192, 5, 4), (5, 256, 6, 5)),
)
LEVEL_NAMES_1970 = {0: "Chưa khởi động", 1: "Khởi động", 2: "Bắt đầu", 3: "Hình thành", 4: "Nâng cao", 5: "Dẫn dắt"}


def pillar_level(points: float, maximum: float, rule: EnterpriseRule = RULE_1970) -> int:
    if maximum <= 0:
        raise ScoreError("Điểm tối đa của trụ cột phải lớn hơn 0.")
    if not 0 <= points <= maximum + EPSILON:
        raise ScoreError(f"Điểm trụ cột {_fmt(points)} nằm ngoài khoảng 0 đến {_fmt(maximum)}.")
    for percent, level in rule.pillar_cutoffs:
        # points / maximum ≤ percent / 100, compared without dividing (20 of 200 is exactly 10%).
        if points * 100 <= maximum * percent + EPSILON:
            return level
    return rule.pillar_top


@dataclass(frozen=True)
class EnterpriseOutcome:
    total: float
    level: int
    pillar_levels: dict[str, int]

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES_1970.get(self.level, str(self.level))


def enterprise_level(
    pillar_points: Mapping[str, float], pillar_max: Mapping[str, float], rule: EnterpriseRule = RULE_1970
) -> EnterpriseOutcome:
    """The overall and per-pillar levels of one enterprise from its points per pillar."""
    missing = sorted(set(pillar_max) - set(pillar_points))
    if missing:
        raise ScoreError(f"Thiếu điểm của trụ cột: {', '.join(missing)}.")
    levels = {name: pillar_level(pillar_points[name], maximum, rule) for name, maximum in pillar_max.items()}
    total = round(sum(pillar_points[name] for name in pillar_max), 2)
    level = 0
    for candidate, above, needed, at_least in rule.overall:
        if total > above + EPSILON and sum(1 for v in levels.values() if v >= at_least) >= needed:
            level = max(level, candidate)
    return EnterpriseOutcome(total=total, level=level, pillar_levels=levels)
