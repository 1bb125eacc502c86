"""The obligations list and the approval queue: filters in the URL (unit without diacritics,
status, period, plan), sorting, pages, few queries; bulk approval, all or nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.obligations.models import Obligation, Period
from dxtrack.org.models import AdminLevel, AdminUnit
from dxtrack.org.tests.factories import agency, current_commune
from dxtrack.plans.models import Document, ReportingRule
from dxtrack.reports.models import Report, ReportStatus
from dxtrack.reports.services.bulk_approval import Confirmed, reports_approve
from dxtrack.reports.tests.builders import HAM_RONG

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world():
    """One plan with a quarterly rule, Quý III/2025, and the obligations of Hàm Rồng and seven
    other communes: Hàm Rồng's and two others' reports submitted, one draft, four not opened."""
    document = Document.objects.create(code="kh-thu", doc_type="ke_hoach", title="Kế hoạch thử", year=2025)
    rule = ReportingRule.objects.create(
        document=document, period_type="quarterly", due=["15/9"], recipient=agency("SO_KHCN")
    )
    period = Period.objects.create(
        period_type="quarterly",
        year=2025,
        number=3,
        label="Quý III/2025",
        start=D(2025, 7, 1),
        end=D(2025, 9, 30),
        data_from=D(2025, 6, 15),
        data_to=D(2025, 9, 14),
    )
    ham_rong = current_commune(HAM_RONG)
    others = list(
        AdminUnit.objects.filter(level=AdminLevel.COMMUNE, valid_to__isnull=True)
        .exclude(pk=ham_rong.pk)
        .order_by("code")[:7]
    )
    units = [ham_rong, *others]
    obligations = [
        Obligation.objects.create(
            rule=rule,
            period=period,
            admin_unit=u,
            due=D(2025, 9, 15),
            window_from=period.data_from,
            window_to=period.data_to,
        )
        for u in units
    ]
    now = timezone.now()
    submitted = [
        Report.objects.create(obligation=ob, status=ReportStatus.SUBMITTED, submitted_at=now, first_submitted_at=now)
        for ob in obligations[:3]
    ]
    Report.objects.create(obligation=obligations[3], status=ReportStatus.DRAFT)
    return {"document": document, "period": period, "units": units, "obligations": obligations, "submitted": submitted}


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


def _login(client, user):
    client.force_login(user)
    return client


def test_the_unit_filter_finds_ham_rong_without_diacritics(client, world, secretariat):
    # When the secretariat filters the obligations by "ham rong" (no diacritics)
    response = _login(client, secretariat).get(reverse("reports:index"), {"don-vi": "ham rong"})
    # Then the one obligation listed is Phường Hàm Rồng's
    rows = response.context["rows"]
    assert [r["obligation"].admin_unit.name for r in rows] == ["Phường Hàm Rồng"]
    assert 'value="ham rong"' in response.text


def test_status_period_and_plan_filters(client, world, secretariat):
    client = _login(client, secretariat)
    url = reverse("reports:index")
    period, document = world["period"], world["document"]
    assert len(client.get(url, {"trang-thai": "submitted"}).context["rows"]) == 3
    assert len(client.get(url, {"trang-thai": "none"}).context["rows"]) == 4
    assert len(client.get(url, {"trang-thai": "draft", "ky": period.pk, "ke-hoach": document.pk}).context["rows"]) == 1
    # A period of no obligation, and an unreadable one (ignored, not a 500)
    assert len(client.get(url, {"ky": period.pk + 1000}).context["rows"]) == 0
    assert len(client.get(url, {"ky": "x'"}).context["rows"]) == 8


def test_sorting_by_unit_and_pages_keep_the_filters(client, world, secretariat):
    client = _login(client, secretariat)
    response = client.get(reverse("reports:index"), {"sap-xep": "-don-vi", "trang-thai": "none"})
    names = [r["obligation"].admin_unit.search_name for r in response.context["rows"]]
    assert names == sorted(names, reverse=True)
    lq = response.context["lq"]
    assert lq.page_url(2) == "?trang-thai=none&sap-xep=-don-vi&trang=2"


def test_the_list_reads_in_few_queries_whatever_its_length(client, world, secretariat, django_assert_max_num_queries):
    client = _login(client, secretariat)
    # session, user, count, rows, the two lists of choices, and the page's few others
    with django_assert_max_num_queries(10):
        client.get(reverse("reports:index"))
    with django_assert_max_num_queries(10):
        client.get(reverse("reports:queue"), {"don-vi": "phuong"})


def test_a_reporter_sees_only_their_units_obligations(client, world):
    reporter = UserFactory(role=Role.REPORTER, admin_unit=world["units"][1], agency=None)
    response = _login(client, reporter).get(reverse("reports:index"), {"don-vi": "ham rong"})
    assert response.context["rows"] == []


def test_the_queue_filters_by_unit_and_confirms_exactly_the_ticked_reports(client, world, secretariat):
    client = _login(client, secretariat)
    # Given the queue filtered "ham rong": one report
    queue = client.get(reverse("reports:queue"), {"don-vi": "ham rong"})
    assert [r["report"].pk for r in queue.context["rows"]] == [world["submitted"][0].pk]
    # When three are ticked and one that is only a draft
    draft = Report.objects.get(status=ReportStatus.DRAFT)
    ids = [r.pk for r in world["submitted"]] + [draft.pk]
    confirm = client.get(reverse("reports:queue_approve"), {"bao-cao": ids})
    # Then the confirmation lists the three submitted ones, and says one was left out
    assert [r.pk for r in confirm.context["reports"]] == [r.pk for r in world["submitted"]]
    assert confirm.context["asked"] == 4
    # And nothing is approved yet
    assert Report.objects.filter(status=ReportStatus.APPROVED).count() == 0
    # When confirmed
    posted = [f"{r.pk}:{r.version}" for r in world["submitted"]]
    done = client.post(reverse("reports:queue_approve") + "?quay-lai=%3Fdon-vi%3Dham", {"bao-cao": posted})
    # Then all three are approved, each with its own audit event, and the queue comes back filtered
    assert done.status_code == 302 and done["Location"] == reverse("reports:queue") + "?don-vi=ham"
    assert Report.objects.filter(status=ReportStatus.APPROVED).count() == 3
    assert AuditEvent.objects.filter(action="reporting.report.approve").count() == 3


def test_one_refused_report_approves_none_and_names_it(client, world, secretariat):
    # Given one of the three changed since the confirmation was shown (its version moved on)
    a, b, c = world["submitted"]
    confirmed = [Confirmed(a.pk, a.version), Confirmed(b.pk, b.version + 1), Confirmed(c.pk, c.version)]
    # When the batch is approved
    with pytest.raises(InvalidData) as refused:
        reports_approve(actor=secretariat, confirmed=confirmed)
    # Then none is approved, no audit event stays, and the refusal names the changed one
    assert Report.objects.filter(status=ReportStatus.APPROVED).count() == 0
    assert AuditEvent.objects.filter(action="reporting.report.approve").count() == 0
    assert len(refused.value.details) == 1
    assert refused.value.details[0].startswith(f"{b.obligation.admin_unit.name} — Quý III/2025: ")


def test_the_page_answers_a_refused_batch_with_every_reason(client, world, secretariat):
    a, b, _c = world["submitted"]
    response = _login(client, secretariat).post(
        reverse("reports:queue_approve"), {"bao-cao": [f"{a.pk}:{a.version}", f"{b.pk}:{b.version + 5}"]}
    )
    assert response.status_code == 400
    assert "Không duyệt báo cáo nào" in response.context["error"]
    assert Report.objects.filter(status=ReportStatus.APPROVED).count() == 0


def test_only_the_secretariat_approves_in_bulk(client, world):
    leader = UserFactory(role=Role.LEADER)
    a = world["submitted"][0]
    with pytest.raises(NotAllowed):
        reports_approve(actor=leader, confirmed=[Confirmed(a.pk, a.version)])
    response = _login(client, leader).post(reverse("reports:queue_approve"), {"bao-cao": [f"{a.pk}:{a.version}"]})
    assert response.status_code == 403
    # Nothing changed
    assert Report.objects.filter(status=ReportStatus.SUBMITTED).count() == 3
    assert AuditEvent.objects.filter(action="reporting.report.approve").count() == 0


def test_a_periods_units_filter_by_name_and_status(client, world, secretariat):
    client = _login(client, secretariat)
    url = reverse("reports:period", args=[world["period"].pk])
    assert len(client.get(url).context["rows"]) == 8
    assert [r["obligation"].admin_unit.name for r in client.get(url, {"don-vi": "ham rong"}).context["rows"]] == [
        "Phường Hàm Rồng"
    ]
    assert len(client.get(url, {"trang-thai": "none"}).context["rows"]) == 4


def test_submit_and_approve_ask_before_they_act(client, world, secretariat):
    # The secretariat's approve button on a submitted report carries the question
    report = world["submitted"][0]
    html = _login(client, secretariat).get(reverse("reports:report", args=[report.pk])).text
    assert 'data-confirm="Duyệt báo cáo này? Số liệu sẽ được dùng ngay để tính tiến độ."' in html
    # The unit's approver's submit button on a draft
    draft = Report.objects.get(status=ReportStatus.DRAFT)
    approver = UserFactory(role=Role.APPROVER, admin_unit=draft.obligation.admin_unit, agency=None)
    html = _login(client, approver).get(reverse("reports:report", args=[draft.pk])).text
    assert 'data-confirm="Gửi báo cáo này cho Tổ giúp việc?' in html


def test_the_new_pages_speak_vietnamese_only(client, world, secretariat):
    from dxtrack.analytics.models import Scorecard
    from dxtrack.core.tests.english import english_in

    Scorecard.objects.create(
        kind="commune", key=str(world["units"][0].pk), label="Phường Hàm Rồng", rank=1, score=3, status="on_track"
    )
    client = _login(client, secretariat)
    ids = "&".join(f"bao-cao={r.pk}" for r in world["submitted"])
    urls = [
        reverse("reports:index") + "?don-vi=ham&sap-xep=-han",
        reverse("reports:queue") + "?trang-thai=submitted",
        reverse("reports:queue_approve") + "?" + ids,
        reverse("reports:period", args=[world["period"].pk]),
        reverse("plans:search") + "?q=ham+rong",
        reverse("plans:targets") + "?q=dich+vu",
        reverse("analytics:ranking", args=["xa"]) + "?q=ham",
        reverse("site:help"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_in(response.text) == [], url


def test_an_agencys_report_in_the_queue_is_named_and_ticked_like_a_communes(client, world, secretariat):
    # Given an agency's submitted report beside the communes' (no admin unit on its obligation)
    ob = world["obligations"][0]
    agency_ob = Obligation.objects.create(
        rule=ob.rule,
        period=ob.period,
        agency=agency("SO_TAI_CHINH"),
        due=ob.due,
        window_from=ob.window_from,
        window_to=ob.window_to,
    )
    now = timezone.now()
    Report.objects.create(obligation=agency_ob, status=ReportStatus.SUBMITTED, submitted_at=now, first_submitted_at=now)
    # Then the queue lists it with its tick box named after the agency
    response = _login(client, secretariat).get(reverse("reports:queue"))
    assert response.status_code == 200
    assert 'aria-label="Chọn báo cáo Sở Tài chính Quý III/2025"' in response.text
