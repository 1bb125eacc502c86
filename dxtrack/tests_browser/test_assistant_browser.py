"""Issue 19: a leader asks the assistant three questions in the panel, follows a source link, and
asks a follow-up that relies on the previous question."""

import pytest

from dxtrack.accounts import services as account_services
from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.tests.factories import PASSWORD
from dxtrack.plans.models import Document, Indicator, PartyRole, Target, Task
from dxtrack.tests_browser.session import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _plan():
    doc = Document.objects.create(
        code="qd-4216-2020", number="4216/QĐ-UBND", doc_type="quyet_dinh", title="Kế hoạch chuyển đổi số", year=2020
    )
    clause = doc.clauses.create(path="II.1", heading="Hạ tầng số")
    ind = Indicator.objects.create(
        code="ho-gia-dinh-cap-quang", name="Tỷ lệ hộ gia đình có kết nối Internet băng rộng cáp quang", unit="%"
    )
    for year, value in ((2025, 80), (2030, 100)):
        Target.objects.create(
            document=doc, clause=clause, indicator=ind, label=ind.name, year=year, value=value, unit="%"
        )
    task = Task.objects.create(
        document=doc, clause=clause, title="Xây dựng kho dữ liệu dùng chung của tỉnh", deadline_text="Năm 2025"
    )
    task.parties.create(role=PartyRole.LEAD, text="Sở Khoa học và Công nghệ")


def test_ask_three_questions_follow_a_source_and_a_follow_up(page, live_server, reference_data):
    # given a plan in the register and a leader
    _plan()
    account_services.user_create(actor=SYSTEM, username="lanhdao", password=PASSWORD, role="leader")
    open_as(page, live_server, "lanhdao", "/ke-hoach/")

    def ask(question: str, n: int):
        if not page.locator("#assistant-q").is_visible():
            page.locator("#assistant > summary").click()
        page.locator("#assistant-q").fill(question)
        page.get_by_role("button", name="Hỏi", exact=True).click()
        page.locator(".assistant-turn").nth(n - 1).wait_for()
        return page.locator(".assistant-turn").nth(n - 1)

    # when three questions are asked in the panel
    first = ask("Chỉ tiêu hộ gia đình có cáp quang năm 2025 là bao nhiêu?", 1)
    assert "tối thiểu 80%" in first.inner_text()
    second = ask("Ai chủ trì nhiệm vụ xây dựng kho dữ liệu dùng chung?", 2)
    assert "Sở Khoa học và Công nghệ" in second.inner_text()
    third = ask("Thời tiết hôm nay thế nào?", 3)
    assert "Không tìm thấy" in third.inner_text()

    # then a source link of the first answer opens the plan's clause
    first.get_by_role("link", name="4216/QĐ-UBND, mục II.1").click()
    page.wait_for_url("**/ke-hoach/van-ban/qd-4216-2020/dieu/II.1/")

    # and on the new page a follow-up relies on the previous target question (kept in the session)
    ask("Chỉ tiêu hộ gia đình có cáp quang năm 2025?", 1)
    follow = ask("Còn năm 2030?", 2)
    assert "tối thiểu 100%" in follow.inner_text()


def test_too_many_questions_are_answered_inside_the_panel(page, live_server, reference_data, settings):
    # given the public dashboard and a limit of one question a minute per address
    settings.DXTRACK_ASSISTANT_RATE_ANON = "1/min"
    _plan()
    page.goto(f"{live_server.url}/tien-do/cong-khai/")
    page.locator("#assistant > summary").click()

    # when two questions are asked
    for n, question in enumerate(("Chỉ tiêu hộ gia đình có cáp quang năm 2025 là bao nhiêu?", "Còn năm 2030?")):
        page.locator("#assistant-q").fill(question)
        page.get_by_role("button", name="Hỏi", exact=True).click()
        page.locator(".assistant-turn").nth(n).wait_for()

    # then the first is answered and the second gets the Vietnamese 429 answer in the panel
    turns = page.locator(".assistant-turn")
    assert "tối thiểu 80%" in turns.nth(0).inner_text()
    assert "Vui lòng đợi một phút rồi hỏi tiếp." in turns.nth(1).inner_text()
