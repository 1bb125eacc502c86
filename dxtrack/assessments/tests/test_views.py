"""The round's pages: the focal point's form scores as they type (htmx), the council's thread,
the secretariat's round page; each person sees only what they may."""

import pytest
from django.test import Client

from dxtrack.assessments.models import SubmissionStatus
from dxtrack.assessments.services.answers import AnswerInput, answer_save

pytestmark = pytest.mark.django_db


def _client(access):
    client = Client()
    client.force_login(access.user)
    return client


def test_the_focal_point_fills_and_sees_the_score_at_once(world):
    _, submission, people = world
    client = _client(people["reporter"])
    # Given the focal point opens the form
    page = client.get(f"/danh-gia/ho-so/{submission.pk}/")
    assert page.status_code == 200
    assert "Tỷ lệ văn bản được gửi, nhận trên môi trường điện tử" in page.content.decode()
    answer = submission.answers.get(criterion__code="1.2")
    # When they type 92,5 (htmx)
    row = client.post(
        f"/danh-gia/ho-so/{submission.pk}/tieu-chi/{answer.pk}/", {"value": "92,5"}, HTTP_HX_REQUEST="true"
    )
    # Then the row answers with its score and the total, out of band
    html = row.content.decode()
    assert row.status_code == 200
    assert f'<strong id="tc-{answer.pk}-self">5</strong>' in html
    assert 'id="tong-diem" hx-swap-oob="true"' in html
    # And a figure that is no number is refused with the reason, nothing saved
    bad = client.post(
        f"/danh-gia/ho-so/{submission.pk}/tieu-chi/{answer.pk}/", {"value": "nhiều"}, HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 400
    assert "Chưa lưu" in bad.content.decode()
    answer.refresh_from_db()
    assert str(answer.value) == "92.5000"


def test_another_unit_cannot_see_the_submission(world):
    _, submission, people = world
    client = _client(people["other_head"])
    assert client.get(f"/danh-gia/ho-so/{submission.pk}/").status_code == 404
    answer = submission.answers.get(criterion__code="1.2")
    assert client.post(f"/danh-gia/ho-so/{submission.pk}/tieu-chi/{answer.pk}/", {"value": "99"}).status_code == 404
    answer.refresh_from_db()
    assert answer.value is None


def test_the_head_submits_and_the_council_member_disagrees_on_the_page(world):
    round_, submission, people = world
    head = _client(people["head"])
    response = head.post(f"/danh-gia/ho-so/{submission.pk}/thao-tac/", {"action": "submit"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.late) == (SubmissionStatus.SUBMITTED, True)
    member = _client(people["member"])
    answer = submission.answers.get(criterion__code="3.5")
    response = member.post(
        f"/danh-gia/ho-so/{submission.pk}/tieu-chi/{answer.pk}/y-kien/",
        {"verdict": "disagree", "text": "Chưa có quyết định thành lập.", "proposed_score": "0"},
    )
    assert response.status_code == 302
    page = member.get(f"/danh-gia/ho-so/{submission.pk}/").content.decode()
    assert "Chưa có quyết định thành lập." in page
    # And the council member sees the round page, the outsider does not
    assert member.get(f"/danh-gia/dot/{round_.pk}/").status_code == 200
    assert _client(people["outsider"]).get(f"/danh-gia/dot/{round_.pk}/").status_code == 200  # a leader: province-wide
    assert _client(people["reporter"]).get(f"/danh-gia/dot/{round_.pk}/").status_code == 404


def test_the_ranking_page_and_its_excel(world):
    round_, submission, people = world

    answer_save(
        actor=people["reporter"], answer=submission.answers.get(criterion__code="1.2"), data=AnswerInput(value="95")
    )
    client = _client(people["member"])
    page = client.get(f"/danh-gia/dot/{round_.pk}/xep-hang/")
    assert page.status_code == 200
    rows = page.context["table"]["rows"]
    assert [(r.rank, r.submission.admin_unit.code, float(r.score)) for r in rows] == [
        (1, "14758", 5.0),
        (2, "14797", 0.0),
    ]
    excel = client.get(f"/danh-gia/dot/{round_.pk}/xep-hang/?xuat=xlsx")
    assert excel.status_code == 200
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _client(people["reporter"]).get(f"/danh-gia/dot/{round_.pk}/xep-hang/").status_code == 404
