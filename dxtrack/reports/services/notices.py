"""Who is told of a report's step, and what they read (notifications, ADR 0028).

Called by the workflow inside its transaction: the notifications commit with the step, and their
e-mails leave only after it. Each is keyed by the report, the step and the version it produced,
so a step is told once however often this runs."""

from django.urls import reverse

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.notifications import selectors as recipients
from dxtrack.notifications.services import Kind, notify
from dxtrack.reports.models import Report


def _names(report: Report) -> tuple[str, str]:
    obligation = report.obligation
    return obligation.period.label, str(obligation.agency or obligation.admin_unit)


def _unit(report: Report, roles=None):
    obligation = report.obligation
    kwargs = {"agency_id": obligation.agency_id, "admin_unit_id": obligation.admin_unit_id}
    return recipients.unit_people(**kwargs, roles=roles) if roles else recipients.unit_people(**kwargs)


def report_step_notify(*, actor: Access, report: Report, action: str, reason: str = "") -> None:
    """Tells the people concerned that `report` has just taken `action` (a workflow step)."""
    period, unit = _names(report)
    url = reverse("reports:report", args=[report.pk])
    key = f"report:{report.pk}:{action}:v{report.version}"
    if action == "submit":
        notify(
            actor=actor,
            recipients=recipients.secretariat_users(),
            kind=Kind.REPORT_SUBMITTED,
            title=f"{unit} đã gửi báo cáo {period}, chờ duyệt",
            body=f"Báo cáo {period} của {unit} đã được lãnh đạo đơn vị ký gửi và đang chờ Tổ giúp việc duyệt.",
            url=url,
            key=key,
        )
    elif action in ("return", "unlock"):
        verb = "trả lại" if action == "return" else "mở khóa và trả lại"
        notify(
            actor=actor,
            recipients=_unit(report),
            kind=Kind.REPORT_RETURNED,
            title=f"Báo cáo {period} của {unit} bị {verb}",
            body=f"Tổ giúp việc đã {verb} báo cáo {period} để đơn vị sửa.\nLý do: {reason}",
            url=url,
            key=key,
        )
    elif action == "approve":
        notify(
            actor=actor,
            recipients=_unit(report),
            kind=Kind.REPORT_APPROVED,
            title=f"Báo cáo {period} của {unit} đã được duyệt",
            body=f"Tổ giúp việc đã duyệt báo cáo {period} của {unit}.",
            url=url,
            key=key,
        )


def signature_requested_notify(*, actor: Access, report: Report, event_id: int) -> None:
    """Tells the unit's approvers that a report waits for their signature."""
    period, unit = _names(report)
    who = str(Access.of(actor).user or "")
    notify(
        actor=actor,
        recipients=_unit(report, roles={Role.APPROVER}),
        kind=Kind.SIGNATURE_REQUESTED,
        title=f"Báo cáo {period} của {unit} chờ anh/chị ký gửi",
        body=f"{who} đã hoàn thành báo cáo {period} và đề nghị lãnh đạo đơn vị ký gửi lên Tổ giúp việc.",
        url=reverse("reports:report", args=[report.pk]),
        key=f"report:{report.pk}:sign:{event_id}",
    )
