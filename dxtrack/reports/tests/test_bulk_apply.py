"""A batch written set-based (core.audit.record_many, bulk_create, bulk_update) leaves exactly what
the same rows written one by one leave: the same values, versions and audit events."""

import pytest

from dxtrack.core.models import AuditEvent
from dxtrack.reports.models import DataValue, TaskUpdate
from dxtrack.reports.services import rows as row_apply
from dxtrack.reports.services.editing import Conflict
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.task_updates import TaskInput, task_updates_apply
from dxtrack.reports.services.values import ValueInput, values_apply
from dxtrack.reports.tests.builders import commune_obligation, filled, neighbour, unit_people

pytestmark = pytest.mark.django_db


def _written(report):
    values = list(
        DataValue.objects.filter(report=report)
        .order_by("indicator__code")
        .values_list("indicator__code", "value", "numerator", "denominator", "comment", "version", "updated_by_id")
    )
    tasks = list(
        TaskUpdate.objects.filter(report=report)
        .order_by("task_id")
        .values_list("task_id", "state", "percent", "version", "updated_by_id")
    )
    events = list(
        AuditEvent.objects.filter(
            target_id__in=[str(pk) for pk in DataValue.objects.filter(report=report).values_list("pk", flat=True)],
            target_type="reports.datavalue",
        )
        .order_by("target_repr", "id")
        .values_list("action", "changes", "reason", "actor_id")
    )
    return values, tasks, events


def _second_round(report, reporter):
    from dxtrack.reports import selectors

    form = selectors.report_form(report)
    rows = [
        ValueInput(
            r.indicator.code,
            **({"numerator": "41", "denominator": "100"} if r.spec.is_ratio else {"value": "4"}),
            comment="đợt hai",
        )
        for r in form.rows
    ]
    values_apply(actor=reporter, report=report, rows=rows)
    task_updates_apply(actor=reporter, report=report, rows=[TaskInput(t.task.pk, state="done") for t in form.tasks])


def test_a_batch_written_at_once_is_what_row_by_row_writes(calendar_2025, monkeypatch):
    # Given two communes' reports of the same form, filled and then changed by the same rows
    first = commune_obligation()
    second = neighbour(first)
    shapes = []
    for obligation, bulk_from in ((first, 10**9), (second, 2)):
        # When one is written row by row and the other set-based
        monkeypatch.setattr(row_apply, "BULK_FROM", bulk_from)
        reporter, _approver, _ = unit_people(obligation.admin_unit)
        report = report_open(actor=reporter, obligation=obligation)
        filled(report, reporter)
        _second_round(report, reporter)
        values, tasks, events = _written(report)
        shapes.append(
            (
                [(code, *rest[:-1], rest[-1] == reporter.pk) for code, *rest in values],
                [(*rest[:-1], rest[-1] == reporter.pk) for _task, *rest in tasks],
                [(a, c, r, who == reporter.pk) for a, c, r, who in events],
            )
        )
    # Then both leave the same values, versions, task updates and audit events
    assert shapes[0] == shapes[1]
    assert len(shapes[0][0]) > 1 and all(row[-2] == 2 for row in shapes[0][0])


def test_a_row_changed_by_another_writer_fails_the_whole_batch(calendar_2025, monkeypatch):
    # Given a filled report whose stored values a writer outside the services changes after they are read
    obligation = commune_obligation()
    reporter, _approver, _ = unit_people(obligation.admin_unit)
    report = report_open(actor=reporter, obligation=obligation)
    filled(report, reporter)
    before = list(DataValue.objects.filter(report=report).order_by("pk").values_list("pk", "value", "version"))
    counts = DataValue.objects.filter(report=report, numerator__isnull=True).order_by("pk")
    meddled_pk = counts.first().pk
    from dxtrack.reports.services.values import ValueRows

    real = ValueRows.__init__

    def meddled(self, report, **options):
        real(self, report, **options)
        DataValue.objects.filter(pk=meddled_pk).update(version=7)

    monkeypatch.setattr(ValueRows, "__init__", meddled)
    rows = [ValueInput(code, value="4") for code in counts.values_list("indicator__code", flat=True)]
    # When a batch of new values is saved
    # Then it is refused as a conflict and nothing of it is written
    with pytest.raises(Conflict):
        values_apply(actor=reporter, report=report, rows=rows)
    after = list(DataValue.objects.filter(report=report).order_by("pk").values_list("pk", "value", "version"))
    assert [(pk, value) for pk, value, _v in after] == [(pk, value) for pk, value, _v in before]


def test_a_new_row_another_writer_inserted_first_is_a_conflict_naming_it(calendar_2025, monkeypatch):
    # Given an opened, empty report, and a writer outside the services that inserts one of its
    # values after the stored values are read (on PostgreSQL the insert then fails without a
    # savepoint, and the database's own error names the key)
    obligation = commune_obligation()
    reporter, _approver, _ = unit_people(obligation.admin_unit)
    report = report_open(actor=reporter, obligation=obligation)
    from dxtrack.reports import selectors
    from dxtrack.reports.services.values import ValueRows

    indicators = selectors.form_indicators(obligation)
    assert len(indicators) >= 3
    taken = indicators[1]
    rows = [
        ValueInput(
            i.code,
            **({"numerator": "41", "denominator": "100"} if selectors.indicator_spec(i).is_ratio else {"value": "4"}),
        )
        for i in indicators
    ]
    real = ValueRows.__init__

    def meddled(self, report, **options):
        real(self, report, **options)
        o = report.obligation
        DataValue.objects.create(
            report=report, indicator=taken, period_id=o.period_id, admin_unit_id=o.admin_unit_id, value=1
        )

    monkeypatch.setattr(ValueRows, "__init__", meddled)
    events = AuditEvent.objects.count()
    # When a batch of new values is saved
    with pytest.raises(Conflict) as refused:
        values_apply(actor=reporter, report=report, rows=rows)
    # Then it is refused as a raced row, naming the value taken, and nothing of it is written
    assert (refused.value.message, refused.value.details) == (ValueRows.raced, [taken.name])
    assert DataValue.objects.filter(report=report).count() == 0
    assert AuditEvent.objects.count() == events
