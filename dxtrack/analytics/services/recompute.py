"""Recomputing progress and scorecards from approved data: after a report's approval or unlocking
commits (for what that report touched), or whole from the command line. The results are derived
data, so no audit event: the approval that caused them is audited."""

import datetime
import time
from dataclasses import dataclass

from django.db import transaction

from dxtrack.core.bulk import insert_rows
from dxtrack.org.models import AdminUnitChange, AgencyChange

from .. import engine, rollup
from ..models import PeriodAggregate, TargetProgress
from .scorecards import scorecards_recompute
from .targets import assessment_year, target_progress_recompute


@dataclass(frozen=True)
class RecomputeResult:
    targets: int
    scorecards: int
    seconds: float


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
    engine.workers_for; by default one per core, up to four, where that is safe)."""
    start = time.perf_counter()
    workers = engine.workers_for(workers)  # decided before any transaction of ours is open
    rows = aggregates_refresh()
    periods = rollup.periods_of(rows)
    n = target_progress_recompute(rows=rows, periods=periods, as_of=assessment_year(at))
    cards = scorecards_recompute(at=at, rows=rows, periods=periods, workers=workers)
    return RecomputeResult(n, cards, time.perf_counter() - start)


def recompute_for_report(*, report_id: int) -> RecomputeResult:
    """After one report's approval or unlocking: the targets on the indicators it carries, and
    the scorecards of its body (the others are re-ranked)."""
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
