"""Reads of the core app: the audit log, for those who may read it."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from .actors import Actor, access_of
from .errors import NotAllowed
from .models import AuditEvent


def may_read_audit(actor: Actor) -> bool:
    """The secretariat (and a superuser): the log names every person's acts across the province."""
    return access_of(actor).is_secretariat


@dataclass(frozen=True)
class AuditFilters:
    who: str = ""
    action: str = ""
    target_type: str = ""
    via: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_events(*, actor: Actor, filters: AuditFilters) -> QuerySet[AuditEvent]:
    access = access_of(actor)
    if not may_read_audit(access):
        raise NotAllowed("Chỉ Tổ giúp việc xem được nhật ký thay đổi.")
    qs = AuditEvent.objects.select_related("actor", "real_actor").order_by("-at", "-id")
    if filters.who:
        qs = qs.filter(actor__username__icontains=filters.who) | qs.filter(actor__full_name__icontains=filters.who)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.target_type:
        qs = qs.filter(target_type=filters.target_type)
    if filters.via:
        qs = qs.filter(via=filters.via)
    if filters.since:
        qs = qs.filter(at__gte=_day_start(filters.since))
    if filters.until:
        qs = qs.filter(at__lt=_day_start(filters.until + datetime.timedelta(days=1)))
    return qs


def audit_choices() -> tuple[list[str], list[str]]:
    """The actions and object types the log holds, for the filters' lists."""
    actions = sorted(set(AuditEvent.objects.values_list("action", flat=True).distinct()))
    types = sorted(set(AuditEvent.objects.values_list("target_type", flat=True).distinct()))
    return actions, types
