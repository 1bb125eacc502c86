"""Figures prefilled from approved reporting data where an indicator feeds a criterion."""

import datetime
from decimal import Decimal

import pytest

from dxtrack.accounts.access import SYSTEM
from dxtrack.assessments.models import Framework, Step
from dxtrack.assessments.services.frameworks import frameworks_load
from dxtrack.assessments.services.rounds import round_open
from dxtrack.obligations.models import Obligation, Period
from dxtrack.org.tests.factories import current_commune
from dxtrack.plans.models import Document, Indicator, ReportingRule
from dxtrack.reports.models import DataValue, Report, ReportStatus

pytestmark = pytest.mark.django_db


def _report(unit, indicators, *, status, label="Quý I/2026", number=1):
    document = Document.objects.get_or_create(
        code="kh-thu", defaults={"doc_type": "ke_hoach", "title": "Kế hoạch thử"}
    )[0]
    rule = ReportingRule.objects.get_or_create(document=document, period_type="quarterly")[0]
    start = datetime.date(2026, 3 * number - 2, 1)
    end = datetime.date(2026, 3 * number, 28)
    period = Period.objects.get_or_create(
        period_type="quarterly",
        year=2026,
        number=number,
        defaults={"label": label, "start": start, "end": end, "data_from": start, "data_to": end},
    )[0]
    obligation = Obligation.objects.create(
        rule=rule, period=period, admin_unit=unit, due=end, window_from=start, window_to=end
    )
    report = Report.objects.create(obligation=obligation, status=status)
    for indicator, numbers in indicators.items():
        DataValue.objects.create(report=report, indicator=indicator, period=period, admin_unit=unit, **numbers)
    return report


def test_figures_fed_by_indicators_are_prefilled_from_approved_reports_only():
    # Given two register indicators feeding the demonstration set, and a commune's reports of 2026
    fibre = Indicator.objects.create(code="ho-gia-dinh-cap-quang", name="Hộ gia đình có cáp quang", unit="%")
    online = Indicator.objects.create(code="ho-so-tthc-giai-quyet-truc-tuyen", name="Hồ sơ trực tuyến", unit="%")
    frameworks_load(actor=SYSTEM)
    unit = current_commune("14758")
    # an approved Quý I (fibre 70%), an approved Quý II (fibre 85%, 60 of 120 dossiers online),
    # and a draft Quý III (fibre 99%) that is no data of the province's yet
    _report(unit, {fibre: {"value": Decimal(70)}}, status=ReportStatus.APPROVED)
    approved = _report(
        unit,
        {fibre: {"value": Decimal(85)}, online: {"numerator": 60, "denominator": 120, "value": 50}},
        status=ReportStatus.APPROVED,
        label="Quý II/2026",
        number=2,
    )
    _report(unit, {fibre: {"value": Decimal(99)}}, status=ReportStatus.DRAFT, label="Quý III/2026", number=3)
    # When the round for 2026 is opened
    round_ = round_open(
        actor=SYSTEM,
        framework=Framework.objects.get(code="minh-hoa-xa-2026"),
        year=2026,
        units=[unit],
        dues={Step.SELF_ASSESSMENT: datetime.date(2026, 11, 30)},
    )
    submission = round_.submissions.get()
    fed = submission.answers.get(criterion__code="4.1")
    ratio = submission.answers.get(criterion__code="1.3")
    # Then the latest approved figures are there, with their report, and already scored
    assert (fed.value, fed.source_report_id, fed.self_score) == (Decimal("85.0000"), approved.pk, Decimal("10.00"))
    assert (ratio.numerator, ratio.denominator, ratio.self_score) == (
        Decimal("60.0000"),
        Decimal("120.0000"),
        Decimal("5.00"),
    )
    assert submission.self_total == Decimal("15.00")
    # And a criterion no indicator feeds is left to declare
    assert submission.answers.get(criterion__code="3.5").source_report_id is None
