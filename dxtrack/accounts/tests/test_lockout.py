"""Log-in lock-out by client address (read through trusted proxies only), a slow-down by user name
that never locks the owner out, and the secretariat's release of a locked address."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from dxtrack.accounts import lockout, services
from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.models import Role
from dxtrack.core.models import AuditEvent
from dxtrack.core.net import client_ip

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def no_sleeping(monkeypatch):
    waits = []
    monkeypatch.setattr(lockout.time, "sleep", waits.append)
    return waits


def _client(address: str, forwarded: str | None = None) -> Client:
    headers = {"REMOTE_ADDR": PROXY if forwarded is not None else address}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(**headers)


def _login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # no proxy trusted: the header is ignored
        ([PROXY], PROXY, "198.51.100.1", "198.51.100.1"),
        ([PROXY], PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged left part is not read
        (["10.0.0.0/8"], PROXY, "198.51.100.1, 10.0.0.7", "198.51.100.1"),  # two proxies of ours
        ([PROXY], PROXY, "khong-phai-dia-chi", PROXY),
        ([PROXY], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # header from a stranger: ignored
        ([PROXY], PROXY, "", PROXY),
    ],
)
def test_the_client_address_is_read_through_trusted_proxies_only(settings, trusted, remote, forwarded, expected):
    settings.DXTRACK_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_failures_from_an_attacker_behind_the_proxy_do_not_lock_the_owner_out(settings):
    # Given the app behind a trusted proxy, and a known user name
    settings.DXTRACK_TRUSTED_PROXIES = [PROXY]
    UserFactory(username="totruong", role=Role.SECRETARIAT)
    attacker = _client("", forwarded="198.51.100.66")
    # When an attacker fails ten times on that name
    for _ in range(10):
        _login(attacker, "totruong", "doan-mo")
    # Then the attacker's address is locked out
    assert _login(attacker, "totruong", PASSWORD).status_code == 429
    # and the owner, from their own address through the same proxy, still logs in
    owner = _client("", forwarded="203.0.113.20")
    assert _login(owner, "totruong", PASSWORD).status_code == 302


def test_failures_on_one_name_slow_its_log_in_down_without_locking_it(settings, no_sleeping):
    # Given a user name guessed from many addresses, each staying under the lock-out limit
    UserFactory(username="baocao")
    for n in range(8):
        _login(_client(f"198.51.100.{n}"), "baocao", "sai")
    # When the next attempt comes, from yet another address
    no_sleeping.clear()
    response = _login(_client("198.51.100.200"), "baocao", PASSWORD)
    # Then it waited (eight failures ask for 2 s), and it succeeded: the owner is never locked out
    assert no_sleeping == [2.0]
    assert response.status_code == 302
    # and the success forgets the failures
    assert lockout.failures("baocao") == 0


@pytest.mark.parametrize(("count", "wait"), [(0, 0.0), (4, 0.0), (5, 0.25), (6, 0.5), (8, 2.0), (9, 3.0), (50, 3.0)])
def test_the_slow_down_grows_and_is_capped(count, wait):
    assert lockout.delay_for(count) == wait


def test_the_secretariat_releases_a_locked_address_and_it_is_audited(client):
    # Given an address locked out after failures
    UserFactory(username="baocao")
    locked = _client("198.51.100.7")
    for _ in range(5):
        _login(locked, "baocao", "sai")
    assert _login(locked, "baocao", PASSWORD).status_code == 429
    # When the secretariat opens the lock-outs page and releases it
    secretariat = services.user_create(actor=SYSTEM, username="totruong", password=PASSWORD, role=Role.SECRETARIAT)
    client.force_login(secretariat)
    page = client.get(reverse("accounts:lockouts"))
    assert "198.51.100.7" in page.content.decode()
    attempt = page.context["rows"][0]
    assert client.post(reverse("accounts:lockouts"), {"id": attempt.pk}).status_code == 302
    # Then the address logs in again, and the release is audited
    assert _login(locked, "baocao", PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="accounts.lockout.release")
    assert (event.actor, event.changes["ip_address"]) == (secretariat, ["198.51.100.7", None])


def test_a_unit_user_cannot_see_or_release_lock_outs(client):
    user = UserFactory(username="baocao")
    client.force_login(user)
    assert client.get(reverse("accounts:lockouts")).status_code == 403
    assert client.post(reverse("accounts:lockouts"), {"id": "1"}).status_code == 403
