"""Rate limits of the API, read from settings at each request (so an override takes effect at
once, in tests too).

The counts live in the shared cache (the database's cache table by default, Redis where configured),
so several server processes count one client's requests together. The other shared counters are
in core.counters, which does not import django-ninja."""

from django.conf import settings
from django.core.cache import caches
from django.utils.connection import ConnectionProxy
from ninja.throttling import SimpleRateThrottle

from .net import client_ip


class _SettingsRate(SimpleRateThrottle):
    setting = ""
    # One count for all server processes (settings.CACHES["shared"]), not one per process. A
    # proxy, as Django's own `cache`: the backend of the current thread and of the settings in
    # force (a test may point the shared cache elsewhere), not one object bound at import.
    cache = ConnectionProxy(caches, "shared")

    def __init__(self):
        super().__init__(rate="1/s")  # replaced by the setting's value at each request

    def allow_request(self, request) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.num_requests is None:
            return True
        return super().allow_request(request)


class UserRate(_SettingsRate):
    """Per authenticated user (session or token), keyed by the user's id: the base class keys by
    str(user), and two people may share a display name."""

    scope = "user"
    setting = "DXTRACK_API_RATE_USER"

    def get_cache_key(self, request):
        user = getattr(request, "auth", None)
        if user is None or getattr(user, "pk", None) is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class AnonRate(_SettingsRate):
    """Per client address, for the endpoints open without authentication."""

    scope = "anon"
    setting = "DXTRACK_API_RATE_ANON"

    def get_cache_key(self, request):
        if getattr(request, "auth", None) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}
