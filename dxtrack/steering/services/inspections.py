"""Inspections (đôn đốc, kiểm tra): the secretariat plans a year's inspection (teams, units,
dates) and records each visit's findings and corrective actions; the inspected unit answers its
findings and reports its actions done; the secretariat closes a finding once its actions are done.

Finding states move along FINDING_TRANSITIONS, corrective actions along ACTION_TRANSITIONS."""

import datetime

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.text import clean_text
from dxtrack.org.selectors import agency_predecessor_ids

from ..models import (
    ActionState,
    CorrectiveAction,
    Finding,
    FindingState,
    InspectionPlan,
    InspectionTeam,
    InspectionVisit,
    VisitStatus,
)
from ..signals import corrective_action_assigned
from .sessions import require_secretariat

FINDING_TRANSITIONS = {
    "answer": ({FindingState.OPEN, FindingState.ANSWERED}, FindingState.ANSWERED),
    "close": ({FindingState.OPEN, FindingState.ANSWERED}, FindingState.CLOSED),
}
ACTION_TRANSITIONS = {
    "done": ({ActionState.OPEN}, ActionState.DONE),
}
MAX_TEXT = 4000


def _text(value: str, what: str, limit: int = MAX_TEXT) -> str:
    text = clean_text(value)
    if not text:
        raise InvalidData(f"Hãy ghi {what}.")
    if len(text) > limit:
        raise InvalidData(f"{what.capitalize()} dài quá {limit} ký tự.")
    return text


def _is_unit_of(access: Access, *, agency_id: int | None, admin_unit_id: int | None) -> bool:
    """The inspected (or owning) unit's own people: its agency (or one it took over) or commune."""
    if access.user is None:
        return False
    if agency_id is not None and access.agency_id is not None:
        return agency_id in agency_predecessor_ids(access.agency_id)
    return admin_unit_id is not None and access.admin_unit_id == admin_unit_id


def _move(obj, table: dict, action: str) -> str:
    sources, target = table[action]
    if obj.state not in sources:
        raise DomainError(f"Không thể thực hiện khi đang ở trạng thái “{obj.get_state_display()}”.")
    before = obj.state
    obj.state = target
    return before


@transaction.atomic
def inspection_plan_create(
    *, actor: Access, year: int, title: str, number: str = "", teams: list[tuple[str, str, str]] = ()
) -> InspectionPlan:
    """A year's inspection plan with its teams (name, leader, members)."""
    access = Access.of(actor)
    require_secretariat(access)
    if not 2000 <= year <= 2100:
        raise InvalidData("Năm của kế hoạch kiểm tra phải trong khoảng 2000–2100.")
    plan = InspectionPlan.objects.create(
        year=year, title=_text(title, "tên kế hoạch kiểm tra", 300), number=number[:60]
    )
    for name, leader, members in teams:
        InspectionTeam.objects.create(
            plan=plan, name=_text(name, "tên đoàn", 150), leader=_text(leader, "trưởng đoàn", 150), members=members
        )
    audit.record(actor=access, action="steering.inspection.plan", target=plan, changes={"year": [None, year]})
    return plan


@transaction.atomic
def visit_schedule(
    *, actor: Access, plan: InspectionPlan, team: InspectionTeam, date: datetime.date, agency=None, admin_unit=None
) -> InspectionVisit:
    access = Access.of(actor)
    require_secretariat(access)
    if team.plan_id != plan.pk:
        raise InvalidData("Đoàn kiểm tra không thuộc kế hoạch này.")
    if (agency is None) == (admin_unit is None):
        raise InvalidData("Hãy chọn một cơ quan hoặc một đơn vị hành chính được kiểm tra.")
    if date.year != plan.year:
        raise InvalidData(f"Ngày kiểm tra phải trong năm {plan.year} của kế hoạch.")
    visit = InspectionVisit.objects.create(plan=plan, team=team, date=date, agency=agency, admin_unit=admin_unit)
    audit.record(
        actor=access, action="steering.inspection.visit", target=visit, changes={"date": [None, date.isoformat()]}
    )
    return visit


