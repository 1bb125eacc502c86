"""A day's work in Chromium: the reporter asks for the signature from her start page, the approver
finds it in the bell and submits; a user who forgot the password sets a new one by the e-mailed
link (read from the outbox: the live server runs in this process, with the test mail backend)."""

import re

import pytest
from playwright.sync_api import expect

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import PASSWORD, UserFactory
from dxtrack.obligations.models import Obligation
from dxtrack.org.tests.factories import current_commune
from dxtrack.reports.models import Report
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.tests.builders import filled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HAM_RONG = "14758"
PLAN = "kh-bcd-cds-2024"
NEW_PASSWORD = "Mat-khau-moi-cua-chu-tich-2026"


def _login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Logs in from the log-in page with no `next`: the site leads to the start page."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/viec-cua-toi/")


def test_signature_request_reaches_the_bell_and_a_forgotten_password_is_reset(
    page, live_server, reference_data, calendar_2025, mailoutbox
):
    # Given Hàm Rồng's Quý III/2025 report, filled by its reporter
    unit = current_commune(HAM_RONG)
    reporter = UserFactory(username="canbo", role=Role.REPORTER, admin_unit=unit, agency=None)
    UserFactory(username="chutich", role=Role.APPROVER, admin_unit=unit, agency=None, email="chutich@hamrong.example")
    UserFactory(username="togiupviec", role=Role.SECRETARIAT, email="tgv@example.org")
    obligation = Obligation.objects.get(admin_unit=unit, period__label="Quý III/2025", rule__document__code=PLAN)
    report = filled(report_open(actor=reporter, obligation=obligation), reporter)
    page.on("dialog", lambda dialog: dialog.accept())  # any confirmation before an action

    # The reporter logs in, lands on her start page and asks the chairman to sign
    _login(page, live_server, "canbo")
    expect(page.get_by_role("heading", name="Việc của tôi", exact=True)).to_be_visible()
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    page.get_by_role("button", name="Đề nghị ký gửi").click()
    expect(page.get_by_text("Đã đề nghị lãnh đạo đơn vị ký gửi báo cáo.")).to_be_visible()

    # The chairman logs in: the bell counts one unread notification
    _login(page, live_server, "chutich")
    bell = page.locator("header a.bell")
    expect(bell.locator(".badge")).to_have_text("1")
    expect(page.locator("#cho-ky")).to_contain_text("đề nghị ký gửi lúc")
    bell.click()
    page.wait_for_url("**/thong-bao/")
    note = page.locator("li.notification.unread")
    expect(note).to_contain_text("Báo cáo Quý III/2025 của Phường Hàm Rồng chờ anh/chị ký gửi")
    note.get_by_role("button", name="Mở").click()
    page.wait_for_url(f"**/bao-cao/{report.pk}/")
    expect(page.locator("header a.bell .badge")).to_have_count(0)  # read on opening
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text("Đã gửi báo cáo.")).to_be_visible()
    assert Report.objects.get(pk=report.pk).status == "submitted"
    # Each notification was e-mailed once: the request to the chairman, the submission to the secretariat
    assert sorted(m.to[0] for m in mailoutbox) == ["chutich@hamrong.example", "tgv@example.org"]

    # The chairman forgets his password and asks for a reset from the log-in page
    mailoutbox.clear()
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.get_by_label("Địa chỉ e-mail của tài khoản").fill("chutich@hamrong.example")
    page.get_by_role("button", name="Gửi thư đặt lại mật khẩu").click()
    expect(page.get_by_role("heading", name="Hãy kiểm tra hộp thư")).to_be_visible()
    (mail,) = mailoutbox
    assert mail.subject == "dxtrack: đặt lại mật khẩu"
    link = re.search(r"https?://\S+/tai-khoan/dat-lai-mat-khau/\S+/", mail.body).group(0)

    # He follows the link and sets a new password, then logs in with it
    page.goto(link)
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Xác nhận mật khẩu mới").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đặt mật khẩu").click()
    expect(page.get_by_role("heading", name="Đã đặt mật khẩu mới")).to_be_visible()
    _login(page, live_server, "chutich", NEW_PASSWORD)
    expect(page.locator("#cho-ky")).to_be_visible()
