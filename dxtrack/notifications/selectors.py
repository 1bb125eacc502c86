"""Reads of notifications (always the actor's own) and the usual recipients of each kind."""

from django.db.models import Q, QuerySet

from dxtrack.accounts.access import UNIT_ROLES, Access
from dxtrack.accounts.models import Role, User

from .models import DEFAULT_DELIVERY, Kind, Notification, Preference


def notifications(*, actor: Access) -> QuerySet[Notification]:
    """The actor's notifications shown in the app, newest first (nobody else's, whoever asks)."""
    access = Access.of(actor)
    if access.user is None or access.user.pk is None:  # (nobody, or a person not stored: none)
        return Notification.objects.none()
    return Notification.objects.filter(recipient=access.user, in_app=True).order_by("-created", "-pk")


def unread_count(*, actor: Access) -> int:
    return notifications(actor=actor).filter(read_at__isnull=True).count()


def preferences(*, actor: Access) -> list[tuple[str, str, str]]:
    """(kind, its label, the actor's delivery) for every kind."""
    access = Access.of(actor)
    chosen = {}
    if access.user is not None:
        chosen = dict(Preference.objects.filter(user=access.user).values_list("kind", "delivery"))
    return [(kind, label, chosen.get(kind, DEFAULT_DELIVERY[kind])) for kind, label in Kind.choices]


# ---- recipients ------------------------------------------------------------------------------------


def secretariat_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role=Role.SECRETARIAT).order_by("pk")


def unit_people(*, agency_id=None, admin_unit_id=None, roles=UNIT_ROLES) -> QuerySet[User]:
    """The active people of one agency or one administrative unit who hold one of `roles`."""
    if agency_id is None and admin_unit_id is None:
        return User.objects.none()
    body = Q(agency_id=agency_id) if agency_id is not None else Q(admin_unit_id=admin_unit_id)
    return User.objects.filter(body, is_active=True, role__in=sorted(roles)).order_by("pk")
