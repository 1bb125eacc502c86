"""The start page ("Việc của tôi"): what waits for each role, within what they may see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import PASSWORD, UserFactory
from dxtrack.analytics.models import TargetProgress
from dxtrack.operations.models import JobRun, RunStatus
from dxtrack.plans.models import PlanImport, Target
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.signature import signature_request
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tests.builders import filled, neighbour
from dxtrack.site import selectors
from dxtrack.site.models import LastSeen

pytestmark = pytest.mark.django_db

SOON = datetime.date(2025, 9, 10)  # five days before Quý III/2025 is due (15/09/2025)


def test_reporter_sees_what_is_due_with_days_left_returned_first(obligation, people):
    reporter, approver, secretariat = people
    # Given one report returned, and the rest not started
    report = filled(report_open(actor=reporter, obligation=obligation), reporter)
    report = report_transition(actor=approver, report=report, action="submit")
    report_transition(actor=secretariat, report=report, action="return", reason="Sai số liệu")
    # When the reporter's start page is read five days before the due date
    work = selectors.my_work(actor=Access.for_user(reporter), today=SOON)
    # Then the returned report comes first with its days left, and only the unit's obligations show
    first = work.due[0]
    assert (first.obligation, first.returned, first.days_left) == (obligation, True, 5)
    assert {row.obligation.admin_unit_id for row in work.due} == {obligation.admin_unit_id}
    assert neighbour(obligation) not in [row.obligation for row in work.due]
    assert work.to_approve == [] and work.late is None


def test_approver_sees_what_waits_for_signature(obligation, people):
    reporter, approver, _secretariat = people
    report = filled(report_open(actor=reporter, obligation=obligation), reporter)
    signature_request(actor=Access.for_user(reporter), report=report)
    work = selectors.my_work(actor=Access.for_user(approver), today=SOON)
    assert [row.report for row in work.to_sign] == [report]
    assert work.to_sign[0].requested_at is not None


def test_secretariat_sees_approvals_imports_and_failed_runs(obligation, people, client):
    reporter, approver, secretariat = people
    report = filled(report_open(actor=reporter, obligation=obligation), reporter)
    report_transition(actor=approver, report=report, action="submit")
    PlanImport.objects.create(filename="ke-hoach-moi.docx", sha256="0" * 64, source_text="…")
    now = timezone.now()
    JobRun.objects.create(job="reminders", slot=now - datetime.timedelta(days=1), status=RunStatus.FAILED, error="SMTP")
    JobRun.objects.create(job="backup", slot=now - datetime.timedelta(days=2), status=RunStatus.FAILED)
    JobRun.objects.create(job="backup", slot=now - datetime.timedelta(days=1), status=RunStatus.SUCCEEDED)
    work = selectors.my_work(actor=Access.for_user(secretariat))
    assert (work.to_approve, work.to_approve_total) == ([report], 1)
    assert [i.filename for i in work.imports] == ["ke-hoach-moi.docx"]
    assert [r.job for r in work.failed_runs] == ["reminders"]  # the backup succeeded since
    assert work.late is not None and work.late.total > 0
    client.force_login(secretariat)
    page = client.get(reverse("site:my_work")).content.decode()
    assert "Báo cáo chờ duyệt (1)" in page
    assert f'href="/bao-cao/{report.pk}/"' in page
    assert "ke-hoach-moi.docx" in page


def test_leader_sees_targets_whose_status_changed_since_last_visit(register, client):
    leader = UserFactory(role=Role.LEADER)
    a, b = Target.objects.order_by("pk")[:2]
    TargetProgress.objects.create(target=a, status="on_track")
    TargetProgress.objects.create(target=b, status="off_track")
    access = Access.for_user(leader)
    # First visit: nothing to compare with; the mark is set
    changed, since, first = selectors.changed_targets(actor=access)
    assert (changed, since, first) == ([], None, True)
    assert LastSeen.objects.get(user=leader).statuses == {str(a.pk): "on_track", str(b.pk): "off_track"}
    # When one target's status changes
    TargetProgress.objects.filter(target=a).update(status="target_achieved")
    changed, since, first = selectors.changed_targets(actor=access)
    # Then the next visit lists it, from and to
    assert [(c.progress.target_id, c.before, c.after) for c in changed] == [(a.pk, "on_track", "target_achieved")]
    assert changed[0].after_label == "Đã đạt mục tiêu" and first is False
    # And the visit after that, nothing
    assert selectors.changed_targets(actor=access)[0] == []


def test_log_in_leads_to_the_start_page(client):
    user = UserFactory(username="lanhdao.thu", role=Role.LEADER)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("site:my_work")
    page = client.get(reverse("site:my_work"))
    assert page.status_code == 200
    assert "Chỉ tiêu đổi tình trạng từ lần xem trước" in page.content.decode()
    assert client.get(reverse("site:my_work")).status_code == 200


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("site:my_work"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_assessment_work_reaches_the_commune_and_the_council_on_their_start_pages(reference_data, client):
    import datetime as dt

    from dxtrack.accounts.access import SYSTEM
    from dxtrack.assessments.models import Framework, Step, SubmissionStatus, Verdict
    from dxtrack.assessments.services.frameworks import frameworks_load
    from dxtrack.assessments.services.rounds import round_open
    from dxtrack.org.tests.factories import current_commune

    # Given a round open for Hàm Rồng and another commune, a council member, and the other
    # commune's file sent with one criterion the council disagreed on
    frameworks_load(actor=SYSTEM)
    ham_rong, other = current_commune("14758"), current_commune("14797")
    member = UserFactory(role=Role.LEADER)
    round_ = round_open(
        actor=SYSTEM,
        framework=Framework.objects.get(code="minh-hoa-xa-2026"),
        year=2026,
        units=[ham_rong, other],
        dues={Step.SELF_ASSESSMENT: dt.date(2026, 12, 20)},
        council=[member],
    )
    theirs = round_.submissions.get(admin_unit=other)
    round_.submissions.filter(pk=theirs.pk).update(status=SubmissionStatus.APPRAISING)
    theirs.answers.filter(pk=theirs.answers.order_by("pk").first().pk).update(verdict=Verdict.DISAGREE)
    reporter = UserFactory(role=Role.REPORTER, admin_unit=ham_rong, agency=None)
    other_head = UserFactory(role=Role.APPROVER, admin_unit=other, agency=None)
    # When each opens the start page
    pages = {}
    for who in (reporter, other_head, member):
        client.force_login(who)
        pages[who.pk] = client.get(reverse("site:my_work")).content.decode()
    # Then Hàm Rồng is asked to self-assess by its due day, the other commune to answer the
    # council, and the council member to appraise the file sent — each only their own
    assert "Tự đánh giá: " in pages[reporter.pk] and "hạn gửi 20/12/2026" in pages[reporter.pk]
    assert "Giải trình ý kiến hội đồng" not in pages[reporter.pk]
    assert "Giải trình ý kiến hội đồng" in pages[other_head.pk] and "Tự đánh giá: " not in pages[other_head.pk]
    assert pages[member.pk].count("Thẩm định hồ sơ ") == 1 and other.name in pages[member.pk]
