"""A user's own signed-in sessions: recorded at log-in, listed, ended one by one or all at once
("log out everywhere", which also revokes the user's API tokens). ADR 0029."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from dxtrack.core import audit
from dxtrack.core.errors import NotAllowed, NotFound
from dxtrack.core.net import client_ip

from .access import Access
from .models import ApiToken, User, UserSession


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


@receiver(user_logged_in, dispatch_uid="dxtrack.accounts.sessions.logged_in")
def _logged_in(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if not key:
        return
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "created_at": timezone.now(),
            "ip_address": client_ip(request) or None,
            "user_agent": request.headers.get("User-Agent", "")[:255],
        },
    )


@receiver(user_logged_out, dispatch_uid="dxtrack.accounts.sessions.logged_out")
def _logged_out(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def sessions(*, actor: Access) -> list[UserSession]:
    """The actor's own live sessions, newest first (rows of expired sessions are dropped)."""
    access = Access.of(actor)
    if access.user is None:
        return []
    store = _store()()
    rows = list(UserSession.objects.filter(user=access.user))
    gone = [row.pk for row in rows if not store.exists(row.session_key)]
    if gone:
        UserSession.objects.filter(pk__in=gone).delete()
    return [row for row in rows if row.pk not in gone]


def _end(rows) -> int:
    store = _store()
    for row in rows:
        store(session_key=row.session_key).delete()
    return UserSession.objects.filter(pk__in=[r.pk for r in rows]).delete()[0]


@transaction.atomic
def session_end(*, actor: Access, pk: int) -> None:
    """Ends one of the actor's own sessions (another person's is not found)."""
    access = Access.of(actor)
    if access.user is None:
        raise NotAllowed("Cần đăng nhập.")
    row = UserSession.objects.filter(user=access.user, pk=pk).first()
    if row is None:
        raise NotFound()
    audit.record(actor=access, action="accounts.session.end", target=access.user, changes={"sessions": [1, 0]})
    _end([row])


def sessions_end_all(user: User, *, keep: str | None = None) -> int:
    """Ends every session of `user` but `keep` (the caller's current one); for the services."""
    rows = list(UserSession.objects.filter(user=user).exclude(session_key=keep or ""))
    return _end(rows)


@transaction.atomic
def logout_everywhere(*, actor: Access, current_session_key: str | None) -> tuple[int, int]:
    """Ends all the actor's other sessions and revokes all their API tokens; returns (sessions,
    tokens). The current session stays, so the person sees the result."""
    access = Access.of(actor)
    user = access.user
    if user is None:
        raise NotAllowed("Cần đăng nhập.")
    now = timezone.now()
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    token_count = tokens.update(revoked_at=now, revoked_by=user)
    ended = sessions_end_all(user, keep=current_session_key)
    audit.record(
        actor=access,
        action="accounts.logout_everywhere",
        target=user,
        changes={"sessions": [ended, 0], "tokens": [token_count, 0]},
    )
    return ended, token_count
