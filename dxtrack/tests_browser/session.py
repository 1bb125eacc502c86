"""Signing a browser in without the log-in form, for the steps where the log-in is not what is tested.

Each form log-in costs the browser the log-in page, the POST and the redirect, and the server a
password check: a few tenths of a second, several times per test. The log-in itself is still
tested through the form by test_daily_browser and test_registry_browser (and the enterprise's
sign-in on registration)."""

from django.conf import settings
from django.test import Client


def sign_in(page, live_server, user) -> None:
    """Replaces the browser's cookies with a session of `user` (a user, a username, or None for
    a visitor), made by Django's own log-in (the session the form would have made)."""
    from dxtrack.accounts.models import User

    page.context.clear_cookies()
    if user is None:
        return
    if isinstance(user, str):
        user = User.objects.get(username=user)
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])


def open_as(page, live_server, username: str, path: str) -> None:
    """Opens `path` signed in as `username`: where the form's `?next=` would have led."""
    sign_in(page, live_server, username)
    page.goto(f"{live_server.url}{path}")
