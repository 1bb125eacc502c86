"""`dxtrack worker`: django-tasks-db's worker, with what a province needs on top (ADR 0021):

- **Restarts.** Every worker beats (ProcessBeat) from a thread while it runs. A task left
  RUNNING by a worker whose beat stopped, or whose process is gone from this machine, is put
  back in the queue by the next worker that looks (at start and every `RECLAIM_SECONDS`).
- **Retries with back-off.** A task that raises is queued again after base × 2^(n−1) seconds
  (capped), up to DXTRACK_TASK_MAX_ATTEMPTS runs; a domain refusal (DomainError) is final at
  once, since running it again would be refused again.
- **Once.** A task may therefore run more than once: each is written to be safe to run twice
  (it recomputes, or records its side effect first: idempotency.once, the Reminder row).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import time
from traceback import format_exception

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as DbWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from dxtrack.core.errors import DomainError

from .models import ProcessBeat

logger = logging.getLogger("dxtrack.worker")

RECLAIM_SECONDS = 15


def beat_seconds() -> float:
    return float(getattr(settings, "DXTRACK_WORKER_BEAT_SECONDS", 5))


def max_attempts() -> int:
    return int(getattr(settings, "DXTRACK_TASK_MAX_ATTEMPTS", 5))


def backoff(attempt: int) -> datetime.timedelta:
    """How long after its `attempt`-th failed run a task is tried again."""
    base = float(getattr(settings, "DXTRACK_TASK_RETRY_SECONDS", 10))
    return datetime.timedelta(seconds=min(base * 2 ** (attempt - 1), 3600))


def database_backend() -> DatabaseBackend | None:
    backend = task_backends["default"]
    return backend if isinstance(backend, DatabaseBackend) else None


def default_process_id(kind: str) -> str:
    return f"{kind}-{socket.gethostname()}-{os.getpid()}"[:64]


# ---- beats --------------------------------------------------------------------------------------


def beat(process_id: str, kind: str) -> None:
    now = timezone.now()
    updated = ProcessBeat.objects.filter(process_id=process_id).update(seen_at=now)
    if not updated:
        ProcessBeat.objects.update_or_create(
            process_id=process_id,
            defaults={"kind": kind, "host": socket.gethostname(), "pid": os.getpid(), "seen_at": now},
        )


class Beater(threading.Thread):
    """Beats every `beat_seconds()` on its own connection while the main thread runs tasks."""

    def __init__(self, process_id: str, kind: str):
        super().__init__(name=f"beat-{process_id}", daemon=True)
        self.process_id, self.kind = process_id, kind
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(beat_seconds()):
            try:
                beat(self.process_id, self.kind)
            except DatabaseError:  # a locked SQLite file or a restarting server: next beat
                logger.warning("beat of %s failed", self.process_id, exc_info=True)
            finally:
                close_old_connections()
        connection.close()


def _alive_here(row: ProcessBeat) -> bool | None:
    """Whether the process of `row` still runs, when it ran on this machine (None: elsewhere)."""
    if row.host != socket.gethostname():
        return None
    try:
        os.kill(row.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lost_workers(now: datetime.datetime | None = None) -> set[str]:
    """Worker ids whose tasks nobody is running any more."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=3 * beat_seconds())
    lost = set()
    beats = {b.process_id: b for b in ProcessBeat.objects.filter(kind=ProcessBeat.WORKER)}
    for worker_id in {w for ids in DBTaskResult.objects.running().values_list("worker_ids", flat=True) for w in ids}:
        row = beats.get(worker_id)
        if row is None:
            # Never beat: it may have claimed a task a moment ago; trust it for one beat period.
            continue
        alive = _alive_here(row)
        if alive is False or (alive is None and row.seen_at < stale):
            lost.add(worker_id)
    # Running tasks claimed by ids that never beat and have run far too long: a lost process.
    return lost


