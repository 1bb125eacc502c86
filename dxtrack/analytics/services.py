"""Recomputing progress and scorecards from approved data. Runs after a report's approval or
unlocking commits (for what that report touched), or whole from the command line; the results
are derived data, so no audit event: the approval that caused them is audited."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from dxtrack.org.models import AdminLevel, AdminUnit, AdminUnitChange, Agency, AgencyChange
from dxtrack.plans.models import Aggregation, Comparator, Pillar, Target, Task
from dxtrack.reporting.models import REPORTED_STATUSES, IndicatorReporter, Obligation, TaskUpdate

from . import progress as p
from . import rollup
from .models import Scorecard, TargetProgress

STATUSES = [p.ACHIEVED, p.ON_TRACK, p.NEEDS_ACCELERATION, p.OFF_TRACK, p.REGRESSING, p.NOT_AVAILABLE]


def direction_of(target: Target) -> int:
    if target.comparator == Comparator.AT_MOST:
        return -1
    if target.comparator in (Comparator.AT_LEAST, Comparator.RANGE):
        return 1
    return -1 if target.indicator.direction == "decrease" else 1


def _assess(target: Target, siblings: list[Target], observations: list[tuple[int, float]]) -> p.Progress:
    milestones = [(t.year, t.value) for t in siblings if t.year and t.value is not None]
    return p.assess(
        direction=direction_of(target),
        observations=observations,
        targets=sorted(set(milestones)),
        unit=target.indicator.unit,
        limit=target.indicator.limit,
    )


def _milestone_of(result: p.Progress, target: Target) -> p.Milestone | None:
    return next((m for m in result.milestones if m.year == target.year and m.value == target.value), None)


@dataclass(frozen=True)
class RecomputeResult:
    targets: int
    scorecards: int
    seconds: float


def _targets(indicator_ids=None):
    qs = Target.objects.filter(indicator__isnull=False, value__isnull=False, year__isnull=False).select_related(
        "indicator", "document"
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


def target_progress_recompute(*, indicator_ids=None) -> int:
    """Recomputes the stored progress of every target (of the given indicators)."""
    targets = _targets(indicator_ids)
    indicators = {t.indicator_id: t.indicator for t in targets}
    series = rollup.province_series(list(indicators.values()))
    groups = _siblings(targets)
    now = timezone.now()
    rows = []
    for target in targets:
        observations = series.get(target.indicator_id, [])
        result = _assess(target, groups[(target.document_id, target.indicator_id)], [o.as_pair() for o in observations])
        milestone = _milestone_of(result, target)
        latest = observations[-1] if observations else None
        status = milestone.status if milestone else result.status
        rows.append(
            TargetProgress(
                target=target,
                status=status,
                score=p.score_of(milestone.ratio, status) if milestone else result.score,
                ratio=milestone.ratio if milestone else None,
                projected=milestone.projected if milestone else None,
                latest_year=latest.year if latest else None,
                latest_value=latest.value if latest else None,
                source=latest.source if latest else "",
                reason=(milestone.reason if milestone and milestone.reason else result.reason)[:255],
                detail={
                    "group": result.as_dict(),
                    "passed": bool(milestone and milestone.passed),
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
        TargetProgress.objects.bulk_create(rows, batch_size=500)
    return len(rows)


# ---- scorecards ------------------------------------------------------------------------------------


def _card(kind, key, label, progresses, *, tasks=None, rates=(0, 0, 0), reasons=None) -> Scorecard:
    counts = Counter(tp.status for tp in progresses)
    score = p.group_score([tp.score for tp in progresses])
    expected, reported, on_time = rates
    return Scorecard(
        kind=kind,
        key=str(key),
        label=label[:255],
        counts={s: counts.get(s, 0) for s in STATUSES if counts.get(s)},
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


def _rates(obligations) -> tuple[int, int, int]:
    reported = Q(report__status__in=sorted(REPORTED_STATUSES))
    agg = obligations.aggregate(
        expected=Count("pk"),
        reported=Count("pk", filter=reported),
        on_time=Count("pk", filter=reported & Q(report__first_submitted_at__date__lte=F("due"))),
    )
    return agg["expected"], agg["reported"], agg["on_time"]


def latest_updates(body_filter: Q) -> dict[int, TaskUpdate]:
    """The latest approved update of each task from the given bodies' reports."""
    updates = (
        TaskUpdate.objects.filter(body_filter, report__status__in=rollup.APPROVED)
        .select_related("report__obligation__period")
        .order_by("task_id", "report__obligation__period__end", "pk")
    )
    latest = {}
    for update in updates:
        latest[update.task_id] = update
    return latest


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
    found, frontier = {agency.pk}, [agency.pk]
    while frontier:
        nxt = set(AgencyChange.objects.filter(new_id__in=frontier).values_list("old_id", flat=True)) - found
        found |= nxt
        frontier = list(nxt)
    return found


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
            parts.append(f"{card.counts[status]} chỉ tiêu {p.LABELS[status].lower()}")
    if card.expected_reports:
        parts.append(f"báo cáo đúng hạn {card.on_time}/{card.expected_reports}")
    if card.overdue_tasks:
        parts.append(f"{card.overdue_tasks} nhiệm vụ quá hạn")
    return parts


