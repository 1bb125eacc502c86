"""Who is acting, as the layers below accounts see it (ADR 0018).

The one access object, `dxtrack.accounts.access.Access`, knows the roles, so it lives in accounts;
core and org sit below accounts and must not import it. They take `actor` and turn it into an
Access with `access_of(actor)`, which accounts wires to `Access.of` when it is ready: the same
rules (None refused, a user made an Access, an Access kept) with no import upwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured


class Actor(Protocol):
    """What core and org read of an Access."""

    is_system: bool

    @property
    def audit_actor(self) -> Any: ...

    @property
    def is_superuser(self) -> bool: ...

    @property
    def is_secretariat(self) -> bool: ...

    @property
    def runs_programme(self) -> bool: ...

    @property
    def scope(self) -> Any: ...

    def covers(self, *, agency_id: int | None = None, admin_unit_id: int | None = None) -> bool: ...

    def signs_for(self, *, agency_id: int | None = None, admin_unit_id: int | None = None) -> bool: ...


_to_access: Callable[[Any], Actor] | None = None
_system: Actor | None = None


def provide(to_access: Callable[[Any], Actor], system: Actor) -> None:
    """Called once by accounts' AppConfig.ready with `Access.of` and `SYSTEM`."""
    global _to_access, _system
    _to_access, _system = to_access, system


def _require_accounts() -> None:
    if _to_access is None:
        raise ImproperlyConfigured("dxtrack.accounts is not installed: nothing turns an actor into an Access")


def access_of(actor) -> Actor:
    """`actor` (an Access or a user) as an Access; None raises TypeError."""
    _require_accounts()
    return _to_access(actor)


def system() -> Actor:
    """The project's own processes (accounts.access.SYSTEM), for commands below accounts."""
    _require_accounts()
    return _system
