"""Finding things, on a phone (390 px, the `page` fixture's width): the secretariat finds a
commune's report by its name typed without diacritics and approves it with two others after the
confirmation; the leader finds the commune in the full ranking and opens its page; the
reporter's pages and the queue never scroll sideways."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.analytics.models import Scorecard
from dxtrack.obligations.models import Obligation
from dxtrack.org.tests.factories import current_commune
from dxtrack.reports.models import Report, ReportStatus
from dxtrack.reports.services.opening import report_open
from dxtrack.tests_browser.session import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HAM_RONG = "14758"
PLAN = "kh-bcd-cds-2024"
WIDTH = 390


def _fits(page) -> None:
    """No sideways scroll at the phone's width."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide"


def test_find_approve_in_bulk_and_open_a_commune_from_the_ranking_on_a_phone(
    page, live_server, reference_data, calendar_2025
):
    # Given the register, the 2025 calendar, and four communes' Quý III/2025 reports submitted
    ham_rong = current_commune(HAM_RONG)
    quarter = Obligation.objects.filter(
        rule__document__code=PLAN, period__label="Quý III/2025", admin_unit__isnull=False
    )
    mine = quarter.get(admin_unit=ham_rong)
    others = list(quarter.exclude(pk=mine.pk).select_related("admin_unit").order_by("admin_unit__code")[:3])
    now = timezone.now()
    for ob in [mine, *others]:
        Report.objects.create(obligation=ob, status=ReportStatus.SUBMITTED, submitted_at=now, first_submitted_at=now)
    UserFactory(username="togiupviec", role=Role.SECRETARIAT)
    UserFactory(username="lanhdao", role=Role.LEADER)
    reporter = UserFactory(username="canbo", role=Role.REPORTER, admin_unit=ham_rong, agency=None)
    next_quarter = Obligation.objects.get(rule__document__code=PLAN, period__label="Quý IV/2025", admin_unit=ham_rong)
    draft = report_open(actor=reporter, obligation=next_quarter)
    for rank, ob in enumerate([*others, mine], start=1):
        Scorecard.objects.create(
            kind="commune",
            key=str(ob.admin_unit_id),
            label=ob.admin_unit.name,
            rank=rank,
            score=5 - rank,
            status="on_track",
            reasons=["Có số liệu"],
        )
    page.on("dialog", lambda dialog: dialog.accept())

    # The reporter's pages fit a phone: her list, an obligation not opened yet, her draft report
    open_as(page, live_server, "canbo", "/bao-cao/")
    _fits(page)
    page.goto(f"{live_server.url}/bao-cao/{draft.pk}/")
    expect(page.locator("#trang-thai")).to_have_text("Đang soạn")
    _fits(page)
    unopened = Obligation.objects.filter(admin_unit=ham_rong, report__isnull=True).first()
    page.goto(f"{live_server.url}/bao-cao/nghia-vu/{unopened.pk}/")
    _fits(page)

    # The secretariat searches the queue for "ham rong", without diacritics: one report, Hàm Rồng's
    open_as(page, live_server, "togiupviec", "/bao-cao/cho-duyet/")
    _fits(page)
    page.get_by_label("Đơn vị", exact=True).fill("ham rong")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(re.compile(r"/bao-cao/cho-duyet/\?.*don-vi=ham\+rong"))
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Phường Hàm Rồng")
    _fits(page)

    # She ticks it and two others of the whole queue
    page.get_by_role("link", name="Bỏ lọc").click()
    expect(page.locator("table.queue tbody tr")).to_have_count(4)
    chosen = [ham_rong.name, others[0].admin_unit.name, others[1].admin_unit.name]
    for name in chosen:
        page.get_by_label(f"Chọn báo cáo {name} Quý III/2025").check()
    page.get_by_role("button", name="Duyệt các báo cáo đã chọn…").click()

    # The confirmation lists exactly those three; nothing is approved before she confirms
    page.get_by_role("heading", name="Xác nhận duyệt báo cáo").wait_for()
    listed = page.locator("ol.confirm-list li")
    expect(listed).to_have_count(3)
    for name in chosen:
        expect(page.locator("ol.confirm-list")).to_contain_text(name)
    _fits(page)
    assert Report.objects.filter(status=ReportStatus.APPROVED).count() == 0
    page.get_by_role("button", name="Duyệt 3 báo cáo").click()

    # Back on the queue: three approved, the fourth still waits
    page.wait_for_url("**/bao-cao/cho-duyet/*")
    expect(page.get_by_role("status")).to_contain_text("Đã duyệt 3 báo cáo.")
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
    expect(page.locator("table.queue tbody tr").first).to_contain_text(others[2].admin_unit.name)
    approved = set(
        Report.objects.filter(status=ReportStatus.APPROVED).values_list("obligation__admin_unit__name", flat=True)
    )
    assert approved == set(chosen)

    # The leader searches the full ranking for the commune and opens its page
    open_as(page, live_server, "lanhdao", "/tien-do/xep-hang/xa/")
    page.get_by_label("Tên", exact=True).fill("ham rong")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Phường Hàm Rồng").click()
    page.wait_for_url(f"**/tien-do/xa/{ham_rong.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Phường Hàm Rồng")
    expect(page.locator("nav.crumbs")).to_contain_text("Bảng xếp hạng")
