"""The actor as the exchange adapters take it (a typed `Access`, ADR 0018) and as the reports and
obligations layers below still take it (a user, None for the system) until they take an Access
too (issue #13, item 3). This module is the one place that translates; once those layers take an
Access, `legacy(actor)` becomes `actor` at each call and this module goes."""

from dxtrack.accounts.access import Access
from dxtrack.core.errors import NotAllowed


def api_access(request) -> Access:
    """The caller of an API endpoint: the user its token or session authenticated. The audit
    channel (`via`, the token's id) is set by the authentication itself and is left as it is."""
    return Access.for_user(request.auth)


def legacy(actor: Access):
    """`actor` as the layers below take it today: the system is None there (all powers), a person
    is their user. The public has no user and must never become None (the system's powers)."""
    if not isinstance(actor, Access):
        raise TypeError(f"actor must be an Access, not {type(actor).__name__}")
    if actor.is_system:
        return None
    if actor.user is None:
        raise NotAllowed("Cần đăng nhập để thực hiện thao tác này.")
    return actor.user
