"""A whole assessment round in the browser: a commune self-assesses (each score computed as they
type), its head submits late, a council member disagrees on one criterion, the commune explains,
the chair fixes the final scores, the secretariat closes the appraisal and issues the recognition
decision; the commune then counts among the communes recognised (seed 001's target)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.assessments.models import Framework, Step
from dxtrack.assessments.selectors import recognised_units
from dxtrack.assessments.services.frameworks import frameworks_load
from dxtrack.assessments.services.rounds import round_open
from dxtrack.org.tests.factories import current_commune
from dxtrack.plans.models import Target
from dxtrack.publishing import pdf
from dxtrack.tests_browser.htmx import autosave
from dxtrack.tests_browser.session import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HAM_RONG = "14758"
# Every mandatory criterion met and 3 of 9 extended ones: 70 points, the first tier.
FIGURES = [
    ("1.1", "Số liệu", "95"),
    ("1.2", "Số liệu", "92,5"),
    ("2.1", "Số liệu", "61"),
    ("3.1", "Số liệu", "35"),
    ("4.1", "Số liệu", "85"),
    ("1.3", "Tử số", "120"),
    ("1.3", "Mẫu số", "120"),
    ("2.2", "Tử số", "10"),
    ("2.2", "Mẫu số", "10"),
    ("2.3", "Tử số", "4"),
    ("2.3", "Mẫu số", "4"),
]


def _row(page, code: str):
    return page.locator("article.vrow").filter(has=page.get_by_role("heading", name=f"{code}.", exact=False)).first


def _autosave(page, row, action) -> None:
    autosave(page, row, action, url="/tieu-chi/")


def test_a_whole_round_in_the_browser(page, live_server, reference_data, register):
    # Given the register (seed 001's target on the communes that complete digital transformation),
    # the demonstration set and a round for Hàm Rồng whose self-assessment was due yesterday
    frameworks_load(actor=SYSTEM)
    unit = current_commune(HAM_RONG)
    UserFactory(username="canbo", role=Role.REPORTER, admin_unit=unit, agency=None)
    UserFactory(username="chutich", role=Role.APPROVER, admin_unit=unit, agency=None)
    member = UserFactory(username="uyvien", role=Role.LEADER)
    chair = UserFactory(username="chutichhd", role=Role.LEADER)
    UserFactory(username="togiupviec", role=Role.SECRETARIAT)
    round_ = round_open(
        actor=SYSTEM,
        framework=Framework.objects.get(code="minh-hoa-xa-2026"),
        year=2026,
        units=[unit],
        dues={Step.SELF_ASSESSMENT: timezone.localdate() - datetime.timedelta(days=1)},
        council=[member],
        chair=chair,
    )
    submission = round_.submissions.get()
    path = f"/danh-gia/ho-so/{submission.pk}/"
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # The focal point types the figures: each row's score and the total change as they type
    open_as(page, live_server, "canbo", path)
    for code, label, text in FIGURES:
        row = _row(page, code)
        field = row.get_by_label(label, exact=True)
        _autosave(page, row, lambda field=field, text=text: (field.fill(text), field.press("Tab")))
    row = _row(page, "3.5")
    _autosave(page, row, lambda: row.get_by_label("Đạt", exact=True).select_option("1"))
    expect(_row(page, "1.2")).to_contain_text("Tự đánh giá: 5")
    expect(page.locator("#tong-diem")).to_contain_text("70")

    # The head submits after the due day: kept, flagged late
    open_as(page, live_server, "chutich", path)
    page.get_by_role("button", name="Ký gửi hồ sơ tự đánh giá").click()
    expect(page.get_by_text("được đánh dấu gửi muộn")).to_be_visible()

    # A council member disagrees on 3.1
    open_as(page, live_server, "uyvien", path)
    row = _row(page, "3.1")
    row.get_by_label("Không đồng ý", exact=True).check()
    row.get_by_label("Điểm đề xuất (khi không đồng ý)").fill("0")
    row.get_by_label("Nhận xét").fill("Chưa có danh sách đối chiếu.")
    row.get_by_role("button", name="Gửi ý kiến").click()
    expect(_row(page, "3.1")).to_contain_text("Chưa có danh sách đối chiếu.")

    # The commune explains
    open_as(page, live_server, "canbo", path)
    row = _row(page, "3.1")
    row.get_by_label("Giải trình").fill("Đã bổ sung danh sách của Bưu điện xã.")
    row.get_by_role("button", name="Gửi giải trình").click()
    expect(_row(page, "3.1")).to_contain_text("Đã bổ sung danh sách của Bưu điện xã.")

    # The chair accepts the explanation: 3.1 back at 10; the final total reaches the first tier
    open_as(page, live_server, "chutichhd", path)
    page.get_by_label("3.1 (tối đa 10)").fill("10")
    page.get_by_role("button", name="Chốt điểm").click()
    expect(page.locator("#tong-diem")).to_contain_text("Đạt chuẩn chuyển đổi số")

    # The secretariat closes the appraisal and issues the decision
    open_as(page, live_server, "togiupviec", f"/danh-gia/dot/{round_.pk}/")
    page.get_by_role("button", name="Kết thúc thẩm định").click()
    page.get_by_label("Số quyết định công nhận").fill("123/QĐ-UBND")
    page.get_by_label("Ngày ký (dd/mm/yyyy)").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Ban hành quyết định công nhận").click()
    expect(page.get_by_role("link", name="Tải quyết định (DOCX)")).to_be_visible()

    # The secretariat makes its PDF: converted on the task queue, the job's page links the file,
    # and the round page then links the PDF kept on the decision
    if pdf.available():
        page.get_by_role("button", name="Tạo bản PDF").click()
        expect(page.get_by_role("link", name="quyet-dinh-cong-nhan-123-qd-ubnd.pdf")).to_be_visible(timeout=120_000)
        page.goto(f"{live_server.url}/danh-gia/dot/{round_.pk}/")
        expect(page.get_by_role("link", name="Tải quyết định (PDF)")).to_be_visible()

    # Anyone, not logged in, sees Hàm Rồng among the recognised on the public results page
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Xem kết quả đánh giá, công nhận chuyển đổi số", exact=False).click()
    recognised = page.locator("#cong-nhan")
    expect(recognised).to_contain_text("Hàm Rồng")
    expect(recognised).to_contain_text("Đạt chuẩn chuyển đổi số")
    expect(recognised).to_contain_text("123/QĐ-UBND")

    # Then Hàm Rồng counts among the communes recognised
    assert recognised_units(as_of=timezone.localdate()).recognised == 1
    # and toward seed 001's target on the dashboard, counted from the decision
    target = Target.objects.filter(indicator__code="so-xa-hoan-thanh-chuyen-doi-so").order_by("year").last()
    open_as(page, live_server, "togiupviec", f"/tien-do/chi-tieu/{target.pk}/")
    observations = page.locator("tr").filter(has_text="Đếm từ các quyết định công nhận")
    expect(observations).to_have_count(1)
    expect(observations).to_contain_text(str(timezone.localdate().year))
    assert errors == []
