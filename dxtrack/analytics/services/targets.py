"""The progress of the plans' targets: each milestone's status as of the assessment year, from the
province's series of approved figures (PROGRESS.md), and the labels every page shows for them.
Derived data: no audit event (the approval that caused a recomputation is audited)."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dxtrack.core.bulk import insert_rows
from dxtrack.plans.models import Target

from .. import progress as p
from .. import rollup
from ..models import TargetProgress

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


def targets_in_force(indicator_ids=None, at: datetime.date | None = None):
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
    targets = targets_in_force(indicator_ids)
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
