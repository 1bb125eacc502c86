"""Working the long form: last period's value beside each field, a jump list to the rows with
errors or warnings, the sticky bar, the evidence file's name with replace and remove, the
printable view and the unit's own report as a document to sign."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from dxtrack.accounts.access import Access
from dxtrack.core.models import AuditEvent, Job
from dxtrack.core.tests import samples
from dxtrack.reports import selectors
from dxtrack.reports.models import TaskUpdate
from dxtrack.reports.services.evidence import task_evidence_attach
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.values import ValueInput, values_apply
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tests.builders import commune_obligation, filled, neighbour, unit_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(calendar_2025):
    """Hàm Rồng: Q3/2025 approved, Q4/2025 open as a draft; its people."""
    q3 = commune_obligation(label="Quý III/2025")
    q4 = commune_obligation(label="Quý IV/2025")
    reporter, approver, secretariat = unit_people(q3.admin_unit)
    old = filled(report_open(actor=reporter, obligation=q3), reporter)
    report_transition(actor=approver, report=old, action="submit")
    report_transition(actor=Access.for_user(secretariat), report=old, action="approve")
    report = report_open(actor=reporter, obligation=q4)
    return report, reporter, approver, secretariat


def _plain_row(report):
    return next(r for r in selectors.report_form(report).rows if not r.spec.is_ratio)


def _ratio_row(report):
    return next(r for r in selectors.report_form(report).rows if r.spec.is_ratio)


def test_last_periods_approved_value_is_shown_beside_each_field(client, world):
    # Given Q3's approved values (40/100 for ratios, 3 or 50 for the others)
    report, reporter, *_ = world
    plain, ratio = _plain_row(report), _ratio_row(report)
    expected = "3" if plain.spec.unit != "%" else "50"
    client.force_login(reporter)
    # When the reporter opens Q4's form
    html = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    # Then each field carries Q3's number beside it, tied to the field for screen readers
    code = plain.indicator.code
    assert f'<p class="previous" id="ct-{code}-value-prev">Kỳ trước (Quý III/2025): {expected}</p>' in html
    assert f'id="ct-{ratio.indicator.code}-numerator-prev">Kỳ trước (Quý III/2025): 40</p>' in html
    assert f'id="ct-{ratio.indicator.code}-denominator-prev">Kỳ trước (Quý III/2025): 100</p>' in html
    assert f"ct-{code}-value-msg ct-{code}-value-prev ct-{code}-msgs" in html


def test_a_value_only_submitted_last_period_is_not_shown_as_last_periods(calendar_2025):
    # Given a neighbour whose Q3 report is only submitted, not approved
    q3 = neighbour(commune_obligation(label="Quý III/2025"))
    q4 = neighbour(commune_obligation(label="Quý IV/2025"))
    reporter, approver, _secretariat = unit_people(q3.admin_unit)
    old = filled(report_open(actor=reporter, obligation=q3), reporter)
    report_transition(actor=approver, report=old, action="submit")
    # When its Q4 form is read
    form = selectors.report_form(report_open(actor=reporter, obligation=q4))
    # Then no row has a previous value
    assert [r.previous for r in form.rows] == [None] * len(form.rows)


def test_the_jump_list_links_to_the_rows_with_errors_and_follows_each_save(client, world):
    # Given a ratio with its numerator above its denominator
    report, reporter, *_ = world
    ratio = _ratio_row(report)
    code = ratio.indicator.code
    client.force_login(reporter)
    # When the reporter saves it (htmx autosave)
    answer = client.post(
        reverse("reports:value", args=[report.pk, code]),
        {"numerator": "50", "denominator": "40", "version": "0"},
        headers={"HX-Request": "true"},
    )
    # Then the answer brings the check section again, with a jump to that row marked as an error
    html = answer.content.decode()
    assert answer.status_code == 200
    assert 'id="kiem-tra"' in html and 'hx-swap-oob="true"' in html
    assert (
        f'<a href="#ct-{code}" data-jump="ct-{code}"><span class="badge error">Lỗi</span> {ratio.indicator.name}</a>'
        in html
    )
    # And the page lists it too
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert f'data-jump="ct-{code}"' in page
    # When it is corrected, the jump goes
    client.post(
        reverse("reports:value", args=[report.pk, code]),
        {"numerator": "30", "denominator": "40", "version": "1"},
        headers={"HX-Request": "true"},
    )
    assert f'data-jump="ct-{code}"' not in client.get(reverse("reports:report", args=[report.pk])).content.decode()


def test_the_sticky_bar_shows_the_save_state_and_gui_duyet_to_the_one_who_submits(client, world):
    report, reporter, approver, _secretariat = world
    # The reporter: the save state, no submit button (her leader signs)
    client.force_login(reporter)
    html = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert 'id="thanh-luu"' in html and "Mọi thay đổi đã lưu" in html
    assert 'form="wf-submit"' not in html
    # The approver: "Gửi duyệt" submits the workflow's own form
    client.force_login(approver)
    html = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert '<button type="submit" form="wf-submit">Gửi duyệt</button>' in html
    assert 'id="wf-submit"' in html


@pytest.fixture
def with_evidence(world, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    report, reporter, *_ = world
    task = selectors.report_form(report).tasks[0].task
    update = TaskUpdate.objects.create(report=report, task=task, state="in_progress", percent=20)
    with django_capture_on_commit_callbacks(execute=True):
        task_evidence_attach(actor=reporter, update=update, upload=SimpleUploadedFile("bien-ban.pdf", samples.pdf()))
    update.refresh_from_db()
    return update


def test_the_evidence_file_is_named_with_replace_and_remove(
    client, world, with_evidence, django_capture_on_commit_callbacks
):
    report, reporter, *_ = world
    update = with_evidence
    stored = update.evidence_file.name
    client.force_login(reporter)
    # The row names the file and offers to replace or remove it
    html = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    name = stored.rsplit("/", 1)[-1]
    assert f'class="file-name">{name}</a>' in html
    assert "Thay tệp minh chứng bằng tệp khác" in html and ">Thay tệp</button>" in html
    assert reverse("reports:evidence_remove", args=[report.pk, update.task_id]) in html
    # When she removes it
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("reports:evidence_remove", args=[report.pk, update.task_id]))
    # Then the update has no file, the file is gone, and the removal is audited
    assert done.status_code == 302
    update.refresh_from_db()
    assert update.evidence_file.name == ""
    assert not update.evidence_file.storage.exists(stored)
    event = AuditEvent.objects.get(action="reporting.task_update.evidence_remove")
    assert (event.actor, event.changes) == (reporter, {"evidence_file": [stored, None]})


def test_another_unit_cannot_remove_the_evidence(client, world, with_evidence):
    report, *_ = world
    stranger = unit_people(neighbour(report.obligation).admin_unit)[0]
    client.force_login(stranger)
    answer = client.post(reverse("reports:evidence_remove", args=[report.pk, with_evidence.task_id]))
    assert answer.status_code == 404
    with_evidence.refresh_from_db()
    assert with_evidence.evidence_file.name != ""


def test_the_printable_view_lays_out_the_report_with_a_signature_block(client, world):
    report, reporter, *_ = world
    values_apply(actor=reporter, report=report, rows=[ValueInput(_plain_row(report).indicator.code, value="7")])
    client.force_login(reporter)
    page = client.get(reverse("reports:print", args=[report.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Báo cáo kết quả thực hiện Quý IV/2025" in html
    assert "THỦ TRƯỞNG ĐƠN VỊ" in html and "css/reportform.css" in html
    assert "(Quý III/2025)" in html


def test_the_unit_gets_its_own_report_as_docx_to_sign(client, world):
    report, reporter, *_ = world
    client.force_login(reporter)
    answer = client.get(reverse("publishing:unit_docx", args=[report.pk]))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert (
        answer["Content-Disposition"] == f'attachment; filename="bao-cao-quy-iv-2025-phuong-ham-rong-{report.pk}.docx"'
    )
    document = Document(io.BytesIO(answer.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Kết quả thực hiện" in text and "Quý IV/2025" in text
    assert "PHƯỜNG HÀM RỒNG" in cells and "THỦ TRƯỞNG ĐƠN VỊ" in cells
    assert "Kỳ trước" in cells


@pytest.mark.parametrize("name", ["reports:print", "publishing:unit_docx"])
def test_another_units_report_answers_404(client, world, name):
    report, *_ = world
    stranger = unit_people(neighbour(report.obligation).admin_unit)[0]
    client.force_login(stranger)
    assert client.get(reverse(name, args=[report.pk])).status_code == 404


def test_another_units_pdf_answers_404_and_starts_nothing(client, world):
    report, *_ = world
    stranger = unit_people(neighbour(report.obligation).admin_unit)[0]
    client.force_login(stranger)
    assert client.post(reverse("publishing:unit_pdf", args=[report.pk])).status_code == 404
    assert Job.objects.count() == 0


def test_the_units_pdf_is_converted_on_the_queue_from_its_docx(client, world, monkeypatch):
    # Given LibreOffice present, stood in for by a converter that records the DOCX it gets
    from dxtrack.publishing import pdf

    converted = []
    monkeypatch.setattr(pdf, "soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "docx_to_pdf", lambda data, **kw: converted.append(data) or b"%PDF-1.7 stand-in")
    report, reporter, *_ = world
    client.force_login(reporter)
    # When the reporter asks for the PDF
    answer = client.post(reverse("publishing:unit_pdf", args=[report.pk]))
    # Then the job ran (inline in the tests) on the unit's DOCX and its page offers the PDF
    job = Job.objects.get()
    assert answer["Location"] == reverse("core:job", args=[job.pk])
    assert (job.kind, job.state, job.filename, job.user) == (
        "publishing.unit_report_pdf",
        "done",
        f"bao-cao-quy-iv-2025-phuong-ham-rong-{report.pk}.pdf",
        reporter,
    )
    assert "PHƯỜNG HÀM RỒNG" in "\n".join(
        c.text for t in Document(io.BytesIO(converted[0])).tables for row in t.rows for c in row.cells
    )
    download = client.get(reverse("core:job_file", args=[job.pk]))
    assert (download["Content-Type"], download.content) == ("application/pdf", b"%PDF-1.7 stand-in")
