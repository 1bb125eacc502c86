"""The three ways in: the JSON API, the panel and `dxtrack ask`; bad input never a 5xx."""

import json
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.plans.models import Document, Indicator, Target

URL = "/api/assistant/ask"


@pytest.fixture
def fibre(db):
    """One plan, one indicator, one target: enough to be answered."""
    doc = Document.objects.create(code="qd-1", number="1/QĐ-UBND", doc_type="quyet_dinh", title="Kế hoạch", year=2024)
    clause = doc.clauses.create(path="II.1", heading="Hạ tầng số")
    ind = Indicator.objects.create(code="ho-gia-dinh-cap-quang", name="Tỷ lệ hộ gia đình có cáp quang", unit="%")
    return Target.objects.create(
        document=doc, clause=clause, indicator=ind, label=ind.name, year=2025, value=80, unit="%"
    )


def test_api_answers_the_public_with_sources_and_context(client, fibre):
    # when the public asks through the API
    response = client.post(
        URL, {"question": "chi tieu ho gia dinh co cap quang nam 2025?"}, content_type="application/json"
    )
    # then the target is answered with its clause as a source, and the context to follow up
    assert response.status_code == 200
    body = response.json()
    assert body["intent"] == "target_value"
    assert "tối thiểu 80%" in body["answer"]
    assert body["sources"][0] == {"title": "1/QĐ-UBND, mục II.1", "url": "/ke-hoach/van-ban/qd-1/dieu/II.1/"}
    assert body["context"] == {"intent": "target_value", "indicator": "ho-gia-dinh-cap-quang", "year": 2025}
    # and a follow-up with that context asks about another year of the same indicator
    again = client.post(URL, {"question": "còn năm 2030?", "context": body["context"]}, content_type="application/json")
    assert again.status_code == 200
    assert again.json()["intent"] == "target_value"
    assert "năm 2030" in again.json()["answer"]
    assert again.json()["answer"].startswith("Không tìm thấy")


@pytest.mark.parametrize(
    "question",
    [
        "",
        "x" * 10_000,
        "<script>alert(1)</script><img src=x onerror=alert(2)>",
        "1; DROP TABLE plans_target; --",
        "' OR '1'='1",
        "What is the target of cáp quang for year 2025 please?",
        "\x00\x01\x02",
        "🙂" * 50,
    ],
)
def test_api_bad_input_is_answered_safely(client, fibre, question):
    response = client.post(URL, {"question": question}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert "<script" not in body["answer"] and "onerror" not in body["answer"]
    assert body["intent"] in {"empty", "none", "target_value"}


def test_api_refuses_what_is_no_question(client, fibre):
    # a question longer than accepted, or no JSON at all: a Vietnamese 4xx, never a 5xx
    too_long = client.post(URL, {"question": "x" * 10_001}, content_type="application/json")
    assert too_long.status_code == 422
    not_json = client.post(URL, "{", content_type="application/json")
    assert not_json.status_code == 400
    tampered = client.post(
        URL,
        {"question": "còn năm 2030?", "context": {"intent": "owes", "body": "agency:" + "x" * 500}},
        content_type="application/json",
    )
    assert tampered.status_code == 200


def test_api_session_needs_csrf(fibre):
    from django.test import Client

    # given a signed-in browser session that sends no CSRF token
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(role=Role.SECRETARIAT))
    response = client.post(URL, {"question": "chi tieu cap quang 2025"}, content_type="application/json")
    assert response.status_code == 403


def test_panel_answers_and_keeps_the_context(client, fibre):
    client.force_login(UserFactory(role=Role.LEADER))
    # the panel is on the signed-in pages
    page = client.get("/ke-hoach/")
    assert b'id="assistant"' in page.content
    # a question, then a follow-up that relies on it
    first = client.post("/tro-ly/hoi/", {"q": "Chỉ tiêu hộ gia đình có cáp quang năm 2025?"})
    assert first.status_code == 200
    assert "tối thiểu 80%" in first.content.decode()
    assert 'href="/ke-hoach/van-ban/qd-1/dieu/II.1/"' in first.content.decode()
    second = client.post("/tro-ly/hoi/", {"q": "còn năm 2030?"})
    assert "năm 2030" in second.content.decode()
    # HTML in a question is shown as text
    third = client.post("/tro-ly/hoi/", {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)" not in third.content.decode()


def test_panel_is_on_the_public_dashboard_only_for_the_public(client, db):
    assert b'id="assistant"' in client.get("/tien-do/cong-khai/").content
    assert b'id="assistant"' not in client.get("/ke-hoach/").content


def test_command_prints_json(fibre):
    UserFactory(username="lanhdao", role=Role.LEADER)
    out = StringIO()
    call_command(
        "ask", "Chỉ tiêu hộ gia đình có cáp quang năm 2025 là bao nhiêu?", user="lanhdao", format="json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert set(data) == {"answer", "intent", "sources"}
    assert data["intent"] == "target_value"
    assert data["sources"][0]["url"] == "/ke-hoach/van-ban/qd-1/dieu/II.1/"


def test_panel_answers_the_public_with_public_data_only(client, fibre):
    # the public may ask on the public dashboard; reporting questions need a sign-in
    target = client.post("/tro-ly/hoi/", {"q": "chi tieu ho gia dinh co cap quang nam 2025"})
    assert "tối thiểu 80%" in target.content.decode()
    late = client.post("/tro-ly/hoi/", {"q": "Đơn vị nào chậm báo cáo quý 3 năm 2025?"})
    assert "chỉ dành cho người dùng đã đăng nhập" in late.content.decode()
    assert client.get("/tro-ly/hoi/").status_code == 405


def test_panel_is_rate_limited_with_an_answer_in_the_panel(client, fibre, settings):
    # given a limit of two questions a minute per user, and two asked
    settings.DXTRACK_ASSISTANT_RATE_USER = "2/min"
    user = UserFactory(role=Role.LEADER)
    client.force_login(user)
    asked = [client.post("/tro-ly/hoi/", {"q": "chi tieu cap quang 2025"}) for _ in range(2)]
    assert [r.status_code for r in asked] == [200, 200]
    context = client.session["assistant_context"]
    # when the next question reaches another server process (whose own memory holds no count)
    cache.clear()
    refused = client.post("/tro-ly/hoi/", {"q": "còn năm 2030?"})
    # then it is refused with a Vietnamese answer for the panel, and the conversation is kept
    assert refused.status_code == 429
    body = refused.content.decode()
    assert 'data-intent="throttled"' in body
    assert "Bạn đã hỏi quá nhiều câu trong thời gian ngắn. Vui lòng đợi một phút rồi hỏi tiếp." in body
    assert client.session["assistant_context"] == context
    # and another user, and the public (counted by address), still get answers
    client.force_login(UserFactory(role=Role.LEADER))
    assert client.post("/tro-ly/hoi/", {"q": "chi tieu cap quang 2025"}).status_code == 200
    client.logout()
    assert client.post("/tro-ly/hoi/", {"q": "chi tieu cap quang 2025"}).status_code == 200


def test_panel_limits_the_public_by_address(client, fibre, settings):
    # given a limit of one question a minute per address for the public
    settings.DXTRACK_ASSISTANT_RATE_ANON = "1/min"
    assert client.post("/tro-ly/hoi/", {"q": "chi tieu cap quang 2025"}).status_code == 200
    # when the same address asks again, then it is refused
    refused = client.post("/tro-ly/hoi/", {"q": "chi tieu cap quang 2025"})
    assert refused.status_code == 429
    assert "Vui lòng đợi một phút" in refused.content.decode()
