"""The caller of an API endpoint as a typed `Access` (ADR 0018)."""

from dxtrack.accounts.access import Access


def api_access(request) -> Access:
    """The caller of an API endpoint: the user its token or session authenticated. The audit
    channel (`via`, the token's id) is set by the authentication itself and is left as it is."""
    return Access.for_user(request.auth)
