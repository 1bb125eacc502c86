"""The workflow of a report: the explicit table of transitions (who may take each, from which
states, to which), and moving a report along it."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.text import clean_text
from dxtrack.reports.models import Report, ReportStatus

from .editing import MAX_TEXT, Conflict
from .notices import report_step_notify


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    who: str  # approver (signs for the unit) | secretariat (runs the programme)
    needs_reason: bool = False
    label: str = ""


S = ReportStatus
TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, "approver", label="gửi"),
    "approve": Transition(frozenset({S.SUBMITTED}), S.APPROVED, "secretariat", label="duyệt"),
    "return": Transition(frozenset({S.SUBMITTED}), S.RETURNED, "secretariat", needs_reason=True, label="trả lại"),
    "lock": Transition(frozenset({S.APPROVED}), S.LOCKED, "secretariat", label="khóa"),
    "unlock": Transition(frozenset({S.APPROVED, S.LOCKED}), S.RETURNED, "secretariat", True, "mở khóa"),
}


RECOMPUTING_ACTIONS = frozenset({"approve", "unlock"})


def _may_take(access: Access, report: Report, t: Transition) -> bool:
    if t.who == "secretariat":
        return access.runs_programme
    obligation = report.obligation
    return access.signs_for(agency_id=obligation.agency_id, admin_unit_id=obligation.admin_unit_id)


def allowed_actions(actor: Access, report: Report) -> list[str]:
    """The transitions `actor` may take on `report` now (for showing buttons)."""
    access = Access.of(actor)
    return [name for name, t in TRANSITIONS.items() if report.status in t.sources and _may_take(access, report, t)]


def _check(access: Access, report: Report, t: Transition, action: str, reason: str, expected_version) -> None:
    """Refuses the transition with the reason, or lets it through."""
    from dxtrack.reports import selectors

    if not _may_take(access, report, t):
        if t.who == "secretariat":
            raise NotAllowed(f"Chỉ Tổ giúp việc được {t.label} báo cáo.")
        raise NotAllowed("Chỉ lãnh đạo đơn vị được ký gửi báo cáo của đơn vị mình.")
    if expected_version is not None and report.version != expected_version:
        raise Conflict("Báo cáo vừa được người khác thay đổi; hãy tải lại trang.")
    if report.status not in t.sources:
        raise InvalidData(f"Không thể {t.label} báo cáo đang ở trạng thái “{report.get_status_display()}”.")
    if t.needs_reason and not reason:
        raise InvalidData(f"Cần ghi lý do {t.label}.")
    if len(reason) > MAX_TEXT:
        raise InvalidData(f"Lý do dài quá {MAX_TEXT} ký tự.")
    period = report.obligation.period
    if action in ("submit", "approve", "return") and not report.period_allows_changes:
        raise InvalidData(f"Kỳ {period.label} đã khóa sổ.")
    if action == "submit":
        problems = selectors.report_form(report).problems
        if problems:
            raise InvalidData("Báo cáo chưa gửi được: còn lỗi cần sửa.", details=problems)


@transaction.atomic
def report_transition(
    *, actor: Access, report: Report, action: str, reason: str = "", expected_version: int | None = None
) -> Report:
    """Moves a report along the table above; anything else is refused with the reason."""
    access = Access.of(actor)
    t = TRANSITIONS.get(action)
    if t is None:
        raise InvalidData("Thao tác không hợp lệ.")
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("obligation__period", "obligation__agency", "obligation__admin_unit")
        .get(pk=report.pk)
    )
    reason = clean_text(reason) if isinstance(reason, str) else ""
    _check(access, report, t, action, reason, expected_version)
    now = timezone.now()
    before = report.status
    report.status = t.target
    report.version += 1
    report.updated_at = now
    if action == "submit":
        report.submitted_at, report.submitted_by = now, access.audit_actor
        report.first_submitted_at = report.first_submitted_at or now
    elif action in ("approve", "return"):
        report.decided_at, report.decided_by = now, access.audit_actor
    if t.target == S.RETURNED:
        report.return_reason = reason
    period_closed = report.obligation.period.closed_at is not None
    if action == "unlock" and period_closed:
        report.correction_open = True  # this report alone reopens; the period stays closed
    elif action == "lock":
        report.correction_open = False
    report.save()
    audit.record(
        actor=access,
        action=f"reporting.report.{action}",
        target=report,
        changes={"status": [before, report.status]},
        reason=reason,
    )
    # In the same transaction: the notifications commit (and are e-mailed) with the step, or not at all.
    report_step_notify(actor=access, report=report, action=action, reason=reason)
    if action in RECOMPUTING_ACTIONS:
        # Progress reads approved data only: what an approval adds or an unlock takes away must
        # show at once, after the change commits (a rolled-back approval recomputes nothing).
        from dxtrack.reports.signals import report_decided

        report_id, period_id = report.pk, report.obligation.period_id
        transaction.on_commit(
            lambda: report_decided.send(sender=Report, report_id=report_id, period_id=period_id, action=action)
        )
    if action == "approve" and period_closed:
        # A correction in a closed period ends as the closing left every approved report: locked.
        report = report_transition(actor=access, report=report, action="lock")
    return report