def _commune_cards(targets: list[Target], at: datetime.date, unit_ids=None) -> list[Scorecard]:
    """Each current commune of the province assessed against the province's targets on the
    indicators that roll up, from its own series (and its former communes' before 1/7/2025)."""
    from django.conf import settings

    communes = AdminUnit.objects.filter(
        level=AdminLevel.COMMUNE, valid_to__isnull=True, parent__code=settings.DXTRACK_PROVINCE_CODE
    )
    if unit_ids is not None:
        communes = communes.filter(pk__in=unit_ids)
    communes = list(communes)
    rolled = [t for t in targets if t.indicator.aggregation != Aggregation.NONE]
    indicators = list({t.indicator_id: t.indicator for t in rolled}.values())
    former = defaultdict(list)
    for old_id, new_id in AdminUnitChange.objects.filter(new__in=communes).values_list("old_id", "new_id"):
        former[new_id].append(old_id)
    groups = _siblings(rolled)
    cards = []
    commune_tasks = list(Task.objects.filter(parties__group__member_level__in=["commune", "district"]).distinct())
    for unit in communes:
        series = rollup.unit_series(unit, indicators)
        progresses = []
        for target in rolled:
            obs = [o.as_pair() for o in series.get(target.indicator_id, [])]
            result = _assess(target, groups[(target.document_id, target.indicator_id)], obs)
            milestone = _milestone_of(result, target)
            status = milestone.status if milestone else result.status
            progresses.append(
                TargetProgress(status=status, score=p.score_of(milestone.ratio, status) if milestone else None)
            )
        states = latest_states(Q(report__obligation__admin_unit_id__in=[unit.pk, *former[unit.pk]]))
        tasks = task_states(commune_tasks, states, at)
        rates = _rates(Obligation.objects.filter(admin_unit_id__in=[unit.pk, *former[unit.pk]], due__lt=at))
        cards.append(_card("commune", unit.pk, unit.name, progresses, tasks=tasks, rates=rates))
    return cards


