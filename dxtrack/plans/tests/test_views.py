"""Register pages and the import review over HTTP."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.models import AuditEvent
from dxtrack.org.tests.factories import agency
from dxtrack.plans.models import Document, PlanImport
from dxtrack.plans.services import publication, review, uploads

from .plan_samples import PLAN_V1

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(role="secretariat", agency=agency("SO_KHCN"))


@pytest.fixture
def published(secretariat):
    plan_import = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77.txt")
    review.import_accept_all(actor=secretariat, plan_import=plan_import)
    return publication.plan_import_publish(actor=secretariat, plan_import=plan_import)


def test_upload_review_and_publish_through_the_pages(client, secretariat):
    client.force_login(secretariat)
    response = client.post(reverse("plans:imports"), {"file": SimpleUploadedFile("kh77.txt", PLAN_V1)})
    plan_import = PlanImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:import", args=[plan_import.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Xây dựng kho dữ liệu dùng chung của tỉnh" in page and 'id="dong-' in page
    item = plan_import.items.filter(kind="target").first()
    partial = client.post(
        reverse("plans:import_item", args=[plan_import.pk, item.pk]),
        {"action": "rejected"},
        headers={"HX-Request": "true"},
    )
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert "decision-rejected" in partial.content.decode()
    client.post(reverse("plans:import_accept_all", args=[plan_import.pk]))
    # (targets with no indicator need an explicit choice: issue 15)
    response = client.post(reverse("plans:import_publish", args=[plan_import.pk]), {"unlinked": "publish"})
    document = Document.objects.get()
    # Then the review page says what publishing did, with a link to the document
    assert response["Location"] == reverse("plans:import", args=[plan_import.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Kết quả đưa vào danh mục" in page and reverse("plans:document", args=[document.code]) in page
    assert "<li>Thêm mới 5 mục:</li><li>  + chỉ tiêu “Tỷ lệ hộ gia đình có cáp quang”</li>" in page


def test_a_bad_upload_is_answered_with_the_reason_and_nothing_saved(client, secretariat):
    client.force_login(secretariat)
    response = client.post(reverse("plans:imports"), {"file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF")})
    assert response.status_code == 400
    assert "không phải PDF hợp lệ" in response.content.decode()
    assert PlanImport.objects.count() == 0


def test_an_empty_upload_field_is_answered(client, secretariat):
    client.force_login(secretariat)
    response = client.post(reverse("plans:imports"), {})
    assert response.status_code == 400 and "Trường này là bắt buộc" in response.content.decode()


def test_a_reporter_can_neither_see_nor_drive_imports(client, secretariat):
    plan_import = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77.txt")
    client.force_login(UserFactory(role="reporter", agency=agency("SO_TAI_CHINH")))
    events = AuditEvent.objects.count()
    assert client.get(reverse("plans:imports")).status_code == 403
    assert client.get(reverse("plans:import", args=[plan_import.pk])).status_code == 403
    assert client.post(reverse("plans:import_publish", args=[plan_import.pk])).status_code == 403
    item = plan_import.items.first()
    assert (
        client.post(reverse("plans:import_item", args=[plan_import.pk, item.pk]), {"action": "accepted"}).status_code
        == 403
    )
    assert set(plan_import.items.values_list("decision", flat=True)) == {"pending"}
    assert AuditEvent.objects.count() == events and Document.objects.count() == 0


def test_an_unknown_action_or_bad_edit_gets_a_message(client, secretariat):
    plan_import = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77.txt")
    item = plan_import.items.filter(kind="target").first()
    client.force_login(secretariat)
    url = reverse("plans:import_item", args=[plan_import.pk, item.pk])
    response = client.post(url, {"action": "xoa-het"}, headers={"HX-Request": "true"})
    assert response.status_code == 400 and "Thao tác không hợp lệ." in response.content.decode()
    response = client.post(
        url, {"action": "save", "label": "x", "value": "mười", "direction": ">="}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400 and "“mười” không phải là số" in response.content.decode()


def test_register_pages_filter_and_link_to_clauses(client, published):
    targets = client.get(reverse("plans:targets"), {"van_ban": published.code, "tru_cot": "", "nam": "2026"})
    body = targets.content.decode()
    assert "2 chỉ tiêu" in body and f"/ke-hoach/van-ban/{published.code}/dieu/" in body
    tasks = client.get(reverse("plans:tasks"), {"co_quan": "SO_NN_MT"}).content.decode()
    assert "Số hóa hồ sơ đất đai" in tasks and "Xây dựng kho dữ liệu" not in tasks
    clause = published.tasks.get(title="Số hóa hồ sơ đất đai").clause
    page = client.get(reverse("plans:clause", args=[published.code, clause.path])).content.decode()
    assert "Số hóa hồ sơ đất đai" in page


@pytest.mark.parametrize("query", [{"nam": "abc"}, {"tru_cot": "<script>"}, {"van_ban": "x" * 500}, {"trang": "-1"}])
def test_odd_filters_never_error(client, published, query):
    response = client.get(reverse("plans:targets"), query)
    assert response.status_code == 200


def test_an_agency_sees_tasks_of_the_body_it_succeeded(client, secretariat):
    plan_import = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77.txt")
    item = plan_import.items.filter(kind="task").first()
    review.import_item_update(
        actor=secretariat,
        item=item,
        data={"title": "Nhiệm vụ giao Sở TT&TT cũ", "lead": "Sở TT&TT", "clause": item.payload["clause"]},
    )
    review.import_accept_all(actor=secretariat, plan_import=plan_import)
    publication.plan_import_publish(actor=secretariat, plan_import=plan_import)
    page = client.get(reverse("plans:agency", args=["SO_KHCN"])).content.decode()
    assert "Nhiệm vụ giao Sở TT&amp;TT cũ" in page


def test_unknown_document_and_clause_give_404(client, published):
    assert client.get(reverse("plans:document", args=["khong-co"])).status_code == 404
    assert client.get(reverse("plans:clause", args=[published.code, "IX.9"])).status_code == 404


def test_a_long_document_title_is_shown_cut_with_an_ellipsis():
    # Given a plan whose title is longer than a list line allows
    title = "Kế hoạch chuyển đổi số trên địa bàn tỉnh Thanh Hóa đến năm 2025, định hướng đến năm 2030"
    document = Document(code="kh-dai", number="4216/QĐ-UBND", doc_type="ke_hoach", title=title, year=2020)
    # Then its name in lists says it is cut, and a short title is whole
    assert str(document) == f"4216/QĐ-UBND — {title[:79]}…"
    document.title = "Kế hoạch năm 2024"
    assert str(document) == "4216/QĐ-UBND — Kế hoạch năm 2024"
