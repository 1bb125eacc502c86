"""The communes' scorecards and a commune's standing on each target: every current commune judged
on its own yearly figures (or its former communes' together) by the same core as the province's
targets. The national-scale machinery (worker processes, the paused collector, the workers'
connections) is analytics.engine's; the rules are here."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dxtrack.obligations.models import Obligation
from dxtrack.org.models import AdminLevel, AdminUnit, AdminUnitChange
from dxtrack.plans.models import Aggregation, Target, Task
from dxtrack.reports.models import DataValue

from .. import engine, rollup
from .. import progress as p
from ..models import Scorecard
from .cards import make_card, rates_by, states_by, task_states
from .targets import STATUSES, assessment_year, goal_of, series_direction, targets_in_force


def _unit_points_query(plan: dict[int, dict[int, int]], unit_ids=None):
    """The SQL reading units' approved values at each year's period (see _unit_points), and the
    year each (indicator, period) stands for."""
    year_of = {
        (indicator_id, period_id): year for indicator_id, by_year in plan.items() for year, period_id in by_year.items()
    }
    if not year_of:
        return None, None, year_of
    qs = DataValue.objects.approved().filter(
        admin_unit__isnull=False,
        indicator_id__in={i for i, _ in year_of},
        period_id__in={per for _, per in year_of},
    )
    if unit_ids is not None:
        qs = qs.filter(admin_unit_id__in=unit_ids)
    # Floats straight from the cursor: a national recomputation reads about 700 thousand values,
    # and a Decimal and Django's converters for each cost more than the database's read.
    as_float = {f"{k}_f": Cast(k, FloatField()) for k in ("value", "numerator", "denominator")}
    sql, params = (
        qs.annotate(**as_float)
        .values_list("admin_unit_id", "indicator_id", "period_id", *as_float)
        .order_by()
        .query.sql_with_params()
    )
    return sql, params, year_of


def _unit_points_read(cursor, sql, params, year_of) -> dict[int, dict[int, dict[int, tuple]]]:
    out: dict[int, dict[int, dict[int, tuple]]] = {}
    if sql is None:
        return out
    cursor.execute(sql, params)
    while rows := cursor.fetchmany(50000):
        for unit, indicator, period, value, num, den in rows:
            year = year_of.get((indicator, period))  # None: a pair the filter let through
            if year is None or (value is None and num is None and den is None):
                continue
            out.setdefault(unit, {}).setdefault(indicator, {})[year] = (value, num, den)
    return out


def _unit_points(plan: dict[int, dict[int, int]], unit_ids=None) -> dict[int, dict[int, dict[int, tuple]]]:
    """Approved values of units at each year's period, per indicator: {unit: {indicator: {year:
    (value, numerator, denominator)}}}. Read at one period a year only, not every quarter."""
    with connection.cursor() as cursor:
        return _unit_points_read(cursor, *_unit_points_query(plan, unit_ids))


def _figure(indicator, parts: list[tuple]) -> float | None:
    """One unit's figure from its own value, or its former units' values together, by the
    indicator's rule (the province's rule, applied to a commune's parts)."""
    if len(parts) == 1:
        # A unit's own value: a ratio's value is stored already derived from its two parts.
        value = parts[0][0]
        return None if value is None else float(value)
    known = [v for v, _, _ in parts if v is not None]
    row = {
        "total": sum(known) if known else None,
        "num": sum(n for _, n, _ in parts if n is not None),
        "den": sum(d for _, _, d in parts if d is not None),
        "mean": sum(known) / len(known) if known else None,
    }
    return rollup.combine(indicator, row)


class StatusScore(NamedTuple):
    """A status and score without a model instance: a scorecard of every commune holds many."""

    status: str
    score: float | None


@dataclass
class _JudgeJob:
    """Everything judging communes needs, as plain data: a forked worker must not touch the
    parent's database connection, so it gets no model it could lazily load from."""

    plan: dict[int, dict[int, int]]  # indicator → {year: period} read for every unit
    full: dict[int, dict[int, int]]  # indicator → {year: period} for units that began late
    specs: dict[int, tuple[int, list[p.Goal]]]  # indicator → (its direction, its milestones)
    lower_upper: dict[int, tuple]
    indicators: dict[int, object]  # indicator id → Indicator (its rule, for former units' parts)
    bodies: dict[int, list[int]]  # commune → itself and its former communes
    as_of: int = 0  # the assessment year


