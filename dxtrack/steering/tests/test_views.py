"""The pages: the secretariat schedules, prepares the pack, imports and publishes the conclusions
and follows up; an agency sees only its own; bad files are answered with the reason."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.org.models import Agency
from dxtrack.plans.models import PlanImport
from dxtrack.plans.services import review

from ..models import Session
from . import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


def test_the_secretariat_runs_a_session_through_the_pages(client, secretariat):
    client.force_login(secretariat)
    plan = builders.programme_plan()
    builders.committee()
    # schedule
    response = client.post(
        reverse("steering:schedule"),
        {"kind": "six_month", "date": "10/07/2025", "title": "Phiên họp sơ kết 6 tháng", "plan": plan.pk},
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.members.count() == 2
    # the pack
    response = client.post(reverse("steering:pack_prepare", args=[session.pk]), {"as_of": "05/07/2025"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Tài liệu phục vụ phiên họp" in page and "Báo cáo chậm, chưa gửi" in page
    docx = client.get(response["Location"] + "docx/")
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxmlformats")
    # the conclusions, imported, accepted and published
    upload = SimpleUploadedFile("tb-12.docx", builders.notice_docx())
    response = client.post(reverse("steering:conclusions_upload", args=[session.pk]), {"file": upload})
    assert response.status_code == 302
    page = client.get(reverse("steering:session", args=[session.pk])).content.decode()
    assert "Kết luận đang chờ duyệt" in page and "cơ quan kế thừa là Sở Khoa học và Công nghệ" in page
    review.import_accept_all(actor=Access.for_user(secretariat), plan_import=PlanImport.objects.get())
    response = client.post(reverse("steering:conclusions_publish", args=[session.pk]))
    assert response.status_code == 302
    page = client.get(reverse("steering:session", args=[session.pk])).content.decode()
    assert "12/TB-BCĐ" in page and page.count('class="directive"') == 5
    # on a phone the members' and the directives' tables stack into cards (labelled cells), as does the list
    assert page.count('<table class="stack">') == 2
    assert '<table class="stack">' in client.get(reverse("steering:index")).content.decode()
    # the follow-up and its Excel
    assert client.get(reverse("steering:follow_up")).status_code == 200
    xlsx = client.get(reverse("steering:follow_up_excel") + "?cham=on")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_file_without_directives_is_answered_with_the_reason_and_nothing_saved(client, secretariat):
    client.force_login(secretariat)
    session = builders.scheduled()
    upload = SimpleUploadedFile("tb.docx", builders.notice_docx(["Các cơ quan tiếp tục thực hiện."]))
    response = client.post(reverse("steering:conclusions_upload", args=[session.pk]), {"file": upload})
    assert response.status_code == 400
    assert "Không nhận ra chỉ đạo nào trong “tb.docx”" in response.content.decode()
    assert PlanImport.objects.count() == 0


def test_an_agency_sees_its_directives_but_not_the_sessions(client):
    user = UserFactory(role=Role.REPORTER, agency=Agency.objects.get(code="SO_TAI_CHINH"))
    client.force_login(user)
    assert client.get(reverse("steering:index"))["Location"] == reverse("steering:follow_up")
    session = builders.scheduled()
    assert client.get(reverse("steering:session", args=[session.pk])).status_code == 403
    assert client.get(reverse("steering:schedule")).status_code == 403
    assert client.get(reverse("steering:follow_up")).status_code == 200
    assert client.get(reverse("steering:my_findings")).status_code == 200


def test_a_finding_is_recorded_against_one_of_the_units_tasks(client, secretariat):
    import datetime

    from ..models import Finding
    from ..services import conclusions, inspections

    client.force_login(secretariat)
    system = Access.system()
    session = builders.scheduled()
    finance, health = Agency.objects.get(code="SO_TAI_CHINH"), Agency.objects.get(code="SO_Y_TE")
    conclusions.directive_add(
        actor=system, session=session, title="Bố trí kinh phí", lead=finance, deadline=datetime.date(2025, 9, 1)
    )
    conclusions.directive_add(
        actor=system, session=session, title="Bệnh án điện tử", lead=health, deadline=datetime.date(2025, 9, 1)
    )
    document = conclusions.conclusions_publish(actor=system, session=session)
    own, other = document.tasks.get(title="Bố trí kinh phí"), document.tasks.get(title="Bệnh án điện tử")
    plan = inspections.inspection_plan_create(
        actor=system, year=2025, title="Kiểm tra 2025", teams=[("Đoàn 1", "A", "")]
    )
    visit = inspections.visit_schedule(
        actor=system, plan=plan, team=plan.teams.get(), date=datetime.date(2025, 9, 10), agency=finance
    )
    page = client.get(reverse("steering:inspection", args=[plan.pk])).content.decode()
    assert f'<option value="{own.pk}">{document.reference}: Bố trí kinh phí</option>' in page
    assert "Bệnh án điện tử</option>" not in page
    for task in (own, other):  # another unit's task is not taken
        response = client.post(
            reverse("steering:finding_add", args=[visit.pk]),
            {"text": "Chưa bố trí kinh phí", "task": task.pk, "action": "Trình dự toán", "deadline": "30/10/2025"},
        )
        assert response.status_code == 302
    assert list(Finding.objects.order_by("pk").values_list("task_id", flat=True)) == [own.pk, None]


def test_a_session_is_cancelled_with_a_reason(client, secretariat):
    client.force_login(secretariat)
    session = builders.scheduled()
    client.post(reverse("steering:session_cancel", args=[session.pk]), {"reason": ""})
    session.refresh_from_db()
    assert session.status == "scheduled"  # no reason: refused, nothing changed
    client.post(reverse("steering:session_cancel", args=[session.pk]), {"reason": "Lùi sang tuần sau"})
    session.refresh_from_db()
    assert session.status == "cancelled"


def test_the_packs_pdf_is_converted_on_the_queue_and_linked_from_its_page(client, secretariat, monkeypatch):
    import datetime

    from dxtrack.core.models import Job, JobState
    from dxtrack.publishing import pdf

    from .. import jobs
    from ..services import briefing

    # given LibreOffice (a stand-in converter) and a pack
    monkeypatch.setattr(pdf, "soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "docx_to_pdf", lambda data, **_: b"%PDF-1.7 " + data[:16])
    session = builders.scheduled()
    pack = briefing.pack_prepare(actor=Access.system(), session=session, as_of=datetime.date(2025, 7, 9))
    client.force_login(secretariat)
    # when the secretariat asks for the PDF (the tests' queue runs it at once)
    response = client.post(reverse("steering:pack_pdf", args=[session.pk, pack.pk]), follow=True)
    # then the job ran and the page links its file
    job = Job.objects.get()
    assert (job.kind, job.state, job.filename) == (jobs.PACK_PDF, JobState.DONE, jobs.filename(pack, "pdf"))
    assert reverse("core:job_file", args=[job.pk]) in response.content.decode()
    assert client.get(reverse("core:job_file", args=[job.pk])).content.startswith(b"%PDF-1.7 PK")
