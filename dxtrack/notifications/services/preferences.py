"""A person's choice of how to receive each kind of notification."""

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed

from ..models import DEFAULT_DELIVERY, Delivery, Kind, Preference


@transaction.atomic
def preferences_set(*, actor: Access, choices: dict[str, str]) -> dict[str, str]:
    """Sets the actor's own delivery per kind (kind → app|email|both); returns what changed."""
    access = Access.of(actor)
    user = access.user
    if user is None:
        raise NotAllowed("Cần đăng nhập để chọn cách nhận thông báo.")
    problems = [f"Loại thông báo “{k}” không có." for k in choices if k not in Kind.values]
    problems += [f"Cách nhận “{v}” không hợp lệ." for v in choices.values() if v not in Delivery.values]
    if problems:
        raise InvalidData("Chưa lưu được cách nhận thông báo.", details=problems)
    current = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    changes = {}
    for kind, delivery in choices.items():
        before = current.get(kind, DEFAULT_DELIVERY[kind])
        if before == delivery:
            continue
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
        changes[kind] = [before, delivery]
    if changes:
        audit.record(actor=access, action="notifications.preferences.set", target=user, changes=changes)
    return {k: v[1] for k, v in changes.items()}
