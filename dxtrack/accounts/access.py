"""Who is acting and what they may do: the one place for "who may do this" (ADR 0018).

Every service and selector takes a typed `actor: Access`. Views pass `request.access` (set by
`AccessMiddleware`); commands, tasks and loaders pass `Access.system()`; the public pages pass
`Access.public()`. `None` is refused: it used to mean "the system, all powers" to the services
and "sees nothing" to the selectors, and one word must not mean both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .models import PROVINCE_WIDE_ROLES, Role
from .scope import Scope

if TYPE_CHECKING:
    from .models import User

# Roles that report for their own agency or unit (fill and sign its reports).
UNIT_ROLES = frozenset({Role.REPORTER, Role.APPROVER})


@dataclass(frozen=True)
class Access:
    """An acting party: a signed-in person (`user`), the project's own processes (`is_system`),
    or the public (neither)."""

    user: User | None = None
    is_system: bool = False
    _scope: Scope = field(default=Scope(), repr=False, compare=False)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def for_user(cls, user) -> Access:
        """A person's access; an anonymous, inactive or missing user is the public."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls.public()
        return cls(user=user, _scope=Scope.for_user(user))

    @classmethod
    def system(cls) -> Access:
        """The project's own processes: commands, scheduled tasks, loaders. All powers, audited
        as the system."""
        return cls(is_system=True, _scope=Scope(everything=True))

    @classmethod
    def public(cls) -> Access:
        """Anyone at all: approved, published data only; no writes."""
        return cls()

    @classmethod
    def of(cls, actor) -> Access:
        """`actor` as an Access: an Access as it is, a user through `for_user`. None is refused so
        that no caller leaves the meaning to the callee."""
        if isinstance(actor, Access):
            return actor
        if actor is None:
            raise TypeError("actor=None is ambiguous: pass Access.system() or Access.public()")
        return cls.for_user(actor)

    # -- who ----------------------------------------------------------------------------------

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def is_public(self) -> bool:
        return not self.is_system and self.user is None

    @property
    def audit_actor(self) -> User | None:
        """The user an audit event names (None: the system)."""
        return self.user

    @property
    def role(self) -> str | None:
        return self.user.role if self.user is not None else None

    @property
    def is_superuser(self) -> bool:
        return self.user is not None and self.user.is_superuser

    @property
    def is_secretariat(self) -> bool:
        """The steering committee's secretariat (or a superuser): runs the programme."""
        return self.is_superuser or self.role == Role.SECRETARIAT

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def is_province_wide(self) -> bool:
        """Reads everything private: the system, the secretariat, the province's leaders."""
        return self.is_system or self.is_superuser or self.role in PROVINCE_WIDE_ROLES

    @property
    def runs_programme(self) -> bool:
        """May do the secretariat's work: the system or the secretariat."""
        return self.is_system or self.is_secretariat

    @property
    def is_enterprise(self) -> bool:
        """An enterprise's own account (ADR 0040): its enterprise's questionnaire and results,
        nothing of the province's units, reports or drafts."""
        return self.role == Role.ENTERPRISE and self.enterprise_id is not None

    @property
    def enterprise_id(self) -> int | None:
        return self.user.enterprise_id if self.user is not None else None

    @property
    def agency_id(self) -> int | None:
        return self.user.agency_id if self.user is not None else None

    @property
    def admin_unit_id(self) -> int | None:
        return self.user.admin_unit_id if self.user is not None else None

    # -- what ---------------------------------------------------------------------------------

    @property
    def scope(self) -> Scope:
        """The part of the private data this party may read."""
        return self._scope

    def covers(self, *, agency_id: int | None = None, admin_unit_id: int | None = None) -> bool:
        """Whether the private data of that agency or unit is readable by this party."""
        return self._scope.covers(agency_id=agency_id, admin_unit_id=admin_unit_id)

    def belongs_to(self, *, agency_id: int | None = None, admin_unit_id: int | None = None) -> bool:
        """Whether this person is of that agency or unit (the system and the province-wide roles
        are not: they oversee, they do not report)."""
        if self.user is None:
            return False
        if agency_id is not None:
            return self.user.agency_id == agency_id
        return admin_unit_id is not None and self.user.admin_unit_id == admin_unit_id

    def reports_for(self, *, agency_id: int | None = None, admin_unit_id: int | None = None) -> bool:
        """Whether this person fills or signs the reports of that agency or unit."""
        return self.role in UNIT_ROLES and self.belongs_to(agency_id=agency_id, admin_unit_id=admin_unit_id)

    def signs_for(self, *, agency_id: int | None = None, admin_unit_id: int | None = None) -> bool:
        """Whether this person is the approver (the leader who signs) of that agency or unit."""
        return self.role == Role.APPROVER and self.belongs_to(agency_id=agency_id, admin_unit_id=admin_unit_id)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


SYSTEM = Access.system()
PUBLIC = Access.public()
