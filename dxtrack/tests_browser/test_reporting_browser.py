"""A commune fills its quarterly report, its leader submits it, the secretariat returns it once and
then approves it; the completeness page counts it."""

import re

import pytest
from playwright.sync_api import expect

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.obligations.models import Obligation
from dxtrack.org.tests.factories import current_commune
from dxtrack.reports.services.opening import report_open
from dxtrack.tests_browser.htmx import autosave
from dxtrack.tests_browser.session import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HAM_RONG = "14758"
PLAN = "kh-bcd-cds-2024"
REASON = "Số liệu dịch vụ công chưa khớp với Cổng DVC, đề nghị rà soát lại."


def _autosave(page, row, action) -> None:
    autosave(page, row, action, url="/bao-cao/")


def _type(page, row, label: str, text: str) -> None:
    field = row.get_by_label(label, exact=True)
    _autosave(page, row, lambda: (field.fill(text), field.press("Tab")))


def test_a_quarterly_report_from_draft_to_approved(page, live_server, reference_data, calendar_2025):
    # Publishing, submitting and approving ask for confirmation first (ADR 0030): accept it.
    page.on("dialog", lambda dialog: dialog.accept())
    # Given the register, the reporting defaults and the 2025 calendar
    unit = current_commune(HAM_RONG)
    UserFactory(username="canbo", role=Role.REPORTER, admin_unit=unit, agency=None)
    UserFactory(username="chutich", role=Role.APPROVER, admin_unit=unit, agency=None)
    UserFactory(username="togiupviec", role=Role.SECRETARIAT)
    obligation = Obligation.objects.get(admin_unit=unit, period__label="Quý III/2025", rule__document__code=PLAN)
    expected = Obligation.objects.filter(period=obligation.period, rule=obligation.rule).count()

    # The reporter opens her unit's Quý III/2025 report and creates the draft
    open_as(page, live_server, "canbo", "/bao-cao/")
    page.get_by_label("Năm").fill("2025")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(re.compile(r"/bao-cao/\?nam=2025"))
    row = page.get_by_role("row").filter(has_text="Quý III/2025").filter(has_text=obligation.rule.document.reference)
    row.get_by_role("link", name="Mở báo cáo").click()
    page.get_by_role("button", name="Lập báo cáo").click()
    page.wait_for_url("**/bao-cao/*/")
    report_url = page.url
    expect(page.get_by_role("heading", name="Báo cáo Quý III/2025 — Phường Hàm Rồng")).to_be_visible()

    # She fills every indicator; the first ratio gets a numerator above its denominator
    rows = page.locator("article.vrow")
    first_ratio = None
    for i in range(rows.count()):
        value_row = rows.nth(i)
        if value_row.locator("input[name=numerator]").count():
            numerator = "50" if first_ratio is None else "30"
            first_ratio = first_ratio or value_row.get_attribute("id")
            _type(page, value_row, "Tử số", numerator)
            _type(page, value_row, "Mẫu số", "40")
        else:
            _type(page, value_row, "Giá trị", "12")
        expect(page.locator(f"#{value_row.get_attribute('id')} .save-status")).to_contain_text("Đã lưu lúc")

    # She sees the error next to the numerator, tied to it for screen readers, and fixes it
    ratio = page.locator(f"#{first_ratio}")
    numerator = ratio.get_by_label("Tử số", exact=True)
    message = page.locator(f"#{first_ratio}-numerator-msg")
    expect(message).to_have_text("Lỗi: Tử số không được lớn hơn mẫu số.")
    expect(numerator).to_have_attribute("aria-invalid", "true")
    assert f"{first_ratio}-numerator-msg" in numerator.get_attribute("aria-describedby")
    expect(page.locator("#kiem-tra")).to_contain_text("Tử số không được lớn hơn mẫu số.")
    _type(page, ratio, "Tử số", "32,5")
    expect(message).to_have_text("")
    expect(numerator).not_to_have_attribute("aria-invalid", "true")
    expect(ratio).to_contain_text("Tỷ lệ: 81,3%")
    expect(ratio.locator(".save-status")).to_contain_text("Đã lưu lúc")

    # She updates the tasks her unit leads: one in progress, the others done
    lead = page.locator("article.trow").filter(has=page.locator(".badge.role-lead"))
    for i in range(lead.count()):
        task = lead.nth(i)
        state = task.get_by_label("Tình trạng")
        if i == 0:
            _autosave(page, task, lambda state=state: state.select_option("in_progress"))
            expect(task).to_contain_text("Nhập tiến độ (%) của nhiệm vụ đang triển khai.")
            _type(page, task, "Tiến độ (%)", "60")
        else:
            _autosave(page, task, lambda state=state: state.select_option("done"))
        expect(task.locator(".save-status")).to_contain_text("Đã lưu lúc")
    _type(page, page.locator("#thuyet-minh"), "Kết quả đạt được", "Đã số hóa hồ sơ thủ tục hành chính.")
    expect(page.locator("#kiem-tra")).to_contain_text("Không còn lỗi: báo cáo gửi được.")

    # The approver submits it
    open_as(page, live_server, "chutich", report_url.removeprefix(live_server.url))
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#trang-thai")).to_have_text("Đã gửi")

    # The secretariat finds it in the queue and returns it with a reason
    open_as(page, live_server, "togiupviec", "/bao-cao/cho-duyet/")
    page.get_by_role("link", name="Xem và duyệt").click()
    page.get_by_label("Lý do trả lại").fill(REASON)
    page.get_by_role("button", name="Trả lại").click()
    expect(page.locator("#trang-thai")).to_have_text("Bị trả lại")

    # The reporter sees why, and her form is editable again
    open_as(page, live_server, "canbo", report_url.removeprefix(live_server.url))
    expect(page.get_by_role("note")).to_contain_text(REASON)
    value_row = page.locator("article.vrow").first
    _type(page, value_row, "Giải trình", "Đã rà soát lại với Cổng Dịch vụ công.")
    expect(value_row.locator(".save-status")).to_contain_text("Đã lưu lúc")

    # The approver submits again; the secretariat approves
    open_as(page, live_server, "chutich", report_url.removeprefix(live_server.url))
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#trang-thai")).to_have_text("Đã gửi")
    open_as(page, live_server, "togiupviec", report_url.removeprefix(live_server.url))
    page.get_by_role("button", name="Duyệt").click()
    expect(page.locator("#trang-thai")).to_have_text("Đã duyệt")

    # The completeness page counts it: 1 reported of every commune that had to
    page.goto(f"{live_server.url}/bao-cao/tong-hop/?nam=2025&loai=quarterly")
    link = page.locator(f"a[href='/bao-cao/tong-hop/{obligation.period_id}/?quy-dinh={obligation.rule_id}']")
    rates = page.get_by_role("row").filter(has=link)
    rate = f"{round(100 / expected, 1)}".replace(".", ",")
    expect(rates.locator("td[data-label='Phải báo cáo']")).to_have_text(str(expected))
    expect(rates.locator("td[data-label='Đã báo cáo']")).to_have_text("1")
    expect(rates.locator("td[data-label='Tỷ lệ báo cáo']")).to_have_text(f"{rate}%")
    link.click()
    expect(page.get_by_text(f"1/{expected} đơn vị đã báo cáo")).to_be_visible()


