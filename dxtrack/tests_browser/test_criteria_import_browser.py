"""The secretariat uploads a criteria-set decision whose points do not add up, sees the warning
beside the source, corrects one criterion with htmx, accepts the rest and publishes: a new
framework with the corrected points; then enters the province's DTI rank."""

import pytest
from playwright.sync_api import expect

from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import PASSWORD, UserFactory
from dxtrack.assessments.models import Criterion, Framework, ProvinceResult
from dxtrack.assessments.services.frameworks import frameworks_load
from dxtrack.assessments.tests import criteria_decision as d

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_edit_one_criterion_publish(page, live_server, reference_data, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())  # publishing asks for confirmation first
    frameworks_load(actor=SYSTEM)
    UserFactory(username="togiupviec", role=Role.SECRETARIAT)
    decision = tmp_path / d.FILENAME
    decision.write_bytes(d.wrong_points_docx())

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/danh-gia/nhap-bo-tieu-chi/")
    page.get_by_label("Tên đăng nhập").fill("togiupviec")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/danh-gia/nhap-bo-tieu-chi/")

    # Upload: the review page shows each criterion beside the source, and the points that do not add up
    page.get_by_label("Tệp quyết định ban hành bộ tiêu chí (.docx, .pdf, .xlsx)").set_input_files(str(decision))
    page.get_by_role("button", name="Đọc quyết định").click()
    page.wait_for_url("**/danh-gia/nhap-bo-tieu-chi/*/")
    expect(page.get_by_role("heading", name="Văn bản gốc")).to_be_visible()
    mismatches = page.get_by_test_id("mismatches")
    expect(mismatches).to_contain_text("Điểm các tiêu chí cộng lại được 95, không bằng tổng điểm 100 văn bản ghi.")
    criterion = page.locator("#tc-4")
    expect(criterion.get_by_role("heading", name="5. Tỷ lệ văn bản điện tử được ký số")).to_be_visible()
    expect(criterion.get_by_test_id("points")).to_have_text("10")

    # Edit criterion 5 (htmx, no reload): 15 points; the warning goes, the criterion is accepted
    criterion.get_by_text("Sửa").click()
    criterion.get_by_label("Điểm", exact=True).fill("15")
    criterion.get_by_role("button", name="Lưu và chấp nhận").click()
    expect(page.locator("#tc-4.decision-accepted")).to_be_visible()
    expect(page.locator("#tc-4").get_by_test_id("points")).to_have_text("15")
    expect(page.get_by_test_id("mismatches")).to_have_count(0)

    # Reject nothing, accept the rest, publish: the outcome is on the page
    page.get_by_role("button", name="Chấp nhận tất cả tiêu chí chưa duyệt").click()
    expect(page.get_by_test_id("ready")).to_be_visible()
    page.get_by_role("button", name="Ban hành bộ tiêu chí").click()
    outcome = page.get_by_test_id("outcome")
    expect(outcome).to_contain_text("7 tiêu chí trong 3 nhóm; 1 mức công nhận.")
    expect(page.get_by_test_id("import-status")).to_have_text("Đã ban hành thành bộ tiêu chí")
    framework = Framework.objects.get(code="3120-qd-ubnd-so-nganh")
    assert Criterion.objects.get(framework=framework, code="5").points == 15
    assert framework.max_points == 100

    # The province's DTI rank from the national publication
    page.goto(f"{live_server.url}/danh-gia/xep-hang-tinh/")
    page.get_by_label("Năm đánh giá").fill("2025")
    page.get_by_label("Xếp hạng", exact=True).fill("12")
    page.get_by_label("Trên tổng số tỉnh, thành phố").first.fill("34")
    page.get_by_label("Văn bản, báo cáo công bố").fill("Báo cáo DTI 2025 của Bộ Khoa học và Công nghệ")
    page.get_by_role("button", name="Lưu kết quả").click()
    expect(page.get_by_test_id("results")).to_contain_text("12/34")
    assert ProvinceResult.objects.get().rank == 12
