"""Helpers to reach a report of a real body in the loaded register and calendar."""

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.obligations.models import Obligation
from dxtrack.org.tests.factories import current_commune
from dxtrack.plans.models import Indicator
from dxtrack.reports import selectors
from dxtrack.reports.models import DataValue, Report
from dxtrack.reports.services.task_updates import TaskInput, task_updates_apply
from dxtrack.reports.services.values import ValueInput, values_apply

HAM_RONG = "14758"  # Phường Hàm Rồng, a commune-level unit since 1/7/2025


def commune_obligation(code: str = HAM_RONG, *, label: str = "Quý III/2025", document: str = "kh-bcd-cds-2024"):
    """The quarterly obligation of a current commune under the 2024 steering-committee plan."""
    return Obligation.objects.select_related("period", "rule__document", "admin_unit").get(
        admin_unit=current_commune(code), period__label=label, rule__document__code=document
    )


def neighbour(obligation):
    """Another commune's obligation under the same rule and period."""
    return (
        Obligation.objects.filter(rule=obligation.rule, period=obligation.period, admin_unit__isnull=False)
        .exclude(pk=obligation.pk)
        .select_related("period", "rule__document", "admin_unit")
        .order_by("admin_unit__code")
        .first()
    )


def unit_people(unit):
    """A reporter and an approver of `unit`, and a secretariat user."""
    return (
        UserFactory(role=Role.REPORTER, admin_unit=unit, agency=None),
        UserFactory(role=Role.APPROVER, admin_unit=unit, agency=None),
        UserFactory(role=Role.SECRETARIAT),
    )


def filled(report, reporter):
    """Fills every indicator of `report` with valid values and updates every task it leads."""
    form = selectors.report_form(report)
    rows = []
    for row in form.rows:
        if row.spec.is_ratio:
            rows.append(ValueInput(row.indicator.code, numerator="40", denominator="100"))
        elif row.spec.unit == "%":
            rows.append(ValueInput(row.indicator.code, value="50"))
        else:
            rows.append(ValueInput(row.indicator.code, value="3"))
    summary = values_apply(actor=reporter, report=report, rows=rows)
    assert summary.status == "ok", summary.as_dict()
    tasks = [TaskInput(t.task.pk, state="in_progress", percent="50") for t in form.tasks]
    summary = task_updates_apply(actor=reporter, report=report, rows=tasks)
    assert summary.status == "ok", summary.as_dict()
    return report


def value_written(report: Report, indicator: str, **numbers) -> DataValue:
    """A value of `report` written directly, past the services' checks, with the period and the
    reporting body of its obligation: for tests that read what stored values add up to."""
    ob = report.obligation
    return DataValue.objects.create(
        report=report,
        indicator=Indicator.objects.get(code=indicator),
        period=ob.period,
        agency=ob.agency,
        admin_unit=ob.admin_unit,
        **numbers,
    )
