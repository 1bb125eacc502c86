"""Recomputing progress and scorecards from approved data. Runs after a report's approval or
unlocking commits (for what that report touched), or whole from the command line; the results
are derived data, so no audit event: the approval that caused them is audited."""

import datetime
import gc
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from dxtrack.core.bulk import insert_rows
from dxtrack.obligations.models import IndicatorReporter, Obligation
from dxtrack.org.models import AdminLevel, AdminUnit, AdminUnitChange, Agency, AgencyChange
from dxtrack.org.selectors import agency_predecessor_ids
from dxtrack.plans.models import Aggregation, Pillar, Target, Task, TaskParty
from dxtrack.reports.models import TaskUpdate
from dxtrack.reports.selectors import rate_counts

from . import progress as p
from . import rollup
from .models import PeriodAggregate, Scorecard, TargetProgress

STATUSES = [
    p.ACHIEVED,
    p.ON_TRACK,
    p.NEEDS_ACCELERATION,
    p.OFF_TRACK,
    p.REGRESSING,
    p.MISSED,
    p.NOT_AVAILABLE,
]


def status_label(status: str, met_year: int | None = None) -> str:
    """The one label of a status (of a target, or of a past milestone: met, met late in year Y,
    missed) on every page, file and report, translated where it is shown."""
    if status == p.MET_LATE and met_year:
        return gettext(p.MET_LATE_IN) % {"year": met_year}
    return gettext(p.LABELS[status]) if status in p.LABELS else status or ""


def progress_label(tp) -> str:
    """A stored target row's label: its past milestone's outcome where it has one ("Đạt muộn
    (năm 2024)"), else its status."""
    return status_label(tp.outcome or tp.status, tp.met_year)


def assessment_year(at: datetime.date | None = None) -> int:
    """The year every stored status is assessed as of (PROGRESS.md): the current year in
    Asia/Ho_Chi_Minh, the project's TIME_ZONE, unless a date is given. One function, so that the
    overview, a target's page, the public dashboard, open data and the periodic report, which all
    read the stored progress, judge every target as of the same year."""
    return (at or timezone.localdate()).year


def series_direction(target: Target) -> int:
    """The indicator's direction (+1 higher is better); a target's comparator ">=" / "<=" states
    its own (progress.Goal.rule)."""
    return -1 if target.indicator.direction == "decrease" else 1


def goal_of(target: Target) -> p.Goal:
    """A target (one milestone) as the progress core reads it: its comparator from the plan."""
    return p.Goal(target.year, target.value, target.comparator or "", target.value_max)


def _goals(siblings: list[Target]) -> list[p.Goal]:
    return sorted({goal_of(t) for t in siblings if t.year and t.value is not None}, key=lambda g: (g.year, g.value))


@dataclass(frozen=True)
class RecomputeResult:
    targets: int
    scorecards: int
    seconds: float


def _targets(indicator_ids=None, at: datetime.date | None = None):
    """The targets assessed: those in force on `at` (today); a target a revision retired keeps
    its history on its page but leaves the dashboards."""
    qs = (
        Target.objects.in_force(at)
        .filter(indicator__isnull=False, value__isnull=False, year__isnull=False)
        .select_related("indicator", "document")
    )
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=indicator_ids)
    return list(qs)


def _siblings(targets: list[Target]) -> dict[tuple[int, int], list[Target]]:
    """A plan's milestones of one indicator (20 % by 2025, 30 % by 2030) are assessed together."""
    out = defaultdict(list)
    for t in targets:
        out[(t.document_id, t.indicator_id)].append(t)
    return out


