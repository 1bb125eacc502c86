"""What the secretariat's operations page reads."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from dxtrack.core.errors import NotAllowed

from .models import JobRun
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
