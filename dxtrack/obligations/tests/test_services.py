"""The calendar: obligations for every body that existed in a period, across the 2025 reforms."""

import datetime

import pytest

from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.obligations import services
from dxtrack.obligations.models import Obligation, Period
from dxtrack.org.models import AgencyGroup
from dxtrack.org.tests.factories import agency
from dxtrack.plans.models import Document, ReportingRule

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
    result = services.calendar_generate(actor=SYSTEM, year=2025, rules=[rule])
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
    services.calendar_generate(actor=SYSTEM, year=2024, rules=[rule])
    assert Obligation.objects.filter(rule=rule).count() == 4 * 26
    assert Period.objects.filter(year=2024, period_type="quarterly").count() == 4


def test_a_merged_agencys_duty_passes_to_its_successor_for_the_rest_of_the_period(document):
    rule = _rule(document, "yearly", ["15/12"], agencies=["SO_TTTT"])
    services.calendar_generate(actor=SYSTEM, year=2025, rules=[rule])
    rows = sorted(Obligation.objects.filter(rule=rule).values_list("agency__code", "window_from", "window_to", "due"))
    assert rows == [
        ("SO_KHCN", D(2025, 3, 1), D(2025, 12, 14), D(2025, 12, 15)),
        ("SO_TTTT", D(2024, 12, 15), D(2025, 2, 28), D(2025, 12, 15)),
    ]


# ---- a plan's duties start with the plan ------------------------------------------------------------


def _generate(rule, *years):
    for year in years:
        services.calendar_generate(actor=SYSTEM, year=year, rules=[rule])
    return sorted(Obligation.objects.filter(rule=rule).values_list("period__label", "window_from", "window_to", "due"))


def test_a_plan_for_2024_makes_no_obligations_before_2024(document):
    # Given a quarterly rule of a plan known only by its year, 2024
    rule = _rule(document, "quarterly", ["15 of last month of quarter"], agencies=["SO_TAI_CHINH"])
    # When the calendars of 2021 to 2024 are generated
    rows = _generate(rule, 2021, 2022, 2023, 2024)
    # Then only 2024's quarters have obligations, the first from 01/01/2024, and no period of the
    # years before was made for it
    assert rows == [
        ("Quý I/2024", D(2024, 1, 1), D(2024, 3, 14), D(2024, 3, 15)),
        ("Quý II/2024", D(2024, 3, 15), D(2024, 6, 14), D(2024, 6, 15)),
        ("Quý III/2024", D(2024, 6, 15), D(2024, 9, 14), D(2024, 9, 15)),
        ("Quý IV/2024", D(2024, 9, 15), D(2024, 12, 14), D(2024, 12, 15)),
    ]
    assert not Period.objects.filter(year__lt=2024).exists()


def test_a_plan_issued_mid_quarter_asks_for_that_quarter_from_its_issue_date(document):
    document.issued_on = D(2024, 2, 20)
    document.save()
    rule = _rule(document, "quarterly", ["15 of last month of quarter"], agencies=["SO_TAI_CHINH"])
    assert _generate(rule, 2023, 2024)[:2] == [
        ("Quý I/2024", D(2024, 2, 20), D(2024, 3, 14), D(2024, 3, 15)),
        ("Quý II/2024", D(2024, 3, 15), D(2024, 6, 14), D(2024, 6, 15)),
    ]


def test_a_plan_issued_after_a_quarters_data_window_starts_with_the_next_quarter(document):
    # Issued on 20/03/2024: Quý I/2024's data ran to 14/03, before the plan existed
    document.issued_on = D(2024, 3, 20)
    document.save()
    rule = _rule(document, "quarterly", [], agencies=["SO_TAI_CHINH"])
    assert _generate(rule, 2024)[0] == ("Quý II/2024", D(2024, 3, 20), D(2024, 6, 14), D(2024, 6, 15))
    assert Obligation.objects.filter(rule=rule).count() == 3


def test_a_plan_with_no_date_at_all_is_not_bounded(document):
    # Neither an issue date nor a year: the calendar makes every year it is asked for
    document.year = None
    document.save()
    rule = _rule(document, "yearly", ["15/12"], agencies=["SO_TAI_CHINH"])
    assert _generate(rule, 2021) == [("Năm 2021", D(2020, 12, 15), D(2021, 12, 14), D(2021, 12, 15))]


@pytest.mark.parametrize("period_type", ["once", "continuous"])
def test_a_rule_reported_once_or_continuously_has_no_periodic_obligations(document, period_type):
    rule = _rule(document, "yearly", ["15/12"], agencies=["SO_TAI_CHINH"])
    ReportingRule.objects.filter(pk=rule.pk).update(period_type=period_type)
    rule.refresh_from_db()
    result = services.calendar_generate(actor=SYSTEM, year=2024, rules=[rule])
    assert (result.periods, result.obligations_created) == (0, 0)
    assert not Obligation.objects.exists() and not Period.objects.exists()