def target_progress_recompute(*, indicator_ids=None, rows=None, periods=None, as_of: int | None = None) -> int:
    """Recomputes the stored progress of every target (of the given indicators), as of year
    `as_of` (assessment_year by default). `rows`: the aggregates of rollup.aggregates when the
    caller has them already.

    Each target row is one milestone of a plan's indicator: a milestone ahead keeps its status
    from R; a past one its outcome (met / met late → target_achieved, missed → missed) with
    neither ratio nor projection, the outcome and the year it was met kept beside it."""
    as_of = as_of or assessment_year()
    targets = _targets(indicator_ids)
    indicators = {t.indicator_id: t.indicator for t in targets}
    series = rollup.province_series(list(indicators.values()), rows=rows, periods=periods)
    groups = _siblings(targets)
    now = timezone.now()
    rows = []
    for target in targets:
        observations = [o for o in series.get(target.indicator_id, []) if o.year <= as_of]
        goals = _goals(groups[(target.document_id, target.indicator_id)])
        lower, upper = p.limits(target.indicator.unit, target.indicator.limit)
        milestones = p.evaluate(
            sorted(o.as_pair() for o in observations),
            goals,
            series_direction(target),
            as_of,
            lower=lower,
            upper=upper,
        )
        group_status, group_score, group_reason = p.target_status(milestones)
        group = p.Progress(group_status, group_score, milestones, group_reason, as_of=as_of)
        milestone = milestones[goals.index(goal_of(target))]
        latest = observations[-1] if observations else None
        rows.append(
            TargetProgress(
                target=target,
                status=milestone.outcome,
                score=p.score_of(milestone.ratio, milestone.status),
                ratio=milestone.ratio,
                projected=milestone.projected,
                as_of=as_of,
                outcome=milestone.status if milestone.passed else "",
                met_year=milestone.met_year,
                latest_year=latest.year if latest else None,
                latest_value=latest.value if latest else None,
                source=latest.source if latest else "",
                reason=(milestone.reason or (group_reason if milestone.status == p.NOT_AVAILABLE else ""))[:255],
                detail={
                    "group": group.as_dict(),
                    "passed": milestone.passed,
                    "observations": [
                        {
                            "year": o.year,
                            "value": o.value,
                            "source": o.source,
                            "period": o.period_label,
                            "period_id": o.period_id,
                            "units": o.units,
                        }
                        for o in observations
                    ],
                },
                computed_at=now,
            )
        )
    with transaction.atomic():
        TargetProgress.objects.filter(target__in=targets).delete()
        insert_rows(TargetProgress, rows)
    return len(rows)


# ---- scorecards ------------------------------------------------------------------------------------


def group_summary(progresses) -> tuple[dict, float | None]:
    """A group's counts by status and mean score, from members with a status and a score."""
    counts = Counter(tp.status for tp in progresses)
    score = p.group_score([tp.score for tp in progresses])
    return {s: counts[s] for s in STATUSES if counts.get(s)}, score


def _card(kind, key, label, progresses=(), *, summary=None, tasks=None, rates=(0, 0, 0), reasons=None) -> Scorecard:
    """`summary`: the (counts, score) of `progresses` when the caller has them already."""
    counts, score = summary if summary is not None else group_summary(progresses)
    expected, reported, on_time = rates
    return Scorecard(
        kind=kind,
        key=str(key),
        label=label[:255],
        counts=counts,
        score=None if score is None else round(score, 4),
        status=p.status_of_score(score),
        tasks=dict(tasks or {}),
        overdue_tasks=(tasks or {}).get(p.OVERDUE, 0),
        expected_reports=expected,
        reported=reported,
        on_time=on_time,
        reasons=reasons or [],
        computed_at=timezone.now(),
    )


def latest_updates(body_filter: Q) -> dict[int, TaskUpdate]:
    """The latest approved update of each task among the updates `body_filter` selects (by
    period end, then id). Only the winning rows are built: over a whole province there are tens
    of thousands of approved updates."""
    latest = dict(
        TaskUpdate.objects.filter(body_filter, report__status__in=rollup.APPROVED)
        .order_by("task_id", "report__obligation__period__end", "pk")
        .values_list("task_id", "pk")
    )  # later rows of a task overwrite earlier ones: the latest wins
    updates = TaskUpdate.objects.filter(pk__in=latest.values()).select_related("report__obligation__period")
    return {u.task_id: u for u in updates}


def latest_states(body_filter: Q) -> dict[int, str]:
    """The state in the latest approved update of each task from the given bodies' reports
    (the scorecards need only that: no model instances)."""
    rows = (
        TaskUpdate.objects.filter(body_filter, report__status__in=rollup.APPROVED)
        .order_by("task_id", "report__obligation__period__end", "pk")
        .values_list("task_id", "state")
    )
    return dict(rows)  # later rows of a task overwrite earlier ones: the latest wins


def task_states(tasks: list[Task], states: dict[int, str], at: datetime.date) -> Counter:
    out = Counter()
    for task in tasks:
        reported = states.get(task.pk)
        recurring = task.recurrence in ("continuous", "quarterly", "semiannual", "yearly")
        state = p.task_state(
            recurrence=task.recurrence,
            deadline=task.deadline,
            reported_state=reported,
            at=at,
            updated_in_period=reported is not None if recurring else True,
        )
        out[state] += 1
    return out


def predecessors(agency: Agency) -> set[int]:
    return agency_predecessor_ids(agency.pk)


def _rank(cards: list[Scorecard]) -> None:
    """Higher score first, then the better on-time rate; units with no assessable target last."""
    ordered = sorted(
        cards,
        key=lambda c: (c.score is None, -(c.score or 0), -(c.on_time_rate or 0), c.label),
    )
    for place, card in enumerate(ordered, start=1):
        card.rank = place


