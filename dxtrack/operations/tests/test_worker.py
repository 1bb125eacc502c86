"""The task queue: a real worker process runs queued work, survives being killed mid-task,
retries with back-off, and never repeats a side effect."""

import datetime
import os
import signal

import pytest
from django.core import mail
from django.db import transaction
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dxtrack.operations import worker as worker_module
from dxtrack.operations.idempotency import done, once
from dxtrack.operations.models import ProcessBeat, SideEffect
from dxtrack.operations.tasks import fail_then_succeed, probe

from .sites import wait_for

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _enqueue(site, code: str) -> str:
    return site.python(
        "import json\nfrom dxtrack.operations.tasks import probe, fail_then_succeed\n"
        f"r = {code}\nprint(json.dumps({{'id': str(r.id)}}))"
    )["id"]


def _task(site, task_id: str) -> tuple[str, int]:
    """(status, how many runs) of a queued task, read from the site's database."""
    status, worker_ids = site.sql(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = %s",
        [task_id if site.vendor == "postgresql" else task_id.replace("-", "")],
    )[0]
    import json

    return status, len(json.loads(worker_ids) if isinstance(worker_ids, str) else worker_ids)


# ---- real processes ---------------------------------------------------------------------------------


@pytest.mark.long
def test_a_queued_task_runs_in_the_worker_process_and_its_effect_happens_once(site):
    # Given a task queued (by another process) in the site's database
    task_id = _enqueue(site, "probe.enqueue('first', 0)")
    assert _task(site, task_id) == ("READY", 0)
    # When a worker runs what is queued
    site.run("worker", "--batch", "--interval", "0.1")
    # Then it ran once and its side effect happened once
    assert _task(site, task_id) == ("SUCCESSFUL", 1)
    assert (site.var / "probe.log").read_text() == "first\n"


@pytest.mark.long
def test_a_worker_killed_mid_task_leaves_it_to_the_next_worker_which_finishes_it_once(site):
    # Given a long task being run by a worker
    task_id = _enqueue(site, "probe.enqueue('long', 3)")
    first = site.start("worker", "--interval", "0.1")
    wait_for(lambda: (site.var / "probe-long.started").exists(), what="the task to start")
    assert _task(site, task_id)[0] == "RUNNING"
    # When the worker is killed outright (no chance to clean up), then another starts
    site.stop(first, signal.SIGKILL)
    assert _task(site, task_id)[0] == "RUNNING"
    second = site.start("worker", "--interval", "0.1")
    # Then the second takes the task back and finishes it: two runs, one effect
    wait_for(lambda: _task(site, task_id)[0] == "SUCCESSFUL", timeout=90, what="the task to finish")
    site.stop(second)
    assert _task(site, task_id) == ("SUCCESSFUL", 2)
    assert (site.var / "probe.log").read_text() == "long\n"
    assert "queued again" in site.logs()


@pytest.mark.long
def test_a_failing_task_is_retried_with_back_off_until_it_succeeds(site):
    # Given a task that fails its first two runs (a mail server down, say)
    task_id = _enqueue(site, "fail_then_succeed.enqueue('flaky', 2)")
    # When a worker runs
    process = site.start("worker", "--interval", "0.1")
    wait_for(lambda: _task(site, task_id)[0] == "SUCCESSFUL", timeout=90, what="the retries")
    site.stop(process)
    # Then it ran three times, and the worker said when it would try again
    assert _task(site, task_id) == ("SUCCESSFUL", 3)
    assert "failed (run 1 of 5), retried at" in site.logs()
    assert "failed (run 2 of 5), retried at" in site.logs()


@pytest.mark.long
def test_the_worker_refuses_to_start_when_tasks_run_in_process(site):
    site.env["DXTRACK_TASKS"] = "immediate"
    done_ = site.run("worker", "--batch", check=False)
    assert done_.returncode == 1
    assert "Hàng đợi đang chạy ngay trong tiến trình web (DXTRACK_TASKS=immediate)" in done_.stderr


