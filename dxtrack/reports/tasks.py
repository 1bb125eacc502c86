"""Background tasks of the reporting cycle (Django's task framework; see settings.TASKS).

Arguments are plain values so that any backend can queue them; every task is safe to run twice."""

import datetime

from django.tasks import task

from dxtrack.accounts.access import SYSTEM
from dxtrack.reports import reminders


@task
def send_reminders(today_iso: str | None = None) -> dict:
    """E-mails the due-soon and overdue reminders owed on `today_iso` (default: today).
    Returns how many were sent of each kind, and how many found nobody to write to."""
    today = datetime.date.fromisoformat(today_iso) if today_iso else None
    return reminders.reminders_send(actor=SYSTEM, today=today).as_dict()
