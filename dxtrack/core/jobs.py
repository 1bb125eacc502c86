"""Long work started from a page, run on the task queue, its progress shown on that page
(ADR "long work on the queue").

    job = jobs.job_start(actor=request.access, kind="publishing.issue", label="…",
                         subject=f"publishing.report:{pk}", params={"report": pk})

records a Job and enqueues `run_job` in the same transaction; a worker (or, with
DXTRACK_TASKS=immediate, the enqueue itself) runs the handler registered for the kind, which
returns the file to hand back. The page polls `core:job` (htmx, every 2 s) until the job is done
(a link) or failed (the reason in Vietnamese).

Core imports no app, so the handlers are registered by the apps that own the work, in their
AppConfig.ready(): core knows only that a kind has a handler. A handler may run more than once
(a worker killed mid-run, a retry); it must be safe to: it converts or reads, and any write it
makes goes through a service that refuses the second time (an issued report is not issued
again)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.tasks import task, task_backends
from django.utils import timezone

from . import audit
from .actors import access_of
from .errors import DomainError, NotAllowed
from .models import Job, JobState

logger = logging.getLogger("dxtrack.jobs")

FAILED_UNKNOWN = "Có lỗi khi xử lý việc này; hệ thống đã thử lại nhưng không được. Hãy thử lại sau."
RETRYING = "Có lỗi tạm thời; hệ thống đang thử lại…"


@dataclass(frozen=True)
class Result:
    data: bytes
    filename: str
    content_type: str


Progress = Callable[[int], None]
Handler = Callable[[Job, Progress], Result]
_handlers: dict[str, Handler] = {}
_waiting: dict[str, str] = {}
WAITING = "Đang xử lý…"


def register(kind: str, *, waiting: str = WAITING):
    """Declares the handler of a kind of job (called from an AppConfig.ready()) and what the page
    says while it runs ("Đang chuyển sang PDF…")."""

    def decorate(handler: Handler) -> Handler:
        _handlers[kind] = handler
        _waiting[kind] = waiting
        return handler

    return decorate


def registered(kind: str) -> bool:
    return kind in _handlers


def waiting_text(kind: str) -> str:
    return _waiting.get(kind, WAITING)


def _runs_allowed() -> int:
    """How many runs the queue gives a failing task: one when tasks run inline (no retries)."""
    if type(task_backends["default"]).__name__ == "ImmediateBackend":
        return 1
    return int(getattr(settings, "DXTRACK_TASK_MAX_ATTEMPTS", 5))


def job_start(*, actor, kind: str, label: str, subject: str = "", params: dict | None = None) -> Job:
    """Records the job and queues it, in one transaction with its audit event. `actor` is the
    request's Access: only a signed-in person starts a job, since the result is theirs alone;
    what the work itself may touch is checked by its handler."""
    actor = access_of(actor)
    user = getattr(actor, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        raise NotAllowed("Cần đăng nhập để thực hiện việc này.")
    if kind not in _handlers:
        raise DomainError("Loại việc này chưa được hỗ trợ.", code="unknown_job")
    with transaction.atomic():
        job = Job.objects.create(kind=kind, label=label[:200], subject=subject[:100], params=params or {}, user=user)
        audit.record(
            actor=actor,
            action="core.job.start",
            target=job,
            changes={"kind": [None, kind], "subject": [None, subject]},
        )
        # Queued in the same transaction (ADR 0021): no job without its task, no task without its
        # job. Inline (immediate) the work runs here and now and sees the job row.
        result = run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])
    return Job.objects.defer("file").get(pk=job.pk)


def progress_of(job_id: int) -> Progress:
    def report(percent: int) -> None:
        Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(progress=max(0, min(99, int(percent))))

    return report


def _finish(job: Job, *, state: str, changes: dict, **fields) -> None:
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(state=state, finished_at=timezone.now(), **fields)
        audit.record(actor=job.user, action=f"core.job.{state}", target=job, changes=changes)


@task
def run_job(job_id: int) -> dict:
    """Runs a job's handler once more unless the job is finished (a second delivery does nothing)."""
    job = Job.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.finished:
        return {"skipped": True}
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, started_at=timezone.now(), attempts=job.attempts + 1, error=""
    )
    try:
        result = _handlers[job.kind](job, progress_of(job.pk))
    except DomainError as exc:
        # A refusal of the domain is final: running it again would be refused again.
        message = " ".join([exc.message, *exc.details])
        _finish(job, state=JobState.FAILED, changes={"state": [JobState.RUNNING, JobState.FAILED]}, error=message)
        return {"failed": message}
    except Exception:
        if job.attempts + 1 >= _runs_allowed():
            logger.exception("job %s (%s) failed for good", job.pk, job.kind)
            _finish(
                job, state=JobState.FAILED, changes={"state": [JobState.RUNNING, JobState.FAILED]}, error=FAILED_UNKNOWN
            )
            return {"failed": FAILED_UNKNOWN}
        Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, error=RETRYING)
        raise  # the worker runs it again after its back-off
    _finish(
        job,
        state=JobState.DONE,
        changes={"state": [JobState.RUNNING, JobState.DONE], "file": [None, result.filename]},
        progress=100,
        file=result.data,
        filename=result.filename[:255],
        content_type=result.content_type[:120],
        error="",
    )
    return {"done": result.filename, "bytes": len(result.data)}


def job_get(*, actor, pk: int, with_file: bool = False) -> Job:
    """A job of the actor's own (another person's job is not found: its file is theirs)."""
    user = getattr(actor, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        raise Job.DoesNotExist
    jobs = Job.objects.filter(user=user)
    if not with_file:
        jobs = jobs.defer("file")
    return jobs.get(pk=pk)


def latest(*, actor, subject: str, kind: str | None = None) -> Job | None:
    """The actor's latest job about `subject` (what a page shows when it is opened again)."""
    user = getattr(actor, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    jobs = Job.objects.filter(user=user, subject=subject).defer("file")
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs.order_by("-created_at", "-pk").first()
