"""The secretariat schedules a session, prepares its briefing pack, imports its conclusions notice,
reviews and publishes its directives; an agency reports one directive done in its quarterly report;
the secretariat approves the report and closes the directive on the follow-up page."""

import pytest
from playwright.sync_api import expect

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.org.models import Agency
from dxtrack.reports.services.opening import report_open
from dxtrack.steering.models import Session
from dxtrack.steering.tests import builders
from dxtrack.tests_browser.htmx import autosave
from dxtrack.tests_browser.session import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLOSING = "Đã kiểm tra kết quả kết nối cơ sở dữ liệu dân cư."


def _update(page, task_id: int, state: str) -> None:
    """Sets a task row's state and waits until htmx has swapped in the saved row and settled it."""
    row = page.locator(f"#nv-{task_id}")
    autosave(page, row, lambda: row.get_by_label("Tình trạng").select_option(state), url="/nhiem-vu/")


def test_session_pack_conclusions_report_and_closing(page, live_server, reference_data, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations before submit, approve, publish
    # Given the committee, the plan its reports follow, and Sở KH&CN's quarterly obligation under it
    builders.committee()
    plan = builders.programme_plan()
    obligation = builders.obligation_for(plan, "SO_KHCN")
    khcn = Agency.objects.get(code="SO_KHCN")
    UserFactory(username="togiupviec", role=Role.SECRETARIAT)
    reporter = UserFactory(username="khcn.baocao", role=Role.REPORTER, agency=khcn)
    UserFactory(username="khcn.duyet", role=Role.APPROVER, agency=khcn)
    notice = tmp_path / "thong-bao-12.docx"
    notice.write_bytes(builders.notice_docx())

    # The secretariat schedules the six-month session
    open_as(page, live_server, "togiupviec", "/ban-chi-dao/")
    page.get_by_role("link", name="Lên lịch phiên họp").click()
    page.get_by_label("Loại phiên họp").select_option("six_month")
    page.get_by_label("Ngày họp").fill("10/07/2025")
    page.get_by_label("Kế hoạch theo dõi", exact=False).select_option(str(plan.pk))
    page.get_by_role("button", name="Lên lịch").click()
    expect(page.get_by_role("heading", name="Phiên họp sơ kết 6 tháng đầu năm 2025")).to_be_visible()
    session_url = page.url
    expect(page.get_by_role("row").filter(has_text="Lê Thị C")).to_be_visible()  # the deputy of that day

    # She prepares the briefing pack as of the day before
    page.get_by_label("Số liệu đến ngày").fill("09/07/2025")
    page.get_by_role("button", name="Chuẩn bị tài liệu").click()
    expect(page.get_by_role("heading", name="Tài liệu phục vụ phiên họp")).to_be_visible()
    expect(page.get_by_role("heading", name="II. Báo cáo chậm, chưa gửi")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải DOCX").click()
    assert download.value.suggested_filename.endswith(".docx")

    # She imports the conclusions notice: five directives read, the merged department's successor shown
    page.goto(session_url)
    page.get_by_text("Nhập thông báo kết luận từ tệp").click()
    page.get_by_label("Tệp thông báo kết luận", exact=False).set_input_files(str(notice))
    page.get_by_role("button", name="Đọc tệp").click()
    expect(page.get_by_text("Đã đọc 5 chỉ đạo từ thông báo.", exact=False)).to_be_visible()
    expect(
        page.get_by_text("chỉ đạo giao cho cơ quan kế thừa là Sở Khoa học và Công nghệ", exact=False)
    ).to_be_visible()

    # She reviews them on the plan review page, then publishes them from the session
    page.get_by_role("link", name="Duyệt từng chỉ đạo trên trang nhập kế hoạch").click()
    page.get_by_role("button", name="Chấp nhận tất cả mục chưa duyệt").click()
    page.goto(session_url)
    page.get_by_role("button", name="Đưa các chỉ đạo đã chấp nhận vào danh mục").click()
    expect(page.get_by_text("Đã đưa 5 chỉ đạo vào danh mục", exact=False)).to_be_visible()
    expect(page.locator("tr.directive")).to_have_count(5)
    session = Session.objects.get()
    directive = session.conclusions.tasks.get(clause__path="II.1")

    # Sở KH&CN's reporter finds the directive in her quarterly report and reports it done
    report = report_open(actor=reporter, obligation=obligation)
    open_as(page, live_server, "khcn.baocao", f"/bao-cao/{report.pk}/")
    _update(page, directive.pk, "done")
    # (the other directive it leads, on the merged department's behalf, is under way: a report
    # is sent only once every task it leads is updated)
    other = session.conclusions.tasks.get(clause__path="II.3")
    _update(page, other.pk, "in_progress")
    field = page.locator(f"#nv-{other.pk}").get_by_label("Tiến độ (%)")
    with page.expect_response(lambda r: r.request.method == "POST" and "/nhiem-vu/" in r.url):
        field.fill("30")
        field.press("Tab")
    page.locator(f"#nv-{other.pk} .save-status").filter(has_text="Đã lưu lúc").wait_for()
    narrative = page.get_by_label("Kết quả đạt được")
    with page.expect_response(lambda r: r.request.method == "POST" and "/thuyet-minh/" in r.url):
        narrative.fill("Đã kết nối cơ sở dữ liệu dân cư.")
        narrative.press("Tab")

    # Her leader submits it; the secretariat approves it
    open_as(page, live_server, "khcn.duyet", f"/bao-cao/{report.pk}/")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#trang-thai")).to_have_text("Đã gửi")
    open_as(page, live_server, "togiupviec", f"/bao-cao/{report.pk}/")
    page.get_by_role("button", name="Duyệt").click()
    expect(page.locator("#trang-thai")).to_have_text("Đã duyệt")

    # The follow-up shows it done; the secretariat closes it with a reason
    page.goto(f"{live_server.url}/ban-chi-dao/theo-doi/")
    line = page.locator(f"tr.directive[data-id='{directive.pk}']")
    expect(line.locator(".state")).to_have_text("Đã hoàn thành")
    line.get_by_label("Lý do đóng").fill(CLOSING)
    line.get_by_role("button", name="Đóng chỉ đạo").click()
    expect(page.get_by_text("Đã đóng chỉ đạo.")).to_be_visible()
    expect(page.locator(f"tr.directive[data-id='{directive.pk}']")).to_contain_text(CLOSING)
    directive.refresh_from_db()
    assert directive.steering_closure.reason == CLOSING
