"""The schedule: defined once, each slot queued once even with two schedulers, shown to the
secretariat with its last runs."""

import datetime
import zoneinfo

import pytest
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.operations import schedule, scheduler
from dxtrack.operations.models import JobRun, RunStatus, ScheduleState

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=HCM)


@task
def succeeding(today_iso: str | None = None) -> dict:
    return {"day": today_iso}


@task
def failing(today_iso: str | None = None) -> dict:
    raise RuntimeError("máy chủ thư không trả lời")


SUCCEEDS = schedule.Job("ok", "Việc thử", f"{__name__}.succeeding", at=datetime.time(7, 0))
FAILS = schedule.Job("ko", "Việc thử hỏng", f"{__name__}.failing", at=datetime.time(7, 0))


def test_a_daily_slot_is_the_latest_time_of_day_reached_in_province_time():
    job = schedule.job("reminders")  # daily at 07:00
    assert job.slot(at(2026, 12, 5, 7, 0)) == at(2026, 12, 5, 7, 0)
    assert job.slot(at(2026, 12, 5, 6, 59)) == at(2026, 12, 4, 7, 0)
    # 00:30 UTC is 07:30 in Hồ Chí Minh City
    assert job.slot(datetime.datetime(2026, 12, 5, 0, 30, tzinfo=datetime.UTC)) == at(2026, 12, 5, 7, 0)
    assert job.next_slot(at(2026, 12, 5, 8, 0)) == at(2026, 12, 6, 7, 0)


def test_the_schedule_names_reminders_closing_checks_and_backups():
    assert [job.name for job in schedule.SCHEDULE] == [
        "reminders",
        "steering-follow-up",
        "close-periods",
        "consistency",
        "backup",
        "housekeeping",
    ]
    assert schedule.job("reminders").task == "dxtrack.reports.tasks.send_reminders"


@pytest.mark.django_db
def test_a_slot_is_queued_once_however_often_the_scheduler_looks(django_capture_on_commit_callbacks):
    # When the scheduler looks three times within one slot, then once the next day
    with django_capture_on_commit_callbacks(execute=True):
        first = scheduler.tick(now=at(2026, 12, 5, 7, 30), jobs=(SUCCEEDS,))
        again = scheduler.tick(now=at(2026, 12, 5, 7, 31), jobs=(SUCCEEDS,))
        again += scheduler.tick(now=at(2026, 12, 5, 23, 59), jobs=(SUCCEEDS,))
        next_day = scheduler.tick(now=at(2026, 12, 6, 7, 0), jobs=(SUCCEEDS,))
    # Then one run per slot, each run (in-process queue) done and recorded
    assert [len(first), len(again), len(next_day)] == [1, 0, 1]
    runs = list(JobRun.objects.order_by("slot").values_list("slot", "status", "result"))
    assert runs == [
        (at(2026, 12, 5, 7, 0), RunStatus.SUCCEEDED, {"day": "2026-12-05"}),
        (at(2026, 12, 6, 7, 0), RunStatus.SUCCEEDED, {"day": "2026-12-06"}),
    ]
    assert ScheduleState.objects.get(name="ok").last_slot == at(2026, 12, 6, 7, 0)


@pytest.mark.django_db
def test_a_failed_run_keeps_its_error_for_the_page(django_capture_on_commit_callbacks):
    # (the in-process queue records the task's failure; the worker would retry it)
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.tick(now=at(2026, 12, 5, 8, 0), jobs=(FAILS,))
    run = JobRun.objects.get(job="ko")
    assert run.status == RunStatus.FAILED
    assert run.error == "RuntimeError: máy chủ thư không trả lời"
    assert run.finished_at is not None


@pytest.mark.django_db
def test_closing_closes_periods_ended_more_than_90_days_ago(calendar_2025):
    from dxtrack.obligations.models import Period
    from dxtrack.operations.tasks import close_periods

    # Given the 2025 calendar, on 15/01/2026
    result = close_periods.call(today_iso="2026-01-15")
    # Then the periods that ended before 17/10/2025 are closed, the later ones still open
    closed = set(Period.objects.filter(closed_at__isnull=False).values_list("label", flat=True))
    assert closed == set(result["closed"])
    assert "Quý III/2025" in closed and "Quý IV/2025" not in closed
    assert all(p.end < datetime.date(2025, 10, 17) for p in Period.objects.filter(closed_at__isnull=False))
    # And running it again (a retry) closes nothing more
    assert close_periods.call(today_iso="2026-01-15") == {"closed": [], "locked": 0}


@pytest.mark.long
def test_two_schedulers_at_once_queue_each_slot_once(site):
    # When two scheduler processes look at the same moment
    moment = "2026-12-05T07:30:00+07:00"
    one = site.start("scheduler", "--once", "--at", moment, "--scheduler-id", "a")
    two = site.start("scheduler", "--once", "--at", moment, "--scheduler-id", "b")
    assert one.wait(300) == 0 and two.wait(300) == 0
    # Then every job's slot was queued once, by one or the other
    rows = site.sql("SELECT job, slot, scheduler FROM operations_jobrun ORDER BY job")
    assert sorted(r[0] for r in rows) == sorted(job.name for job in schedule.SCHEDULE)
    assert {r[2] for r in rows} <= {"a", "b"}
    queued = site.sql(
        "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
        ["dxtrack.operations.tasks.run_scheduled"],
    )
    assert queued == [(len(schedule.SCHEDULE),)]


@pytest.mark.django_db
def test_the_secretariat_sees_the_schedule_and_last_runs_in_province_time(client):
    JobRun.objects.create(
        job="backup",
        slot=at(2026, 12, 5, 3, 0),
        status=RunStatus.FAILED,
        finished_at=datetime.datetime(2026, 12, 4, 20, 5, tzinfo=datetime.UTC),
        error="DomainError: Ổ đĩa đã đầy",
    )
    client.force_login(UserFactory(role=Role.SECRETARIAT))
    # When
    page = client.get(reverse("operations:schedule")).content.decode()
    # Then each job with its time, and the run in dd/mm/yyyy HH:MM province time with its error
    assert "Gửi thư nhắc báo cáo sắp đến hạn (trong 7 ngày) và quá hạn" in page
    assert "Hằng ngày lúc 03:00" in page
    assert "05/12/2026 03:00 — thất bại (xong lúc 05/12/2026 03:05)" in page
    assert "DomainError: Ổ đĩa đã đầy" in page
    assert "Chưa chạy lần nào." in page


@pytest.mark.django_db
def test_a_unit_reporter_may_not_see_the_schedule(client):
    client.force_login(UserFactory(role=Role.REPORTER))
    answer = client.get(reverse("operations:schedule"))
    assert answer.status_code == 403
    assert "Bạn không có quyền xem hoặc thay đổi nội dung này." in answer.content.decode()


def test_timezone_of_the_project_is_the_provinces():
    assert timezone.get_default_timezone_name() == "Asia/Ho_Chi_Minh"
