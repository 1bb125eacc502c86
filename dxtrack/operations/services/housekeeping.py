"""Housekeeping: the rows that only serve for a while are removed once they have served.

Without it, notifications, finished background jobs (whose files sit in the row) and the
schedule's run log grow for ever. Kept: unread notifications for a year, read ones for
DXTRACK_KEEP_READ_NOTIFICATIONS_DAYS; finished jobs for DXTRACK_KEEP_JOBS_DAYS (their files are
made again on request); scheduled runs for DXTRACK_KEEP_JOB_RUNS_DAYS; a stopped process's
heartbeat for a week. Audit events, reports, values and issued documents are never touched here."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import NotAllowed
from dxtrack.core.models import Job, JobState
from dxtrack.notifications.models import Notification

from ..models import JobRun, ProcessBeat, RunStatus, ScheduleState

HOUSEKEEPING = "housekeeping"


def _days(name: str, default: int) -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, name, default)))


@transaction.atomic
def prune(*, actor: Access, now: datetime.datetime) -> dict[str, int]:
    """Deletes what has served its time as of `now`; one audit event says how many of each."""
    access = Access.of(actor)
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc hoặc hệ thống được dọn dữ liệu tạm.")
    notifications = Notification.objects.filter(
        Q(read_at__isnull=False, created__lt=now - _days("DXTRACK_KEEP_READ_NOTIFICATIONS_DAYS", 180))
        | Q(created__lt=now - _days("DXTRACK_KEEP_NOTIFICATIONS_DAYS", 365))
    )
    jobs = Job.objects.filter(
        state__in=[JobState.DONE, JobState.FAILED], finished_at__lt=now - _days("DXTRACK_KEEP_JOBS_DAYS", 7)
    )
    runs = JobRun.objects.filter(
        status__in=[RunStatus.SUCCEEDED, RunStatus.FAILED],
        finished_at__lt=now - _days("DXTRACK_KEEP_JOB_RUNS_DAYS", 400),
    )
    beats = ProcessBeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=7))
    removed = {
        # QuerySet.delete() answers (total, per model); the total is what is reported
        "notifications": notifications.delete()[0],
        "jobs": jobs.delete()[0],
        "job_runs": runs.delete()[0],
        "process_beats": beats.delete()[0],
    }
    state, _created = ScheduleState.objects.get_or_create(name=HOUSEKEEPING)
    audit.record(
        actor=access,
        action="operations.prune",
        target=state,
        changes={name: [count, 0] for name, count in removed.items() if count},
    )
    return removed
