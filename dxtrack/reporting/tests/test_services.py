"""The calendar: obligations for every body that existed in a period, across the 2025 reforms."""

import datetime

import pytest

from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.org.models import AgencyGroup
from dxtrack.org.tests.factories import agency
from dxtrack.plans.models import Document, ReportingRule
from dxtrack.reporting import services
from dxtrack.reporting.models import Obligation, Period

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def document():
    return Document.objects.create(code="kh-test", doc_type="ke_hoach", title="Kế hoạch thử", year=2024)


def _rule(document, period_type, due, *, group=None, agencies=()):
    rule = ReportingRule.objects.create(
        document=document,
        period_type=period_type,
        due=due,
        recipient=agency("SO_KHCN"),
    )
    rule.reporter_groups.set(AgencyGroup.objects.filter(code=group))
    rule.reporters.set([agency(code) for code in agencies])
    return rule


def test_district_committees_report_until_the_reform_and_communes_after(document):
    # Given a yearly report of "UBND cấp huyện", due 15/12
    rule = _rule(document, "yearly", ["15/12"], group="UBND_HUYEN")
    # When the 2025 calendar is generated
    result = services.calendar_generate(actor=None, year=2025, rules=[rule])
    # Then the 26 former districts report for their part of the year and the 166 communes for theirs
    obligations = Obligation.objects.filter(rule=rule)
    districts = obligations.filter(admin_unit__level="district")
    communes = obligations.filter(admin_unit__level="commune")
    assert (result.periods, result.obligations_created) == (1, 192)
    assert (districts.count(), communes.count()) == (26, 166)
    assert set(districts.values_list("window_from", "window_to")) == {(D(2024, 12, 15), D(2025, 6, 30))}
    assert set(communes.values_list("window_from", "window_to")) == {(D(2025, 7, 1), D(2025, 12, 14))}
    assert set(obligations.values_list("due", flat=True)) == {D(2025, 12, 15)}


def test_before_the_reform_only_districts_report(document):
    rule = _rule(document, "quarterly", ["15 of last month of quarter"], group="UBND_HUYEN")
    services.calendar_generate(actor=None, year=2024, rules=[rule])
    assert Obligation.objects.filter(rule=rule).count() == 4 * 26
    assert Period.objects.filter(year=2024, period_type="quarterly").count() == 4


def test_a_merged_agencys_duty_passes_to_its_successor_for_the_rest_of_the_period(document):
    rule = _rule(document, "yearly", ["30/11"], agencies=["SO_TTTT"])
    services.calendar_generate(actor=None, year=2025, rules=[rule])
    rows = sorted(Obligation.objects.filter(rule=rule).values_list("agency__code", "window_from", "window_to", "due"))
    assert rows == [
        ("SO_KHCN", D(2025, 3, 1), D(2025, 12, 14), D(2025, 11, 30)),
        ("SO_TTTT", D(2024, 12, 15), D(2025, 2, 28), D(2025, 11, 30)),
    ]


def test_generating_twice_creates_nothing_new(document):
    rule = _rule(document, "semiannual", ["30/6", "15/12"], agencies=["SO_TAI_CHINH"])
    first = services.calendar_generate(actor=None, year=2026, rules=[rule])
    second = services.calendar_generate(actor=None, year=2026, rules=[rule])
    assert (first.obligations_created, second.obligations_created, second.obligations_kept) == (2, 0, 2)
    assert Obligation.objects.filter(rule=rule).count() == 2


def test_only_the_secretariat_generates_and_a_refusal_changes_nothing(document):
    rule = _rule(document, "yearly", ["15/12"], agencies=["SO_TAI_CHINH"])
    events = AuditEvent.objects.count()
    with pytest.raises(NotAllowed):
        services.calendar_generate(
            actor=UserFactory(role="approver", agency=agency("SO_TAI_CHINH")), year=2026, rules=[rule]
        )
    assert (Obligation.objects.count(), Period.objects.count(), AuditEvent.objects.count()) == (0, 0, events)
    with pytest.raises(InvalidData):
        services.calendar_generate(actor=None, year=1800, rules=[rule])
    services.calendar_generate(actor=UserFactory(role="secretariat", agency=agency("SO_KHCN")), year=2026, rules=[rule])
    assert AuditEvent.objects.get(action="reporting.calendar.generate").changes == {
        "year": [None, 2026],
        "obligations": [0, 1],
    }


def test_the_calendar_command_covers_the_seed_rules(document):
    from io import StringIO

    from django.core.management import call_command

    from dxtrack.plans.register import register_load

    register_load(actor=None)
    out = StringIO()
    call_command("calendar", year=2024, verbosity=0, stdout=out)
    # 002's quarterly rule: every provincial department and district committee, four quarters
    quarterly = Obligation.objects.filter(period__period_type="quarterly", rule__document__code="kh-bcd-cds-2024")
    assert quarterly.filter(admin_unit__level="district").count() == 4 * 26
    assert "Lịch báo cáo 2024–2024: thêm" in out.getvalue()


def test_without_a_province_a_group_of_communes_reaches_every_commune_of_the_country(document):
    # Given a yearly report of "UBND cấp xã", due 15/12
    rule = _rule(document, "yearly", ["15/12"], group="UBND_XA")
    # When the 2026 calendar is generated for the whole country, not only the province
    result = services.calendar_generate(actor=None, year=2026, rules=[rule], province_code=None)
    # Then each of the country's 3,321 communes reports, in every one of its 34 provinces
    obligations = Obligation.objects.filter(rule=rule)
    assert result.obligations_created == 3321
    assert obligations.filter(admin_unit__level="commune", admin_unit__valid_to__isnull=True).count() == 3321
    assert obligations.values("admin_unit__parent").distinct().count() == 34
    # And the province's own calendar still reaches its 166 communes only
    other = _rule(document, "yearly", ["15/12"], group="UBND_XA")
    assert services.calendar_generate(actor=None, year=2026, rules=[other]).obligations_created == 166
