"""Approved and unapproved data of the real register: two districts' second half of 2024 under
Quyết định 4216, one report approved, the other only submitted."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from dxtrack.accounts.access import SYSTEM
from dxtrack.assessments.tests.conftest import decided, world  # noqa: F401 - an assessment round's fixtures
from dxtrack.obligations import services as obligation_services
from dxtrack.obligations.models import Obligation
from dxtrack.plans.models import ReportingRule, Task
from dxtrack.reports.models import DataValue, Report, ReportStatus, TaskUpdate
from dxtrack.reports.tests.builders import value_written

FIBRE = "ho-gia-dinh-cap-quang"  # ratio, %; in Quyết định 4216
APPROVED_AT = timezone.make_aware(datetime.datetime(2025, 1, 15, 10, 30))


@dataclass
class Data:
    approved: Obligation
    submitted: Obligation
    done_task: Task
    pending_task: Task
    approved_at: datetime.datetime


def _report(obligation, status, *, decided_at=None, submitted_at=None) -> Report:
    return Report.objects.create(
        obligation=obligation,
        status=status,
        decided_at=decided_at,
        first_submitted_at=submitted_at,
        submitted_at=submitted_at,
    )


def _value(report: Report, **numbers) -> DataValue:
    return value_written(report, FIBRE, **numbers)


@pytest.fixture
def data(register) -> Data:
    rule = ReportingRule.objects.get(document__code="qd-4216-2020", period_type="semiannual")
    obligation_services.calendar_generate(actor=SYSTEM, year=2024, rules=[rule])
    first, second = (
        Obligation.objects.filter(rule=rule, period__label="6 tháng cuối năm 2024", admin_unit__level="district")
        .select_related("period", "admin_unit")
        .order_by("admin_unit__code")[:2]
    )
    on_time = timezone.make_aware(datetime.datetime.combine(first.due, datetime.time(9)))
    approved = _report(first, ReportStatus.APPROVED, decided_at=APPROVED_AT, submitted_at=on_time)
    _value(approved, value=Decimal(30), numerator=Decimal(30), denominator=Decimal(100))
    late = on_time + datetime.timedelta(days=3)
    submitted = _report(second, ReportStatus.SUBMITTED, submitted_at=late)
    _value(submitted, value=Decimal("99.5"), numerator=Decimal(199), denominator=Decimal(200))
    # Tasks of the plan without a deadline or recurrence: their state is what was reported.
    done_task, pending_task = Task.objects.filter(
        document__code="qd-4216-2020", recurrence="", deadline__isnull=True
    ).order_by("position")[:2]
    TaskUpdate.objects.create(report=approved, task=done_task, state="done", percent=100)
    TaskUpdate.objects.create(report=submitted, task=pending_task, state="in_progress", percent=40)
    return Data(first, second, done_task, pending_task, APPROVED_AT)
