"""The PDF conversions run on the task queue (core.jobs) and the report's page shows their
progress: with DXTRACK_TASKS=immediate (the tests' default) a job is finished when the page
comes back. The real database queue with a worker: operations/tests/test_jobs.py."""

import hashlib

import pytest
from django.urls import reverse

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.errors import DomainError
from dxtrack.core.models import AuditEvent, Job, JobState
from dxtrack.publishing import jobs, pdf, services
from dxtrack.publishing.models import IssuedStatus

from .conftest import FAKE_PDF, fake_convert

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(monkeypatch):
    """LibreOffice present, and converting with the tests' stand-in."""
    monkeypatch.setattr(pdf, "soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "docx_to_pdf", fake_convert)


def _draft(actor, period):
    return services.report_compose(actor=actor, period=period, scope_kind="programme")


def test_issuing_from_the_page_runs_on_the_queue_and_the_page_links_the_pdf(client, secretariat, quarter, office):
    # given a draft and its page
    report = _draft(secretariat, quarter)
    client.force_login(secretariat)

    # when the secretariat issues it
    response = client.post(reverse("publishing:issue", args=[report.pk]), follow=True)

    # then the job ran (inline), the report is issued, and the page links the PDF kept at issue
    report.refresh_from_db()
    assert (report.status, report.reference) == (IssuedStatus.ISSUED, "01/BC-TGV")
    job = Job.objects.get()
    assert (job.kind, job.state, job.progress, job.user, job.error) == (
        jobs.ISSUE,
        JobState.DONE,
        100,
        secretariat,
        "",
    )
    page = response.content.decode()
    assert "Đã xong: Ban hành báo cáo và chuyển sang PDF." in page
    assert reverse("core:job_file", args=[job.pk]) in page
    download = client.get(reverse("core:job_file", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="bao-cao-01-bc-tgv-{report.year}.pdf"'
    assert hashlib.sha256(download.content).hexdigest() == report.pdf_sha256
    # and both the job and the issue were audited
    actions = sorted(
        AuditEvent.objects.filter(action__regex=r"^(core\.job|publishing)\.").values_list("action", flat=True)
    )
    assert actions == ["core.job.done", "core.job.start", "publishing.report.compose", "publishing.report.issue"]


def test_a_draft_pdf_is_converted_on_the_queue_and_polled_by_htmx_while_running(client, secretariat, quarter, office):
    # given a draft
    report = _draft(secretariat, quarter)
    client.force_login(secretariat)

    # when its PDF is asked for
    response = client.post(reverse("publishing:pdf", args=[report.pk]), follow=True)

    # then the job holds the converted draft and the draft is still a draft
    job = Job.objects.get()
    assert (job.kind, job.state, job.filename) == (
        jobs.DRAFT_PDF,
        JobState.DONE,
        f"du-thao-bao-cao-quy-iii2025-{report.pk}.pdf",
    )
    assert bytes(Job.objects.get().file).startswith(FAKE_PDF)
    assert "Đã xong: Chuyển bản nháp báo cáo sang PDF." in response.content.decode()
    report.refresh_from_db()
    assert report.status == IssuedStatus.DRAFT
    # and, while a job still runs, its fragment asks htmx to poll it every 2 s (no inline script)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, progress=30)
    fragment = client.get(reverse("core:job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{reverse("core:job", args=[job.pk])}" hx-trigger="every 2s" hx-swap="outerHTML"' in fragment
    assert "Đang chuyển sang PDF… (30%)" in fragment
    assert "<script" not in fragment


def test_a_failed_conversion_shows_the_reason_in_vietnamese_and_changes_nothing(
    client, secretariat, quarter, monkeypatch
):
    # given LibreOffice installed but failing on this document
    monkeypatch.setattr(pdf, "soffice", lambda: "/usr/bin/soffice")

    def broken(data):
        raise DomainError("LibreOffice không tạo được bản PDF.", code="office_failed")

    monkeypatch.setattr(pdf, "docx_to_pdf", broken)
    report = _draft(secretariat, quarter)
    client.force_login(secretariat)

    # when it is issued
    response = client.post(reverse("publishing:issue", args=[report.pk]), follow=True)

    # then the page says why, the job failed for good, the report is still an unnumbered draft
    assert "Không thực hiện được: Ban hành báo cáo và chuyển sang PDF. LibreOffice không tạo được bản PDF." in (
        response.content.decode()
    )
    job = Job.objects.get()
    assert (job.state, job.error, job.file) == (JobState.FAILED, "LibreOffice không tạo được bản PDF.", None)
    report.refresh_from_db()
    assert (report.status, report.number) == (IssuedStatus.DRAFT, None)
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 302


def test_another_persons_job_is_not_found_and_only_the_secretariat_issues(client, secretariat, quarter, office):
    # given the secretariat's finished job
    report = _draft(secretariat, quarter)
    client.force_login(secretariat)
    client.post(reverse("publishing:pdf", args=[report.pk]))
    job = Job.objects.get()
    # when someone else asks for its state or its file, or tries to issue through the page
    other = UserFactory(role=Role.LEADER)
    client.force_login(other)
    status = client.get(reverse("core:job", args=[job.pk])).status_code
    file = client.get(reverse("core:job_file", args=[job.pk])).status_code
    issue = client.post(reverse("publishing:issue", args=[report.pk])).status_code
    # then 404, 404 and 403, and no job was started
    assert (status, file, issue) == (404, 404, 403)
    assert Job.objects.count() == 1


def test_issuing_twice_on_the_queue_hands_back_the_kept_pdf(secretariat, quarter, office):
    # given a report issued by its job
    from dxtrack.accounts.access import Access
    from dxtrack.core import jobs as core_jobs

    report = _draft(secretariat, quarter)
    first = core_jobs.job_start(
        actor=Access.for_user(secretariat), kind=jobs.ISSUE, label="x", params={"report": report.pk}
    )
    # when the same work runs again (a worker died after the commit, the task was delivered again)
    second = core_jobs.job_start(
        actor=Access.for_user(secretariat), kind=jobs.ISSUE, label="x", params={"report": report.pk}
    )
    # then it did not fail and hands back the same PDF; the report was issued once
    assert (first.state, second.state) == (JobState.DONE, JobState.DONE)
    assert bytes(Job.objects.get(pk=first.pk).file) == bytes(Job.objects.get(pk=second.pk).file)
    assert AuditEvent.objects.filter(action="publishing.report.issue").count() == 1
