"""steering's background work: the daily look at what is due soon or overdue among the open
directives and corrective actions, announced with `signals.follow_up_due` for the notifications
(ADR 0035), daily at 07:15 by operations' schedule; steering/receivers.py tells the agencies."""

import datetime

from django.tasks import task
from django.utils import timezone

from dxtrack.accounts.access import SYSTEM

from . import selectors
from .signals import follow_up_due as announced

DUE_SOON_DAYS = 7


def due_lists(*, today: datetime.date, days: int = DUE_SOON_DAYS) -> tuple[list[dict], list[dict]]:
    """(due soon, overdue) among the open items on `today`."""

    def item(r) -> dict:
        return {
            "kind": r.kind,
            "pk": r.pk,
            "title": r.title[:300],
            "agency_ids": list(r.agency_ids),
            "admin_unit_id": r.unit_id,  # a commune owning a corrective action
            "deadline": r.deadline.isoformat() if r.deadline else None,
        }

    rows = [r for r in selectors.follow_up(actor=SYSTEM, at=today) if not r.closed and r.deadline]
    soon = [item(r) for r in rows if not r.late and today <= r.deadline <= today + datetime.timedelta(days=days)]
    late = [item(r) for r in rows if r.late]
    return soon, late


@task
def follow_up_due(today_iso: str | None = None) -> dict:
    today = datetime.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    soon, late = due_lists(today=today)
    announced.send(sender=None, due_soon=soon, overdue=late, today=today.isoformat())
    return {"due_soon": len(soon), "overdue": len(late)}
