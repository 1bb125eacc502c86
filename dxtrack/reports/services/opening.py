"""Opening a report: the draft its unit starts for an obligation."""

from django.db import transaction

from dxtrack.core import audit
from dxtrack.core.errors import NotAllowed
from dxtrack.obligations.models import Obligation
from dxtrack.reports.models import Report

from .editing import _may_edit


def may_open(actor, obligation: Obligation) -> bool:
    """Whether `actor` may start the report of `obligation`."""
    return _may_edit(actor, obligation) and obligation.period.closed_at is None


@transaction.atomic
def report_open(*, actor, obligation: Obligation) -> Report:
    """The obligation's report, created as a draft the first time its unit opens it."""
    existing = Report.objects.filter(obligation=obligation).first()
    if existing is not None:
        return existing
    if not (_may_edit(actor, obligation) or actor is None):
        raise NotAllowed("Chỉ cán bộ của đơn vị được lập báo cáo của đơn vị mình.")
    report = Report.objects.create(obligation=obligation)
    audit.record(actor=actor, action="reporting.report.create", target=report, changes={"status": [None, "draft"]})
    return report