def reclaim(now: datetime.datetime | None = None) -> int:
    """Puts back in the queue every task whose worker is lost; returns how many. A task that has
    used all its runs fails instead, with a message saying why."""
    now = now or timezone.now()
    lost = lost_workers(now)
    if not lost:
        return 0
    count = 0
    with transaction.atomic():
        for row in DBTaskResult.objects.running().select_for_update(skip_locked=True):
            if not row.worker_ids or row.worker_ids[-1] not in lost:
                continue
            if len(row.worker_ids) >= max_attempts():
                row.status = TaskResultStatus.FAILED
                row.finished_at = now
                row.exception_class_path = "dxtrack.operations.worker.WorkerLost"
                row.traceback = (
                    f"Tiến trình xử lý nền dừng giữa chừng {len(row.worker_ids)} lần khi chạy việc này; "
                    "không chạy lại nữa."
                )
                row.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            else:
                row.status = TaskResultStatus.READY
                row.run_after = now
                row.started_at = None
                row.save(update_fields=["status", "run_after", "started_at"])
                logger.warning("task %s of lost worker %s queued again", row.id, row.worker_ids[-1])
            count += 1
    return count


# ---- the worker ---------------------------------------------------------------------------------


class Worker(DbWorker):
    def run(self) -> None:
        beat(self.worker_id, ProcessBeat.WORKER)
        beater = Beater(self.worker_id, ProcessBeat.WORKER)
        beater.start()
        last_reclaim = 0.0
        logger.info("worker %s started", self.worker_id)
        try:
            while self.running:
                try:
                    last_reclaim = self._once(last_reclaim)
                except self.Done:
                    return
                except (OperationalError, InterfaceError) as exc:
                    if is_locked_database_exception(exc):
                        raise
                    # The database restarted or dropped us: reconnect and go on (the task being
                    # claimed, if any, was not claimed: its transaction rolled back).
                    logger.warning("database connection lost (%s); reconnecting", exc)
                    connections.close_all()
                    time.sleep(min(max(self.interval, 0.5) * 2, 5))
        finally:
            beater.stopped.set()

    class Done(Exception):
        pass

    def _once(self, last_reclaim: float) -> float:
        """One turn of the loop: reclaim now and then, claim and run one task, or wait."""
        close_old_connections()
        if time.monotonic() - last_reclaim > RECLAIM_SECONDS:
            try:
                reclaim()
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
            last_reclaim = time.monotonic()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        task_result = None
        got = True
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            got = False
        if task_result is not None:
            self.run_task(task_result)
        if self.batch and got and task_result is None:
            raise self.Done
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            raise self.Done
        close_old_connections()
        if self.running and task_result is None:
            time.sleep(self.interval)
        return last_reclaim

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # The base class records a failure as final; a failure with runs left is queued again.
        original = db_task_result.set_failed

        def failed_or_retried(exc: BaseException) -> None:
            attempts = len(db_task_result.worker_ids)
            final = isinstance(exc, DomainError | KeyboardInterrupt | SystemExit) or attempts >= max_attempts()
            if final:
                original(exc)
                logger.error("task %s failed for good after %s run(s)", db_task_result.id, attempts)
                return
            db_task_result.status = TaskResultStatus.READY
            db_task_result.run_after = timezone.now() + backoff(attempts)
            db_task_result.started_at = None
            db_task_result.exception_class_path = f"{type(exc).__module__}.{type(exc).__qualname__}"
            db_task_result.traceback = "".join(format_exception(exc))
            db_task_result.save(
                update_fields=["status", "run_after", "started_at", "exception_class_path", "traceback"]
            )
            logger.warning(
                "task %s failed (run %s of %s), retried at %s",
                db_task_result.id,
                attempts,
                max_attempts(),
                db_task_result.run_after.isoformat(),
            )

        db_task_result.set_failed = failed_or_retried
        super().run_task(db_task_result)


def queue_depth() -> dict:
    """How much work waits: ready tasks, the oldest one's age in seconds, tasks running."""
    if database_backend() is None:
        return {"backend": "immediate", "ready": 0, "running": 0, "oldest_seconds": 0}
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "backend": "database",
        "ready": ready.count(),
        "running": DBTaskResult.objects.running().count(),
        "oldest_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else 0,
    }
