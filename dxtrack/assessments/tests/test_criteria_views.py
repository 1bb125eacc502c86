"""The pages of a criteria-set import and of the province's DTI rank: upload, review beside the
source, htmx decisions and edits, publish; refused to anyone but the secretariat."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dxtrack.accounts.access import SYSTEM, Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.assessments.models import CriteriaImport, Framework, ImportStatus, ProvinceResult
from dxtrack.assessments.services import criteria_import as review
from dxtrack.assessments.services.frameworks import frameworks_load

from . import criteria_decision as d

pytestmark = pytest.mark.django_db


def _client(role=Role.SECRETARIAT):
    user = UserFactory(role=role)
    client = Client()
    client.force_login(user)
    return client, Access.for_user(user)


def _upload(client, data, name=d.FILENAME):
    return client.post("/danh-gia/nhap-bo-tieu-chi/", {"file": SimpleUploadedFile(name, data)})


def test_upload_then_review_beside_the_source():
    client, _ = _client()
    # Given the upload page
    page = client.get("/danh-gia/nhap-bo-tieu-chi/")
    assert page.status_code == 200
    assert "Đọc quyết định" in page.content.decode()
    # When the decision is uploaded
    answer = _upload(client, d.wrong_points_docx())
    imp = CriteriaImport.objects.get()
    # Then the review page opens with the source, each criterion and the mismatch
    assert answer.status_code == 302 and answer["Location"] == f"/danh-gia/nhap-bo-tieu-chi/{imp.pk}/"
    html = client.get(answer["Location"]).content.decode()
    assert f'<li id="dong-{imp.criteria[4]["line"]}"' in html
    assert 'href="#dong-' in html
    assert "5. Tỷ lệ văn bản điện tử được ký số" in html
    assert "Điểm các tiêu chí cộng lại được 95, không bằng tổng điểm 100 văn bản ghi." in html
    assert 'value="3120-qd-ubnd-so-nganh"' in html


def test_a_criterion_edited_with_htmx_answers_itself_and_the_checks():
    client, _access = _client()
    _upload(client, d.wrong_points_docx())
    imp = CriteriaImport.objects.get()
    c = imp.criteria[4]
    url = f"/danh-gia/nhap-bo-tieu-chi/{imp.pk}/tieu-chi/4/"
    form = {
        "action": "save",
        "code": "5",
        "group": c["group"],
        "name": c["name"],
        "requirement": c["requirement"],
        "comparator": ">=",
        "value": "95",
        "value_max": "",
        "unit": "%",
        "points": "15",
        "mandatory": "0",
        "evidence": c["evidence"],
    }
    # When the reviewer corrects the points (htmx)
    answer = client.post(url, form, HTTP_HX_REQUEST="true")
    # Then the criterion answers accepted with 15 points, and the checks no longer show the mismatch
    html = answer.content.decode()
    assert answer.status_code == 200
    assert '<article class="item decision-accepted" id="tc-4">' in html
    assert '<dd data-testid="points">15</dd>' in html
    assert 'id="kiem-tra" aria-labelledby="h-kiem-tra" aria-live="polite" hx-swap-oob="true"' in html
    assert "không bằng tổng điểm" not in html
    # And a bad edit answers 400 with the reason, nothing saved
    bad = client.post(url, {**form, "points": "-3"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400
    assert "Điểm: “-3” phải trong khoảng 0–10.000." in bad.content.decode()
    imp.refresh_from_db()
    assert imp.criteria[4]["points"] == 15


def test_publish_from_the_page_shows_the_outcome():
    frameworks_load(actor=SYSTEM)
    client, _access = _client()
    _upload(client, d.decision_docx())
    imp = CriteriaImport.objects.get()
    base = f"/danh-gia/nhap-bo-tieu-chi/{imp.pk}"
    # A publish with criteria still pending is refused with the reason
    refused = client.post(f"{base}/ban-hanh/", follow=True)
    assert "Còn 7 tiêu chí chưa duyệt" in refused.content.decode()
    assert not Framework.objects.filter(code="3120-qd-ubnd-so-nganh").exists()
    # When every criterion is accepted, the facts saved with a replaced set, and it is published
    client.post(f"{base}/chap-nhan-tat-ca/")
    client.post(
        f"{base}/thong-tin/",
        {**imp.meta, "date": "14/09/2026", "max_points": "100", "replaces": "minh-hoa-xa-2026", "first_year": "2027"},
    )
    page = client.post(f"{base}/ban-hanh/", follow=True)
    # Then the page shows what was published, and the draft is closed
    html = page.content.decode()
    assert "Đã ban hành bộ tiêu chí" in html
    assert "7 tiêu chí trong 3 nhóm; 1 mức công nhận." in html
    assert "Thay thế bộ tiêu chí “minh-hoa-xa-2026”." in html
    imp.refresh_from_db()
    assert imp.status == ImportStatus.PUBLISHED
    assert Framework.objects.get(code="3120-qd-ubnd-so-nganh").replaces.code == "minh-hoa-xa-2026"


def test_an_upload_without_a_table_answers_the_reason():
    client, _ = _client()
    answer = _upload(client, d.no_table_docx(), "qd-khong-co-bang.docx")
    assert answer.status_code == 400
    assert "Không tìm thấy bảng tiêu chí trong tệp “qd-khong-co-bang.docx”" in answer.content.decode()
    assert CriteriaImport.objects.count() == 0
    wrong = _upload(client, b"%PDF", "bo-tieu-chi.odt")
    assert wrong.status_code == 400
    assert "Chỉ nhận tệp .docx, .pdf hoặc .xlsx." in wrong.content.decode()


@pytest.mark.parametrize("role", [Role.LEADER, Role.REPORTER])
def test_others_are_refused_every_page_and_nothing_changes(role):
    _, secretariat = _client()
    imp = review.criteria_import_create(actor=secretariat, data=d.decision_docx(), filename=d.FILENAME)
    snapshot = (imp.meta, imp.criteria, imp.status)
    client, _ = _client(role)
    base = f"/danh-gia/nhap-bo-tieu-chi/{imp.pk}"
    gets = ["/danh-gia/nhap-bo-tieu-chi/", f"{base}/"]
    posts = [
        f"{base}/tieu-chi/0/",
        f"{base}/thong-tin/",
        f"{base}/muc-cong-nhan/",
        f"{base}/chap-nhan-tat-ca/",
        f"{base}/ban-hanh/",
        f"{base}/huy/",
        "/danh-gia/xep-hang-tinh/",
    ]
    assert {url: client.get(url).status_code for url in gets} == dict.fromkeys(gets, 403)
    data = {"action": "rejected", "title": "Khác", "year": "2025", "rank": "1", "reference": "x"}
    assert {url: client.post(url, data).status_code for url in posts} == dict.fromkeys(posts, 403)
    assert _upload(client, d.decision_docx()).status_code == 403
    # the province's ranks are read by its leaders, without the forms that enter them
    ranks = client.get("/danh-gia/xep-hang-tinh/")
    assert ranks.status_code == (200 if role == Role.LEADER else 403)
    assert "Nhập kết quả Bộ công bố" not in ranks.content.decode()
    imp.refresh_from_db()
    assert (imp.meta, imp.criteria, imp.status) == snapshot
    assert CriteriaImport.objects.count() == 1
    assert ProvinceResult.objects.count() == 0
