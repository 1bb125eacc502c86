"""The schedule's tasks, and the wrapper that records each scheduled run (JobRun).

Every task here is safe to run twice: closing skips what is closed, the check and the
recomputation rewrite what they compute, a backup writes a new file under a new name."""

from __future__ import annotations

import datetime
import logging
import time
import traceback

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

from .idempotency import once
from .models import JobRun, RunStatus

logger = logging.getLogger("dxtrack.scheduler")


@task
def run_scheduled(run_id: int, task_path: str) -> dict:
    """Runs the job's task (`task_path`, from the schedule) for one scheduled run and records how
    it went (the secretariat's page)."""
    run = JobRun.objects.get(pk=run_id)
    JobRun.objects.filter(pk=run_id).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), attempts=run.attempts + 1, error=""
    )
    today = timezone.localdate(run.slot)
    try:
        result = import_string(task_path).call(today_iso=today.isoformat())
    except Exception as exc:
        JobRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error="".join(traceback.format_exception_only(exc)).strip()[:2000],
        )
        raise  # the worker retries it with back-off
    JobRun.objects.filter(pk=run_id).update(
        status=RunStatus.SUCCEEDED, finished_at=timezone.now(), result=result or {}, error=""
    )
    return result or {}


def close_after_days() -> int:
    return int(getattr(settings, "DXTRACK_PERIOD_CLOSE_AFTER_DAYS", 90))


@task
def close_periods(today_iso: str | None = None) -> dict:
    """Closes every period that ended more than DXTRACK_PERIOD_CLOSE_AFTER_DAYS days ago (its
    approved reports lock), each in its own transaction, as the system."""
    from dxtrack.accounts.access import SYSTEM
    from dxtrack.obligations.models import Period
    from dxtrack.reports.services.periods import period_close

    today = datetime.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    limit = today - datetime.timedelta(days=close_after_days())
    closed, locked = [], 0
    for period in Period.objects.filter(closed_at__isnull=True, end__lt=limit).order_by("end", "pk"):
        locked += period_close(actor=SYSTEM, period=period)
        closed.append(period.label)
    return {"closed": closed, "locked": locked}


@task
def consistency_check(today_iso: str | None = None) -> dict:
    """Recomputes all progress from the approved values (what the dashboards show is then what
    the data says), and lists the evidence files the database names but the disk lacks."""
    from dxtrack.analytics.services.recompute import recompute_all
    from dxtrack.assessments.models import Answer
    from dxtrack.reports.models import TaskUpdate

    result = recompute_all()
    storage_missing = []
    for model in (TaskUpdate, Answer):  # the models that keep evidence files
        for name in model.objects.exclude(evidence_file="").values_list("evidence_file", flat=True).iterator():
            if not (settings.MEDIA_ROOT / name).exists():
                storage_missing.append(name)
    if storage_missing:
        logger.error("consistency: %s evidence file(s) missing, e.g. %s", len(storage_missing), storage_missing[:5])
    return {
        "targets": result.targets,
        "scorecards": result.scorecards,
        "missing_files": len(storage_missing),
        "missing_examples": storage_missing[:20],
    }


@task
def nightly_backup(today_iso: str | None = None) -> dict:
    """A backup file in DXTRACK_BACKUP_DIR; the oldest beyond DXTRACK_BACKUP_KEEP are removed."""
    from . import backup

    path = backup.backup_to_dir()
    removed = backup.prune(keep=int(getattr(settings, "DXTRACK_BACKUP_KEEP", 14)))
    return {"file": path.name, "bytes": path.stat().st_size, "removed": removed}


@task
def housekeeping(today_iso: str | None = None) -> dict:
    """Removes the notifications, finished jobs and run records that have served their time."""
    from dxtrack.accounts.access import SYSTEM

    from .services.housekeeping import prune

    return prune(actor=SYSTEM, now=timezone.now())


@task
def probe(key: str, seconds: float = 0.0) -> dict:
    """A task with one visible side effect, for tests and for checking a deployment's worker:
    after `seconds` of work it appends `key` to var/probe.log — once, however often it runs."""
    started = settings.VAR_DIR / f"probe-{key}.started"
    started.write_text(str(time.time()))
    time.sleep(seconds)
    with transaction.atomic():
        if once(f"probe:{key}"):
            log = settings.VAR_DIR / "probe.log"
            transaction.on_commit(lambda: log.open("a").write(key + "\n"))
    return {"key": key}


@task
def fail_then_succeed(key: str, failures: int) -> dict:
    """Fails its first `failures` runs (a mail server down, a database restarting), then
    succeeds: the worker's retry with back-off, checked in tests."""
    with transaction.atomic():
        for n in range(failures):
            if once(f"failure:{key}:{n}"):
                break
        else:
            return {"key": key, "ok": True}
    raise RuntimeError(f"failure of {key}")
