"""Long work on the task queue (core.jobs): a large download made by its job, inline with the
immediate backend and by a real worker process on the database queue."""

import pytest
from django.test import override_settings
from django.urls import reverse

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.exports import EXPORT_JOB
from dxtrack.core.models import Job, JobState

from .sites import wait_for


@pytest.mark.django_db
def test_a_large_download_is_made_by_a_job_and_holds_exactly_the_direct_file(client, register):
    # given the targets' page, a signed-in reader, and a direct CSV of it (under the threshold)
    client.force_login(UserFactory(role=Role.LEADER))
    url = reverse("plans:targets") + "?xuat=csv"
    direct = client.get(url)
    assert direct.status_code == 200
    rows = direct.content.count(b"\r\n") - 1
    assert rows > 10

    # when the same download is asked for with a threshold below its size
    with override_settings(DXTRACK_EXPORT_QUEUE_ROWS=10):
        response = client.get(url)

    # then the page shows the finished job (the queue ran it inline) and its link
    job = Job.objects.get()
    assert (response.status_code, job.kind, job.state, job.progress) == (200, EXPORT_JOB, JobState.DONE, 100)
    assert f"Tệp CSV “Chỉ tiêu” ({rows:,} dòng)".replace(",", ".") == job.label
    assert reverse("core:job_file", args=[job.pk]) in response.content.decode()
    # and the file is the direct one, byte for byte, under the same name
    queued = client.get(reverse("core:job_file", args=[job.pk]))
    assert queued.content == direct.content
    assert queued["Content-Disposition"] == direct["Content-Disposition"]
    assert queued["Content-Type"] == direct["Content-Type"]


@pytest.mark.django_db
def test_an_anonymous_download_is_never_queued(client, register):
    # given a visitor who is not signed in (the job's file would belong to no one)
    with override_settings(DXTRACK_EXPORT_QUEUE_ROWS=10):
        response = client.get(reverse("plans:targets") + "?xuat=csv")
    # then the file answers at once, as before
    assert (response.status_code, Job.objects.count()) == (200, 0)
    assert response["Content-Type"] == "text/csv; charset=utf-8"


COMPOSE_AND_QUEUE = """
import json
from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core import jobs
from dxtrack.obligations.calendar import periods
from dxtrack.obligations.models import Period
from dxtrack.publishing import jobs as publishing_jobs, services
user = UserFactory(role=Role.SECRETARIAT)
period = Period.objects.create(**periods("quarterly", 2025)[2].fields())
report = services.report_compose(actor=Access.for_user(user), period=period, scope_kind="programme")
job = jobs.job_start(actor=Access.for_user(user), kind=publishing_jobs.DRAFT_PDF, label="PDF",
                     subject=publishing_jobs.subject(report), params={"report": report.pk})
print(json.dumps({"job": job.pk, "state": job.state}))
"""


def _job(site, pk: int) -> tuple:
    return site.sql("SELECT state, progress, error, filename FROM core_job WHERE id = %s", [pk])[0]


@pytest.mark.long
def test_a_draft_pdf_queued_by_one_process_is_converted_by_the_worker(site):
    from dxtrack.publishing.tests.conftest import office_or_skip

    office_or_skip()
    # given a draft's PDF asked for in one process, on the database queue
    queued = site.python(COMPOSE_AND_QUEUE)
    assert queued["state"] == JobState.QUEUED
    assert _job(site, queued["job"])[0] == JobState.QUEUED
    # when a worker runs (LibreOffice converts for real)
    worker = site.start("worker", "--interval", "0.1")
    wait_for(lambda: _job(site, queued["job"])[0] in ("done", "failed"), timeout=240, what="the job to finish")
    site.stop(worker)
    # then the job is done with the PDF, and it ran once
    state, progress, error, filename = _job(site, queued["job"])
    assert (state, progress, error) == ("done", 100, ""), site.logs()
    assert filename.startswith("du-thao-bao-cao-quy-iii2025-") and filename.endswith(".pdf")
    data = site.sql("SELECT file, attempts FROM core_job WHERE id = %s", [queued["job"]])[0]
    assert bytes(data[0]).startswith(b"%PDF-") and data[1] == 1
    audit = site.sql("SELECT action FROM core_auditevent WHERE action LIKE %s ORDER BY id", ["core.job.%"])
    assert [a for (a,) in audit] == ["core.job.start", "core.job.done"]
    assert site.count("core_job") == 1