def _judge_units(job: _JudgeJob, units: list[int], read, *, restrict: bool, indicators=None) -> dict[int, tuple]:
    """Each commune's partial tally over the milestones of the indicators it reports (of
    `indicators`, when given): (Counter of statuses, sum of known scores, how many).
    `read(plan, unit_ids)` gives units' points; `restrict`: read only these units'."""
    with engine.gc_paused():
        return _judge_units_now(job, units, read, restrict=restrict, indicators=indicators)


def _read_units(job: _JudgeJob, units: list[int], read, *, restrict: bool, indicators=None) -> dict:
    """The raw points of the units (and their former units) the job judges."""
    plan, full = job.plan, job.full
    if indicators is not None:
        plan = {i: by_year for i, by_year in plan.items() if i in indicators}
        full = {i: by_year for i, by_year in full.items() if i in indicators}
    wanted = {b for u in units for b in job.bodies[u]} if restrict else None
    raw = read(plan, wanted)
    # Units that began later than the series (the communes of 1/7/2025) are read in full.
    late_starters = {
        unit
        for unit, by_indicator in raw.items()
        if any(min(plan[i]) not in years for i, years in by_indicator.items())
    }
    if late_starters:
        raw.update(read(full, late_starters))
    return raw


def _unit_indicator_points(job: _JudgeJob, raw: dict, unit: int) -> dict[int, dict[int, float]]:
    """A commune's yearly figures per indicator it reports: its own values, or, where it has
    none for a year, its former communes' together (by the indicator's rule)."""
    own = job.bodies[unit]
    mine = raw.get(unit, {})
    formers = [raw[b] for b in own[1:] if b in raw]
    out = {}
    for indicator_id in set(mine) | {i for f in formers for i in f}:
        own_years = mine.get(indicator_id, {})
        if not formers:  # the usual case: the commune's own values, as stored
            out[indicator_id] = {y: v for y, (v, _, _) in own_years.items() if v is not None}
            continue
        indicator = job.indicators[indicator_id]
        years = set(own_years) | {y for f in formers for y in f.get(indicator_id, ())}
        points = {}
        for year in years:
            value = own_years.get(year)
            parts = [value] if value else [f[indicator_id][year] for f in formers if year in f.get(indicator_id, {})]
            figure = _figure(indicator, parts)
            if figure is not None:
                points[year] = figure
        out[indicator_id] = points
    return out


def _judge_units_now(job: _JudgeJob, units: list[int], read, *, restrict: bool, indicators=None) -> dict[int, tuple]:
    raw = _read_units(job, units, read, restrict=restrict, indicators=indicators)
    out = {}
    for unit in units:
        progresses = []
        for indicator_id, points in _unit_indicator_points(job, raw, unit).items():
            progresses.extend(
                _judge_points(*job.specs[indicator_id], points, *job.lower_upper[indicator_id], as_of=job.as_of)
            )
        scores = [tp.score for tp in progresses if tp.score is not None]
        out[unit] = (Counter(tp.status for tp in progresses), sum(scores), len(scores))
    return out


def _tallied(parts: list[dict[int, tuple]]) -> dict[int, tuple[dict, float | None]]:
    """Each commune's (counts by status, mean score) from the partial tallies of its indicators."""
    merged: dict[int, list] = {}
    for part in parts:
        for unit, (counts, total, n) in part.items():
            seen = merged.setdefault(unit, [Counter(), 0.0, 0])
            seen[0].update(counts)
            seen[1] += total
            seen[2] += n
    return {
        unit: ({s: counts[s] for s in STATUSES if counts.get(s)}, total / n if n else None)
        for unit, (counts, total, n) in merged.items()
    }


def _judge_share(payload: tuple, part: int, cursor) -> dict[int, tuple]:
    """In a worker (engine.in_workers): every commune on its share of the indicators, read over
    the worker's own cursor (by indicator, so no two workers read the same rows)."""
    job, units, shares = payload

    def read(plan, unit_ids):
        return _unit_points_read(cursor, *_unit_points_query(plan, unit_ids))

    return _judge_units(job, units, read, restrict=False, indicators=shares[part])


