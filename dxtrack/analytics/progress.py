"""Progress of a target: status, ratio, projection and score, as ../shared/docs/PROGRESS.md fixes
them (the Open SDG method, sdg-build's ProgressMeasure, with the UNSD projection to the target
year). Pure functions over (year, value) pairs: no database, no Django.

Every input that cannot be assessed gives `not_available` with the reason in Vietnamese, never an
exception or a silent number: fewer than two observations, a span under a year, base and latest
of opposite sign, duplicate years, non-finite numbers, a target year not after the base.

Every assessment is made as of a year A (PROGRESS.md, "Past milestones, the assessment year,
comparators"): a milestone before A is past and judged on the data alone (met, met late, missed),
with neither a ratio nor a projection; a milestone in A or later is ahead and gets a status from
its ratio R. Observations after A are not seen.

The labels are marked with gettext_noop (the identity, importable without settings) so that the
pages translate them where they show them (analytics.services.targets.status_label).
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

ACHIEVED = "target_achieved"
ON_TRACK = "on_track"
NEEDS_ACCELERATION = "needs_acceleration"
OFF_TRACK = "off_track"
REGRESSING = "regressing"
NOT_AVAILABLE = "not_available"
# A target whose every milestone is past and whose last one was not met.
MISSED = "missed"
# The outcome of a past milestone (PROGRESS.md): met by its year, met later, or not met since.
MET = "met"
MET_LATE = "met_late"
# Without a target
SUBSTANTIAL = "substantial_progress"
MODERATE = "moderate_progress"
LIMITED = "limited_progress"
DETERIORATION = "deterioration"

# Worst first: a target's status is the worst of its milestones still ahead; `missed` (every
# milestone past, the last not met) ranks just below `regressing` (PROGRESS.md).
SEVERITY = [REGRESSING, MISSED, OFF_TRACK, NEEDS_ACCELERATION, ON_TRACK, ACHIEVED]

LABELS = {
    ACHIEVED: gettext_noop("Đã đạt mục tiêu"),
    ON_TRACK: gettext_noop("Đúng tiến độ"),
    NEEDS_ACCELERATION: gettext_noop("Cần đẩy nhanh"),
    OFF_TRACK: gettext_noop("Chậm tiến độ"),
    REGRESSING: gettext_noop("Đi lùi"),
    MISSED: gettext_noop("Không đạt"),
    NOT_AVAILABLE: gettext_noop("Chưa đủ dữ liệu"),
    MET: gettext_noop("Đạt đúng hạn"),
    MET_LATE: gettext_noop("Đạt muộn"),
    SUBSTANTIAL: gettext_noop("Tiến bộ rõ rệt"),
    MODERATE: gettext_noop("Tiến bộ vừa phải"),
    LIMITED: gettext_noop("Tiến bộ hạn chế"),
    DETERIORATION: gettext_noop("Suy giảm"),
}
# "Đạt muộn (năm 2024)": a milestone met after its year names the year it was met.
MET_LATE_IN = gettext_noop("Đạt muộn (năm %(year)s)")
# A missed target has no ratio: its score is the edge between the off-track and regressing bands,
# below every off-track target's and above every regressing one's (PROGRESS.md puts `missed` just
# below `regressing` in severity and gives no number; ADR 13).
MISSED_SCORE = -2.5

COMPARATORS = (">=", "<=", "=", "range")

ZERO = 0.001  # PROGRESS.md: a target or base of exactly 0 is computed as 0.001
ON_TRACK_MIN = 0.95
ACCELERATION_MIN = 0.60


@dataclass(frozen=True)
class Goal:
    """One milestone of a target as the plan states it. `comparator`: ">=" met at or above
    `value`, "<=" at or below, "=" a bare number (met at or beyond it in the indicator's
    direction), "range" from `value` to `value_max` (met from the lower bound, or from the upper
    bound where lower is better); "" takes the indicator's direction, as "=" does."""

    year: int
    value: float
    comparator: str = ""
    value_max: float | None = None

    def rule(self, direction: int) -> tuple[int, float]:
        """(the direction in which it is met, the threshold met at or beyond)."""
        if self.comparator == ">=":
            return 1, self.value
        if self.comparator == "<=":
            return -1, self.value
        if self.comparator == "range" and direction < 0 and self.value_max is not None:
            return -1, self.value_max
        return direction, self.value


