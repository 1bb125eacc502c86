"""The progress dashboards: what each page shows from the stored progress, who may see it, and
what happens with unknown places and unreadable filters."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.functional import empty

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.analytics.models import Scorecard, TargetProgress
from dxtrack.analytics.services.recompute import recompute_all
from dxtrack.analytics.services.targets import STATUSES, assessment_year
from dxtrack.obligations.models import IndicatorReporter, Obligation
from dxtrack.org.models import AdminUnit
from dxtrack.plans.models import Target
from dxtrack.reports.models import DataValue, Report, ReportStatus
from dxtrack.reports.selectors import late_count
from dxtrack.reports.tests.builders import unit_people, value_written

pytestmark = pytest.mark.django_db

FIBRE = "ho-gia-dinh-cap-quang"  # ratio, %; 50 by 2022 and 80 by 2025 in Quyết định 4216
LATE_2022 = "6 tháng cuối năm 2022"
LATE_2024 = "6 tháng cuối năm 2024"
LATE_2025 = "6 tháng cuối năm 2025"


def _value(obligation: Obligation, status: str, numerator: int, denominator: int = 100) -> DataValue:
    """A fibre value in a report of the given status, written directly (as test_rollup does)."""
    report, _ = Report.objects.get_or_create(obligation=obligation, defaults={"status": status})
    return value_written(
        report,
        FIBRE,
        numerator=Decimal(numerator),
        denominator=Decimal(denominator),
        value=Decimal(numerator * 100) / Decimal(denominator),
    )


def _units(rule, label, level):
    return list(
        Obligation.objects.filter(rule=rule, period__label=label, admin_unit__level=level)
        .select_related("period", "admin_unit")
        .order_by("admin_unit__code")
    )


# The data end in 2024: assessed as of 2025, the 2025 milestones are still ahead.
AS_OF = datetime.date(2025, 6, 30)


@pytest.fixture
def fibre(half_years):
    """Fibre coverage approved at 40 % (2022) and 55 % (2024) in two districts; a third district's
    99 % for 2024 is submitted but not approved. Progress recomputed."""
    for label, num in ((LATE_2022, 40), (LATE_2024, 55)):
        for ob in _units(half_years, label, "district")[:2]:
            _value(ob, ReportStatus.APPROVED, num)
    _value(_units(half_years, LATE_2024, "district")[2], ReportStatus.SUBMITTED, 99)
    recompute_all(at=AS_OF)
    return Target.objects.get(document__code="qd-4216-2020", indicator__code=FIBRE, year=2025)


@pytest.fixture
def leader(client):
    client.force_login(UserFactory(role=Role.LEADER))
    return client


def _fibre_2025_targets() -> set[int]:
    return set(Target.objects.filter(indicator__code=FIBRE, year=2025).values_list("pk", flat=True))


# ---- the province overview ------------------------------------------------------------------------


def test_the_overview_shows_the_stored_status_counts_the_pillar_table_and_the_targets_at_risk(fibre, leader):
    # Given fibre coverage approved at 40 % (2022) and 55 % (2024), progress recomputed
    province = Scorecard.objects.get(kind="province")
    # When a leader opens the overview
    response = leader.get(reverse("analytics:overview"))
    # Then the cards are the province scorecard's counts, in the fixed status order
    assert response.status_code == 200
    summary = response.context["summary"]
    # (the 2022 milestone, 50 %, was met late by 2024's 55 %: counted as achieved)
    assert [(c.status, c.count) for c in summary.cards] == [
        ("target_achieved", 1),
        ("on_track", 0),
        ("needs_acceleration", 3),
        ("off_track", 0),
        ("regressing", 0),
        ("missed", 0),
        ("not_available", province.counts["not_available"]),
    ]
    assert summary.total == TargetProgress.objects.count()
    # The per-pillar table has the pillar scorecard's counts, and the chart its data beside it
    society = next(r for r in summary.pillars if r.key == "xa_hoi_so")
    card = Scorecard.objects.get(kind="pillar", key="xa_hoi_so")
    assert society.counts == [card.counts.get(s, 0) for s in STATUSES]
    assert society.counts[2] == 3
    html = response.content.decode()
    assert 'id="chart-pillars" role="img"' in html
    assert '<script id="chart-pillars-data" type="application/json">' in html
    # The three 2025 fibre targets (000, 001 III.2, 004; 55 % in 2024, on the way to 80 %) are at risk, with the latest
    # value and the projection 55·(55/40)^(1/2) = 64,49 → 64,5 % written with a decimal comma
    assert {r.target.pk for r in response.context["at_risk"]} == _fibre_2025_targets()
    assert html.count("55% (2024)") == 3
    assert html.count(">64,5%<") == 3
    assert html.count(">Cần đẩy nhanh</span>") >= 3
    assert reverse("analytics:target", args=[fibre.pk]) in html


def test_the_overview_lists_late_reports_and_the_rankings_with_their_reasons(fibre, leader):
    response = leader.get(reverse("analytics:overview"))
    late = response.context["late"]
    # Ten late reports at most, with a link to the full completeness page
    assert len(late.rows) == 10
    assert late.total > 10
    assert late.link == reverse("reports:completeness")
    communes = response.context["communes"]
    assert [c.rank for c in communes.top] == list(range(1, 11))
    assert communes.total == Scorecard.objects.filter(kind="commune").count()
    assert [c.rank for c in communes.bottom] == list(range(communes.total - 9, communes.total + 1))
    first = communes.top[0]
    assert "; ".join(first.reasons) in response.content.decode()


def test_the_progress_blocks_are_kept_until_progress_is_recomputed(fibre, leader):
    # Given the overview viewed once
    url = reverse("analytics:overview")
    leader.get(url)
    # When a target's label changes without a recomputation
    Target.objects.filter(pk=fibre.pk).update(label="Nhãn mới của chỉ tiêu cáp quang")
    kept = leader.get(url).content.decode()
    # Then the kept blocks still show the old one, and the page's other parts are read afresh
    assert "Nhãn mới của chỉ tiêu cáp quang" not in kept
    assert "báo cáo quá hạn hoặc gửi muộn" in kept
    # When progress is recomputed, the blocks are rendered again from the new stored progress
    recompute_all(at=AS_OF)
    assert "Nhãn mới của chỉ tiêu cáp quang" in leader.get(url).content.decode()


def _late_line(total: int) -> str:
    return f"{total} báo cáo quá hạn hoặc gửi muộn."


def test_the_late_box_is_kept_for_the_province_until_a_report_or_obligation_is_written(fibre, leader):
    # Given the overview viewed once by a leader (the province's late list, kept with its box)
    url = reverse("analytics:overview")
    total = leader.get(url).context["late"].total
    assert total > 10
    # When every due date moves past today behind the signals' back
    Obligation.objects.update(due=datetime.date(2099, 12, 31))
    kept = leader.get(url)
    # Then the kept box still shows what was counted, drawn without reading the list again
    assert _late_line(total) in kept.content.decode()
    assert kept.context["late"]._wrapped is empty
    # When a report is written (its signal drops the kept list), then the box is drawn afresh
    Report.objects.create(obligation=Obligation.objects.filter(report__isnull=True).first())
    html = leader.get(url).content.decode()
    assert "Không có báo cáo chậm." in html
    assert _late_line(total) not in html


def test_a_units_person_sees_its_own_late_list_never_the_provinces_kept_box(fibre, leader):
    # Given the province's box kept by a leader's view
    url = reverse("analytics:overview")
    province_total = leader.get(url).context["late"].total
    # When a district's reporter opens the overview
    district = _units(Obligation.objects.first().rule, LATE_2024, "district")[0].admin_unit
    reporter, _approver, _secretariat = unit_people(district)
    own_total = late_count(actor=Access.for_user(reporter))
    assert 0 < own_total < province_total
    other = Client()
    other.force_login(reporter)
    html = other.get(url).content.decode()
    # Then its box counts its own unit's late reports only
    assert _late_line(own_total) in html
    assert _late_line(province_total) not in html
    # And the leader still sees the province's kept box
    assert _late_line(province_total) in leader.get(url).content.decode()


def test_a_page_with_other_parameters_is_rendered_afresh(fibre, leader):
    url = reverse("analytics:overview")
    leader.get(url + "?khac=1")
    Target.objects.filter(pk=fibre.pk).update(label="Nhãn mới của chỉ tiêu cáp quang")
    assert "Nhãn mới của chỉ tiêu cáp quang" in leader.get(url + "?khac=1").content.decode()


@pytest.mark.parametrize("query", ["?nam=abc", "?nam=2025&nam=%3Cb%3E", "?tru_cot=zzz", "?nam=", "?khac=%22x%22"])
def test_a_query_that_is_not_the_filters_as_read_is_never_kept_for_the_next_visitor(fibre, leader, query):
    # Given a visitor's page with a query the filters ignore (its download links carry it)
    url = reverse("analytics:overview")
    leader.get(url + query)
    # When the next visitor opens the plain page
    html = leader.get(url).content.decode()
    # Then its download links carry nothing of the first visitor's query
    assert 'href="?xuat=xlsx&amp;bang=nguy-co"' in html
    for piece in ("abc", "%3Cb%3E", "zzz", "khac"):
        assert piece not in html


def test_the_year_and_pillar_filters_keep_only_those_targets(fibre, leader):
    # The 2022 milestone has passed: no 2022 target is at risk
    response = leader.get(reverse("analytics:overview"), {"nam": "2022"})
    assert response.context["year"] == 2022
    assert response.context["at_risk"] == []
    assert response.context["summary"].total == TargetProgress.objects.filter(target__year=2022).count()
    # Fibre is a "xã hội số" target: none at risk in "kinh tế số"
    response = leader.get(reverse("analytics:overview"), {"tru_cot": "kinh_te_so"})
    assert response.context["at_risk"] == []
    assert [r.key for r in response.context["summary"].pillars] == ["kinh_te_so"]
    response = leader.get(reverse("analytics:overview"), {"nam": "2025", "tru_cot": "xa_hoi_so"})
    assert {r.target.pk for r in response.context["at_risk"]} == _fibre_2025_targets()


@pytest.mark.parametrize("params", [{"nam": "abc"}, {"nam": "99999999999999999999"}, {"tru_cot": "zzz"}, {"nam": "-1"}])
def test_unreadable_filters_are_ignored(fibre, leader, params):
    response = leader.get(reverse("analytics:overview"), params)
    assert response.status_code == 200
    assert (response.context["year"], response.context["pillar"]) == (None, "")
    assert response.context["summary"].total == TargetProgress.objects.count()


# ---- a target -----------------------------------------------------------------------------------


def test_a_target_page_shows_its_series_projection_status_clause_and_reporters(fibre, leader):
    response = leader.get(reverse("analytics:target", args=[fibre.pk]))
    assert response.status_code == 200
    page = response.context["page"]
    stored = TargetProgress.objects.get(target=fibre)
    assert (page.status, page.status_label) == (stored.status, "Cần đẩy nhanh")
    assert page.ratio == round(stored.ratio, 2)
    assert [(o["year"], o["value"], o["source_label"], o["units"]) for o in page.observations] == [
        (2022, 40.0, "Tổng hợp từ các đơn vị", 2),
        (2024, 55.0, "Tổng hợp từ các đơn vị", 2),
    ]
    # The chart: observed line, a projection from the latest observation to 2025, the milestones
    assert page.chart["observed"] == [[2022, 40.0], [2024, 55.0]]
    assert page.chart["projection"] == [[2024, 55.0], [2025, round(stored.projected, 2)]]
    assert page.chart["milestones"] == [{"year": 2022, "value": 50.0}, {"year": 2025, "value": 80.0}]
    html = response.content.decode()
    assert ">40<" in html and ">55<" in html
    assert "64,5% (2025)" in html
    assert reverse("plans:clause", args=[fibre.document.code, fibre.clause.path]) in html
    reporters = IndicatorReporter.objects.filter(indicator__code=FIBRE).select_related("agency")
    assert [a.pk for a in page.reporters] == [a.pk for a in sorted((r.agency for r in reporters), key=lambda a: a.name)]
    assert page.reporters
    for r in reporters:
        assert r.agency.name in html
    # The values behind the latest point: the two districts' approved 55/100, not the submitted 99
    assert page.year == 2024
    assert sorted((v.numerator, v.denominator) for v in page.points) == [(55, 100), (55, 100)]


def test_the_values_behind_a_point_follow_the_chosen_year_and_ignore_a_bad_one(fibre, leader):
    url = reverse("analytics:target", args=[fibre.pk])
    page = leader.get(url, {"nam": "2022"}).context["page"]
    assert (page.year, sorted(v.numerator for v in page.points)) == (2022, [40, 40])
    for bad in ("2023", "abc", "1900"):
        page = leader.get(url, {"nam": bad}).context["page"]
        assert (page.year, sorted(v.numerator for v in page.points)) == (2024, [55, 55])


# ---- an agency, a commune --------------------------------------------------------------------------


def test_an_agency_page_shows_its_scorecard_targets_and_led_tasks(fibre, leader):
    # Given progress recomputed today (the page judges its tasks today): as of this year the 2025
    # fibre milestone (80 %) is past and 55 % never reached it
    recompute_all(at=datetime.date.today())
    agency = IndicatorReporter.objects.filter(indicator__code=FIBRE).select_related("agency").first().agency
    card = Scorecard.objects.get(kind="agency", key=agency.code)
    response = leader.get(reverse("analytics:agency", args=[agency.code]))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.scorecard == card
    assert [(c.status, c.count) for c in page.cards] == [(s, card.counts.get(s, 0)) for s in STATUSES]
    fibre_rows = [r for r in page.extra["targets"] if r.target.pk == fibre.pk]
    assert [(r.progress.status, r.status_label) for r in fibre_rows] == [("missed", "Không đạt")]
    # Each led task is listed once; the states add up to the scorecard's task counts
    states = {}
    for row in page.extra["tasks"]:
        states[row.state] = states.get(row.state, 0) + 1
    assert states == card.tasks
    assert '<script id="chart-body-data" type="application/json">' in response.content.decode()


def test_a_commune_page_shows_its_rank_and_its_own_series(half_years, leader):
    # Given one commune's approved fibre coverage of 15/20 households in the second half of 2025
    ob = _units(half_years, LATE_2025, "commune")[0]
    _value(ob, ReportStatus.APPROVED, 15, 20)
    recompute_all(at=AS_OF)
    card = Scorecard.objects.get(kind="commune", key=str(ob.admin_unit_id))
    # When a leader opens the commune's page
    response = leader.get(reverse("analytics:commune", args=[ob.admin_unit_id]))
    # Then it shows its rank among the communes and its own 75 % in the table
    assert response.status_code == 200
    page = response.context["page"]
    assert page.scorecard == card
    assert page.extra["years"] == [2025]
    [row] = page.extra["series"]
    assert (row["indicator"].code, [o.value for o in row["values"]]) == (FIBRE, [75.0])
    html = response.content.decode()
    assert f"{card.rank} / {Scorecard.objects.filter(kind='commune').count()}" in html
    assert ">75<" in html
    assert 'data-chart-select="chart-commune"' in html


def test_a_commune_page_judges_the_targets_it_reports_and_says_why_not_the_others(half_years, leader):
    # Given one commune's approved fibre coverage: 15/20 households (2025), assessed this year
    ob = _units(half_years, LATE_2025, "commune")[0]
    _value(ob, ReportStatus.APPROVED, 15, 20)
    recompute_all()
    # When a leader opens the commune's page
    response = leader.get(reverse("analytics:commune", args=[ob.admin_unit_id]))
    page = response.context["page"]
    # Then the fibre targets are judged on the commune's own 75 % (the 2025 milestones of 80 %
    # are past and missed; the 2022 ones of 50 % were met late, in 2025), and the scorecard
    # counts exactly those
    judged = page.extra["targets"]
    assert judged and {r["target"].indicator.code for r in judged} == {FIBRE}
    assert {(r["target"].year, r["status"], r["status_label"]) for r in judged} == {
        (2022, "target_achieved", "Đạt muộn (năm 2025)"),
        (2025, "missed", "Không đạt"),
    }
    card = Scorecard.objects.get(kind="commune", key=str(ob.admin_unit_id))
    assert sum(card.counts.values()) == len(judged)
    assert page.extra["reported"] == 1
    # and every other tracked target is accounted for, with the reason it has no status
    unjudged = page.extra["unjudged"]
    assert sum(g["n"] for g in unjudged) == page.extra["unjudged_targets"]
    tracked = Target.objects.filter(indicator__isnull=False, year__isnull=False, value__isnull=False).count()
    assert len(judged) + page.extra["unjudged_targets"] == tracked
    html = response.content.decode()
    assert "Xã báo cáo số liệu của 1 chỉ tiêu theo dõi" in html
    assert "Xã không báo cáo chỉ tiêu này" in html
    assert "không đánh giá cho từng xã" in html


@pytest.mark.parametrize("name", ["overview", "public", "target", "agency", "commune"])
def test_every_page_with_statuses_has_the_legend(fibre, leader, name):
    agency = IndicatorReporter.objects.filter(indicator__code=FIBRE).first().agency
    unit = Obligation.objects.filter(admin_unit__level="commune").first().admin_unit
    args = {"target": [fibre.pk], "agency": [agency.code], "commune": [unit.pk]}.get(name, [])
    html = leader.get(reverse(f"analytics:{name}", args=args)).content.decode()
    legend = html[html.index('<details class="legend">') : html.index("</details>")]
    for label in ("Đã đạt mục tiêu", "Đúng tiến độ", "Cần đẩy nhanh", "Chậm tiến độ", "Đi lùi", "Không đạt"):
        assert f">{label}</span>" in legend
    for label in ("Đạt đúng hạn", "Đạt muộn", "Chưa đủ dữ liệu"):
        assert f">{label}</span>" in legend
    assert "Tỷ số tiến độ R" in legend and "Điểm, từ −5 đến 5" in legend
    # assessed as of 2025 (the fixture's date), which is not this year: it says so
    assert "tính đến năm 2025" in legend
    assert f"chưa được tính lại cho năm {assessment_year()}" in legend


# ---- the public dashboard ---------------------------------------------------------------------------


def test_the_public_dashboard_works_anonymously_with_approved_figures_only(fibre, client):
    response = client.get(reverse("analytics:public"))
    assert response.status_code == 200
    html = response.content.decode()
    # The approved 55 % is there; had the submitted 99 % counted, 2024 would read (55+55+99)/3
    assert "55% (2024)" in html
    assert "69,7" not in html
    assert len(response.context["targets"]) == TargetProgress.objects.count()
    assert response.context["targets"][0].progress.status == "needs_acceleration"
    # No late reports, no rankings, no links to the pages behind the log-in
    assert 'id="h-late"' not in html
    assert 'id="h-rank"' not in html
    assert reverse("analytics:target", args=[fibre.pk]) not in html
    assert '<script id="chart-pillars-data" type="application/json">' in html


def test_the_nav_offers_the_public_dashboard_to_anonymous_visitors(client):
    html = client.get(reverse("site:home")).content.decode()
    assert f'href="{reverse("analytics:public")}"' in html


# ---- access and unknown places --------------------------------------------------------------------


def test_the_other_pages_require_a_log_in(fibre, client):
    unit = AdminUnit.objects.filter(level="commune").first()
    for url in (
        reverse("analytics:overview"),
        reverse("analytics:target", args=[fibre.pk]),
        reverse("analytics:agency", args=["SO_KHCN"]),
        reverse("analytics:commune", args=[unit.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


def test_unknown_targets_agencies_and_units_are_not_found(fibre, leader):
    untracked = Target.objects.filter(indicator__isnull=True).first()
    district = AdminUnit.objects.filter(level="district").first()
    for url in (
        reverse("analytics:target", args=[999_999]),
        reverse("analytics:agency", args=["KHONG_CO"]),
        reverse("analytics:commune", args=[999_999]),
        reverse("analytics:commune", args=[district.pk]),
        *([reverse("analytics:target", args=[untracked.pk])] if untracked else []),
    ):
        assert leader.get(url).status_code == 404, url
