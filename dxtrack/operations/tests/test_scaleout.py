"""Scale-out, proven with real processes: two gunicorn servers and one worker on one PostgreSQL
and one Redis. Runs where PostgreSQL and Redis are (CI's PostgreSQL run); skipped on SQLite."""

import json
import os
import signal
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest
from django.db import connection
from django.urls import reverse

from .sites import free_port, wait_for

REDIS_URL = os.environ.get("DXTRACK_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="scale-out runs on PostgreSQL (set DATABASE_URL)"),
]

WORLD = """
import json
from dxtrack.accounts.access import SYSTEM
from dxtrack.obligations import services as obligation_services
from dxtrack.plans.register import register_load
from dxtrack.reports.services.defaults import defaults_load
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tests.builders import commune_obligation, filled, unit_people

register_load(actor=SYSTEM)
defaults_load(actor=SYSTEM)
obligation_services.calendar_generate(actor=SYSTEM, year=2025)
obligation = commune_obligation()
reporter, approver, secretariat = unit_people(obligation.admin_unit)
report = filled(report_open(actor=reporter, obligation=obligation), reporter)
report_transition(actor=approver, report=report, action="submit")
# A signed-in browser's session, made here and read by either server (database + Redis)
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
session = SessionStore()
session[SESSION_KEY] = str(secretariat.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = secretariat.get_session_auth_hash()
session.create()
print(json.dumps({"report": report.pk, "session": session.session_key}))
"""


def _get(port: int, path: str, session: str = "") -> str:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
        assert answer.url.endswith(path), answer.url  # not sent to the log-in page
        return answer.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_form(port: int, path: str, form: dict, session: str, page: str) -> int:
    """Posts a form as a signed-in browser would: the CSRF cookie from a page first."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{page}", headers={"Cookie": f"sessionid={session}"})
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
        cookies = SimpleCookie()
        for header in answer.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    token = cookies["csrftoken"].value
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token}).encode(),
        headers={
            "Cookie": f"sessionid={session}; csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
    )
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _kept_block(html: str) -> str:
    """The dashboard itself (its kept blocks among it), without the page around it."""
    start = html.index("<main")
    return html[start : html.index("</main>")]


def _tasks(site, path: str) -> list[tuple]:
    return site.sql(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path = %s ORDER BY enqueued_at",
        [path],
    )


def _up(port: int) -> bool:
    try:
        return json.loads(_get(port, "/healthz")) == {"status": "ok"}
    except OSError:
        return False


def test_two_servers_and_a_worker_share_one_database_one_cache_and_one_queue(site):
    redis = _redis()
    if redis is None:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    redis.flushdb()
    site.env["DXTRACK_REDIS_URL"] = REDIS_URL
    world = site.python(WORLD, timeout=600)
    gunicorn = [os.path.join(os.path.dirname(site_bin()), "gunicorn"), "-c", "deploy/gunicorn.conf.py"]
    a, b = free_port(), free_port()
    for port in (a, b):
        site.env.update(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1", GUNICORN_THREADS="2")
        site.start(command=[*gunicorn, "dxtrack.wsgi:application"])
    worker = site.start("worker", "--interval", "0.2")
    wait_for(lambda: _up(a) and _up(b), timeout=120, what="both servers")
    # The submission's recomputation, queued by the setup, is run by the worker
    wait_for(lambda: all(s == "SUCCESSFUL" for s, _ in _tasks(site, RECOMPUTE)), timeout=300, what="queued work")
    queued = len(_tasks(site, RECOMPUTE))

    # Given server B's dashboard for the secretariat, rendered and kept in the shared cache
    overview = "/tien-do/"
    before = _kept_block(_get(b, overview, world["session"]))
    assert any(key.startswith(b"dxtrack:") for key in redis.scan_iter(count=1000))
    # When the secretariat approves the report on server A
    path = reverse("reports:transition", args=[world["report"]])
    page = reverse("reports:report", args=[world["report"]])
    assert _post_form(a, path, {"action": "approve"}, world["session"], page) == 302
    # Then A queued the recomputation, and the worker (not A) ran it
    wait_for(lambda: len(_tasks(site, RECOMPUTE)) == queued + 1, timeout=30, what="the task queued by A")
    wait_for(lambda: _tasks(site, RECOMPUTE)[-1][0] == "SUCCESSFUL", timeout=300, what="the worker")
    # And server B's dashboard shows it at once: its kept block is rendered anew, as A shows it
    after_b = _kept_block(_get(b, overview, world["session"]))
    assert after_b != before
    assert after_b == _kept_block(_get(a, overview, world["session"]))

    # When a long task queued by A's side is running and the worker is killed outright
    site.python("from dxtrack.operations.tasks import probe; probe.enqueue('scale', 3); print('{}')")
    wait_for(lambda: (site.var / "probe-scale.started").exists(), timeout=60, what="the long task")
    site.stop(worker, signal.SIGKILL)
    site.start("worker", "--interval", "0.2")
    # Then the new worker finishes it, once
    probe_path = "dxtrack.operations.tasks.probe"
    wait_for(lambda: _tasks(site, probe_path)[0][0] == "SUCCESSFUL", timeout=120, what="the task to finish")
    assert len(_tasks(site, probe_path)[0][1]) == 2
    assert (site.var / "probe.log").read_text() == "scale\n"
    redis.flushdb()


RECOMPUTE = "dxtrack.analytics.tasks.recompute_after_report"


def site_bin() -> str:
    from .sites import DXTRACK

    return DXTRACK
