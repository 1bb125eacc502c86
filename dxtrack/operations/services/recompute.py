"""Recomputing progress from the commands page: the work `dxtrack recompute` does, run on the task
queue (it reads every approved value: seconds to minutes) with its state shown on the page."""

from django.utils.translation import gettext as _

from dxtrack.accounts.access import Access
from dxtrack.analytics.services.recompute import recompute_all
from dxtrack.core import jobs
from dxtrack.core.errors import NotAllowed
from dxtrack.core.models import Job, JobState
from dxtrack.core.numbers import format_number

RECOMPUTE_JOB = "analytics.recompute"
SUBJECT = "analytics:recompute"


def _require_programme(access: Access) -> None:
    if not access.runs_programme:
        raise NotAllowed(_("Chỉ Tổ giúp việc được tính lại tiến độ."))


@jobs.register(RECOMPUTE_JOB, waiting="Đang tính lại tiến độ và bảng điểm…")
def recompute(job: Job, progress: jobs.Progress) -> jobs.Result:
    """Safe to run twice: recomputing derives everything again from the approved values. The
    person's right is checked again here, as the job may run long after it was asked for."""
    _require_programme(Access.for_user(job.user))
    progress(5)
    result = recompute_all()
    seconds = format_number(result.seconds, decimals=1)
    text = f"Đã tính lại tiến độ {result.targets} chỉ tiêu và {result.scorecards} bảng điểm trong {seconds} giây."
    return jobs.Result(data=text.encode("utf-8"), filename="tinh-lai-tien-do.txt", content_type="text/plain")


def running_recompute() -> Job | None:
    """A recomputation anybody started that has not finished: a second one would only repeat it."""
    return (
        Job.objects.filter(kind=RECOMPUTE_JOB, state__in=[JobState.QUEUED, JobState.RUNNING])
        .defer("file")
        .order_by("-created_at")
        .first()
    )


def recompute_start(*, actor: Access) -> Job:
    """Queues the recomputation (audited by core.jobs), or answers with the one already queued."""
    access = Access.of(actor)
    _require_programme(access)
    running = running_recompute()
    if running is not None:
        return running
    return jobs.job_start(actor=access, kind=RECOMPUTE_JOB, label=_("Tính lại tiến độ và bảng điểm"), subject=SUBJECT)