def _judge_in_workers(job: _JudgeJob, units: list[int], workers: int, meanwhile):
    """Judges the communes in `workers` processes, each taking a share of the indicators, while
    this process runs `meanwhile()`. Returns (judged, what meanwhile returned)."""
    ordered = sorted(job.plan)
    shares = [set(ordered[i::workers]) for i in range(workers)]
    parts, other = engine.in_workers(_judge_share, (job, units, shares), workers, meanwhile)
    return _tallied(parts), other


def _commune_job(
    targets: list[Target], at: datetime.date, *, rows, periods, units: list[int], changes=None
) -> _JudgeJob:
    """What judging the given communes needs: the periods to read per indicator, each indicator's
    milestones, and each commune's bodies (itself and its former communes)."""
    rolled = [t for t in targets if t.indicator.aggregation != Aggregation.NONE]
    year_ends = rollup.year_end_periods(rows, periods)
    if changes is None:
        changes = list(AdminUnitChange.objects.values_list("old_id", "new_id"))
    former = defaultdict(list)
    for old, new in changes:
        former[new].append(old)
    bodies = {u: [u, *former[u]] for u in units}
    # A commune is judged on its figures at the province series' first year and every year from
    # its first milestone on (a past milestone is met late in the first later year that meets
    # it): all the method uses, read without the early years in between.
    as_of = assessment_year(at)
    milestones = defaultdict(set)
    for target in rolled:
        milestones[target.indicator_id].add(target.year)
    plan = {}
    for indicator_id, by_year in year_ends.items():
        if indicator_id in milestones:
            first = min(milestones[indicator_id])
            years = {y for y in by_year if y == min(by_year) or first <= y <= as_of}
            plan[indicator_id] = {y: per for y, per in by_year.items() if y in years}
    by_indicator = {t.indicator_id: t.indicator for t in rolled}
    # Each indicator's milestones as plain data, judged for every commune that reports it.
    specs = defaultdict(list)
    for target in rolled:
        specs[target.indicator_id].append(target)
    specs = {i: (series_direction(ts[0]), [goal_of(t) for t in ts]) for i, ts in specs.items()}
    return _JudgeJob(
        plan=plan,
        full={i: by_year for i, by_year in year_ends.items() if i in milestones},
        specs=specs,
        lower_upper={i: p.limits(ind.unit, ind.limit) for i, ind in by_indicator.items()},
        indicators=by_indicator,
        bodies=bodies,
        as_of=as_of,
    )


def commune_scorecards(
    targets: list[Target], at: datetime.date, *, rows: list[dict], periods: dict, unit_ids=None, workers: int = 1
) -> list[Scorecard]:
    """Every current commune that reports (or whose former communes reported), assessed
    against the plans' targets on the indicators it reports: its yearly figures (its own, else
    its former communes' together) judged by the same core as the province's targets
    (progress.judge). Indicators a commune does not report are not counted against it."""
    changes = list(AdminUnitChange.objects.values_list("old_id", "new_id"))
    with_obligations = Obligation.objects.filter(admin_unit__isnull=False)
    if unit_ids is not None:  # after one approval: only those units and their former ones
        with_obligations = with_obligations.filter(
            admin_unit_id__in=set(unit_ids) | {old for old, new in changes if new in set(unit_ids)}
        )
    reporting_units = set(with_obligations.order_by().values_list("admin_unit_id", flat=True).distinct())
    communes = AdminUnit.objects.filter(level=AdminLevel.COMMUNE, valid_to__isnull=True).filter(
        Q(pk__in=reporting_units) | Q(pk__in={new for old, new in changes if old in reporting_units})
    )
    if unit_ids is not None:
        communes = communes.filter(pk__in=unit_ids)
    communes = list(communes.only("pk", "name"))
    job = _commune_job(targets, at, rows=rows, periods=periods, units=[c.pk for c in communes], changes=changes)
    bodies = job.bodies
    all_bodies = {b for group in bodies.values() for b in group}

    def reporting_figures():
        return (
            rates_by("admin_unit_id", all_bodies, at),
            states_by("admin_unit_id", all_bodies),
            list(Task.objects.in_force(at).filter(parties__group__member_level__in=["commune", "district"]).distinct()),
        )

    units = [c.pk for c in communes]
    if workers > 1 and unit_ids is None and len(job.plan) >= workers:  # an indicator per worker at least
        judged, (rates, states, commune_tasks) = _judge_in_workers(job, units, workers, reporting_figures)
    else:
        judged = _tallied([_judge_units(job, units, _unit_points, restrict=unit_ids is not None)])
        rates, states, commune_tasks = reporting_figures()
    cards = []
    for unit in communes:
        own = bodies[unit.pk]
        tasks = task_states(commune_tasks, {t: st for b in own for t, st in states.get(b, {}).items()}, at)
        totals = tuple(sum(rates.get(b, (0, 0, 0))[i] for b in own) for i in range(3))
        cards.append(make_card("commune", unit.pk, unit.name, summary=judged[unit.pk], tasks=tasks, rates=totals))
    return cards


