"""Many reports applied at once (`values_apply_many`, the DHIS2 import's path) give exactly what
the same batches applied report by report give: the same answers, stored rows and audit events,
and one refused row anywhere refuses all of them."""

from decimal import Decimal

import pytest
from django.db import transaction

from dxtrack.core.models import AuditEvent
from dxtrack.obligations.models import Obligation
from dxtrack.reports import selectors
from dxtrack.reports.models import DataValue, Report, ReportStatus
from dxtrack.reports.services.opening import report_open, reports_open
from dxtrack.reports.services.values import ValueInput, values_apply, values_apply_many
from dxtrack.reports.tests.builders import commune_obligation, filled, neighbour, unit_people, value_written

pytestmark = pytest.mark.django_db


def _stored(reports):
    return sorted(
        DataValue.objects.filter(report__in=reports).values_list(
            "report_id", "indicator__code", "value", "numerator", "denominator", "comment", "version", "updated_by_id"
        )
    )


def _events(since: int):
    """Audit events written after `since`, named by what they are about rather than by key."""
    names = dict(
        (str(pk), (report_id, code))
        for pk, report_id, code in DataValue.objects.values_list("pk", "report_id", "indicator__code")
    )
    return sorted(
        (e.action, names.get(e.target_id, e.target_id), e.target_type, e.changes, e.reason, e.actor_id, e.via)
        for e in AuditEvent.objects.filter(pk__gt=since)
    )


def _world():
    """Two reports of one commune (it exists since 1/7/2025): the third quarter filled, the
    fourth empty (its values all new); and a reporter of another commune."""
    first = commune_obligation()
    reporter, _approver, _ = unit_people(first.admin_unit)
    other, _approver, _ = unit_people(neighbour(first).admin_unit)
    reports = []
    for label, fill in (("Quý III/2025", True), ("Quý IV/2025", False)):
        obligation = Obligation.objects.select_related("period", "rule__document", "admin_unit").get(
            rule=first.rule, admin_unit=first.admin_unit, period__label=label
        )
        report = report_open(actor=reporter, obligation=obligation)
        if fill:
            filled(report, reporter)
        reports.append(report)
    return reports, reporter, other


def _row(form_row, n: int, **more) -> ValueInput:
    """A row of the form's indicator: `n` (of a hundred, for a ratio)."""
    if form_row.spec.is_ratio:
        return ValueInput(form_row.indicator.code, numerator=str(n), denominator="100", **more)
    return ValueInput(form_row.indicator.code, value=str(n), **more)


def _batches(reports, refused: bool):
    """New, updated, unchanged (and perhaps refused) rows across the two reports."""
    form = selectors.report_form(reports[0]).rows
    assert len(form) >= 3
    unchanged = 40 if form[1].spec.is_ratio else (50 if form[1].spec.unit == "%" else 3)
    first = [_row(form[0], 4), _row(form[1], unchanged), _row(form[2], 5, comment="sửa")]
    second = [_row(r, 10 + n, where=f"values[{n}]") for n, r in enumerate(form)]
    if refused:
        second.insert(1, ValueInput("khong-co-chi-tieu-nay", value="1", where="values[x]"))
    return list(zip(reports, (first, second), strict=True))


def _one_by_one(reporter, batches):
    """As the DHIS2 import did before: each report applied in turn in one transaction, rolled
    back when any report refused a row."""
    with transaction.atomic():
        summaries = [
            values_apply(actor=reporter, report=report, rows=rows, strict=True, source="api")
            for report, rows in batches
        ]
        if any(s.errors for s in summaries):
            transaction.set_rollback(True)
    return summaries


def _at_once(reporter, batches):
    with transaction.atomic():
        summaries = values_apply_many(actor=reporter, batches=batches, strict=True, source="api")
        if any(s.errors for s in summaries):
            transaction.set_rollback(True)
    return summaries


def _run(how, reporter, reports, batches):
    """Answers, stored rows and new audit events of one path; everything undone afterwards."""
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        summaries = how(reporter, batches)
        seen = ([s.as_dict() for s in summaries], _stored(reports), _events(mark))
        transaction.set_rollback(True)
    return seen


