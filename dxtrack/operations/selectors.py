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
