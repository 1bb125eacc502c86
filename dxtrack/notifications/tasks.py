"""The e-mail of a notification, sent by the task queue after the notification committed.

Safe to run twice (a retry, two workers): the row is claimed (emailed_at set where it was empty)
in a transaction, and the mail leaves after that claim commits; the second run finds it claimed
and sends nothing. A mail server failure after the claim loses that one e-mail (logged) rather
than risking two — the rule of the reminders and of operations.idempotency."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


def site_url() -> str:
    return getattr(settings, "DXTRACK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def compose(note: Notification) -> tuple[str, str]:
    lines = [note.title, ""]
    if note.body:
        lines += [note.body, ""]
    if note.url:
        lines += [f"Xem và xử lý tại: {site_url()}{note.url}", ""]
    lines += [
        f"Thư này do Hệ thống theo dõi chuyển đổi số tỉnh {settings.DXTRACK_PROVINCE_NAME} gửi tự động; "
        "vui lòng không trả lời thư này. Đổi cách nhận thông báo tại trang Thông báo → Cách nhận thông báo.",
    ]
    return note.title, "\n".join(lines)


def _send(subject: str, body: str, to: str, pk: int) -> None:
    try:
        EmailMessage(subject, body, to=[to]).send()
    except Exception:  # claimed already: one lost e-mail must not fail the queue forever
        logger.exception("Notification %s could not be e-mailed to %s", pk, to)


@task
def deliver_email(notification_id: int) -> dict:
    """E-mails one notification, at most once."""
    with transaction.atomic():
        note = (
            Notification.objects.select_related("recipient")
            .filter(pk=notification_id, by_email=True, emailed_at__isnull=True)
            .first()
        )
        if note is None or not note.recipient.email or not note.recipient.is_active:
            return {"sent": False}
        claimed = Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
        if not claimed:
            return {"sent": False}
        subject, body = compose(note)
        to = note.recipient.email
        transaction.on_commit(lambda: _send(subject, body, to, note.pk), robust=True)
    return {"sent": True}
