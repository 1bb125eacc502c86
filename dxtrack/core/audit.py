"""Writing audit events. Called by services inside their transaction, never by views."""

import contextlib
import datetime
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditEvent, Via


@dataclass(frozen=True)
class Channel:
    """How the current request's actor authenticated; set once per request (middleware, token
    authentication), read by every audit record made while it runs."""

    via: str = Via.SYSTEM
    token_id: int | None = None
    real_actor_id: int | None = None


SYSTEM = Channel()  # frozen: one shared default is safe
_channel: ContextVar[Channel] = ContextVar("audit_channel", default=SYSTEM)


@contextlib.contextmanager
def channel(via: str, *, token_id: int | None = None, real_actor_id: int | None = None):
    mark = _channel.set(Channel(via, token_id, real_actor_id))
    try:
        yield
    finally:
        _channel.reset(mark)


def set_channel(via: str, *, token_id: int | None = None, real_actor_id: int | None = None) -> None:
    """For the rest of this request (the middleware's `channel` block restores what was before)."""
    _channel.set(Channel(via, token_id, real_actor_id))


def current_channel() -> Channel:
    return _channel.get()


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # One moment, one text: the same instant read back in another zone is no change.
        return value.astimezone(datetime.UTC).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field → [old, new] for the fields that changed."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if _plain(before.get(key)) != _plain(after.get(key))
    }


def record(
    *,
    actor,
    action: str,
    target: models.Model,
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        # An audit row outside the write's transaction could survive a rolled-back change.
        raise RuntimeError("audit.record must run inside the service's transaction")
    how = _channel.get()
    return AuditEvent.objects.create(
        via=how.via,
        token_id=how.token_id,
        real_actor_id=how.real_actor_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        changes=changes or {},
        reason=reason,
    )


def shown(value) -> str:
    """An old or new value of an audit event as a person reads it: numbers and dates the
    Vietnamese way, yes/no in words, nothing as "(trống)"."""
    from .dates import format_vn_date
    from .numbers import format_number

    if value is None or value == "" or value == []:
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_vn_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value)
    return str(value)
