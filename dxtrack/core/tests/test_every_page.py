"""Every page of the demo world as every role, fetched once for this module and then checked for
what each page must be: it answers (no 5xx), shows no English and no time still to come, and
carries the security policies with markup that needs no inline script (the admin included).

The demo world takes longer to build than all the checks take to run, so the pages are fetched once
inside a transaction that is rolled back before any other test runs: the checks read the stored
answers, not the database."""

import datetime
import functools
import re
from dataclasses import dataclass

import pytest
from django.db import transaction

from dxtrack.core.tests import pages
from dxtrack.core.tests.english import english_in, visible_texts

# The checks read stored answers, but pytest-django sets up the test database only for a run that
# has a test marked for it: marked, this module can run alone. Under xdist it runs on the browser
# tests' worker, whose walk puts back the same demo world (pages.demo_world, built once there).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("browser")]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:json|ld\+json)\")[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\s(on[a-z]+)\s*=", re.I)
SCRIPT_TAG = re.compile(r"<script[^>]*\bsrc=\"([^\"]+)\"[^>]*>", re.I)


@dataclass(frozen=True)
class Answer:
    who: str
    url: str
    status: int
    headers: dict
    html: str | None  # the body, for HTML answers only
    at: datetime.datetime  # when it was answered

    @functools.cached_property
    def read(self) -> tuple[list[str], int]:
        """What a user reads on the page (visible_texts), parsed once for the checks that need it:
        parsing 1,300 pages costs more than all the checks on what they say."""
        return visible_texts(self.html)


@dataclass(frozen=True)
class Walk:
    answers: list[Answer]
    # Each audit event's change keys the audit page cannot name (no field of the target, no label)
    unnamed_changes: dict[str, set[str]]


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker) -> Walk:
    from django.apps import apps

    from dxtrack.accounts.models import User
    from dxtrack.core.models import AuditEvent

    out = []
    unnamed: dict[str, set[str]] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        pages.demo_world()
        for event in AuditEvent.objects.iterator():
            for key in event.unnamed_change_keys():
                unnamed.setdefault(event.action, set()).add(key)
            try:  # the object's type names a model (the filter shows its name, not the label)
                apps.get_model(event.target_type)
            except (LookupError, ValueError):
                unnamed.setdefault(event.action, set()).add(f"target_type {event.target_type}")
        for username in pages.ROLES:
            # (a browser set to English asks for English first: it must still get Vietnamese)
            client = pages.WalkClient(raise_request_exception=False, headers={"Accept-Language": "en-US,en;q=0.9"})
            user = User.objects.get(username=username) if username else None
            if user:
                client.force_login(user)
            for url in pages.page_urls(user):
                response = client.get(url)
                html = response.content.decode() if "text/html" in response.get("Content-Type", "") else None
                out.append(
                    Answer(
                        username or "khách",
                        url,
                        response.status_code,
                        dict(response.headers),
                        html,
                        datetime.datetime.now(pages.HCM),
                    )
                )
        transaction.set_rollback(True)
    return Walk(out, unnamed)


@pytest.fixture(scope="module")
def answers(walk) -> list[Answer]:
    return walk.answers


def test_the_audit_log_names_every_change_of_the_demo_world(walk):
    # Every key of every event's changes reads as a field's name or a labelled change, never as
    # the key stored ("values", "closed" were shown raw on the audit page), and every event's
    # object type is a model's (the demo wrote the app's old label, "reporting.report")
    assert walk.unnamed_changes == {}


def test_every_page_answers(answers):
    # Given each demo person (and a superuser, and a visitor) opening every page of the site
    # Then every page answers
    assert [f"{a.who} {a.url}: {a.status}" for a in answers if a.status >= 500] == []
    assert sum(1 for a in answers if a.html is not None) > 400
    # and the admin sends whoever is not its staff to its log-in (an enterprise's account is
    # refused it outright), so that its index stands for its pages for them (pages.page_urls)
    admin_index = {
        a.who: (a.status, a.headers.get("Location", "").split("?")[0]) for a in answers if a.url == "/quan-tri/"
    }
    assert admin_index == {
        "totruong": (200, ""),
        "admin": (200, ""),
        "2801234564": (403, ""),
        **dict.fromkeys(
            ("lanhdao", "sotc.baocao", "sotc.duyet", "hamrong.baocao", "hamrong.duyet", "khách"),
            (302, "/quan-tri/login/"),
        ),
    }


def test_no_page_shows_english_to_anyone(answers):
    # Given every page as every role, asked for by a browser that prefers English
    # Then none shows English
    leaks = [f"{a.who} {a.url}: {hit}" for a in answers if a.html is not None for hit in english_in(a.html, a.read)]
    assert leaks == []


def test_every_page_carries_the_policies_and_needs_no_inline_script(answers):
    problems, seen = [], 0
    for a in answers:
        if a.html is None:
            continue
        seen += 1
        policy = a.headers.get("Content-Security-Policy", "")
        script_src = next((d for d in policy.split(";") if d.strip().startswith("script-src")), "")
        if script_src.strip() != "script-src 'self'":
            problems.append(f"{a.url}: script-src «{script_src.strip()}»")
        if "frame-ancestors 'none'" not in policy:
            problems.append(f"{a.url}: no frame-ancestors")
        if "camera=()" not in a.headers.get("Permissions-Policy", ""):
            problems.append(f"{a.url}: no Permissions-Policy")
        problems += [f"{a.url}: inline {m.group(0)[:60]}" for m in INLINE_SCRIPT.finditer(a.html)]
        problems += [f"{a.url}: {m.group(1)}= attribute" for m in HANDLER.finditer(a.html)]
        # (the admin's own scripts are Django's templates, served by us but tagged by Django)
        if not a.url.startswith("/quan-tri/"):
            bare = [m.group(1) for m in SCRIPT_TAG.finditer(a.html) if "integrity=" not in m.group(0)]
            problems += [f"{a.url}: {src} without integrity" for src in bare]
    assert seen > 400
    assert sorted(set(problems)) == []


def test_no_page_shows_a_time_still_to_come(answers):
    # Given every page as every role (the schedule's next runs are ahead by nature)
    # Then no date-time on a page is later than when it was answered
    future = [
        f"{a.who} {a.url}: {stamp}"
        for a in answers
        if a.html is not None and a.url not in pages.FUTURE_BY_NATURE
        for stamp in pages.future_stamps(a.read[0], a.at)
    ]
    assert future == []


ICON = re.compile(r"<link rel=\"icon\" href=\"/static/img/favicon\.svg\" type=\"image/svg\+xml\">")


def test_every_page_names_the_sites_icon(answers):
    # Given every page as every role, the admin's included (the API docs name Swagger's own)
    # Then each names an icon of ours: a browser asks for none elsewhere (before, every visit
    # asked for /favicon.ico, a 404 logged each time, and the tab showed no icon)
    shown = [a for a in answers if a.status == 200 and a.html is not None and not a.url.startswith("/api/docs")]
    assert [f"{a.who} {a.url}" for a in shown if not ICON.search(a.html)] == []
    assert len(shown) > 400
