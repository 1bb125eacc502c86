"""Housekeeping removes what has served its time, and nothing else (rows grew for ever before)."""

import datetime

import pytest

from dxtrack.accounts.access import SYSTEM, Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.errors import NotAllowed
from dxtrack.core.models import AuditEvent, Job, JobState
from dxtrack.notifications.models import Notification
from dxtrack.operations.models import JobRun, ProcessBeat, RunStatus
from dxtrack.operations.services.housekeeping import prune
from dxtrack.operations.tasks import housekeeping

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 5, 3, 30, tzinfo=datetime.UTC)


def days_ago(n: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=n)


@pytest.fixture
def rows():
    user = UserFactory(role=Role.SECRETARIAT)

    def note(key, created, read):
        return Notification.objects.create(
            recipient=user, kind="approved", title=key, key=key, created=created, read_at=read
        )

    def job(label, state, finished):
        return Job.objects.create(kind="core.export", label=label, user=user, state=state, finished_at=finished)

    def run(job_name, status, finished):
        slot = finished or NOW
        return JobRun.objects.create(job=job_name, slot=slot, status=status, finished_at=finished)

    return {
        "kept": [
            note("read-recently", days_ago(30), days_ago(29)),
            note("unread-half-a-year", days_ago(200), None),
            job("done-yesterday", JobState.DONE, days_ago(1)),
            job("still-running", JobState.RUNNING, None),
            run("reminders", RunStatus.SUCCEEDED, days_ago(30)),
            run("backup", RunStatus.RUNNING, None),
        ],
        "gone": [
            note("read-long-ago", days_ago(200), days_ago(199)),
            note("unread-two-years", days_ago(730), None),
            job("done-last-month", JobState.DONE, days_ago(30)),
            job("failed-last-month", JobState.FAILED, days_ago(30)),
            run("reminders", RunStatus.FAILED, days_ago(500)),
        ],
    }


def test_prune_removes_only_what_has_served_its_time_and_says_how_much(rows):
    # Given a heartbeat of a process stopped a month ago and one alive now
    ProcessBeat.objects.create(process_id="old", kind="worker", host="h", pid=1, seen_at=days_ago(30))
    ProcessBeat.objects.create(process_id="alive", kind="worker", host="h", pid=2, seen_at=NOW)
    # When the system prunes
    removed = prune(actor=SYSTEM, now=NOW)
    # Then the served rows are gone and the others kept
    assert removed == {"notifications": 2, "jobs": 2, "job_runs": 1, "process_beats": 1}
    assert sorted(Notification.objects.values_list("key", flat=True)) == ["read-recently", "unread-half-a-year"]
    assert sorted(Job.objects.values_list("label", flat=True)) == ["done-yesterday", "still-running"]
    assert sorted(JobRun.objects.values_list("job", "status")) == [("backup", "running"), ("reminders", "succeeded")]
    assert list(ProcessBeat.objects.values_list("process_id", flat=True)) == ["alive"]
    # and one audit event, by the system, counts what went
    event = AuditEvent.objects.get(action="operations.prune")
    assert (event.actor, event.via, event.changes) == (
        None,
        "system",
        {"notifications": [2, 0], "jobs": [2, 0], "job_runs": [1, 0], "process_beats": [1, 0]},
    )


def test_a_reporter_may_not_prune_and_nothing_changes(rows):
    # Given a reporter of a commune
    reporter = UserFactory(role=Role.REPORTER)
    counts = (Notification.objects.count(), Job.objects.count(), JobRun.objects.count())
    # When they try to prune, then they are refused and every row stays
    with pytest.raises(NotAllowed):
        prune(actor=Access.for_user(reporter), now=NOW)
    assert (Notification.objects.count(), Job.objects.count(), JobRun.objects.count()) == counts
    assert not AuditEvent.objects.filter(action="operations.prune").exists()


def test_the_scheduled_task_prunes_as_of_now(rows, settings):
    # Given read notifications kept for 0 days, when the scheduled task runs
    settings.DXTRACK_KEEP_READ_NOTIFICATIONS_DAYS = 0
    result = housekeeping.call(today_iso="2026-12-05")
    # Then every read notification is gone, the unread ones under a year are kept
    assert result["notifications"] == 3
    assert list(Notification.objects.values_list("key", flat=True)) == ["unread-half-a-year"]
