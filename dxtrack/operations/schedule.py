"""The schedule, defined once here: what runs when (province time, Asia/Ho_Chi_Minh).

`dxtrack scheduler` reads it; the secretariat's page shows it. Each job names a task; the
scheduler queues `tasks.run_scheduled(job, slot)` for each slot it reaches, and that task calls
the job's own task in the worker. Times are local wall-clock times: a day here has no daylight
saving, so a daily slot is unambiguous."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Job:
    name: str  # stable: JobRun and ScheduleState rows carry it
    label: str
    task: str  # dotted path of a django.tasks Task taking no argument but `today_iso`
    at: datetime.time | None = None  # daily at this local time
    every_minutes: int | None = None  # or every N minutes, aligned on the hour

    @property
    def when(self) -> str:
        if self.at is not None:
            return str(_("Hằng ngày lúc {time}")).format(time=self.at.strftime("%H:%M"))
        return str(_("{minutes} phút một lần")).format(minutes=self.every_minutes)

    def slot(self, now: datetime.datetime) -> datetime.datetime:
        """The latest slot at or before `now` (aware, in the province's time)."""
        local = timezone.localtime(now)
        if self.at is not None:
            today = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
            return today if today <= local else today - datetime.timedelta(days=1)
        minutes = (local.hour * 60 + local.minute) // self.every_minutes * self.every_minutes
        return local.replace(hour=minutes // 60, minute=minutes % 60, second=0, microsecond=0)

    def next_slot(self, now: datetime.datetime) -> datetime.datetime:
        step = datetime.timedelta(days=1) if self.at is not None else datetime.timedelta(minutes=self.every_minutes)
        return self.slot(now) + step


SCHEDULE: tuple[Job, ...] = (
    Job(
        "reminders",
        _("Gửi thư nhắc báo cáo sắp đến hạn (trong 7 ngày) và quá hạn"),
        "dxtrack.reports.tasks.send_reminders",
        at=datetime.time(7, 0),
    ),
    Job(
        "steering-follow-up",
        _("Nhắc chỉ đạo và biện pháp khắc phục sắp đến hạn (trong 7 ngày) và quá hạn"),
        "dxtrack.steering.tasks.follow_up_due",
        at=datetime.time(7, 15),
    ),
    Job(
        "close-periods",
        _("Khóa sổ các kỳ báo cáo đã kết thúc quá 90 ngày (khóa các báo cáo đã duyệt)"),
        "dxtrack.operations.tasks.close_periods",
        at=datetime.time(1, 0),
    ),
    Job(
        "consistency",
        _("Kiểm tra nhất quán hằng đêm: tính lại tiến độ, đối chiếu tệp minh chứng"),
        "dxtrack.operations.tasks.consistency_check",
        at=datetime.time(2, 0),
    ),
    Job(
        "backup",
        _("Sao lưu hằng đêm (cơ sở dữ liệu, tệp minh chứng, báo cáo đã ban hành)"),
        "dxtrack.operations.tasks.nightly_backup",
        at=datetime.time(3, 0),
    ),
    Job(
        "housekeeping",
        _("Dọn dữ liệu tạm: thông báo cũ, tệp tải về đã xong, nhật ký chạy theo lịch cũ"),
        "dxtrack.operations.tasks.housekeeping",
        at=datetime.time(3, 30),
    ),
)


def job(name: str) -> Job:
    for item in SCHEDULE:
        if item.name == name:
            return item
    raise KeyError(name)