# ---- in this process ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_back_off_doubles_from_the_base_and_is_capped(settings):
    settings.DXTRACK_TASK_RETRY_SECONDS = 10
    assert [worker_module.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert worker_module.backoff(20).total_seconds() == 3600


@pytest.mark.django_db
def test_a_run_that_fails_is_queued_again_later_and_the_last_run_fails_for_good(settings):
    # Through the settings fixture, not @override_settings: the fixture's own restore would
    # otherwise bring the decorator's TASKS back after the test, for every test after it.
    settings.TASKS = DATABASE_TASKS
    settings.DXTRACK_TASK_MAX_ATTEMPTS = 2
    result = fail_then_succeed.enqueue("always", 9)
    worker = worker_module.Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w-test",
        excluded_queue_names=[],
    )
    row = DBTaskResult.objects.get(pk=result.id)
    # When its first run fails
    row.claim("w-test")
    worker.run_task(row)
    row.refresh_from_db()
    # Then it waits in the queue for its back-off, with the error kept
    assert row.status == TaskResultStatus.READY
    assert row.run_after > timezone.now()
    assert row.exception_class_path == "builtins.RuntimeError"
    # When its second (last allowed) run fails too
    row.claim("w-test")
    worker.run_task(row)
    row.refresh_from_db()
    # Then it has failed for good
    assert row.status == TaskResultStatus.FAILED
    assert row.worker_ids == ["w-test", "w-test"]


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_a_task_of_a_vanished_worker_is_queued_again_and_of_a_living_one_is_left():
    # Given two running tasks: one claimed by a process that no longer exists, one by this process
    lost, alive = probe.enqueue("lost"), probe.enqueue("alive")
    ProcessBeat.objects.create(process_id="gone", kind="worker", host=os.uname().nodename, pid=2**22 + 7)
    ProcessBeat.objects.create(process_id="me", kind="worker", host=os.uname().nodename, pid=os.getpid())
    DBTaskResult.objects.get(pk=lost.id).claim("gone")
    DBTaskResult.objects.get(pk=alive.id).claim("me")
    # When a worker looks for lost tasks
    assert worker_module.reclaim() == 1
    # Then the lost one is ready again; the living one is left running
    assert DBTaskResult.objects.get(pk=lost.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=alive.id).status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_task_of_a_silent_worker_elsewhere_is_queued_again_after_three_beats(settings):
    settings.TASKS = DATABASE_TASKS  # not @override_settings: see the test above
    settings.DXTRACK_WORKER_BEAT_SECONDS = 5
    queued = probe.enqueue("far")
    ProcessBeat.objects.create(
        process_id="far",
        kind="worker",
        host="another-host",
        pid=1,
        seen_at=timezone.now() - datetime.timedelta(seconds=16),
    )
    DBTaskResult.objects.get(pk=queued.id).claim("far")
    assert worker_module.reclaim() == 1
    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.READY


@pytest.mark.django_db
def test_once_claims_a_key_the_first_time_only_and_forgets_it_when_the_work_rolls_back():
    with transaction.atomic():
        assert once("mail:1") is True
        assert once("mail:1") is False
    # A run that dies before its commit leaves the key free for the next run
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert once("mail:2") is True
        1 / 0  # noqa: B018
    assert done("mail:1") and not done("mail:2")
    assert SideEffect.objects.count() == 1


@pytest.mark.django_db
def test_the_reminder_task_run_twice_sends_each_reminder_once(calendar_2025, settings):
    from dxtrack.obligations.models import Obligation, Reminder
    from dxtrack.reports.tasks import send_reminders
    from dxtrack.reports.tests.builders import commune_obligation, unit_people

    settings.DXTRACK_REMINDER_OVERDUE_MAX_DAYS = 30
    obligation = commune_obligation()
    unit_people(obligation.admin_unit)[0].__class__.objects.filter(admin_unit=obligation.admin_unit).update(
        email="xa@example.vn"
    )
    today = obligation.due + datetime.timedelta(days=3)
    # When the scheduled task runs twice for the same day (a retry after a crash, say)
    with transaction.atomic():
        first = send_reminders.call(today_iso=today.isoformat())
    sent_first = len(mail.outbox)
    second = send_reminders.call(today_iso=today.isoformat())
    # Then the second run sends nothing
    assert first["overdue"] >= 1
    assert second == {"due_soon": 0, "overdue": 0, "no_addressee": second["no_addressee"]}
    assert len(mail.outbox) == sent_first
    assert Reminder.objects.filter(obligation=obligation, kind="overdue").count() == 1
    assert Obligation.objects.filter(pk=obligation.pk).exists()