@dataclass(frozen=True)
class UnitTarget:
    """One target as a commune's page shows it: the commune's status on it (the scorecard counts
    exactly these), or, where it has none, why."""

    target: Target
    status: str  # "" where the commune has no status for it (it does not report the indicator)
    outcome: str
    met_year: int | None
    score: float | None
    latest: tuple[int, float] | None
    reason: str


# Why a commune has no status for a target, said plainly.
NOT_REPORTED = gettext_lazy("Xã không báo cáo chỉ tiêu này (chưa có số liệu đã duyệt nào của xã).")
PROVINCE_ONLY = gettext_lazy(
    "Chỉ tiêu do cơ quan cấp tỉnh báo cáo, không tổng hợp từ xã, phường: không đánh giá cho từng xã."
)


def commune_targets(unit_id: int, *, at: datetime.date | None = None) -> list[UnitTarget]:
    """Every tracked target as one commune stands on it, as of the assessment year: judged on the
    same figures and by the same core as its scorecard (the counts of the statuses here are the
    scorecard's), or, for the targets it has no status on, the reason."""
    at = at or timezone.localdate()
    targets = targets_in_force()
    rows = rollup.stored_aggregates()
    periods = rollup.periods_of(rows)
    job = _commune_job(targets, at, rows=rows, periods=periods, units=[unit_id])
    raw = _read_units(job, [unit_id], _unit_points, restrict=True)
    points = _unit_indicator_points(job, raw, unit_id)
    out = []
    for target in sorted(targets, key=lambda t: (t.indicator.pillar, t.indicator.name, t.year, t.document_id)):
        if target.indicator.aggregation == Aggregation.NONE:
            out.append(UnitTarget(target, "", "", None, None, None, PROVINCE_ONLY))
            continue
        if target.indicator_id not in points:
            out.append(UnitTarget(target, "", "", None, None, None, NOT_REPORTED))
            continue
        series = points[target.indicator_id]
        lower, upper = job.lower_upper[target.indicator_id]
        (m,) = p.evaluate(
            sorted(series.items()), [goal_of(target)], series_direction(target), job.as_of, lower=lower, upper=upper
        )
        seen = sorted((y, v) for y, v in series.items() if y <= job.as_of)
        out.append(
            UnitTarget(
                target,
                m.outcome,
                m.status if m.passed else "",
                m.met_year,
                p.score_of(m.ratio, m.status),
                seen[-1] if seen else None,
                m.reason,
            )
        )
    return out


def _judge_points(
    direction: int, goals: list[p.Goal], points: dict[int, float], lower, upper, *, as_of: int
) -> list[StatusScore]:
    """A unit's status on each milestone of an indicator, from its yearly points, as the
    province's targets are judged (progress.evaluate, from its first point, as of `as_of`): one
    status and score per milestone, a past milestone's outcome counted as its target's."""
    milestones = p.evaluate(sorted(points.items()), goals, direction, as_of, lower=lower, upper=upper)
    return [StatusScore(m.outcome, p.score_of(m.ratio, m.status)) for m in milestones]
