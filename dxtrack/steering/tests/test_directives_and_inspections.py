"""Closing directives (secretariat only, with a reason, audited), the follow-up list and its
Excel, sessions over a changing membership, and inspections from finding to done."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.analytics import selectors as dashboard
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.org.models import Agency
from dxtrack.plans.services import review
from dxtrack.reports import selectors as report_selectors
from dxtrack.reports.models import Report, ReportStatus, TaskUpdate

from .. import excel, selectors
from ..models import ActionState, DirectiveClosure, FindingState, SessionMember, SessionStatus
from ..services import conclusions, directives, inspections, sessions
from . import builders

pytestmark = pytest.mark.django_db
SYSTEM = Access.system()


def _published():
    plan = builders.programme_plan()
    session = builders.scheduled(plan)
    draft = conclusions.conclusions_import(
        actor=SYSTEM, session=session, data=builders.notice_docx(), filename="tb.docx"
    )
    review.import_accept_all(actor=SYSTEM, plan_import=draft)
    conclusions.conclusions_publish(actor=SYSTEM, session=session)
    session.refresh_from_db()
    return plan, session


def test_the_members_invited_are_those_serving_on_the_day():
    # given a deputy replaced on 1/3/2025
    members = builders.committee()
    # when sessions are scheduled before and after the change
    before = sessions.session_schedule(actor=SYSTEM, kind="quarterly", date=datetime.date(2024, 12, 20))
    after = sessions.session_schedule(actor=SYSTEM, kind="quarterly", date=datetime.date(2025, 3, 20))
    # then each invites the committee as it stood that day
    assert [sm.member.person for sm in before.members.all()] == ["Nguyễn Văn A", "Trần Văn B"]
    assert [sm.member.person for sm in after.members.all()] == ["Nguyễn Văn A", "Lê Thị C"]
    assert after.title == "Phiên họp quý I năm 2025"
    # and a chair no longer serving is refused
    with pytest.raises(InvalidData):
        sessions.session_schedule(actor=SYSTEM, kind="quarterly", date=datetime.date(2025, 6, 1), chair=members[1])


def test_minutes_and_attendance_are_recorded_after_the_session():
    session = builders.scheduled()
    rows = list(session.members.order_by("pk"))
    sessions.session_record(
        actor=SYSTEM,
        session=session,
        minutes="Phiên họp thống nhất 5 chỉ đạo.",
        attendance={rows[0].pk: ("present", ""), rows[1].pk: ("delegated", "Phó Giám đốc dự thay")},
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.minutes == "Phiên họp thống nhất 5 chỉ đạo."
    assert list(SessionMember.objects.filter(session=session).order_by("pk").values_list("attendance", "note")) == [
        ("present", ""),
        ("delegated", "Phó Giám đốc dự thay"),
    ]
    # a cancelled session cannot be held any more
    other = sessions.session_schedule(actor=SYSTEM, kind="extraordinary", date=datetime.date(2025, 8, 1))
    sessions.session_cancel(actor=SYSTEM, session=other, reason="Lùi lịch")
    with pytest.raises(DomainError):
        sessions.session_record(actor=SYSTEM, session=other, minutes="x", attendance={})


def test_an_agency_reports_a_directive_done_and_the_secretariat_closes_it():
    plan, session = _published()
    obligation = builders.obligation_for(plan, "SO_KHCN")
    task = session.conclusions.tasks.get(clause__path="II.1")
    # given the agency's approved report says the directive is done
    report = Report.objects.create(obligation=obligation, status=ReportStatus.APPROVED)
    TaskUpdate.objects.create(report=report, task=task, state="done", percent=100, note="Đã kết nối")
    row = next(r for r in selectors.directive_rows(actor=SYSTEM, at=datetime.date(2025, 10, 20)) if r.pk == task.pk)
    assert (row.state, row.percent, row.late, row.closed) == ("done", 100, False, False)
    # when an agency user tries to close it: refused, nothing written
    approver = Access.for_user(UserFactory(role=Role.APPROVER))
    with pytest.raises(NotAllowed):
        directives.directive_close(actor=approver, task=task, reason="xong")
    assert not DirectiveClosure.objects.exists()
    # when the secretariat closes it with a reason
    directives.directive_close(actor=SYSTEM, task=task, reason="Đã kiểm tra kết quả kết nối.")
    row = next(r for r in selectors.directive_rows(actor=SYSTEM, at=datetime.date(2025, 10, 20)) if r.pk == task.pk)
    assert (row.closed, row.closing_reason) == (True, "Đã kiểm tra kết quả kết nối.")
    event = AuditEvent.objects.get(action="steering.directive.close")
    assert (event.target_id, event.reason, event.changes) == (
        str(task.pk),
        "Đã kiểm tra kết quả kết nối.",
        {"state": ["open", "closed"]},
    )
    # and it cannot be closed twice
    with pytest.raises(DomainError):
        directives.directive_close(actor=SYSTEM, task=task, reason="lại")


def test_a_closed_directive_leaves_later_report_forms_but_keeps_its_history_and_reopening_brings_it_back():
    # given Sở KH&CN reported directive II.1 done in its Q3/2025 report
    plan, session = _published()
    task = session.conclusions.tasks.get(clause__path="II.1")
    q3, q4 = builders.obligation_for(plan, "SO_KHCN", quarter=3), builders.obligation_for(plan, "SO_KHCN", quarter=4)
    q1 = builders.obligation_for(plan, "SO_KHCN", quarter=1, year=2026)
    report = Report.objects.create(obligation=q3, status=ReportStatus.APPROVED)
    TaskUpdate.objects.create(report=report, task=task, state="done", percent=100, note="Đã kết nối")

    def asked(obligation):
        return [t.clause.path for t, _role in report_selectors.form_tasks(obligation)]

    assert asked(q1) == ["II.1", "II.3"]
    # when the secretariat closes it on 20/10/2025 (local time)
    directives.directive_close(actor=SYSTEM, task=task, reason="Đã kiểm tra kết quả kết nối.")
    closed_at = timezone.make_aware(datetime.datetime(2025, 10, 20, 9, 0))
    DirectiveClosure.objects.filter(task=task).update(closed_at=closed_at)
    # then the forms of periods opening after the closing no longer ask it; those opened before still do
    assert (asked(q3), asked(q4), asked(q1)) == (["II.1", "II.3"], ["II.1", "II.3"], ["II.3"])
    # and it keeps its history: done on the agency's page and in the follow-up, marked closed
    page = dashboard.agency_page(Agency.objects.get(code="SO_KHCN"), at=datetime.date(2026, 2, 1))
    assert [(r.task.clause.path, r.state) for r in page.extra["tasks"]] == [("II.1", "done"), ("II.3", "overdue")]
    row = next(r for r in selectors.directive_rows(actor=SYSTEM, at=datetime.date(2026, 2, 1)) if r.pk == task.pk)
    assert (row.state, row.percent, row.late, row.closed) == ("done", 100, False, True)
    assert TaskUpdate.objects.filter(task=task).count() == 1
    # when it is reopened, the next forms ask it again
    directives.directive_reopen(actor=SYSTEM, task=task, reason="Kết nối bị gián đoạn.")
    assert asked(q1) == ["II.1", "II.3"]


def test_the_follow_up_lists_directives_late_first_and_an_agency_sees_only_its_own():
    _published()
    at = datetime.date(2025, 11, 5)
    rows = selectors.follow_up(actor=SYSTEM, at=at)
    assert [(r.late, r.deadline) for r in rows] == [
        (True, datetime.date(2025, 9, 30)),
        (True, datetime.date(2025, 10, 31)),
        (False, datetime.date(2025, 11, 30)),
        (False, datetime.date(2025, 12, 31)),
        (False, datetime.date(2025, 12, 31)),
    ]
    finance = Access.for_user(UserFactory(role=Role.REPORTER, agency=Agency.objects.get(code="SO_TAI_CHINH")))
    assert [r.agency for r in selectors.follow_up(actor=finance, at=at)] == ["Sở Tài chính"]
    assert [r.agency for r in selectors.follow_up(actor=SYSTEM, at=at, late_only=True)] == [
        "Sở Khoa học và Công nghệ",
        "Sở Tài chính",
    ]
    # the Excel has a row per item, the late ones marked
    ws = load_workbook(io.BytesIO(excel.follow_up(rows))).active
    assert ws.max_row == 6
    assert [ws.cell(r, 10).value for r in range(2, 7)] == ["Chậm", "Chậm", None, None, None]
    assert ws.cell(2, 5).value.date() == datetime.date(2025, 9, 30)


def test_an_inspection_finding_is_answered_by_the_unit_and_closed_once_its_action_is_done():
    finance = Agency.objects.get(code="SO_TAI_CHINH")
    plan = inspections.inspection_plan_create(
        actor=SYSTEM, year=2025, title="Kế hoạch kiểm tra năm 2025", teams=[("Đoàn 1", "Nguyễn Văn A", "")]
    )
    visit = inspections.visit_schedule(
        actor=SYSTEM, plan=plan, team=plan.teams.get(), date=datetime.date(2025, 9, 10), agency=finance
    )
    finding = inspections.finding_add(
        actor=SYSTEM,
        visit=visit,
        text="Báo cáo quý II gửi chậm 20 ngày.",
        actions=[("Cử đầu mối báo cáo và lập lịch nhắc", datetime.date(2025, 10, 15))],
    )
    action = finding.actions.get()
    # the secretariat sees it open under the unit
    assert [(u, len(fs)) for u, fs in selectors.open_findings_by_unit(actor=SYSTEM)] == [("Sở Tài chính", 1)]
    # another agency may not answer it (nothing changes), the unit may
    other = Access.for_user(UserFactory(role=Role.APPROVER, agency=Agency.objects.get(code="SO_Y_TE")))
    with pytest.raises(NotAllowed):
        inspections.finding_answer(actor=other, finding=finding, answer="x")
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and finding.answer == ""
    own = Access.for_user(UserFactory(role=Role.APPROVER, agency=finance))
    assert [f.pk for f in selectors.findings(actor=own)] == [finding.pk]
    assert list(selectors.findings(actor=other)) == []
    inspections.finding_answer(actor=own, finding=finding, answer="Đã phân công đầu mối.")
    # closing before the action is done is refused
    with pytest.raises(DomainError):
        inspections.finding_close(actor=SYSTEM, finding=finding, reason="")
    inspections.action_done(actor=own, action=action, note="Đã ban hành lịch nhắc", day=datetime.date(2025, 10, 1))
    inspections.finding_close(actor=SYSTEM, finding=finding, reason="Đã khắc phục")
    finding.refresh_from_db()
    action.refresh_from_db()
    assert (finding.state, action.state, action.done_at) == (
        FindingState.CLOSED,
        ActionState.DONE,
        datetime.date(2025, 10, 1),
    )
    assert selectors.open_findings_by_unit(actor=SYSTEM) == []
    # the action shows in the follow-up as done
    rows = selectors.follow_up(actor=SYSTEM, at=datetime.date(2025, 11, 1))
    assert [(r.kind, r.closed, r.late) for r in rows] == [("action", True, False)]


def test_the_daily_look_lists_what_is_due_soon_and_what_is_overdue():
    _published()
    from ..tasks import due_lists

    soon, late = due_lists(today=datetime.date(2025, 10, 28))
    assert [(i["kind"], i["deadline"]) for i in soon] == [("directive", "2025-10-31")]
    assert [(i["kind"], i["deadline"]) for i in late] == [("directive", "2025-09-30")]
    assert late[0]["agency_ids"] == [Agency.objects.get(code="SO_KHCN").pk]
