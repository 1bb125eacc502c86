"""Issuing: numbers, freezing, identical re-downloads; who may do what; bad input."""

import datetime
import hashlib

import pytest
from django.urls import reverse

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.publishing import pdf, services
from dxtrack.publishing.models import IssuedReport, IssuedStatus

from .conftest import fake_convert

pytestmark = pytest.mark.django_db


def _draft(actor, period):
    return services.report_compose(actor=actor, period=period, scope_kind="programme")


def _issue(actor, report, day):
    return services.report_issue(actor=actor, report=report, today=day, convert=fake_convert)


def test_issuing_numbers_per_year_and_freezes_the_content(secretariat, quarter):
    # given three drafts
    a, b, c = (_draft(secretariat, quarter) for _ in range(3))

    # when two are issued in 2026 and one in 2027
    a = _issue(secretariat, a, datetime.date(2026, 1, 5))
    b = _issue(secretariat, b, datetime.date(2026, 3, 20))
    c = _issue(secretariat, c, datetime.date(2027, 1, 2))

    # then the numbers run per year
    assert [(r.reference, r.year, r.issued_on) for r in (a, b, c)] == [
        ("01/BC-TGV", 2026, datetime.date(2026, 1, 5)),
        ("02/BC-TGV", 2026, datetime.date(2026, 3, 20)),
        ("01/BC-TGV", 2027, datetime.date(2027, 1, 2)),
    ]
    assert a.status == IssuedStatus.ISSUED
    assert a.issued_by == secretariat
    assert a.docx_sha256 == hashlib.sha256(bytes(a.docx)).hexdigest()
    assert a.pdf_sha256 == hashlib.sha256(bytes(a.pdf)).hexdigest()
    # and the content is frozen: no edit, no second issue, no deletion
    with pytest.raises(DomainError, match="đã ban hành"):
        services.report_update(actor=secretariat, report=a, data={**a.sections, "title": "Khác"})
    with pytest.raises(DomainError, match="đã được ban hành"):
        _issue(secretariat, a, datetime.date(2026, 1, 6))
    with pytest.raises(DomainError, match="không xóa được"):
        services.report_discard(actor=secretariat, report=a)
    a.refresh_from_db()
    assert a.reference == "01/BC-TGV"
    assert a.title == "Kết quả thực hiện chuyển đổi số quý III năm 2025"
    # every write left an audit event
    actions = list(
        AuditEvent.objects.filter(target_type="publishing.issuedreport", target_id=str(a.pk))
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["publishing.report.compose", "publishing.report.issue"], actions


def test_redownload_returns_the_stored_bytes(client, secretariat, quarter):
    # given an issued report
    report = _issue(secretariat, _draft(secretariat, quarter), datetime.date(2026, 1, 5))
    client.force_login(secretariat)

    # when its files are downloaded twice, a day apart in rendering terms
    docx1 = client.get(reverse("publishing:docx", args=[report.pk]))
    docx2 = client.get(reverse("publishing:docx", args=[report.pk]))
    pdf1 = client.get(reverse("publishing:pdf", args=[report.pk]))

    # then each is exactly what was stored at issue
    assert docx1.status_code == 200
    assert docx1["Content-Disposition"] == 'attachment; filename="bao-cao-01-bc-tgv-2026.docx"'
    assert hashlib.sha256(docx1.content).hexdigest() == report.docx_sha256
    assert docx1.content == docx2.content
    assert pdf1["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf1.content).hexdigest() == report.pdf_sha256


def test_secretariat_edits_a_draft_and_the_docx_carries_the_edit(client, secretariat, quarter):
    # given a draft
    report = _draft(secretariat, quarter)
    client.force_login(secretariat)
    page = client.get(reverse("publishing:detail", args=[report.pk]))
    assert page.status_code == 200
    assert "Lưu nội dung" in page.content.decode()

    # when the secretariat rewrites the difficulties and signs
    data = {**report.sections, "title": report.title, "version": report.version}
    data["difficulties"] = "- Thiếu kinh phí duy trì hạ tầng (Sở Tài chính)."
    data["sign_name"] = "Nguyễn Văn An"
    response = client.post(reverse("publishing:save", args=[report.pk]), data)

    # then it is saved, audited, and in the draft's DOCX
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.sections["difficulties"] == "- Thiếu kinh phí duy trì hạ tầng (Sở Tài chính)."
    assert report.version == 2
    event = AuditEvent.objects.get(action="publishing.report.update", target_id=str(report.pk))
    assert event.changes["sections.sign_name"] == ["", "Nguyễn Văn An"]
    docx = client.get(reverse("publishing:docx", args=[report.pk]))
    assert docx.status_code == 200
    from io import BytesIO

    from docx import Document

    document = Document(BytesIO(docx.content))
    texts = [p.text for p in document.paragraphs]
    assert "- Thiếu kinh phí duy trì hạ tầng (Sở Tài chính)." in texts
    assert document.tables[0].cell(1, 0).text == "Số:      /BC-TGV"  # a draft has no number yet


def test_stale_version_is_refused(secretariat, quarter):
    report = _draft(secretariat, quarter)
    services.report_update(actor=secretariat, report=report, data={**report.sections, "title": "A"}, version=1)
    with pytest.raises(DomainError, match="vừa được người khác sửa"):
        services.report_update(actor=secretariat, report=report, data={**report.sections, "title": "B"}, version=1)
    report.refresh_from_db()
    assert report.title == "A"


@pytest.mark.parametrize("role", [Role.REPORTER, Role.APPROVER, Role.LEADER])
def test_only_the_secretariat_composes_edits_and_issues(client, secretariat, quarter, role):
    # given a draft and another user
    report = _draft(secretariat, quarter)
    other = UserFactory(role=role)
    client.force_login(other)
    before = IssuedReport.objects.count()

    # when they try to compose, save, issue or delete
    create = client.post(reverse("publishing:create"), {"period": quarter.pk, "scope_kind": "programme"})
    save = client.post(reverse("publishing:save", args=[report.pk]), {**report.sections, "title": "Sửa trái phép"})
    issue = client.post(reverse("publishing:issue", args=[report.pk]))
    discard = client.post(reverse("publishing:discard", args=[report.pk]))

    # then each is refused with 403 and nothing changed
    assert [create.status_code, save.status_code, issue.status_code, discard.status_code] == [403, 403, 403, 403]
    assert IssuedReport.objects.count() == before
    report.refresh_from_db()
    assert (report.title, report.status, report.number) == (report.title, IssuedStatus.DRAFT, None)
    assert report.title != "Sửa trái phép"
    with pytest.raises(NotAllowed):
        services.report_compose(actor=other, period=quarter, scope_kind="programme")
    with pytest.raises(NotAllowed):
        services.report_issue(actor=other, report=report, convert=fake_convert)


def test_leaders_read_issued_reports_only(client, secretariat, quarter):
    # given one issued report and one draft
    issued = _issue(secretariat, _draft(secretariat, quarter), datetime.date(2026, 1, 5))
    draft = _draft(secretariat, quarter)
    leader = UserFactory(role=Role.LEADER)
    client.force_login(leader)

    # then the leader lists and downloads the issued one, and cannot see the draft
    listing = client.get(reverse("publishing:index")).content.decode()
    assert "01/BC-TGV" in listing
    assert reverse("publishing:detail", args=[draft.pk]) not in listing
    assert client.get(reverse("publishing:detail", args=[issued.pk])).status_code == 200
    assert client.get(reverse("publishing:docx", args=[issued.pk])).content == bytes(issued.docx)
    assert client.get(reverse("publishing:detail", args=[draft.pk])).status_code == 404
    # and a unit's reporter sees nothing
    client.force_login(UserFactory(role=Role.REPORTER))
    assert client.get(reverse("publishing:index")).status_code == 403
    assert client.get(reverse("publishing:docx", args=[issued.pk])).status_code == 403


def test_bad_input_gets_a_vietnamese_message(client, secretariat, quarter):
    client.force_login(secretariat)
    url = reverse("publishing:create")
    # an unknown period
    response = client.post(url, {"period": 999999, "scope_kind": "programme"})
    assert response.status_code == 400
    assert "Kỳ báo cáo không có trong lịch báo cáo." in response.content.decode()
    # a scope without its plan, and an unknown scope
    response = client.post(url, {"period": quarter.pk, "scope_kind": "plan"})
    assert response.status_code == 400
    assert "Hãy chọn kế hoạch cho phạm vi này." in response.content.decode()
    response = client.post(url, {"period": quarter.pk, "scope_kind": "tinh-khac"})
    assert response.status_code == 400
    assert "Phạm vi không hợp lệ." in response.content.decode()
    assert IssuedReport.objects.count() == 0
    # a huge text and an empty title
    report = _draft(secretariat, quarter)
    data = {**report.sections, "title": "", "version": report.version, "proposals": "x" * 20_001}
    response = client.post(reverse("publishing:save", args=[report.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Trích yếu của báo cáo không được để trống." in page
    assert "Phần “III. ĐỀ XUẤT, KIẾN NGHỊ” dài 20.001 ký tự; tối đa 20.000 ký tự." in page
    report.refresh_from_db()
    assert report.version == 1
    with pytest.raises(InvalidData):
        services.report_update(actor=secretariat, report=report, data={**data, "title": "x" * 501})
    # an unknown report
    assert client.get(reverse("publishing:detail", args=[999999])).status_code == 404


def test_without_libreoffice_pdf_answers_a_message_and_docx_still_works(client, secretariat, quarter, monkeypatch):
    # given no LibreOffice on the server
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    report = _draft(secretariat, quarter)
    client.force_login(secretariat)

    # when the draft's PDF is asked for, and the draft is issued
    response = client.get(reverse("publishing:pdf", args=[report.pk]), follow=True)
    issued = client.post(reverse("publishing:issue", args=[report.pk]), follow=True)

    # then a Vietnamese message, no 500, the report still a draft; the DOCX downloads
    assert response.status_code == 200
    assert "chưa cài LibreOffice" in response.content.decode()
    assert "chưa cài LibreOffice" in issued.content.decode()
    report.refresh_from_db()
    assert (report.status, report.number) == (IssuedStatus.DRAFT, None)
    assert client.get(reverse("publishing:docx", args=[report.pk])).status_code == 200


def test_anonymous_is_sent_to_log_in(client, quarter):
    response = client.get(reverse("publishing:index"))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "dang-nhap" in response["Location"]


def test_compose_form_page(client, secretariat, quarter):
    client.force_login(secretariat)
    page = client.get(reverse("publishing:create"))
    assert page.status_code == 200
    assert "Quý III/2025 (01/07/2025–30/09/2025; kỳ số liệu 15/06/2025–14/09/2025)" in page.content.decode()
    response = client.post(reverse("publishing:create"), {"period": quarter.pk, "scope_kind": "programme"})
    report = IssuedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("publishing:detail", args=[report.pk])


def test_the_compose_command_reads_the_period_as_people_type_it(secretariat, quarter):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("publish", "compose", "--user", secretariat.username, "--period", "quý 3/2025", stdout=out)
    assert IssuedReport.objects.get().period == quarter
    assert out.getvalue().startswith("Đã lập bản nháp #")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Kỳ báo cáo để trống; ghi ví dụ “Quý III/2025”, “6 tháng đầu năm 2025” hoặc “Năm 2025”."),
        ("Quý III", "Kỳ “Quý III” thiếu năm; ghi ví dụ “Quý III/2025”, “6 tháng đầu năm 2025” hoặc “Năm 2025”."),
        ("Quý IV/2025", "Kỳ Quý IV/2025 chưa có trong lịch báo cáo; lập lịch trước: dxtrack calendar --year 2025."),
    ],
)
def test_the_compose_command_refuses_a_wrong_period_and_composes_nothing(secretariat, quarter, typed, message):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as caught:
        call_command("publish", "compose", "--user", secretariat.username, "--period", typed)
    assert str(caught.value) == message
    assert not IssuedReport.objects.exists()
