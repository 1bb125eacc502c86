"""Approving several reports at once from the queue (ADR 0030): all or nothing.

Each report goes through `report_transition` exactly as if approved on its own page (the same
permission check, version check and audit event per report; the recomputation each approval
asks for runs after the whole batch commits). If any one of them is refused, none is approved,
and the refusal names every report that failed and why: the secretariat confirmed a list, and a
list approved in part would no longer be the list it confirmed.
"""

from dataclasses import dataclass

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.reports.models import Report

from .workflow import report_transition

MAX_BULK = 200


@dataclass(frozen=True)
class Confirmed:
    """One report as the confirmation page listed it: its id and the version shown."""

    report_id: int
    version: int


def _name(report: Report) -> str:
    ob = report.obligation
    unit = ob.agency.name if ob.agency_id else ob.admin_unit.name
    return f"{unit} — {ob.period.label}"


@transaction.atomic
def reports_approve(*, actor: Access, confirmed: list[Confirmed]) -> list[Report]:
    """Approves every report of `confirmed` at the version confirmed, or none of them."""
    access = Access.of(actor)
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được duyệt báo cáo.")
    if not confirmed:
        raise InvalidData("Chưa chọn báo cáo nào để duyệt.")
    if len(confirmed) > MAX_BULK:
        raise InvalidData(f"Mỗi lần duyệt tối đa {MAX_BULK} báo cáo.")
    ids = [c.report_id for c in confirmed]
    if len(set(ids)) != len(ids):
        raise InvalidData("Danh sách duyệt có báo cáo trùng nhau.")
    reports = Report.objects.select_related(
        "obligation__period", "obligation__agency", "obligation__admin_unit"
    ).in_bulk(ids)
    approved, refused = [], []
    for item in confirmed:
        report = reports.get(item.report_id)
        if report is None or not access.covers(
            agency_id=report.obligation.agency_id, admin_unit_id=report.obligation.admin_unit_id
        ):
            refused.append(f"Báo cáo số {item.report_id}: không tìm thấy.")
            continue
        try:
            # A savepoint each: a refused one is rolled back alone while the rest are checked, so
            # the answer lists every problem at once; then the whole batch is undone below.
            approved.append(
                report_transition(actor=access, report=report, action="approve", expected_version=item.version)
            )
        except DomainError as exc:
            refused.append(f"{_name(report)}: {exc.message}")
    if refused:
        raise InvalidData(
            f"Không duyệt báo cáo nào: {len(refused)} trong {len(confirmed)} báo cáo không duyệt được.",
            details=refused,
        )
    return approved
