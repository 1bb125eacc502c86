"""The public results (issue 17 item 8): anyone, without logging in, sees per framework and year
the subjects recognised with their tier and final score and the ranking of closed rounds, and
downloads each table; a round still open (its self-assessed and council scores are drafts) is
never shown."""

import io
import json

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from dxtrack.accounts.access import SYSTEM
from dxtrack.assessments.models import Framework
from dxtrack.assessments.services.answers import AnswerInput, answer_save
from dxtrack.assessments.services.rounds import round_open
from dxtrack.assessments.services.workflow import submission_transition
from dxtrack.assessments.tests.conftest import DECISION_NUMBER, HAM_RONG, OTHER
from dxtrack.org.tests.factories import current_commune

pytestmark = pytest.mark.django_db

URL = "/danh-gia/cong-khai/"


def _open_round_with_a_draft_score(people):
    """A 2027 round still open: Hàm Rồng self-assessed 1.2 at 92,5 % (5 points) and submitted;
    the other commune has not started."""
    framework = Framework.objects.get(code="minh-hoa-xa-2026")
    unit, other = current_commune(HAM_RONG), current_commune(OTHER)
    round_ = round_open(actor=SYSTEM, framework=framework, year=2027, units=[unit, other])
    submission = round_.submissions.get(admin_unit=unit)
    answer_save(
        actor=people["reporter"], answer=submission.answers.get(criterion__code="1.2"), data=AnswerInput(value="92,5")
    )
    submission_transition(actor=people["head"], submission=submission, action="submit")
    submission.refresh_from_db()
    assert submission.self_total == 5
    return round_


def test_anyone_sees_the_recognised_and_the_ranking_of_a_closed_round(decided):
    decision, _ = decided
    round_ = decision.round
    # When someone who is not logged in opens the public results
    response = Client().get(URL)
    # Then the closed round is shown: Hàm Rồng recognised at its tier with its final score and the
    # decision; the ranking by final scores (the other commune's final 0, not its self-assessed 10)
    assert response.status_code == 200
    assert response.context["chosen"] == round_
    assert [
        (r.rank, r.subject.code, float(r.final), r.tier.name if r.tier else None) for r in response.context["rows"]
    ] == [
        (1, HAM_RONG, 70.0, "Đạt chuẩn chuyển đổi số"),
        (2, OTHER, 0.0, None),
    ]
    assert [r.subject.code for r in response.context["recognised"]] == [HAM_RONG]
    html = response.content.decode()
    assert DECISION_NUMBER in html
    assert "Đạt chuẩn chuyển đổi số" in html
    assert "70" in html


def test_a_draft_score_of_an_open_round_never_appears(decided):
    decision, people = decided
    draft = _open_round_with_a_draft_score(people)
    client = Client()
    # When the public page is opened, and the open round asked for by its id
    page = client.get(URL)
    asked = client.get(URL, {"dot": draft.pk})
    # Then the open round is neither listed nor shown: the id is refused with the reason
    assert [r.pk for r in page.context["rounds"]] == [decision.round_id]
    assert "2027" not in page.content.decode()
    assert asked.status_code == 404
    assert asked.context["rows"] == []
    assert "chỉ công bố kết quả của các đợt đã kết thúc thẩm định" in asked.content.decode()
    assert "năm 2027" not in asked.content.decode()
    # And neither its Excel nor the open-data file carries it
    assert client.get(URL, {"dot": draft.pk, "xuat": "xlsx", "bang": "xep-hang"}).status_code == 404
    body = b"".join(client.get("/du-lieu-mo/ket-qua-danh-gia-chuyen-doi-so.json").streaming_content)
    rows = json.loads(body)["du_lieu"]
    assert {r["nam_danh_gia"] for r in rows} == {decision.round.year}
    assert not [r for r in rows if r["diem_dat_duoc"] == 5]


def test_with_no_closed_round_the_page_says_so(world):
    # Given only an open round (the shared round of 2026, nothing final)
    response = Client().get(URL)
    assert response.status_code == 200
    assert response.context["chosen"] is None
    assert "Chưa có đợt đánh giá nào kết thúc thẩm định." in response.content.decode()


@pytest.mark.parametrize("dot", ["abc", "-1", "99999999999999999999", ""])
def test_a_malformed_round_id_is_refused_with_the_reason(decided, dot):
    response = Client().get(URL, {"dot": dot})
    assert response.status_code == 404
    assert "Hãy chọn một đợt trong danh sách." in response.content.decode()


def test_each_public_table_downloads_as_excel(decided):
    client = Client()
    recognised = client.get(URL, {"xuat": "xlsx", "bang": "cong-nhan"})
    ranking = client.get(URL, {"xuat": "xlsx", "bang": "xep-hang"})
    assert recognised.status_code == ranking.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(recognised.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = values.index(["Đơn vị", "Mã", "Mức công nhận", "Điểm đạt được", "Quyết định công nhận", "Ngày công nhận"])
    body = values[header + 1 :]
    assert [(r[1], r[2], r[3], r[4]) for r in body] == [(HAM_RONG, "Đạt chuẩn chuyển đổi số", 70, DECISION_NUMBER)]
    sheet = openpyxl.load_workbook(io.BytesIO(ranking.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = values.index(["Hạng", "Đơn vị", "Mã", "Điểm đạt được", "Mức đạt", "Được công nhận"])
    assert [(r[0], r[2], r[3], r[5]) for r in values[header + 1 :]] == [(1, HAM_RONG, 70, "Có"), (2, OTHER, 0, None)]


def test_the_home_page_and_the_public_dashboard_link_the_results(db):
    client = Client()
    for page in (reverse("site:home"), reverse("analytics:public")):
        assert f'href="{URL}"' in client.get(page).content.decode(), page


def test_the_round_and_submission_tables_download_as_excel(decided):
    decision, people = decided
    round_ = decision.round
    client = Client()
    client.force_login(people["member"].user)
    sheet = client.get(f"/danh-gia/dot/{round_.pk}/", {"xuat": "xlsx"})
    assert sheet.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert (
        "Đơn vị",
        "Trạng thái",
        "Gửi muộn",
        "Điểm tự đánh giá",
        "Điểm hội đồng thẩm định",
        "Điểm đạt được",
        "Mức đạt",
    ) in rows
    submission = round_.submissions.get(admin_unit__code=OTHER)
    scores = client.get(f"/danh-gia/ho-so/{submission.pk}/", {"xuat": "xlsx"})
    assert scores.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(scores.content)).active.iter_rows(values_only=True))
    first = next(r for r in rows if r[0] == "1.1")
    # the three scores of 1.1: self-assessed 10, council none, final 0
    assert (first[5], first[7], first[8]) == (10, None, 0)
    # and the commune's own list of submissions
    mine = Client()
    mine.force_login(people["reporter"].user)
    own = mine.get("/danh-gia/", {"xuat": "xlsx"})
    assert own.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(own.content)).active.iter_rows(values_only=True))
    assert any(r[0] == str(round_) and r[3] == 70 for r in rows)
