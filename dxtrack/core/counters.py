"""Counters that every server process shares (the shared cache): the form limits (password reset,
an enterprise's registration) and the failed log-ins per user name.

Apart from the API's rate limits (core.throttling), which are django-ninja's throttles: the log-in
counter is loaded with the accounts app, so by every process, and a command or the task worker
that never answers the API need not import django-ninja to start (ADR 0051)."""

from django.core.cache import caches


def count_in_window(key: str, seconds: int = 3600) -> int:
    """Adds one to a counter of the shared cache that lives `seconds` from its first count, and
    returns it (every server process counts together)."""
    store = caches["shared"]
    if store.add(key, 1, seconds):
        return 1
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr
        store.set(key, 1, seconds)
        return 1
