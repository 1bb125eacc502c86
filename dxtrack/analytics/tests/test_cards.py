"""The reads the scorecards and the pages share (dxtrack.analytics.services.cards)."""

import pytest
from django.db.models import Q

from dxtrack.analytics.services.cards import latest_updates
from dxtrack.obligations.models import Obligation
from dxtrack.plans.models import Task
from dxtrack.reports.models import Report, ReportStatus, TaskUpdate
from dxtrack.reports.tests.builders import commune_obligation, neighbour


@pytest.fixture
def tasks(calendar_2025):
    return list(Task.objects.order_by("pk")[:3])


def _report(obligation, status=ReportStatus.APPROVED) -> Report:
    return Report.objects.create(obligation=obligation, status=status)


def test_latest_updates_takes_each_tasks_latest_approved_period_then_the_later_row(tasks, django_assert_num_queries):
    # Given Hàm Rồng's approved reports of the third and fourth quarters of 2025, its neighbour's
    # approved one of the fourth, and a fourth-quarter draft of a third commune
    first, second, third = tasks
    q3, q4 = commune_obligation(label="Quý III/2025"), commune_obligation(label="Quý IV/2025")
    other_q4 = neighbour(q4)
    draft_q4 = (
        Obligation.objects.filter(rule=q4.rule, period=q4.period, admin_unit__isnull=False)
        .exclude(pk__in=[q4.pk, other_q4.pk])
        .first()
    )
    in_q3, in_q4, other, draft = _report(q3), _report(q4), _report(other_q4), _report(draft_q4, ReportStatus.DRAFT)
    TaskUpdate.objects.create(report=in_q3, task=first, state="in_progress", percent=40)
    q4_first = TaskUpdate.objects.create(report=in_q4, task=first, state="done", percent=100)
    TaskUpdate.objects.create(report=in_q3, task=second, state="in_progress", percent=10)
    # (two approved updates of one period: the later row wins)
    TaskUpdate.objects.create(report=in_q4, task=second, state="in_progress", percent=60)
    later_of_q4 = TaskUpdate.objects.create(report=other, task=second, state="done", percent=100)
    # (an update in a report not approved is nobody's figure yet)
    TaskUpdate.objects.create(report=draft, task=third, state="done", percent=100)
    TaskUpdate.objects.create(report=in_q3, task=third, state="not_started", percent=0)

    # When the latest updates of the three tasks are read
    latest = latest_updates(Q(task_id__in=[t.pk for t in tasks]))

    # Then each task has its latest approved update, its period read with it (no query more)
    with django_assert_num_queries(0):
        periods = {task_id: u.report.obligation.period.label for task_id, u in latest.items()}
    assert {task_id: (u.pk, u.state) for task_id, u in latest.items()} == {
        first.pk: (q4_first.pk, "done"),
        second.pk: (later_of_q4.pk, "done"),
        third.pk: (TaskUpdate.objects.get(report=in_q3, task=third).pk, "not_started"),
    }
    assert periods == {first.pk: "Quý IV/2025", second.pk: "Quý IV/2025", third.pk: "Quý III/2025"}


def test_latest_updates_of_no_approved_update_is_empty(tasks):
    assert latest_updates(Q(task_id__in=[t.pk for t in tasks])) == {}
