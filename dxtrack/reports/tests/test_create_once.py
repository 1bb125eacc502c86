"""Only a concurrent writer's row is reported as someone else's edit; any other integrity fault is not."""

import pytest
from django.db import IntegrityError

from dxtrack.reports.models import TaskUpdate
from dxtrack.reports.services.editing import Conflict, create_once
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.tests.builders import commune_obligation, unit_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(calendar_2025):
    obligation = commune_obligation()
    reporter, _approver, _secretariat = unit_people(obligation.admin_unit)
    return report_open(actor=reporter, obligation=obligation)


def _task(report):
    from dxtrack.reports import selectors

    return selectors.report_form(report).tasks[0].task


def test_a_row_created_first_by_another_writer_is_a_conflict(report):
    # Given the task's update already written by another request
    task = _task(report)
    TaskUpdate.objects.create(report=report, task=task, state="in_progress", percent=10)
    conflict = Conflict("Người khác vừa cập nhật nhiệm vụ này; hãy tải lại.")
    # When this request creates it too
    with pytest.raises(Conflict) as raised:
        create_once(TaskUpdate, {"report": report, "task": task}, state="done", percent=100, conflict=conflict)
    # Then it is told someone else was first, and the other writer's row is as it was
    assert raised.value is conflict
    assert list(TaskUpdate.objects.filter(report=report).values_list("state", "percent")) == [("in_progress", 10)]


def test_an_integrity_fault_with_no_concurrent_row_is_not_reported_as_an_edit(report, monkeypatch):
    # Given a create that fails on a constraint although no row exists under the key
    task = _task(report)

    def failing_create(**fields):
        raise IntegrityError("CHECK constraint failed: percent")

    monkeypatch.setattr(TaskUpdate.objects, "create", failing_create)
    # When the service creates the row
    # Then the fault goes on as what it is, not as "someone else just edited"
    with pytest.raises(IntegrityError):
        create_once(TaskUpdate, {"report": report, "task": task}, percent=1, conflict=Conflict("x"))
    assert not TaskUpdate.objects.filter(report=report).exists()