@transaction.atomic
def finding_add(
    *, actor: Access, visit: InspectionVisit, text: str, task=None, report=None, actions: list[tuple] = ()
) -> Finding:
    """A finding of a visit, against one of the unit's tasks or reports, with its corrective
    actions: (text, deadline) owned by the inspected unit. The visit counts as done."""
    access = Access.of(actor)
    require_secretariat(access)
    text = _text(text, "nội dung phát hiện")
    if report is not None and (report.obligation.agency_id, report.obligation.admin_unit_id) != (
        visit.agency_id,
        visit.admin_unit_id,
    ):
        raise InvalidData("Báo cáo được nêu không phải của đơn vị được kiểm tra.")
    finding = Finding.objects.create(visit=visit, text=text, task=task, report=report)
    created = [_action(finding, visit, action_text, deadline) for action_text, deadline in actions]
    if visit.status != VisitStatus.DONE:
        visit.status = VisitStatus.DONE
        visit.save(update_fields=["status"])
    audit.record(actor=access, action="steering.finding.add", target=finding, changes={"actions": [0, len(created)]})
    ids = [a.pk for a in created]
    transaction.on_commit(lambda: [corrective_action_assigned.send(sender=CorrectiveAction, action_id=i) for i in ids])
    return finding


def _action(finding: Finding, visit: InspectionVisit, text: str, deadline: datetime.date) -> CorrectiveAction:
    if deadline < visit.date:
        raise InvalidData(f"Thời hạn khắc phục {deadline:%d/%m/%Y} trước ngày kiểm tra {visit.date:%d/%m/%Y}.")
    return CorrectiveAction.objects.create(
        finding=finding,
        text=_text(text, "biện pháp khắc phục", 2000),
        owner=visit.agency,
        owner_unit=visit.admin_unit,
        deadline=deadline,
    )


@transaction.atomic
def finding_answer(*, actor: Access, finding: Finding, answer: str) -> Finding:
    """The inspected unit's answer to its finding."""
    access = Access.of(actor)
    finding = Finding.objects.select_for_update().select_related("visit").get(pk=finding.pk)
    visit = finding.visit
    if not _is_unit_of(access, agency_id=visit.agency_id, admin_unit_id=visit.admin_unit_id):
        raise NotAllowed("Chỉ đơn vị được kiểm tra trả lời phát hiện của mình.")
    answer = _text(answer, "nội dung trả lời")
    before = _move(finding, FINDING_TRANSITIONS, "answer")
    finding.answer, finding.answered_at, finding.answered_by = answer, timezone.now(), access.user
    finding.save(update_fields=["state", "answer", "answered_at", "answered_by"])
    audit.record(
        actor=access, action="steering.finding.answer", target=finding, changes={"state": [before, finding.state]}
    )
    return finding


@transaction.atomic
def action_done(
    *, actor: Access, action: CorrectiveAction, note: str, day: datetime.date | None = None
) -> CorrectiveAction:
    """The owning unit (or the secretariat) reports a corrective action done."""
    access = Access.of(actor)
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if not (
        access.runs_programme or _is_unit_of(access, agency_id=action.owner_id, admin_unit_id=action.owner_unit_id)
    ):
        raise NotAllowed("Chỉ đơn vị chịu trách nhiệm hoặc Tổ giúp việc được báo hoàn thành biện pháp khắc phục.")
    note = _text(note, "kết quả khắc phục", 2000)
    before = _move(action, ACTION_TRANSITIONS, "done")
    action.done_note, action.done_at = note, day or timezone.localdate()
    action.save(update_fields=["state", "done_note", "done_at"])
    audit.record(actor=access, action="steering.action.done", target=action, changes={"state": [before, action.state]})
    return action


@transaction.atomic
def finding_close(*, actor: Access, finding: Finding, reason: str) -> Finding:
    """The secretariat closes a finding whose corrective actions are all done."""
    access = Access.of(actor)
    require_secretariat(access)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.actions.exclude(state=ActionState.DONE).exists():
        raise DomainError("Còn biện pháp khắc phục chưa hoàn thành; chưa đóng phát hiện được.")
    before = _move(finding, FINDING_TRANSITIONS, "close")
    finding.save(update_fields=["state"])
    audit.record(
        actor=access,
        action="steering.finding.close",
        target=finding,
        changes={"state": [before, finding.state]},
        reason=clean_text(reason)[:1000],
    )
    return finding