def meets(value: float, direction: int, threshold: float) -> bool:
    return value >= threshold if direction > 0 else value <= threshold


@dataclass(frozen=True)
class Milestone:
    year: int
    value: float
    status: str
    ratio: float | None = None
    projected: float | None = None
    passed: bool = False  # its year is before the assessment year: judged on the data alone
    reason: str = ""
    met_year: int | None = None  # a past milestone met late: the first year it was met

    @property
    def outcome(self) -> str:
        """The status the target takes from it when it is the last milestone and past."""
        if self.status in (MET, MET_LATE):
            return ACHIEVED
        return self.status

    def as_dict(self) -> dict:
        out = {
            "status": self.status,
            "ratio": _round(self.ratio),
            "projected": _round(self.projected),
            "value": self.value,
        }
        if self.passed:
            out["passed"] = True
        if self.met_year is not None:
            out["met_year"] = self.met_year
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class Progress:
    status: str
    score: float | None
    milestones: list[Milestone] = field(default_factory=list)
    reason: str = ""
    base: tuple[int, float] | None = None
    latest: tuple[int, float] | None = None
    growth: float | None = None  # without a target: v = s·d·CAGR
    as_of: int | None = None

    def as_dict(self) -> dict:
        out = {
            "status": self.status,
            "score": _round(self.score),
            "milestones": {str(m.year): m.as_dict() for m in self.milestones},
        }
        if self.as_of is not None:
            out["as_of"] = self.as_of
        if self.reason:
            out["reason"] = self.reason
        if self.growth is not None:
            out["growth"] = _round(self.growth)
        return out


