"""Progress of a target: status, ratio, projection and score, as ../shared/docs/PROGRESS.md fixes
them (the Open SDG method, sdg-build's ProgressMeasure, with the UNSD projection to the target
year). Pure functions over (year, value) pairs: no database, no Django.

Every input that cannot be assessed gives `not_available` with the reason in Vietnamese, never an
exception or a silent number: fewer than two observations, a span under a year, base and latest
of opposite sign, duplicate years, non-finite numbers, a target year not after the base.
"""

import math
from dataclasses import dataclass, field

ACHIEVED = "target_achieved"
ON_TRACK = "on_track"
NEEDS_ACCELERATION = "needs_acceleration"
OFF_TRACK = "off_track"
REGRESSING = "regressing"
NOT_AVAILABLE = "not_available"
# Without a target
SUBSTANTIAL = "substantial_progress"
MODERATE = "moderate_progress"
LIMITED = "limited_progress"
DETERIORATION = "deterioration"

# Worst first: a target's status is the worst of its milestones still ahead.
SEVERITY = [REGRESSING, OFF_TRACK, NEEDS_ACCELERATION, ON_TRACK, ACHIEVED]

LABELS = {
    ACHIEVED: "Đã đạt mục tiêu",
    ON_TRACK: "Đúng tiến độ",
    NEEDS_ACCELERATION: "Cần đẩy nhanh",
    OFF_TRACK: "Chậm tiến độ",
    REGRESSING: "Đi lùi",
    NOT_AVAILABLE: "Chưa đủ dữ liệu",
    SUBSTANTIAL: "Tiến bộ rõ rệt",
    MODERATE: "Tiến bộ vừa phải",
    LIMITED: "Tiến bộ hạn chế",
    DETERIORATION: "Suy giảm",
}

ZERO = 0.001  # PROGRESS.md: a target or base of exactly 0 is computed as 0.001
ON_TRACK_MIN = 0.95
ACCELERATION_MIN = 0.60


@dataclass(frozen=True)
class Milestone:
    year: int
    value: float
    status: str
    ratio: float | None = None
    projected: float | None = None
    passed: bool = False  # its year is before the latest observation: assessed against itself
    reason: str = ""

    def as_dict(self) -> dict:
        out = {
            "status": self.status,
            "ratio": _round(self.ratio),
            "projected": _round(self.projected),
            "value": self.value,
        }
        if self.passed:
            out["passed"] = True
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

    def as_dict(self) -> dict:
        out = {
            "status": self.status,
            "score": _round(self.score),
            "milestones": {str(m.year): m.as_dict() for m in self.milestones},
        }
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
    if status == ACHIEVED:
        return 5.0
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


def _milestone(series, base, target_year: int, target: float, direction: int, lower, upper, passed: bool) -> Milestone:
    """One milestone, judged on the observations up to it when its year has passed."""
    if passed:
        upto = [(y, v) for y, v in series if y <= target_year]
        if len(upto) < 2 or upto[-1][0] - base[0] < 1:
            return Milestone(target_year, target, NOT_AVAILABLE, passed=True, reason="Thiếu số liệu đến năm mốc.")
        t_cur, y_cur = upto[-1]
    else:
        t_cur, y_cur = series[-1]
    status, ratio, projected, reason = judge(
        direction, base[0], base[1], t_cur, y_cur, target_year, target, lower, upper
    )
    if status == ACHIEVED:
        return Milestone(target_year, target, ACHIEVED, None, y_cur if passed else None, passed)
    return Milestone(target_year, target, status, ratio, projected, passed, reason)


def assess(
    *,
    direction: int | str,
    observations,
    targets=(),
    baseline_year: int | None = None,
    unit: str = "",
    limit: float | None = None,
) -> Progress:
    """Status, score and per-milestone detail of a series. `direction` is +1/"increase" when
    higher is better, -1/"decrease" when lower is better."""
    d = {"increase": 1, "decrease": -1, 1: 1, -1: -1}.get(direction)
    if d is None:
        return Progress(NOT_AVAILABLE, None, reason="Chiều của chỉ tiêu phải là increase hoặc decrease.")
    series, problem = _clean(observations)
    if problem:
        return Progress(NOT_AVAILABLE, None, reason=problem)
    goals, problem = _clean(targets.items() if isinstance(targets, dict) else targets)
    if problem:
        return Progress(NOT_AVAILABLE, None, reason=problem.replace("quan sát", "mục tiêu"))
    base, latest, problem = _usable(series, baseline_year)
    if problem:
        return Progress(NOT_AVAILABLE, None, reason=problem, base=base, latest=latest)
    lower, upper = limits(unit, limit)
    if not goals:
        return _without_target(base, latest, d, upper)
    milestones = [
        _milestone(series, base, year, value, d, lower, upper, passed=year < latest[0]) for year, value in goals
    ]
    ahead = [m for m in milestones if not m.passed] or milestones[-1:]
    known = [m for m in ahead if m.status != NOT_AVAILABLE]
    if not known:
        reason = next((m.reason for m in ahead if m.reason), "Không đánh giá được mốc nào.")
        return Progress(NOT_AVAILABLE, None, milestones, reason, base, latest)
    worst = min(known, key=lambda m: SEVERITY.index(m.status))
    return Progress(worst.status, score_of(worst.ratio, worst.status), milestones, "", base, latest)


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