def _reasons(card: Scorecard) -> list[str]:
    parts = []
    for status in STATUSES:
        if card.counts.get(status):
            parts.append(f"{card.counts[status]} chỉ tiêu {status_label(status).lower()}")
    if card.expected_reports:
        parts.append(f"báo cáo đúng hạn {card.on_time}/{card.expected_reports}")
    if card.overdue_tasks:
        parts.append(f"{card.overdue_tasks} nhiệm vụ quá hạn")
    return parts


def _unit_points_query(plan: dict[int, dict[int, int]], unit_ids=None):
    """The SQL reading units' approved values at each year's period (see _unit_points), and the
    year each (indicator, period) stands for."""
    year_of = {
        (indicator_id, period_id): year for indicator_id, by_year in plan.items() for year, period_id in by_year.items()
    }
    if not year_of:
        return None, None, year_of
    qs = rollup.approved_values().filter(
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


@contextmanager
def _gc_paused():
    """Building hundreds of thousands of small dicts and tuples made the cyclic garbage
    collector walk the growing heap again and again: three quarters of the time of reading the
    communes' figures. Nothing built here forms a cycle."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _judge_units(job: _JudgeJob, units: list[int], read, *, restrict: bool, indicators=None) -> dict[int, tuple]:
    """Each commune's partial tally over the milestones of the indicators it reports (of
    `indicators`, when given): (Counter of statuses, sum of known scores, how many).
    `read(plan, unit_ids)` gives units' points; `restrict`: read only these units'."""
    with _gc_paused():
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


# Set in the parent just before forking: the workers inherit it instead of receiving a pickle.
_FORKED_JOB: tuple | None = None


def _judge_worker(part: int) -> dict[int, tuple]:
    """In a forked worker: every commune on its share of the indicators, read over a connection
    of its own (by indicator, so no two workers read the same rows)."""
    import psycopg

    job, units, shares, settings_dict = _FORKED_JOB
    conninfo = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}) as conn, conn.cursor() as cursor:

        def read(plan, unit_ids):
            return _unit_points_read(cursor, *_unit_points_query(plan, unit_ids))

        return _judge_units(job, units, read, restrict=False, indicators=shares[part])


def _judge_in_workers(job: _JudgeJob, units: list[int], workers: int, meanwhile):
    """Judges the communes in `workers` forked processes, each taking a share of the indicators
    over its own connection, while this process runs `meanwhile()`. Returns (judged, what
    meanwhile returned)."""
    import multiprocessing

    global _FORKED_JOB
    ordered = sorted(job.plan)
    shares = [set(ordered[i::workers]) for i in range(workers)]
    _FORKED_JOB = (job, units, shares, connection.settings_dict)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending = pool.map_async(_judge_worker, range(workers))
            other = meanwhile()
            judged = _tallied(pending.get())
    finally:
        _FORKED_JOB = None
    return judged, other


def recompute_workers(requested: int | None = None) -> int:
    """How many processes judge the communes in a full recomputation: more than one only on
    PostgreSQL, from a process with no other thread (forking a threaded server is unsafe), and
    with no transaction of the caller's open (the workers read committed data only)."""
    import os
    import threading

    if connection.vendor != "postgresql" or threading.active_count() > 1 or connection.in_atomic_block:
        return 1
    if requested is not None:
        return max(1, requested)
    return max(1, min(os.cpu_count() or 1, 4))


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


