"""Closing a period: its approved reports lock and nothing in it changes after."""

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData
from dxtrack.obligations.models import Period
from dxtrack.obligations.services import require_programme
from dxtrack.reports.models import Report, ReportStatus

from .workflow import report_transition


@transaction.atomic
def period_close(*, actor: Access, period: Period) -> int:
    """Closes a period: its approved reports lock. Returns how many locked."""
    access = Access.of(actor)
    require_programme(access)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.closed_at is not None:
        raise InvalidData(f"Kỳ {period.label} đã khóa sổ từ trước.")
    locked = 0
    for report in Report.objects.filter(obligation__period=period, status=ReportStatus.APPROVED):
        report_transition(actor=access, report=report, action="lock")
        locked += 1
    period.closed_at = timezone.now()
    period.save(update_fields=["closed_at"])
    audit.record(actor=access, action="reporting.period.close", target=period, changes={"closed": [False, True]})
    return locked