def test_no_obligation_is_due_before_its_data_window_ends(document):
    # Given a yearly report "before 30/11" (seed 003) while a year's data run to 14/12
    rule = _rule(document, "yearly", ["30/11"], agencies=["SO_TAI_CHINH"])
    # Then its report is due once the data are in: the regime's 15/12, not 30/11
    assert _generate(rule, 2024) == [("Năm 2024", D(2024, 1, 1), D(2024, 12, 14), D(2024, 12, 15))]


def test_the_seed_plans_make_obligations_only_while_in_force_and_due_after_their_data(register):
    from django.db.models import F

    for year in (2023, 2024):
        services.calendar_generate(actor=SYSTEM, year=year)
    obligations = Obligation.objects.all()
    # the 2024 plan (seed 002) asks nothing of 2023, and its first quarter starts on 01/01/2024
    of_2024 = obligations.filter(rule__document__code="kh-bcd-cds-2024")
    assert not of_2024.filter(period__year__lt=2024).exists()
    assert set(of_2024.filter(period__label="Quý I/2024").values_list("window_from", flat=True)) == {D(2024, 1, 1)}
    # no obligation is due before its period's data window ends, nor starts before its plan
    assert obligations.count() > 100
    assert not obligations.filter(due__lt=F("period__data_to")).exists()
    for o in obligations.select_related("rule__document"):
        start = o.rule.document.issued_on or D(o.rule.document.year, 1, 1)
        assert o.window_from >= start, o


def test_generating_twice_creates_nothing_new(document):
    rule = _rule(document, "semiannual", ["30/6", "15/12"], agencies=["SO_TAI_CHINH"])
    first = services.calendar_generate(actor=SYSTEM, year=2026, rules=[rule])
    second = services.calendar_generate(actor=SYSTEM, year=2026, rules=[rule])
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
        services.calendar_generate(actor=SYSTEM, year=1800, rules=[rule])
    services.calendar_generate(actor=UserFactory(role="secretariat", agency=agency("SO_KHCN")), year=2026, rules=[rule])
    assert AuditEvent.objects.get(action="reporting.calendar.generate").changes == {
        "year": [None, 2026],
        "obligations": [0, 1],
    }


def test_the_calendar_command_covers_the_seed_rules(document):
    from io import StringIO

    from django.core.management import call_command

    from dxtrack.plans.register import register_load

    register_load(actor=SYSTEM)
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
    result = services.calendar_generate(actor=SYSTEM, year=2026, rules=[rule], province_code=None)
    # Then each of the country's 3,321 communes reports, in every one of its 34 provinces
    obligations = Obligation.objects.filter(rule=rule)
    assert result.obligations_created == 3321
    assert obligations.filter(admin_unit__level="commune", admin_unit__valid_to__isnull=True).count() == 3321
    assert obligations.values("admin_unit__parent").distinct().count() == 34
    # And the province's own calendar still reaches its 166 communes only
    other = _rule(document, "yearly", ["15/12"], group="UBND_XA")
    assert services.calendar_generate(actor=SYSTEM, year=2026, rules=[other]).obligations_created == 166


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "Thiếu năm cần lập lịch: ghi --year và bốn chữ số, ví dụ --year 2025."),
        ({"year": ""}, "Năm --year để trống; ghi bốn chữ số, ví dụ 2026."),
        ({"year": "25"}, "Năm --year “25” không hợp lệ; ghi bốn chữ số, ví dụ 2026."),
        ({"year": "2025-2026"}, "Năm --year “2025-2026” không hợp lệ; ghi bốn chữ số, ví dụ 2026."),
        ({"year": "1800"}, "Năm --year 1800 nằm ngoài khoảng 2000–2100."),
        ({"year": "2025", "to": "hai nghìn"}, "Năm --to “hai nghìn” không hợp lệ; ghi bốn chữ số, ví dụ 2026."),
        ({"year": "2025", "to": "2024"}, "Năm --to (2024) phải từ năm --year (2025) trở đi."),
        ({"year": "2000", "to": "2100"}, "Mỗi lần lập lịch tối đa 50 năm; đã yêu cầu 2000–2100."),
    ],
)
def test_the_calendar_command_refuses_a_wrong_year_in_vietnamese(document, options, message):
    from django.core.management import CommandError, call_command

    _rule(document, "yearly", ["15/12"], agencies=["SO_TAI_CHINH"])
    with pytest.raises(CommandError) as caught:
        call_command("calendar", verbosity=0, **options)
    assert str(caught.value) == message
    assert not Obligation.objects.exists() and not Period.objects.exists()


def test_the_calendar_command_reads_years_typed_as_text(document):
    from io import StringIO

    from django.core.management import call_command

    _rule(document, "yearly", ["15/12"], agencies=["SO_TAI_CHINH"])
    out = StringIO()
    call_command("calendar", "--year", " 2024 ", "--to", "2025", verbosity=0, stdout=out)
    assert out.getvalue().strip() == "Lịch báo cáo 2024–2025: thêm 2 nghĩa vụ, giữ nguyên 0."
