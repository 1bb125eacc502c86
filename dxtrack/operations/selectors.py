"""What the secretariat's operations page reads."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from dxtrack.core.errors import NotAllowed

from .models import JobRun, RunStatus
from .schedule import SCHEDULE, Job

RUNS_SHOWN = 5


@dataclass
class JobRow:
    job: Job
    next_slot: object
    runs: list[JobRun]


def schedule_rows(*, actor) -> list[JobRow]:
    if not actor.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc xem được lịch chạy tự động.")
    now = timezone.now()
    rows = []
    for job in SCHEDULE:
        runs = list(JobRun.objects.filter(job=job.name).order_by("-slot")[:RUNS_SHOWN])
        rows.append(JobRow(job, job.next_slot(now), runs))
    return rows


def failed_runs(*, actor, days: int = 7) -> list[JobRun]:
    """Scheduled runs that failed in the last `days` days and were not followed by a success of
    the same job (what still needs someone to look), newest first."""
    if not actor.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc xem được lịch chạy tự động.")
    since = timezone.now() - datetime.timedelta(days=days)
    failed = list(JobRun.objects.filter(status=RunStatus.FAILED, slot__gte=since).order_by("-slot")[:50])
    out = []
    for run in failed:
        if not JobRun.objects.filter(job=run.job, status=RunStatus.SUCCEEDED, slot__gt=run.slot).exists():
            out.append(run)
    return out[:10]


# ---- the commands page -------------------------------------------------------------------------


def _require_programme(actor) -> None:
    if not actor.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc dùng được các lệnh vận hành.")


def open_periods(*, actor):
    """Periods not yet closed whose reporting window has ended or is under way, oldest first:
    the ones a secretariat may close."""
    from dxtrack.obligations.models import Period

    _require_programme(actor)
    return Period.objects.filter(closed_at__isnull=True, start__lte=timezone.localdate()).order_by("end", "period_type")


def period_status_counts(*, actor, period) -> dict:
    """How the period's reports stand: what closing would lock, and what it would leave out."""
    from django.db.models import Count

    from dxtrack.obligations.models import Obligation

    _require_programme(actor)
    obligations = Obligation.objects.filter(period=period)
    by_status = dict(
        obligations.filter(report__isnull=False).values_list("report__status").annotate(n=Count("pk")).order_by()
    )
    return {
        "expected": obligations.count(),
        "missing": obligations.filter(report__isnull=True).count(),
        **{status: by_status.get(status, 0) for status in ("draft", "submitted", "returned", "approved", "locked")},
    }


def unlockable_reports(*, actor, query: str = "", period_id: int | None = None):
    """Approved or locked reports, matched on the unit's name with or without diacritics (its
    folded name, as the registry keeps it)."""
    from django.db.models import Q

    from dxtrack.core.text import fold
    from dxtrack.reports.models import APPROVED, Report

    _require_programme(actor)
    reports = Report.objects.filter(status__in=sorted(APPROVED)).select_related(
        "obligation__period", "obligation__agency", "obligation__admin_unit", "obligation__rule__document"
    )
    query = fold(query)  # (control characters, NUL among them, are dropped: PostgreSQL refuses them)
    if query:
        reports = reports.filter(
            Q(obligation__agency__search_name__contains=query) | Q(obligation__admin_unit__search_name__contains=query)
        )
    if period_id is not None:
        reports = reports.filter(obligation__period_id=period_id)
    return reports.order_by("-obligation__period__end", "obligation__agency__name", "obligation__admin_unit__name")


def recompute_job(*, actor, pk: int | None = None):
    """The recomputation to show: the one asked for, else the latest anybody started."""
    from dxtrack.core.models import Job

    from .services.recompute import RECOMPUTE_JOB

    _require_programme(actor)
    jobs = Job.objects.filter(kind=RECOMPUTE_JOB).defer("file").select_related("user")
    if pk is not None:
        return jobs.get(pk=pk)
    return jobs.order_by("-created_at", "-pk").first()


def recompute_summary(job) -> str:
    """The sentence a finished recomputation kept as its result."""
    from dxtrack.core.models import Job

    data = Job.objects.filter(pk=job.pk).values_list("file", flat=True).first()
    return bytes(data).decode("utf-8", "replace") if data else ""
