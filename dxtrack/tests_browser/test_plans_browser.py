"""The secretariat imports a plan, reviews it and publishes it; the register then shows it."""

import pytest
from playwright.sync_api import expect

from dxtrack.accounts import services as account_services
from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.tests.factories import PASSWORD
from dxtrack.org.models import Agency
from dxtrack.plans.tests.plan_samples import PLAN_V1

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_review_publish_and_browse(page, live_server, reference_data, tmp_path):
    # Publishing, submitting and approving ask for confirmation first (ADR 0030): accept it.
    page.on("dialog", lambda dialog: dialog.accept())
    account_services.user_create(
        actor=SYSTEM,
        username="totruong",
        password=PASSWORD,
        role="secretariat",
        agency=Agency.objects.get(code="SO_KHCN"),
    )
    plan = tmp_path / "ke-hoach-77.txt"
    plan.write_bytes(PLAN_V1)

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/ke-hoach/nhap/")
    page.get_by_label("Tên đăng nhập").fill("totruong")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/ke-hoach/nhap/")

    # Upload the plan: the review page shows the proposals beside the source text
    page.get_by_label("Tệp văn bản (.docx, .pdf, .xlsx, .txt)").set_input_files(str(plan))
    page.get_by_role("button", name="Đọc văn bản").click()
    page.wait_for_url("**/ke-hoach/nhap/*/")
    expect(page.get_by_text("Xây dựng kho dữ liệu dùng chung của tỉnh").first).to_be_visible()

    # Reject the first target with htmx (no page reload), accept the rest, publish
    first = page.locator("article.item").first
    first.get_by_role("button", name="Loại bỏ").click()
    page.locator("article.item.decision-rejected").first.wait_for()
    page.get_by_role("button", name="Chấp nhận tất cả mục chưa duyệt").click()
    page.get_by_label("Vẫn đưa vào danh mục", exact=False).check()  # no indicator catalogue here (issue 15)
    page.get_by_role("button", name="Đưa vào danh mục").click()
    # The review page then says what publishing did, with a link to the document
    page.get_by_role("heading", name="Kết quả đưa vào danh mục").wait_for()
    page.locator("section.outcome").get_by_role("link", name="77/KH-UBND").click()
    page.wait_for_url("**/ke-hoach/van-ban/*/")
    expect(page.get_by_role("heading", name="Kế hoạch 77/KH-UBND")).to_be_visible()

    # The register lists the accepted target and links it to its clause
    page.get_by_role("link", name="1 chỉ tiêu").click()
    expect(page.get_by_text("cáp quang").first).to_be_visible()
    page.get_by_role("link", name="77/KH-UBND, I.1").first.click()
    expect(page.get_by_role("heading", name="Điều khoản I.1")).to_be_visible()