def _round(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(x, digits)


def cagr(a: float, b: float, t1: float, t0: float) -> float:
    """Compound annual growth rate from b at t0 to a at t1."""
    return (a / b) ** (1 / (t1 - t0)) - 1


def _nonzero(x: float) -> float:
    return ZERO if x == 0 else x


def score_of(ratio: float | None, status: str) -> float | None:
    if status in (ACHIEVED, MET, MET_LATE):
        return 5.0
    if status == MISSED:
        return MISSED_SCORE
    if ratio is None or status == NOT_AVAILABLE:
        return None
    if ratio == math.inf:
        return 5.0
    if ratio == -math.inf:
        return -5.0
    if ratio >= ACCELERATION_MIN:
        return min(7.1429 * ratio - 4.2857, 5.0)
    return max(4.1667 * ratio - 2.5, -5.0)


def status_of_ratio(ratio: float) -> str:
    if ratio >= ON_TRACK_MIN:
        return ON_TRACK
    if ratio >= ACCELERATION_MIN:
        return NEEDS_ACCELERATION
    if ratio >= 0:
        return OFF_TRACK
    return REGRESSING


def status_of_score(score: float | None) -> str:
    """A group's status from the mean score of its members."""
    if score is None:
        return NOT_AVAILABLE
    if score >= 2.5:
        return ON_TRACK
    if score >= 0:
        return NEEDS_ACCELERATION
    if score >= -2.5:
        return OFF_TRACK
    return REGRESSING


def group_score(scores: list[float | None]) -> float | None:
    known = [s for s in scores if s is not None]
    return sum(known) / len(known) if known else None


def _clean(observations) -> tuple[list[tuple[int, float]], str]:
    """Sorted (year, value) pairs, or the reason they cannot be used."""
    out = []
    for item in observations or []:
        try:
            year, value = item
            year, value = int(year), float(value)
        except (TypeError, ValueError):
            return [], "Có quan sát không phải cặp (năm, giá trị) hợp lệ."
        if not math.isfinite(value):
            return [], "Có giá trị không phải số hữu hạn."
        out.append((year, value))
    out.sort()
    years = [y for y, _ in out]
    if len(set(years)) != len(years):
        dup = sorted({y for y in years if years.count(y) > 1})
        return [], f"Trùng năm quan sát: {', '.join(map(str, dup))}."
    return out, ""


def _base(series: list[tuple[int, float]], baseline_year: int | None) -> tuple[int, float] | None:
    if baseline_year is None:
        return series[0] if series else None
    return next(((y, v) for y, v in series if y >= baseline_year), None)


def _clamp(x: float, lower: float | None, upper: float | None) -> float:
    if upper is not None:
        x = min(x, upper)
    if lower is not None:
        x = max(x, lower)
    return x


def limits(unit: str, limit: float | None) -> tuple[float | None, float | None]:
    """Natural limits of the unit: a percentage lies in 0–100; a stated limit caps the top."""
    if unit == "%":
        return 0.0, limit if limit is not None else 100.0
    return None, limit


def _usable(series, baseline_year) -> tuple[tuple[int, float] | None, tuple[int, float] | None, str]:
    if len(series) < 2:
        return None, None, "Cần ít nhất hai quan sát."
    base = _base(series, baseline_year)
    if base is None:
        return None, None, "Không có quan sát từ năm gốc trở đi."
    latest = series[-1]
    if latest[0] - base[0] < 1:
        return base, latest, "Quan sát mới nhất chưa cách năm gốc một năm."
    if (base[1] < 0 < latest[1]) or (latest[1] < 0 < base[1]):
        return base, latest, "Giá trị gốc và giá trị mới nhất trái dấu."
    return base, latest, ""


def judge(
    direction: int, t0: int, y0: float, t_cur: int, y_cur: float, target_year: int, target: float, lower, upper
) -> tuple[str, float | None, float | None, str]:
    """One milestone from the base and the current observation: (status, ratio, projection,
    reason). The core of `assess`, also called directly where many series are judged at once
    (a scorecard of every commune), so both give the same answer by construction."""
    if (direction > 0 and y_cur >= target) or (direction < 0 and y_cur <= target):
        return ACHIEVED, None, None, ""
    if target_year <= t0:
        return NOT_AVAILABLE, None, None, "Năm mục tiêu không sau năm gốc."
    b, t_value, current = _nonzero(y0), _nonzero(target), _nonzero(y_cur)
    if (t_value / b) <= 0:
        return NOT_AVAILABLE, None, None, "Mục tiêu và giá trị gốc trái dấu."
    if (current / b) <= 0:
        return NOT_AVAILABLE, None, None, "Giá trị gốc và giá trị mới nhất trái dấu."
    s = -1 if b < 0 else 1
    observed = cagr(current, b, t_cur, t0)
    required = cagr(t_value, b, target_year, t0)
    if required == 0:
        # The target equals the base and is not met: any move away from it is the wrong way.
        ratio = -math.inf if s * direction * observed <= 0 else math.inf
    else:
        ratio = s * direction * observed / abs(required)
    projected = _clamp(y_cur * (1 + observed) ** (target_year - t_cur), lower, upper)
    return status_of_ratio(ratio), ratio, projected, ""


def _goals(targets) -> tuple[list[Goal], str]:
    """The milestones, sorted by year, from (year, value) pairs, {"year", "value", "comparator",
    "value_max"} mappings or Goal objects; or the reason they cannot be used."""
    out = []
    for item in targets.items() if isinstance(targets, dict) else targets or []:
        if isinstance(item, Goal):
            goal = item
        else:
            try:
                if isinstance(item, dict):
                    year, value = item["year"], item["value"]
                    comparator, value_max = item.get("comparator") or "", item.get("value_max")
                else:
                    (year, value), comparator, value_max = item, "", None
                if isinstance(year, bool) or isinstance(value, bool):
                    raise TypeError
                goal = Goal(int(year), float(value), comparator, None if value_max is None else float(value_max))
            except (TypeError, ValueError, KeyError):
                return [], "Có mục tiêu không phải cặp (năm, giá trị) hợp lệ."
        if goal.comparator and goal.comparator not in COMPARATORS:
            return [], f"Phép so sánh “{str(goal.comparator)[:20]}” không hợp lệ: dùng >=, <=, = hoặc range."
        if not math.isfinite(goal.value) or (goal.value_max is not None and not math.isfinite(goal.value_max)):
            return [], "Có giá trị mục tiêu không phải số hữu hạn."
        if goal.comparator == "range" and (goal.value_max is None or goal.value_max < goal.value):
            return [], f"Mục tiêu năm {goal.year} là một khoảng: cần value_max không nhỏ hơn value."
        out.append(goal)
    out.sort(key=lambda g: g.year)
    years = [g.year for g in out]
    if len(set(years)) != len(years):
        dup = sorted({y for y in years if years.count(y) > 1})
        return [], f"Trùng năm mục tiêu: {', '.join(map(str, dup))}."
    return out, ""


def judge_past(series: list[tuple[int, float]], goal: Goal, direction: int) -> Milestone:
    """A milestone whose year is before the assessment year, on the data alone (`series`: the
    sorted observations up to the assessment year): met by the last observation in or before
    its year; else met late, in the first later year that meets it; else missed. No ratio, no
    projection: the year is over."""
    d, threshold = goal.rule(direction)
    if not series:
        return Milestone(goal.year, goal.value, NOT_AVAILABLE, passed=True, reason="Chưa có số liệu.")
    upto = [v for y, v in series if y <= goal.year]
    if upto and meets(upto[-1], d, threshold):
        return Milestone(goal.year, goal.value, MET, passed=True)
    later = next((y for y, v in series if y > goal.year and meets(v, d, threshold)), None)
    if later is not None:
        return Milestone(goal.year, goal.value, MET_LATE, passed=True, met_year=later)
    return Milestone(goal.year, goal.value, MISSED, passed=True)


def evaluate(
    series: list[tuple[int, float]],
    goals: list[Goal],
    direction: int,
    as_of: int,
    *,
    baseline_year: int | None = None,
    lower: float | None = None,
    upper: float | None = None,
) -> list[Milestone]:
    """Every milestone of a target as of year `as_of`, from clean sorted observations (those
    after `as_of` are not seen). The core of `assess`, also called directly where many series
    are judged at once (every commune's), so both give the same answer by construction."""
    series = [(y, v) for y, v in series if y <= as_of]
    out = []
    usable = None
    for goal in goals:
        if goal.year < as_of:
            out.append(judge_past(series, goal, direction))
            continue
        d, threshold = goal.rule(direction)
        if series and meets(series[-1][1], d, threshold):
            # Already met: achieved whatever the series' length (never "not available" or
            # "behind schedule" for a value that has passed its target).
            out.append(Milestone(goal.year, goal.value, ACHIEVED))
            continue
        if usable is None:
            usable = _usable(series, baseline_year)
        base, latest, problem = usable
        if problem:
            out.append(Milestone(goal.year, goal.value, NOT_AVAILABLE, reason=problem))
            continue
        status, ratio, projected, reason = judge(
            d, base[0], base[1], latest[0], latest[1], goal.year, threshold, lower, upper
        )
        out.append(Milestone(goal.year, goal.value, status, ratio, projected, reason=reason))
    return out


def target_status(milestones: list[Milestone]) -> tuple[str, float | None, str]:
    """(status, score, reason) of a target from its milestones: the worst of those ahead, or,
    where every milestone is past, the last one's outcome (met or met late → achieved)."""
    if not milestones:
        return NOT_AVAILABLE, None, "Không có mốc mục tiêu."
    ahead = [m for m in milestones if not m.passed]
    if not ahead:
        last = milestones[-1]
        status = last.outcome
        return status, score_of(None, status), last.reason
    known = [m for m in ahead if m.status != NOT_AVAILABLE]
    if not known:
        return NOT_AVAILABLE, None, next((m.reason for m in ahead if m.reason), "Không đánh giá được mốc nào.")
    worst = min(known, key=lambda m: SEVERITY.index(m.status))
    return worst.status, score_of(worst.ratio, worst.status), ""


def assess(
    *,
    direction: int | str,
    observations,
    targets=(),
    baseline_year: int | None = None,
    unit: str = "",
    limit: float | None = None,
    as_of: int | None = None,
) -> Progress:
    """Status, score and per-milestone detail of a series as of year `as_of` (default: the year
    of the latest observation). `direction` is +1/"increase" when higher is better, -1/"decrease"
    when lower is better; `targets` are (year, value) pairs or Goal objects / mappings with a
    comparator and value_max."""
    d = {"increase": 1, "decrease": -1, 1: 1, -1: -1}.get(direction)
    if d is None:
        return Progress(NOT_AVAILABLE, None, reason="Chiều của chỉ tiêu phải là increase hoặc decrease.")
    series, problem = _clean(observations)
    if problem:
        return Progress(NOT_AVAILABLE, None, reason=problem)
    goals, problem = _goals(targets)
    if problem:
        return Progress(NOT_AVAILABLE, None, reason=problem)
    if as_of is None:
        as_of = series[-1][0] if series else None
    elif isinstance(as_of, bool) or not isinstance(as_of, int):
        return Progress(NOT_AVAILABLE, None, reason="Năm đánh giá (as_of) phải là số nguyên.")
    seen = [(y, v) for y, v in series if as_of is None or y <= as_of]
    if not goals or as_of is None:
        base, latest, problem = _usable(seen, baseline_year)
        if problem:
            return Progress(NOT_AVAILABLE, None, reason=problem, base=base, latest=latest, as_of=as_of)
        lower, upper = limits(unit, limit)
        result = _without_target(base, latest, d, upper)
        return Progress(result.status, None, [], "", base, latest, result.growth, as_of)
    lower, upper = limits(unit, limit)
    milestones = evaluate(seen, goals, d, as_of, baseline_year=baseline_year, lower=lower, upper=upper)
    status, score, reason = target_status(milestones)
    base = _base(seen, baseline_year)
    latest = seen[-1] if seen else None
    return Progress(status, score, milestones, reason, base, latest, None, as_of)


def _without_target(base, latest, d: int, limit: float | None) -> Progress:
    (t0, y0), (t_cur, y_cur) = base, latest
    b0 = _nonzero(y0)
    s = -1 if b0 < 0 else 1
    v = s * d * cagr(_nonzero(y_cur), b0, t_cur, t0)
    b = abs(y0)
    if limit is None or limit == 0:
        c = 1.0
    else:
        big_l = abs(limit)
        if b >= 2 * big_l:
            c = 1.0
        elif b <= big_l:
            c = 1 - (b / big_l) ** 4.44
        else:
            c = 1 - ((2 * big_l - b) / big_l) ** 4.44
    if v >= 0.015 * c:
        status = SUBSTANTIAL
    elif v >= 0.005 * c:
        status = MODERATE
    elif v >= 0:
        status = LIMITED
    else:
        status = DETERIORATION
    return Progress(status, None, [], "", base, latest, growth=v)


# ---- tasks -----------------------------------------------------------------------------------------

DONE = "done"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
OVERDUE = "overdue"
CONTINUOUS = "continuous"
TASK_LABELS = {
    DONE: "Đã hoàn thành",
    IN_PROGRESS: "Đang triển khai",
    NOT_STARTED: "Chưa triển khai",
    OVERDUE: "Quá hạn",
    CONTINUOUS: "Thường xuyên",
}


def task_state(*, recurrence: str, deadline, reported_state: str | None, at, updated_in_period: bool = True) -> str:
    """A task's state at date `at` from its latest approved update (PROGRESS.md, Tasks).
    A recurring or continuous task is judged per period: `continuous` when the period's update was
    given, otherwise `overdue` once the period's due date (`deadline`) has passed."""
    if recurrence in ("continuous", "quarterly", "semiannual", "yearly"):
        if updated_in_period:
            return CONTINUOUS
        return OVERDUE if deadline is not None and at > deadline else NOT_STARTED
    if reported_state == DONE:
        return DONE
    if deadline is not None and at > deadline:
        return OVERDUE
    return reported_state if reported_state in (IN_PROGRESS, NOT_STARTED) else NOT_STARTED
