"""An enterprise in the browser (ADR 0040): it registers on the public page (a wrong check digit
first, told in Vietnamese), answers the 1970 enterprise index pillar by pillar (each choice saved
at once) and sees its level per pillar, with a chart each, and overall: the level the 1970 rule
gives. Nothing on the way needs what the security policy refuses."""

import pytest
from playwright.sync_api import expect

from dxtrack.accounts.access import SYSTEM
from dxtrack.assessments.models import EnterpriseResult, Framework
from dxtrack.assessments.services.frameworks import frameworks_load
from dxtrack.org.tests.factories import current_commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HAM_RONG = "14758"
PASSWORD = "Doanh-nghiep-so-2026!"
# Every criterion at 3 but strategy (pillar 2) at 5 and data (pillar 6) at 1: 192 + 10 − 14
# = 188 points; pillars 1, 3, 4, 5 at 60% → 3, strategy 100% → 5, data 20% → 1. Over 128 with
# five pillars at ≥ 3: level 3 (Hình thành); not 4, which needs over 192 points.
BY_PILLAR = {"2": "5", "6": "1"}


def test_an_enterprise_registers_answers_and_sees_its_level(page, live_server, reference_data):
    frameworks_load(actor=SYSTEM)
    framework = Framework.objects.get(code="dbi-1970-doanh-nghiep")
    unit = current_commune(HAM_RONG)
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)

    # Given a visitor on the public registration page
    page.goto(f"{live_server.url}/doanh-nghiep/dang-ky/")
    page.get_by_label("Tên doanh nghiệp").fill("Công ty CP Số hóa Hàm Rồng")
    page.get_by_label("Mã số thuế").fill("0101248142")  # the check digit is wrong
    page.get_by_label("Ngành kinh tế chính").select_option("J")
    page.get_by_label("Xã, phường nơi đặt trụ sở").fill(f"{unit.name} — mã {unit.code}")
    page.get_by_label("Người liên hệ").fill("Lê Thị Minh")
    page.get_by_label("Thư điện tử").fill("minh@congty.vn")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()
    # Then the wrong code is refused in Vietnamese, the rest kept
    expect(page.get_by_text("chữ số kiểm tra (chữ số thứ 10) không đúng")).to_be_visible()
    expect(page.get_by_label("Tên doanh nghiệp")).to_have_value("Công ty CP Số hóa Hàm Rồng")
    # When the right code is typed
    page.get_by_label("Mã số thuế").fill("0101248141")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()
    # Then the enterprise is signed in on its own page
    page.wait_for_url("**/doanh-nghiep/")
    expect(page.get_by_role("heading", name="Công ty CP Số hóa Hàm Rồng", level=1)).to_be_visible()
    expect(page.get_by_text("Tên đăng nhập của bạn là mã số thuế 0101248141.")).to_be_visible()

    # When it answers each pillar, one choice at a time (each saved at once)
    for group in framework.groups.order_by("position"):
        level = BY_PILLAR.get(group.code, "3")
        for criterion in group.criteria.order_by("position", "pk"):
            with page.expect_response(lambda r: r.request.method == "POST" and "/doanh-nghiep/tra-loi/" in r.url):
                page.locator(f"#c-{criterion.code.replace('.', '\\.')}").select_option(level)
        # Then the pillar's level shows as soon as its last criterion is answered
        expect(page.locator(f"#tru-cot-{group.code}")).to_contain_text("Mức ")

    # Then the overall level is the 1970 rule's: level 3, with 188 points
    expect(page.locator(".level-overall")).to_contain_text("Mức 3 — Hình thành")
    expect(page.locator(".level-overall")).to_contain_text("188/320")
    expect(page.locator("#tru-cot-2")).to_contain_text("Mức 5 — Dẫn dắt")
    expect(page.locator("#tru-cot-6")).to_contain_text("Mức 1 — Khởi động")
    expect(page.locator("#tru-cot-1")).to_contain_text("Mức 3 — Hình thành")
    # and each pillar has its chart, drawn
    for group in framework.groups.all():
        expect(page.locator(f"#bieu-do-{group.code} canvas")).to_be_visible()
    # and the answer is kept as this year's result
    result = EnterpriseResult.objects.get()
    assert (float(result.total), result.level, result.pillar_levels) == (
        188.0,
        3,
        {"1": 3, "2": 5, "3": 3, "4": 3, "5": 3, "6": 1},
    )
    # and after a reload the answers and the level are still there
    page.reload()
    expect(page.locator(".level-overall")).to_contain_text("Mức 3 — Hình thành")
    expect(page.locator("#c-2\\.01")).to_have_value("5")
    assert refused == []
