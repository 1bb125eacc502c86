"""Marking one's own notifications as read (not audited: it changes nothing but the reader's view)."""

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core.errors import NotAllowed, NotFound

from ..models import Notification


def _own(access: Access):
    if access.user is None:
        raise NotAllowed("Cần đăng nhập để xem thông báo.")
    return Notification.objects.filter(recipient=access.user, in_app=True)


@transaction.atomic
def notification_read(*, actor: Access, pk: int) -> Notification:
    """Marks one of the actor's notifications read; another person's is not found."""
    access = Access.of(actor)
    note = _own(access).filter(pk=pk).first()
    if note is None:
        raise NotFound()
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return note


@transaction.atomic
def notifications_read_all(*, actor: Access) -> int:
    """Marks all the actor's unread notifications read; returns how many."""
    access = Access.of(actor)
    return _own(access).filter(read_at__isnull=True).update(read_at=timezone.now())
