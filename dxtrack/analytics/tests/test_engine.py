"""The engine's own connections (the workers of a recomputation) are made as Django makes its own:
every OPTIONS entry, such as sslmode, reaches them (the hand-built connection used to drop them)."""

import pytest
from django.db import connection

from dxtrack.analytics import engine


def _settings(**options) -> dict:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "dxtrack",
        "USER": "dxtrack",
        "PASSWORD": "",
        "HOST": "db.example.org",
        "PORT": "5432",
        "OPTIONS": options,
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {},
    }


def test_connection_params_keep_the_options(monkeypatch):
    # Given a PostgreSQL database configured with sslmode and an application name in OPTIONS
    from django.db.backends.postgresql.base import DatabaseWrapper

    wrapper = DatabaseWrapper(_settings(sslmode="require", application_name="dxtrack-engine"), alias="remote")
    monkeypatch.setattr(engine, "connections", {"remote": wrapper})
    # When the engine reads the parameters its workers connect with
    params = engine.connection_params("remote")
    # Then they are Django's, OPTIONS included
    assert {k: params[k] for k in ("dbname", "user", "host", "port", "sslmode", "application_name")} == {
        "dbname": "dxtrack",
        "user": "dxtrack",
        "host": "db.example.org",
        "port": "5432",
        "sslmode": "require",
        "application_name": "dxtrack-engine",
    }


def _setting_in_worker(payload, part, cursor):
    cursor.execute("SELECT current_setting('application_name')")
    return (part, payload, cursor.fetchone()[0], cursor.connection.info.get_parameters().get("sslmode"))


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the engine forks workers on PostgreSQL only")
# The test process may hold another suite's live server thread; the workers touch nothing of it.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_workers_connect_with_the_options(monkeypatch):
    # Given the database's OPTIONS with an sslmode and an application name
    options = {**connection.settings_dict["OPTIONS"], "sslmode": "disable", "application_name": "dxtrack-engine"}
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    # When two workers each ask their own connection
    parts, meanwhile = engine.in_workers(_setting_in_worker, "job", 2, lambda: "meanwhile")
    # Then each connected with them
    assert parts == [(0, "job", "dxtrack-engine", "disable"), (1, "job", "dxtrack-engine", "disable")]
    assert meanwhile == "meanwhile"