def _commune_cards(
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
            _rates_by("admin_unit_id", all_bodies, at),
            _states_by("admin_unit_id", all_bodies),
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
        cards.append(_card("commune", unit.pk, unit.name, summary=judged[unit.pk], tasks=tasks, rates=totals))
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
    targets = _targets()
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


def _rates_by(field: str, ids, at: datetime.date) -> dict[int, tuple[int, int, int]]:
    """(expected, reported, on time) per reporting body, in one grouped query."""
    rows = Obligation.objects.filter(**{f"{field}__in": ids}, due__lt=at).values(field)
    rows = rows.annotate(**rate_counts()).order_by()
    return {r[field]: (r["expected"], r["reported"], r["on_time"]) for r in rows}


def _states_by(field: str, ids) -> dict[int, dict[int, str]]:
    """The latest approved state of each task, per reporting body, in one query."""
    rows = (
        TaskUpdate.objects.filter(**{f"report__obligation__{field}__in": ids}, report__status__in=rollup.APPROVED)
        .order_by("report__obligation__period__end", "pk")
        .values_list(f"report__obligation__{field}", "task_id", "state")
    )
    out: dict[int, dict[int, str]] = defaultdict(dict)
    for body, task_id, state in rows.iterator(chunk_size=20000):
        out[body][task_id] = state  # later rows overwrite earlier: the latest wins
    return out


def _agency_cards(progress_of, at: datetime.date, agency_ids=None) -> list[Scorecard]:
    """Agencies: the targets whose provincial figure they report, the tasks they lead (named
    themselves or through an agency whose duties they took over), their reports."""
    assigned = defaultdict(set)
    for indicator_id, agency_id in IndicatorReporter.objects.values_list("indicator_id", "agency_id"):
        assigned[agency_id].add(indicator_id)
    leads = defaultdict(set)
    for task_id, agency_id in TaskParty.objects.filter(role="lead", agency__isnull=False).values_list(
        "task_id", "agency_id"
    ):
        leads[agency_id].add(task_id)
    with_obligations = Obligation.objects.filter(agency__isnull=False)
    if agency_ids is not None:
        with_obligations = with_obligations.filter(agency_id__in=agency_ids)
    with_obligations = set(with_obligations.order_by().values_list("agency_id", flat=True).distinct())
    qs = Agency.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=at)).filter(
        Q(pk__in=set(assigned) | set(leads) | with_obligations)
    )
    if agency_ids is not None:
        qs = qs.filter(pk__in=agency_ids)
    agencies = list(qs.only("pk", "code", "name"))
    olds = defaultdict(set)
    for old, new in AgencyChange.objects.values_list("old_id", "new_id"):
        olds[new].add(old)

    def predecessors_of(agency_id):
        found, frontier = {agency_id}, [agency_id]
        while frontier:
            nxt = {o for f in frontier for o in olds.get(f, ())} - found
            found |= nxt
            frontier = list(nxt)
        return found

    bodies = {a.pk: predecessors_of(a.pk) for a in agencies}
    all_bodies = {b for group in bodies.values() for b in group}
    rates = _rates_by("agency_id", all_bodies, at)
    states = _states_by("agency_id", all_bodies)
    tasks_by_id = {t.pk: t for t in Task.objects.in_force(at).filter(pk__in={t for ts in leads.values() for t in ts})}
    by_indicator = defaultdict(list)
    for t, tp in progress_of:
        by_indicator[t.indicator_id].append(tp)
    cards = []
    for agency in agencies:
        own = bodies[agency.pk]
        members = [tp for i in assigned.get(agency.pk, ()) for tp in by_indicator.get(i, [])]
        led = [tasks_by_id[t] for b in own for t in leads.get(b, ()) if t in tasks_by_id]
        led = list({t.pk: t for t in led}.values())
        merged_states = {t: st for b in own for t, st in states.get(b, {}).items()}
        totals = tuple(sum(rates.get(b, (0, 0, 0))[i] for b in own) for i in range(3))
        cards.append(
            _card("agency", agency.code, agency.name, members, tasks=task_states(led, merged_states, at), rates=totals)
        )
    return cards


@transaction.atomic
def scorecards_recompute(
    *, at: datetime.date | None = None, communes=None, agencies=None, rows=None, periods=None, workers: int = 1
) -> int:
    """Rebuilds the scorecards from the stored target progress and the aggregates. `communes` /
    `agencies` (ids) limit the per-unit cards rebuilt (after one approval); the province,
    pillar and sector cards are always rebuilt (they are few), and every card is re-ranked."""
    at = at or timezone.localdate()
    if rows is None:
        rows = rollup.stored_aggregates()
        periods = rollup.periods_of(rows)
    targets = _targets(at=at)
    stored = {tp.target_id: tp for tp in TargetProgress.objects.all()}
    progress_of = [(t, stored[t.pk]) for t in targets if t.pk in stored]
    cards: list[Scorecard] = [_card("province", "38", "Toàn tỉnh", [tp for _, tp in progress_of])]
    for pillar, label in Pillar.choices:
        members = [tp for t, tp in progress_of if (t.pillar or t.indicator.pillar) == pillar]
        if members:
            cards.append(_card("pillar", pillar, str(label), members))
    by_sector = defaultdict(list)
    for t, tp in progress_of:
        if t.sector or t.indicator.sector:
            by_sector[t.sector or t.indicator.sector].append(tp)
    for sector in sorted(by_sector):
        cards.append(_card("sector", sector, sector, by_sector[sector]))
    agency_cards = _agency_cards(progress_of, at, agencies)
    commune_cards = _commune_cards(targets, at, rows=rows, periods=periods, unit_ids=communes, workers=workers)
    for card in agency_cards + commune_cards:
        card.reasons = _reasons(card)
    if agencies is None and communes is None:
        for group in (agency_cards, commune_cards):
            _rank(group)
        Scorecard.objects.all().delete()
        insert_rows(Scorecard, cards + agency_cards + commune_cards)
        return len(cards) + len(agency_cards) + len(commune_cards)
    # After one approval: replace the few group cards and the rebuilt ones, then re-rank with the
    # stored cards of the same kinds, writing only the ranks that moved.
    rebuilt = {("agency", c.key) for c in agency_cards} | {("commune", c.key) for c in commune_cards}
    kept = [c for c in Scorecard.objects.filter(kind__in=["agency", "commune"]) if (c.kind, c.key) not in rebuilt]
    before = {c.pk: c.rank for c in kept}
    for kind, fresh in (("agency", agency_cards), ("commune", commune_cards)):
        _rank(fresh + [c for c in kept if c.kind == kind])
    Scorecard.objects.filter(kind__in=["province", "pillar", "sector"]).delete()
    for kind, key in rebuilt:
        Scorecard.objects.filter(kind=kind, key=key).delete()
    insert_rows(Scorecard, cards + agency_cards + commune_cards)
    Scorecard.objects.bulk_update([c for c in kept if c.rank != before[c.pk]], ["rank"], batch_size=1000)
    return len(cards) + len(agency_cards) + len(commune_cards) + len(kept)


