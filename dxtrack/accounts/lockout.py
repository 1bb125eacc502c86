"""Hooks for django-axes, which counts failed log-ins and locks a client address out, and the
slow-down by user name: failed log-ins against one name, from any address, make each further
attempt on it wait a little longer (up to a few seconds), which defeats guessing without ever
locking the name's owner out."""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import caches
from django.dispatch import receiver

from dxtrack.core.counters import count_in_window
from dxtrack.core.text import fold

USERNAME_LIMIT = 150  # the User model's own limit
WINDOW = 3600  # failures are remembered this long (seconds)


def _cache():
    # Looked up at each use: Django gives each thread its own cache connection, and a test's or a
    # site's settings name the store (every server process counts a name's failures together).
    return caches["shared"]


def username_for_lockout(request, credentials: dict | None = None) -> str:
    """The user name axes records. Cut to the model's length: a hostile 5,000-character name
    would otherwise overflow axes' column and fail the request on PostgreSQL."""
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get("username", "") if hasattr(source, "get") else ""
    return str(value or "").replace("\x00", "")[:USERNAME_LIMIT]


def _key(username: str) -> str:
    return "login-failures:" + fold(str(username or "")[:USERNAME_LIMIT]).replace(" ", "_")


def failures(username: str) -> int:
    return int(_cache().get(_key(username), 0))


def delay_for(count: int) -> float:
    """No wait for the first few failures (a person mistyping); then 0,25 s doubling, capped."""
    free = settings.AXES_FAILURE_LIMIT
    if count < free:
        return 0.0
    return min(0.25 * 2 ** (count - free), settings.DXTRACK_LOGIN_SLOWDOWN_MAX)


def slow_down(username: str) -> float:
    """Waits as long as the name's failures ask; returns how long."""
    wait = delay_for(failures(username))
    if wait:
        time.sleep(wait)
    return wait


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    count_in_window(_key(credentials.get("username", "")), WINDOW)


@receiver(user_logged_in)
def _forget_failures(sender, request, user, **kwargs):
    _cache().delete(_key(user.get_username()))