@transaction.atomic
def scorecards_recompute(*, at: datetime.date | None = None, communes=None, agencies=None) -> int:
    """Rebuilds the scorecards from the stored target progress. `communes`/`agencies` (ids)
    limit the per-unit cards rebuilt (after one approval); the province, pillar and sector cards
    are always rebuilt (they are few)."""
    at = at or timezone.localdate()
    targets = _targets()
    stored = {tp.target_id: tp for tp in TargetProgress.objects.all()}
    progress_of = [(t, stored[t.pk]) for t in targets if t.pk in stored]
    cards: list[Scorecard] = [_card("province", "38", "Toàn tỉnh", [tp for _, tp in progress_of])]
    for pillar, label in Pillar.choices:
        members = [tp for t, tp in progress_of if (t.pillar or t.indicator.pillar) == pillar]
        if members:
            cards.append(_card("pillar", pillar, str(label), members))
    sectors = sorted({t.sector or t.indicator.sector for t, _ in progress_of} - {""})
    for sector in sectors:
        cards.append(
            _card("sector", sector, sector, [tp for t, tp in progress_of if (t.sector or t.indicator.sector) == sector])
        )
    # Agencies: the targets whose provincial figure they report, the tasks they lead, their reports
    assigned = defaultdict(set)
    for indicator_id, agency_id in IndicatorReporter.objects.values_list("indicator_id", "agency_id"):
        assigned[agency_id].add(indicator_id)
    agency_qs = (
        Agency.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=at))
        .filter(Q(pk__in=assigned) | Q(task_parties__role="lead") | Q(obligations__isnull=False))
        .distinct()
    )
    if agencies is not None:
        agency_qs = agency_qs.filter(pk__in=agencies)
    agency_cards = []
    for agency in agency_qs:
        bodies = predecessors(agency)
        members = [tp for t, tp in progress_of if t.indicator_id in assigned.get(agency.pk, ())]
        led = list(Task.objects.filter(parties__role="lead", parties__agency_id__in=bodies).distinct())
        tasks = task_states(led, latest_states(Q(report__obligation__agency_id__in=bodies)), at)
        rates = _rates(Obligation.objects.filter(agency_id__in=bodies, due__lt=at))
        agency_cards.append(_card("agency", agency.code, agency.name, members, tasks=tasks, rates=rates))
    commune_cards = _commune_cards(targets, at, communes)
    kept = Scorecard.objects.all()
    if agencies is not None or communes is not None:
        # Ranks need every card of the kind: re-rank with the stored ones that were not rebuilt.
        rebuilt = {("agency", c.key) for c in agency_cards} | {("commune", c.key) for c in commune_cards}
        others = [c for c in kept.filter(kind__in=["agency", "commune"]) if (c.kind, c.key) not in rebuilt]
        agency_cards += [c for c in others if c.kind == "agency"]
        commune_cards += [c for c in others if c.kind == "commune"]
    for group in (agency_cards, commune_cards):
        _rank(group)
        for card in group:
            card.reasons = _reasons(card)
    cards += agency_cards + commune_cards
    Scorecard.objects.all().delete()
    for card in cards:
        card.pk = None
    Scorecard.objects.bulk_create(cards, batch_size=500)
    return len(cards)


def recompute_all(*, at: datetime.date | None = None) -> RecomputeResult:
    import time

    start = time.perf_counter()
    n = target_progress_recompute()
    cards = scorecards_recompute(at=at)
    return RecomputeResult(n, cards, time.perf_counter() - start)


def recompute_for_report(*, report_id: int) -> RecomputeResult:
    """After one report's approval or unlocking: the targets on the indicators it carries, and
    the scorecards of its body (the others are re-ranked)."""
    import time

    from dxtrack.reporting.models import Report

    start = time.perf_counter()
    report = Report.objects.select_related("obligation").get(pk=report_id)
    indicator_ids = set(report.values.values_list("indicator_id", flat=True))
    n = target_progress_recompute(indicator_ids=indicator_ids) if indicator_ids else 0
    ob = report.obligation
    communes = agencies = []
    if ob.admin_unit_id:
        unit_ids = {ob.admin_unit_id} | set(
            AdminUnitChange.objects.filter(old_id=ob.admin_unit_id).values_list("new_id", flat=True)
        )
        communes = list(unit_ids)
    else:
        agencies = [ob.agency_id, *AgencyChange.objects.filter(old_id=ob.agency_id).values_list("new_id", flat=True)]
    cards = scorecards_recompute(communes=communes, agencies=agencies)
    return RecomputeResult(n, cards, time.perf_counter() - start)
