"""What the background processes leave in the database: who is alive, what the schedule ran, and
which side effects happened (so that none happens twice)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProcessBeat(models.Model):
    """A worker or scheduler process says it is alive. A task claimed by a process whose beat
    stopped (or whose process is gone from this machine) is given to another worker."""

    WORKER, SCHEDULER = "worker", "scheduler"
    KINDS = [(WORKER, _("tiến trình xử lý nền")), (SCHEDULER, _("bộ lập lịch"))]

    process_id = models.CharField(_("mã tiến trình"), max_length=64, primary_key=True)
    kind = models.CharField(_("loại"), max_length=10, choices=KINDS)
    host = models.CharField(_("máy chủ"), max_length=255)
    pid = models.PositiveIntegerField(_("số hiệu tiến trình"))
    started_at = models.DateTimeField(_("khởi động lúc"), default=timezone.now)
    seen_at = models.DateTimeField(_("báo còn chạy lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("tiến trình nền")
        verbose_name_plural = _("tiến trình nền")

    def __str__(self) -> str:
        return f"{self.kind} {self.process_id}"


class ScheduleState(models.Model):
    """One row per scheduled job: the last slot handed to the queue. A scheduler locks this row
    before it decides, so of two schedulers only one queues a slot."""

    name = models.CharField(_("công việc"), max_length=40, primary_key=True)
    last_slot = models.DateTimeField(_("lượt gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("trạng thái lịch")
        verbose_name_plural = _("trạng thái lịch")

    def __str__(self) -> str:
        # The job as the schedule page names it (the audit log shows this), not its code.
        from .schedule import job

        try:
            return str(job(self.name).label)
        except KeyError:
            return self.name


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("đang chờ")
    RUNNING = "running", _("đang chạy")
    SUCCEEDED = "succeeded", _("thành công")
    FAILED = "failed", _("thất bại")


class JobRun(models.Model):
    """One run of a scheduled job, for one slot (unique: a slot never runs twice)."""

    job = models.CharField(_("công việc"), max_length=40)
    slot = models.DateTimeField(_("lượt"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    queued_at = models.DateTimeField(_("đưa vào hàng đợi lúc"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    scheduler = models.CharField(_("bộ lập lịch"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("lượt chạy theo lịch")
        verbose_name_plural = _("lượt chạy theo lịch")
        ordering = ["-slot", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="job_run_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"


class SideEffect(models.Model):
    """A side effect that happened (a notification sent, a file issued), keyed by what it was.
    Written in the transaction that decides to do it; the effect itself leaves after the commit.
    A second run of the same task fails to insert the key and does nothing (idempotency.once)."""

    key = models.CharField(_("khóa"), max_length=200, unique=True)
    done_at = models.DateTimeField(_("thực hiện lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("việc đã làm")
        verbose_name_plural = _("việc đã làm")

    def __str__(self) -> str:
        return self.key
