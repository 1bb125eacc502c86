"""Opening a report: the draft its unit starts for an obligation."""

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import NotAllowed
from dxtrack.obligations.models import Obligation
from dxtrack.reports.models import Report

from .editing import may_fill

REFUSED_OPEN = "Chỉ cán bộ của đơn vị được lập báo cáo của đơn vị mình."


def may_open(actor: Access, obligation: Obligation) -> bool:
    """Whether `actor` may start the report of `obligation`."""
    return may_fill(Access.of(actor), obligation) and obligation.period.closed_at is None


def report_open(*, actor: Access, obligation: Obligation) -> Report:
    """The obligation's report, created as a draft the first time its unit opens it (or by the
    system: the demo, imports on behalf of the unit)."""
    access = Access.of(actor)
    # Reading an existing report needs no transaction of its own (an API call opens the report
    # of every request: a savepoint each time was two round trips for nothing).
    existing = Report.objects.filter(obligation=obligation).first()
    if existing is not None:
        existing.obligation = obligation  # already read: not once more by the caller's checks
        return existing
    with transaction.atomic():
        if not (access.is_system or may_fill(access, obligation)):
            raise NotAllowed(REFUSED_OPEN)
        report = Report.objects.create(obligation=obligation)
        audit.record(actor=access, action="reporting.report.create", target=report, changes={"status": [None, "draft"]})
        return report


@transaction.atomic(savepoint=False)
def reports_open(*, actor: Access, obligations: list[Obligation]) -> dict[int, Report]:
    """`report_open` of many obligations at once (an import reaching many): obligation pk → its
    report, the missing ones created as drafts together, each with its own audit event. Inside a
    caller's transaction it joins it without a savepoint (two round trips): a failure undoes the
    caller's whole transaction, as an all-or-nothing import wants."""
    access = Access.of(actor)
    given = {o.pk: o for o in obligations}
    found = {r.obligation_id: r for r in Report.objects.filter(obligation__in=list(given))}
    for report in found.values():
        report.obligation = given[report.obligation_id]  # already read: not once more per report
    missing = [o for o in obligations if o.pk not in found]
    for obligation in missing:
        if not (access.is_system or may_fill(access, obligation)):
            raise NotAllowed(REFUSED_OPEN)
    if missing:
        created = Report.objects.bulk_create([Report(obligation=o) for o in missing])
        audit.record_many(
            actor=access,
            action="reporting.report.create",
            entries=[(report, {"status": [None, "draft"]}, "") for report in created],
        )
        found.update({report.obligation_id: report for report in created})
    return found