@transaction.atomic
def aggregates_refresh(*, indicator_ids=None, period_ids=None) -> list[dict]:
    """Recomputes the kept aggregates of the given indicators and periods (all when None) from
    the approved values, and returns the fresh rows."""
    rows = rollup.aggregates(indicator_ids, period_ids)
    stale = PeriodAggregate.objects.all()
    if indicator_ids is not None:
        stale = stale.filter(indicator_id__in=list(indicator_ids))
    if period_ids is not None:
        stale = stale.filter(period_id__in=list(period_ids))
    stale.delete()
    insert_rows(PeriodAggregate, ({k: r[k] for k in rollup.AGGREGATE_FIELDS} for r in rows))
    return rows


def recompute_all(*, at: datetime.date | None = None, workers: int | None = None) -> RecomputeResult:
    """Everything from the approved values. `workers`: processes judging the communes (see
    recompute_workers; by default one per core, up to four, where that is safe)."""
    import time

    start = time.perf_counter()
    workers = recompute_workers(workers)  # decided before any transaction of ours is open
    rows = aggregates_refresh()
    periods = rollup.periods_of(rows)
    n = target_progress_recompute(rows=rows, periods=periods, as_of=assessment_year(at))
    cards = scorecards_recompute(at=at, rows=rows, periods=periods, workers=workers)
    return RecomputeResult(n, cards, time.perf_counter() - start)


def recompute_for_report(*, report_id: int) -> RecomputeResult:
    """After one report's approval or unlocking: the targets on the indicators it carries, and
    the scorecards of its body (the others are re-ranked)."""
    import time

    from dxtrack.reports.models import Report

    if TargetProgress.objects.exclude(as_of=assessment_year()).exists():
        # A new year since the last recomputation: everything is judged again as of it (every
        # target and every commune's and agency's card), so that no two pages judge as of
        # different years. Once a year, at the first approval.
        return recompute_all()
    start = time.perf_counter()
    report = Report.objects.select_related("obligation").get(pk=report_id)
    ob = report.obligation
    indicator_ids = set(report.values.values_list("indicator_id", flat=True))
    n = 0
    if indicator_ids:
        # Only this report's indicators in this period changed: refresh those aggregates, then
        # read the kept ones (thousands of rows) for the series.
        aggregates_refresh(indicator_ids=indicator_ids, period_ids=[ob.period_id])
    rows = rollup.stored_aggregates()
    periods = rollup.periods_of(rows)
    if indicator_ids:
        n = target_progress_recompute(indicator_ids=indicator_ids, rows=rows, periods=periods, as_of=assessment_year())
    communes = agencies = []
    if ob.admin_unit_id:
        unit_ids = {ob.admin_unit_id} | set(
            AdminUnitChange.objects.filter(old_id=ob.admin_unit_id).values_list("new_id", flat=True)
        )
        communes = list(unit_ids)
    else:
        agencies = [ob.agency_id, *AgencyChange.objects.filter(old_id=ob.agency_id).values_list("new_id", flat=True)]
    cards = scorecards_recompute(communes=communes, agencies=agencies, rows=rows, periods=periods)
    return RecomputeResult(n, cards, time.perf_counter() - start)
