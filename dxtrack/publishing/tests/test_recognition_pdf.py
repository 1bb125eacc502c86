"""The recognition decision's PDF: its kept, numbered DOCX converted by LibreOffice on the task
queue (the periodic report's path: pdf.docx_to_pdf run as a core.jobs job), kept on the decision
the first time, then handed out as it is; for those who see the round only."""

import io

import pytest
from django.urls import reverse

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.assessments.services.recognition import decision_pdf_keep
from dxtrack.assessments.tests.conftest import DECISION_NUMBER as NUMBER
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent, Job, JobState
from dxtrack.publishing import pdf, recognition

from .conftest import FAKE_PDF, fake_convert, office_or_skip

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(monkeypatch):
    """LibreOffice present, and converting with the tests' stand-in."""
    monkeypatch.setattr(pdf, "soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "docx_to_pdf", fake_convert)


@pytest.fixture
def decision(decided):
    return decided


def _client(client, access):
    client.force_login(access.user)
    return client


def test_the_pdf_is_converted_on_the_queue_kept_and_then_handed_out_as_kept(client, decision, office):
    decision, _ = decision
    leader = UserFactory(role=Role.LEADER)
    client.force_login(leader)
    url = reverse("publishing:recognition_pdf", args=[decision.pk])
    # Given the round page offers to make the PDF (none kept yet)
    page = client.get(reverse("assessments:round", args=[decision.round_id])).content.decode()
    assert f'action="{url}"' in page
    assert "Tạo bản PDF" in page

    # When a leader asks for it
    response = client.post(url)

    # Then the conversion ran as a job with its progress page, and the job holds the PDF of the kept DOCX
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert (job.kind, job.state, job.progress, job.user, job.filename) == (
        recognition.DECISION_PDF,
        JobState.DONE,
        100,
        leader,
        "quyet-dinh-cong-nhan-123-qd-ubnd.pdf",
    )
    decision.refresh_from_db()
    with decision.file.open("rb") as docx:
        expected = fake_convert(docx.read())
    download = client.get(reverse("core:job_file", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download.content == expected
    # And the PDF is kept on the decision, audited once
    with decision.pdf.open("rb") as kept:
        assert kept.read() == expected
    assert AuditEvent.objects.filter(action="assessments.decision.pdf").count() == 1

    # When it is downloaded again (the round page now links it)
    page = client.get(reverse("assessments:round", args=[decision.round_id])).content.decode()
    assert f'href="{url}"' in page
    again = client.get(url)

    # Then the kept file answers at once: no new job
    assert again.status_code == 200
    assert again["Content-Type"] == "application/pdf"
    assert again["Content-Disposition"] == 'attachment; filename="quyet-dinh-cong-nhan-123-qd-ubnd.pdf"'
    assert again.content == expected
    assert Job.objects.count() == 1


def test_those_who_do_not_see_the_round_get_neither_the_pdf_nor_a_job(client, decision, office):
    decision, people = decision
    url = reverse("publishing:recognition_pdf", args=[decision.pk])
    # When the commune's own focal point (not province-wide, not on the council) asks for it
    response = _client(client, people["reporter"]).post(url)
    # Then it is not found, and nothing was started or kept
    assert response.status_code == 404
    assert not Job.objects.exists()
    decision.refresh_from_db()
    assert not decision.pdf
    # And anonymously: to the log-in page
    client.logout()
    assert client.post(url).status_code == 302
    assert not Job.objects.exists()


def test_without_libreoffice_the_page_says_so_and_nothing_is_kept(client, decision, monkeypatch):
    decision, _ = decision
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    client.force_login(UserFactory(role=Role.SECRETARIAT))
    response = client.post(reverse("publishing:recognition_pdf", args=[decision.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessments:round", args=[decision.round_id])
    assert pdf.UNAVAILABLE in response.content.decode()
    assert not Job.objects.exists()
    decision.refresh_from_db()
    assert not decision.pdf


def test_a_get_before_the_pdf_exists_starts_nothing(client, decision, office):
    decision, _ = decision
    client.force_login(UserFactory(role=Role.SECRETARIAT))
    response = client.get(reverse("publishing:recognition_pdf", args=[decision.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:round", args=[decision.round_id])
    assert not Job.objects.exists()


def test_keeping_refuses_what_is_not_a_pdf_and_keeps_only_the_first(decision):
    decision, people = decision
    secretariat = Access.for_user(UserFactory(role=Role.SECRETARIAT))
    # A conversion that is not a PDF is refused, nothing kept
    with pytest.raises(InvalidData, match="không phải tệp PDF"):
        decision_pdf_keep(actor=secretariat, decision=decision, data=b"PK\x03\x04 a docx")
    decision.refresh_from_db()
    assert not decision.pdf
    # Someone who does not see the round may not keep one
    with pytest.raises(NotAllowed):
        decision_pdf_keep(actor=people["reporter"], decision=decision, data=FAKE_PDF)
    decision.refresh_from_db()
    assert not decision.pdf
    # The first PDF is kept; a second conversion (a job run twice) leaves it as it is
    decision_pdf_keep(actor=secretariat, decision=decision, data=FAKE_PDF + b"first")
    decision_pdf_keep(actor=secretariat, decision=decision, data=FAKE_PDF + b"second")
    decision.refresh_from_db()
    with decision.pdf.open("rb") as kept:
        assert kept.read() == FAKE_PDF + b"first"
    assert AuditEvent.objects.filter(action="assessments.decision.pdf").count() == 1


def test_the_pdf_of_the_recognition_decision_with_libreoffice(client, decision):
    office_or_skip()
    from pypdf import PdfReader

    decision, _ = decision
    client.force_login(UserFactory(role=Role.SECRETARIAT))
    # When the secretariat makes the PDF (LibreOffice for real; the job runs inline in tests)
    client.post(reverse("publishing:recognition_pdf", args=[decision.pk]))
    job = Job.objects.get()
    assert (job.state, job.error) == (JobState.DONE, "")
    # Then the kept PDF is the numbered decision with Hàm Rồng in its appendix
    decision.refresh_from_db()
    with decision.pdf.open("rb") as kept:
        reader = PdfReader(io.BytesIO(kept.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "QUYẾT ĐỊNH" in text
    assert f"Số: {NUMBER}" in text
    assert f"Công nhận các đơn vị đạt chuẩn chuyển đổi số năm {decision.round.year}" in text
    assert "Hàm Rồng" in text