@pytest.mark.parametrize("refused", [False, True], ids=["accepted", "one-row-refused"])
def test_many_reports_at_once_give_what_one_by_one_gives(calendar_2025, refused):
    # Given two reports (one filled, one empty) and a batch of new, updated and unchanged rows
    # (and, in the second case, one row no form asks for)
    reports, reporter, _other = _world()
    batches = _batches(reports, refused)
    before = _stored(reports)

    # When the batch is applied report by report, and (undone in between) all at once
    one_by_one = _run(_one_by_one, reporter, reports, batches)
    at_once = _run(_at_once, reporter, reports, batches)

    # Then both give the same answers, stored rows and audit events
    assert at_once == one_by_one
    answers, stored, events = at_once
    results = [[row["result"] for row in summary["rows"]] for summary in answers]
    if refused:
        # ... and one refused row leaves every report as it was, with no audit event
        assert results[1][:3] == ["imported", "error", "imported"]
        assert answers[1]["rows"][1]["reason"] == "Mã chỉ tiêu 'khong-co-chi-tieu-nay' không có trong biểu báo cáo này."
        assert [a["status"] for a in answers] == ["ok", "error"]
        assert stored == before
        assert events == []
    else:
        assert results[0] == ["updated", "ignored", "updated"]
        assert set(results[1]) == {"imported"}
        changed = [e for e in events if e[0] == "reporting.value.set"]
        assert len(changed) == len(results[1]) + 2
        assert all(e[4].startswith("Nhập qua API") and e[5] == reporter.pk for e in changed)
        assert stored != before


def test_one_call_over_several_reports_is_all_or_nothing(calendar_2025):
    # Given two reports of one commune and a batch whose last row is refused
    reports, reporter, _other = _world()
    mine = [reports[0], reports[1]]
    before = _stored(mine)
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    row = selectors.report_form(reports[0]).rows[0]
    batches = [(mine[0], [_row(row, 9)]), (mine[1], [ValueInput("khong-co", value="1")])]

    # When both are applied in one call
    summaries = values_apply_many(actor=reporter, batches=batches, strict=True, source="api")

    # Then the first report's row is answered as it would be written, yet nothing is written
    assert [s.status for s in summaries] == ["ok", "error"]
    assert _stored(mine) == before
    assert not AuditEvent.objects.filter(pk__gt=mark).exists()


def test_a_stranger_is_refused_before_anything_is_read(calendar_2025):
    # Given a commune's reports and a reporter of another commune
    reports, _reporter, other = _world()
    before = _stored(reports)
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    # When the stranger applies rows to them at once
    from dxtrack.core.errors import NotAllowed

    row = selectors.report_form(reports[0]).rows[0]
    with pytest.raises(NotAllowed):
        values_apply_many(actor=other, batches=[(r, [_row(row, 8)]) for r in reports])

    # Then nothing changed
    assert _stored(reports) == before
    assert not AuditEvent.objects.filter(pk__gt=mark).exists()


def test_reports_open_opens_the_missing_ones_with_their_audit(calendar_2025):
    # Given a commune's obligation with its report and one without
    first = commune_obligation()
    later = Obligation.objects.select_related("period", "rule__document", "admin_unit").get(
        rule=first.rule, admin_unit=first.admin_unit, period__label="Quý IV/2025"
    )
    reporter, _approver, _ = unit_people(first.admin_unit)
    existing = report_open(actor=reporter, obligation=first)
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    # When both are opened at once
    opened = reports_open(actor=reporter, obligations=[first, later])

    # Then the existing report is kept and the missing one created as a draft, audited once
    assert opened[first.pk] == existing
    assert opened[later.pk].status == ReportStatus.DRAFT
    assert list(AuditEvent.objects.filter(pk__gt=mark).values_list("action", "target_id", "changes", "actor_id")) == [
        ("reporting.report.create", str(opened[later.pk].pk), {"status": [None, "draft"]}, reporter.pk)
    ]


def test_history_of_many_obligations_is_each_ones_history(calendar_2025):
    # Given third-quarter values of two communes, one approved and one a draft
    first = commune_obligation()
    second = neighbour(first)
    indicators = selectors.form_indicators(first)
    ids = [i.pk for i in indicators]
    for obligation, value, status in ((first, 10, ReportStatus.APPROVED), (second, 30, ReportStatus.DRAFT)):
        report = Report.objects.create(obligation=obligation, status=status)
        value_written(report, indicators[0].code, value=Decimal(value))
    fourth = [
        Obligation.objects.select_related("period").get(
            rule=o.rule, admin_unit=o.admin_unit, period__label="Quý IV/2025"
        )
        for o in (first, second)
    ]
    obligations = [first, *fourth]

    # When their history is read at once
    together = selectors.history_many(obligations, {o.pk: set(ids) for o in obligations})

    # Then it is each one's own history: only the approved value, only for the later quarter
    assert together == {o.pk: selectors.history(o, ids) for o in obligations}
    assert together == {first.pk: {}, fourth[0].pk: {indicators[0].pk: [Decimal(10)]}, fourth[1].pk: {}}
