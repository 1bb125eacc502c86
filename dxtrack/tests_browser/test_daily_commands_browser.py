"""Issue 16, items 4 and 6 in a real browser: the reporter works the long form with last period's
values beside the fields, jumps to the row in error and sees the save bar say it is saved; the
secretariat previews and sends the reminders from a page and closes a period."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.obligations.models import Obligation, Period
from dxtrack.org.tests.factories import current_commune
from dxtrack.reports.models import Report, ReportStatus
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tests.builders import filled
from dxtrack.tests_browser.htmx import autosave
from dxtrack.tests_browser.session import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HAM_RONG = "14758"
PLAN = "kh-bcd-cds-2024"


def _autosave(page, row, action) -> None:
    autosave(page, row, action, url="/bao-cao/")


def test_the_reporters_long_form_and_the_secretariats_commands(
    page, live_server, reference_data, calendar_2025, monkeypatch
):
    # Given the register and calendar; Hàm Rồng's Q3/2025 report approved, its Q4 a draft
    unit = current_commune(HAM_RONG)
    reporter = UserFactory(username="canbo", role=Role.REPORTER, admin_unit=unit, agency=None, email="cb@hr.example")
    approver = UserFactory(username="chutich", role=Role.APPROVER, admin_unit=unit, agency=None, email="ct@hr.example")
    secretariat = UserFactory(username="togiupviec", role=Role.SECRETARIAT)
    q3 = Obligation.objects.get(admin_unit=unit, period__label="Quý III/2025", rule__document__code=PLAN)
    q4 = Obligation.objects.get(admin_unit=unit, period__label="Quý IV/2025", rule__document__code=PLAN)
    old = filled(report_open(actor=reporter, obligation=q3), reporter)
    report_transition(actor=approver, report=old, action="submit")
    report_transition(actor=Access.for_user(secretariat), report=old, action="approve")
    report = report_open(actor=reporter, obligation=q4)

    # The reporter opens Q4's form and sees Q3's approved numerator beside the field
    open_as(page, live_server, "canbo", f"/bao-cao/{report.pk}/")
    ratio = page.locator("article.vrow").filter(has=page.locator("input[name=numerator]")).first
    ratio_id = ratio.get_attribute("id")
    expect(page.locator(f"#{ratio_id}-numerator-prev")).to_have_text("Kỳ trước (Quý III/2025): 40")
    expect(page.locator("#trang-thai-luu")).to_contain_text("đã lưu")

    # She types a numerator above the denominator; the save bar says it is saved
    numerator = ratio.get_by_label("Tử số", exact=True)
    _autosave(page, ratio, lambda: (numerator.fill("50"), numerator.press("Tab")))
    ratio = page.locator(f"#{ratio_id}")
    denominator = ratio.get_by_label("Mẫu số", exact=True)
    _autosave(page, ratio, lambda: (denominator.fill("40"), denominator.press("Tab")))
    expect(page.locator("#trang-thai-luu")).to_have_text(re.compile(r"^Mọi thay đổi đã lưu \(lúc \d\d:\d\d\)$"))

    # The jump list at the top takes her to that row, the cursor in its faulty field
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("#di-den-loi").get_by_role("link").filter(has_text="Lỗi").first.click()
    expect(page).to_have_url(re.compile(f"#{ratio_id}$"))
    expect(page.locator(f"#{ratio_id}").get_by_label("Tử số", exact=True)).to_be_focused()
    expect(page.locator(f"#{ratio_id}")).to_be_in_viewport()

    # A number the server cannot read is refused: the bar says so rather than "saved"
    plain = page.locator("article.vrow").filter(has=page.locator("input[name=value]")).first
    value = plain.get_by_label("Giá trị", exact=True)
    _autosave(page, plain, lambda: (value.fill("mười hai"), value.press("Tab")))
    expect(page.locator("#trang-thai-luu")).to_have_text("Có ô chưa lưu được: xem thông báo bên cạnh ô đó.")

    # The secretariat previews the reminders owed five days before Q4's due date, then sends them
    today = q4.due - datetime.timedelta(days=5)
    monkeypatch.setattr(timezone, "localdate", lambda *a: today)
    open_as(page, live_server, "togiupviec", "/bao-cao/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Vận hành").click()
    page.get_by_role("link", name="Gửi nhắc báo cáo ngay").click()
    # (only Hàm Rồng has people with addresses: every reminder it is owed goes to each of them,
    # in the app and by e-mail, as the preview says)
    sent_before = len(mail.outbox)  # (the signature request above was mailed to the approver)
    ours = page.locator("#xem-truoc").get_by_role("row").filter(has_text="Phường Hàm Rồng")
    owed = ours.count()
    preview = ours.filter(has_text="Quý IV/2025")
    expect(preview).to_contain_text(
        "chutich (trong ứng dụng và e-mail ct@hr.example), canbo (trong ứng dụng và e-mail cb@hr.example)"
    )
    expect(preview).to_contain_text("Sắp đến hạn")
    assert len(mail.outbox) == sent_before
    page.get_by_role("button", name=f"Gửi {owed} thư nhắc", exact=True).click()
    expect(page.locator("#ket-qua")).to_contain_text(f"Đã gửi {owed} thư")
    reminders = mail.outbox[sent_before:]
    assert sorted(m.to for m in reminders) == [["cb@hr.example"]] * owed + [["ct@hr.example"]] * owed
    assert any("Quý IV/2025 của Phường Hàm Rồng sắp đến hạn" in m.subject for m in reminders)

    # She closes Q3/2025: the confirmation counts the approved report it locks
    page.get_by_role("link", name="Về trang lệnh vận hành").click()
    page.get_by_role("link", name="Khóa sổ kỳ báo cáo").click()
    page.get_by_role("link", name="Khóa sổ… Quý III/2025").click()
    expect(page.locator("#tinh-hinh")).to_contain_text("Đã duyệt — sẽ được khóa")
    page.get_by_role("button", name="Khóa sổ kỳ Quý III/2025").click()
    expect(page.locator("#ket-qua")).to_contain_text("Đã khóa 1 báo cáo đã duyệt")
    assert Period.objects.get(pk=q3.period_id).closed_at is not None
    assert Report.objects.get(pk=old.pk).status == ReportStatus.LOCKED
