"""A reporter asks the unit's approver to sign and send a finished report.

Not a workflow step (the report stays a draft, or returned, until the approver submits it): an
audited request that notifies the approvers, so that nobody has to be told in person."""

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.reports.models import Report, ReportStatus

from .notices import signature_requested_notify

WAITING = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


def may_request_signature(actor: Access, report: Report) -> bool:
    access = Access.of(actor)
    obligation = report.obligation
    return (
        access.role == Role.REPORTER
        and access.reports_for(agency_id=obligation.agency_id, admin_unit_id=obligation.admin_unit_id)
        and report.status in WAITING
        and report.period_allows_changes
    )


@transaction.atomic
def signature_request(*, actor: Access, report: Report) -> Report:
    """Records the request and notifies the approvers; refused with the reason otherwise."""
    from dxtrack.reports import selectors

    access = Access.of(actor)
    report = Report.objects.select_related("obligation__period", "obligation__agency", "obligation__admin_unit").get(
        pk=report.pk
    )
    obligation = report.obligation
    if not (
        access.role == Role.REPORTER
        and access.reports_for(agency_id=obligation.agency_id, admin_unit_id=obligation.admin_unit_id)
    ):
        raise NotAllowed("Chỉ cán bộ báo cáo của đơn vị được đề nghị ký gửi báo cáo.")
    if report.status not in WAITING:
        raise InvalidData(f"Báo cáo đang ở trạng thái “{report.get_status_display()}”, không cần đề nghị ký gửi.")
    if not report.period_allows_changes:
        raise InvalidData(f"Kỳ {obligation.period.label} đã khóa sổ.")
    problems = selectors.report_form(report).problems
    if problems:
        raise InvalidData("Báo cáo còn lỗi cần sửa trước khi đề nghị ký gửi.", details=problems)
    event = audit.record(
        actor=access,
        action="reporting.report.request_signature",
        target=report,
        changes={"status": [report.status, report.status]},
    )
    signature_requested_notify(actor=access, report=report, event_id=event.pk)
    return report
