"""The panel's rate limits: the API's throttles (core.throttling: settings read at each request,
counts in the shared cache so that every server process counts one client together), keyed for a
page — the signed-in user by id, anyone else by address — under the assistant's own scope, so
that the panel and the API do not eat into each other's allowance."""

from dxtrack.core.net import client_ip
from dxtrack.core.throttling import AnonRate, UserRate


class PanelUserRate(UserRate):
    scope = "assistant-user"
    setting = "DXTRACK_ASSISTANT_RATE_USER"

    def get_cache_key(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class PanelAnonRate(AnonRate):
    scope = "assistant-anon"
    setting = "DXTRACK_ASSISTANT_RATE_ANON"

    def get_cache_key(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


def allowed(request) -> bool:
    """Counts this question; False once the client is over its limit."""
    return all(rate.allow_request(request) for rate in (PanelAnonRate(), PanelUserRate()))