def test_what_is_typed_while_a_save_is_on_its_way_is_kept_and_saved(page, live_server, reference_data, calendar_2025):
    # Given a commune reporter on her report's form
    unit = current_commune(HAM_RONG)
    reporter = UserFactory(username="canbo", role=Role.REPORTER, admin_unit=unit, agency=None)
    obligation = Obligation.objects.get(admin_unit=unit, period__label="Quý III/2025", rule__document__code=PLAN)
    report = report_open(actor=reporter, obligation=obligation)
    open_as(page, live_server, "canbo", f"/bao-cao/{report.pk}/")
    row = page.locator("article.vrow").filter(has=page.locator("input[name=numerator]")).first
    row_id = row.get_attribute("id")
    # The server is slow: the first save is held until she has typed on
    held = []
    page.route("**/chi-tieu/**", lambda route: held.append(route) if not held else route.continue_())
    row.get_by_label("Tử số", exact=True).fill("30")
    row.get_by_label("Tử số", exact=True).press("Tab")
    page.wait_for_function("() => document.querySelector('.htmx-request') !== null")
    page.keyboard.type("60")
    # When the first save's answer arrives and the row is re-rendered
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/") and "chi-tieu" in r.url):
        held[0].continue_()
    # Then the denominator she typed meanwhile is still there, and is saved in turn
    expect(page.locator(f"#{row_id} .derived")).to_contain_text("50")
    assert page.locator(f"#{row_id}").get_by_label("Mẫu số", exact=True).input_value() == "60"
    value = report.values.get()
    assert (str(value.numerator), str(value.denominator)) == ("30.0000", "60.0000")
    # On a phone the assistant's button sits above the sticky save bar, not over its state and links
    for width, height in ((390, 844), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("window.scrollTo(0, 600)")
        bar, assistant = page.locator("#thanh-luu").bounding_box(), page.locator("#assistant").bounding_box()
        assert bar["y"] + bar["height"] <= height + 1  # the bar is stuck to the bottom of the screen
        assert assistant["y"] + assistant["height"] <= bar["y"], (width, assistant, bar)
