"""Issue 15: the secretariat imports a PDF plan whose targets sit in a year-column table, sees each
proposal's source cell and indicator match, links a target by searching a name, creates one
indicator from a proposal, and publishes."""

import json

import pytest
from playwright.sync_api import expect

from dxtrack.accounts import services as account_services
from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.tests.factories import PASSWORD
from dxtrack.org.models import Agency
from dxtrack.plans.models import Indicator, Target
from dxtrack.plans.register import REGISTER_FILE
from dxtrack.plans.tests.layouts import fonts_available, render

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_a_pdf_plan_link_by_name_create_an_indicator_and_publish(page, live_server, reference_data, tmp_path):
    # Publishing, submitting and approving ask for confirmation first (ADR 0030): accept it.
    page.on("dialog", lambda dialog: dialog.accept())
    if not fonts_available():
        pytest.skip("DejaVu fonts are needed to draw the PDF (make ocr)")
    # given the catalogue's indicators and a secretariat user
    for i in json.loads(REGISTER_FILE.read_text())["indicators"]:
        fields = ("name", "unit", "direction", "pillar", "sector", "aggregation", "limit")
        Indicator.objects.create(code=i["code"], **{k: i[k] for k in fields})
    account_services.user_create(
        actor=SYSTEM,
        username="totruong",
        password=PASSWORD,
        role="secretariat",
        agency=Agency.objects.get(code="SO_KHCN"),
    )
    data, filename = render("hoa_son_pdf")
    plan = tmp_path / filename
    plan.write_bytes(data)

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/ke-hoach/nhap/")
    page.get_by_label("Tên đăng nhập").fill("totruong")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/ke-hoach/nhap/")

    # when the PDF is uploaded: each proposal shows its source cell and its indicator match
    page.get_by_label("Tệp văn bản (.docx, .pdf, .xlsx, .txt)").set_input_files(str(plan))
    page.get_by_role("button", name="Đọc văn bản").click()
    page.wait_for_url("**/ke-hoach/nhap/*/")
    expect(page.get_by_text("trang 1, bảng 1, hàng 2, cột “Năm 2026”").first).to_be_visible()
    unlinked_before = page.get_by_test_id("unlinked-count").inner_text()

    # link a "ngày" target by searching a name
    days = page.locator("article.item", has_text="Thời gian xử lý hồ sơ đất đai (năm 2026)")
    days.locator("details.link-indicator").evaluate("d => d.open = true")  # open already when unlinked
    days.get_by_label("Tìm chỉ tiêu theo dõi theo tên").fill("hồ sơ giải quyết trực tuyến")
    days.get_by_role("button", name="Tìm", exact=True).click()
    first_result = days.locator(".indicator-results button").first
    first_result.wait_for()
    chosen = first_result.inner_text().removeprefix("Gắn: ")
    first_result.click()
    page.locator("article.item", has_text="Thời gian xử lý hồ sơ đất đai (năm 2026)").get_by_text(
        "người duyệt chọn"
    ).wait_for()

    # create one indicator from a proposal in place
    firms = page.locator("article.item", has_text="Số doanh nghiệp công nghệ số đang hoạt động (năm 2026)")
    firms.locator("details.link-indicator").evaluate("d => d.open = true")
    firms.get_by_label("Tạo chỉ tiêu theo dõi mới — tên").fill("Số doanh nghiệp công nghệ số đang hoạt động")
    firms.get_by_role("button", name="Tạo và gắn").click()
    page.locator("article.item", has_text="Số doanh nghiệp công nghệ số đang hoạt động (năm 2026)").get_by_text(
        "mới tạo"
    ).wait_for()

    # publish: the unlinked targets need an explicit choice
    page.reload()
    assert page.get_by_test_id("unlinked-count").inner_text() != unlinked_before
    page.get_by_role("button", name="Chấp nhận tất cả mục chưa duyệt").click()
    page.get_by_role("button", name="Đưa vào danh mục").click()
    page.get_by_text("chỉ tiêu chưa gắn chỉ tiêu theo dõi: chúng sẽ không bao giờ có số liệu tiến độ").wait_for()
    page.get_by_label("Vẫn đưa vào danh mục", exact=False).check()
    page.get_by_role("button", name="Đưa vào danh mục").click()
    page.get_by_role("heading", name="Kết quả đưa vào danh mục").wait_for()

    # then the register holds the targets with the chosen and the new indicator
    assert Target.objects.filter(indicator__name=chosen, unit="ngày", year=2026).count() == 1
    created = Indicator.objects.get(name="Số doanh nghiệp công nghệ số đang hoạt động")
    assert Target.objects.filter(indicator=created, year=2026).count() == 1
