"""Faults of the database connection: a request whose connection drops answers a Vietnamese 503
and the next request works; a worker whose connection drops reconnects and goes on.

On PostgreSQL the connection is really dropped (pg_terminate_backend of our own session, in the
test's own database: the server, shared with others, is never restarted). On SQLite, where a
connection cannot drop, the first query fails as a dropped connection would."""

import contextlib

import pytest
from django.core.signals import request_started
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from .sites import _pg_admin, wait_for


@contextlib.contextmanager
def _connection_dropped_once():
    """The next request's database connection is lost before its first query."""
    state = {"dropped": False}

    def drop(**kwargs):
        if state["dropped"]:
            return
        state["dropped"] = True
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            pid = connection.connection.info.backend_pid
            with _pg_admin() as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        else:
            real = connection.create_cursor

            def lost(*args, **kw):
                connection.create_cursor = real
                raise OperationalError("server closed the connection unexpectedly")

            connection.create_cursor = lost

    request_started.connect(drop, dispatch_uid="drop-connection-once")
    try:
        yield state
    finally:
        request_started.disconnect(dispatch_uid="drop-connection-once")


@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_connection_answers_503_in_vietnamese_and_the_next_request_works(register):
    client = Client(raise_request_exception=False)
    url = reverse("plans:targets")
    assert client.get(url).status_code == 200

    # when the connection drops in the middle of a request
    with _connection_dropped_once() as state:
        broken = client.get(url)
    assert state["dropped"]

    # then that request answers 503 with a Vietnamese page and a time to retry, not a 500
    assert broken.status_code == 503
    assert broken["Retry-After"] == "30"
    assert "Máy chủ tạm thời mất kết nối tới cơ sở dữ liệu." in broken.content.decode()
    # and the next request opens a new connection and works
    again = client.get(url)
    assert again.status_code == 200


def test_a_worker_whose_database_connection_drops_reconnects_and_runs_the_next_task(site):
    if site.vendor != "postgresql":
        pytest.skip("a connection to a SQLite file cannot drop; run with DATABASE_URL=postgres://…")
    # given a worker running, idle
    worker = site.start("worker", "--interval", "0.1")
    wait_for(lambda: site.sql("SELECT COUNT(*) FROM operations_processbeat")[0][0] >= 1, what="the worker to beat")
    # when every connection of the worker is dropped by the server
    killed = site.sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        [site.name],
    )
    assert killed
    # then it is still running, and runs a task queued afterwards, once
    task = site.python(
        "import json\nfrom dxtrack.operations.tasks import probe\nr = probe.enqueue('after', 0)\n"
        "print(json.dumps({'id': str(r.id)}))"
    )["id"]
    wait_for(
        lambda: (
            site.sql("SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s", [task])[0][0]
            == "SUCCESSFUL"
        ),
        timeout=60,
        what="the task to run",
    )
    assert worker.poll() is None, site.logs()
    assert (site.var / "probe.log").read_text() == "after\n"
    # (a drop between two turns is healed by Django's health check at the next turn; one in the
    # middle of a turn is caught by the worker's loop, logged "database connection lost")
    site.stop(worker)
