"""Evidence files: checked past their first bytes; a replaced file does not stay behind."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dxtrack.core.errors import InvalidData
from dxtrack.core.models import AuditEvent
from dxtrack.core.tests import samples
from dxtrack.reports import selectors
from dxtrack.reports.models import TaskUpdate
from dxtrack.reports.services.evidence import task_evidence_attach
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.tests.builders import commune_obligation, unit_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def update(calendar_2025, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    obligation = commune_obligation()
    reporter, _approver, _secretariat = unit_people(obligation.admin_unit)
    report = report_open(actor=reporter, obligation=obligation)
    task = selectors.report_form(report).tasks[0].task
    return TaskUpdate.objects.create(report=report, task=task, state="in_progress", percent=20), reporter


def test_a_pdf_header_followed_by_a_web_page_is_refused_and_nothing_kept(update, tmp_path):
    # Given a task update
    row, reporter = update
    # When a "PDF" that is an HTML page behind a PDF header is attached
    fake = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>")
    with pytest.raises(InvalidData) as refused:
        task_evidence_attach(actor=reporter, update=row, upload=fake)
    # Then it is refused in Vietnamese, no file is written and nothing is audited
    assert refused.value.message == "Nội dung tệp không phải PDF như tên tệp ghi."
    row.refresh_from_db()
    assert row.evidence_file.name == ""
    assert not any(tmp_path.rglob("*.pdf"))
    assert not AuditEvent.objects.filter(action="reporting.task_update.evidence").exists()


def test_a_replaced_evidence_file_is_deleted_once_the_new_one_is_kept(update, django_capture_on_commit_callbacks):
    # Given a task update with an evidence PDF
    row, reporter = update
    with django_capture_on_commit_callbacks(execute=True):
        task_evidence_attach(actor=reporter, update=row, upload=SimpleUploadedFile("a.pdf", samples.pdf()))
    first = row.evidence_file.name
    assert row.evidence_file.storage.exists(first)
    # When it is replaced by a PNG
    with django_capture_on_commit_callbacks(execute=True):
        task_evidence_attach(actor=reporter, update=row, upload=SimpleUploadedFile("b.png", samples.png()))
    # Then the new file is kept and the old one is gone
    row.refresh_from_db()
    assert row.evidence_file.name.endswith(".png")
    assert row.evidence_file.storage.exists(row.evidence_file.name)
    assert not row.evidence_file.storage.exists(first)
