"""A whole site in other processes, for the tests of what only real processes show (a worker
killed mid-task, two schedulers, two servers): a database of its own — a copy of the test
database as the session set it up (SQLite: VACUUM INTO a file; PostgreSQL: CREATE DATABASE …
TEMPLATE) — its own var/ folder, and `dxtrack` commands run against it."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path

from django.db import connection

from dxtrack.core.testing import child_environ

DXTRACK = str(Path(sys.executable).with_name("dxtrack"))


def _pg_admin():
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _pg_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


class Site:
    def __init__(self, var: Path, *, empty: bool = False, extra_env: dict | None = None):
        self.var = var
        var.mkdir(parents=True, exist_ok=True)
        self.vendor = connection.vendor
        self.processes: list[subprocess.Popen] = []
        self.name = f"site_{uuid.uuid4().hex[:10]}"
        connection.ensure_connection()
        if self.vendor == "sqlite":
            self.path = var / "site.sqlite3"
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(self.path)])
            # The copy is in SQLite's default journal mode; a site's file is in WAL from its
            # `migrate` on (settings: every connection asks for it, and it stays). Left as it is, two
            # processes started at once both switched it, and one could fail with "database is
            # locked" (two schedulers, on a slow machine).
            with closing(sqlite3.connect(self.path)) as db:
                db.execute("PRAGMA journal_mode=WAL")
            self.url = f"sqlite:///{self.path}"
        else:
            template = connection.settings_dict["NAME"]
            connection.close()
            with _pg_admin() as admin:
                admin.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{template}"')
            self.url = _pg_url(self.name)
        self.env = child_environ() | {
            "DXTRACK_VAR_DIR": str(var),
            "DATABASE_URL": self.url,
            "DXTRACK_TASKS": "database",
            "DXTRACK_WORKER_BEAT_SECONDS": "0.5",
            "DXTRACK_TASK_RETRY_SECONDS": "0.2",
            "DXTRACK_SECRET_KEY": "site-under-test-" + "x" * 40,
            "DXTRACK_LOG_LEVEL": "INFO",
            "DXTRACK_REMINDER_DAYS_BEFORE": "7",
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        if empty:
            self.wipe()

    # -- the database, read and written directly ------------------------------------------------

    def sql(self, query: str, params=()) -> list[tuple]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path, timeout=30) as db:
                rows = db.execute(query.replace("%s", "?"), params).fetchall()
            return rows
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://"), autocommit=True) as db:
            cur = db.execute(query, params)
            return cur.fetchall() if cur.description else []

    def count(self, table: str) -> int:
        return self.sql(f'SELECT COUNT(*) FROM "{table}"')[0][0]  # noqa: S608 - a name from tables()

    def tables(self) -> list[str]:
        if self.vendor == "sqlite":
            rows = self.sql("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        else:
            rows = self.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return sorted(r[0] for r in rows)

    def wipe(self) -> None:
        """Every row of every table gone (the schema kept): an empty, migrated database."""
        keep = {"django_migrations"}
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path) as db:
                db.execute("PRAGMA foreign_keys=OFF")
                for table in self.tables():
                    if table not in keep:
                        db.execute(f'DELETE FROM "{table}"')  # noqa: S608
        else:
            names = ", ".join(f'"{t}"' for t in self.tables() if t not in keep)
            self.sql(f"TRUNCATE {names} CASCADE")

    # -- processes --------------------------------------------------------------------------------

    def run(self, *args: str, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(  # noqa: S603 - our own command
            [DXTRACK, *args], env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        if check and done.returncode != 0:
            raise AssertionError(f"dxtrack {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def python(self, code: str, timeout: float = 300) -> dict:
        """Runs `code` in a Django shell of the site; the last line it prints is read as JSON."""
        done = self.run("shell", "-c", code, timeout=timeout)
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        return json.loads(lines[-1]) if lines else {}

    def start(self, *args: str, command: list[str] | None = None) -> subprocess.Popen:
        log = (self.var / f"proc-{len(self.processes)}.log").open("w")
        process = subprocess.Popen(  # noqa: S603
            command or [DXTRACK, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen, sig=signal.SIGTERM) -> None:
        if process.poll() is None:
            os.killpg(process.pid, sig)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)

    def logs(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.var.glob("proc-*.log")))

    def close(self) -> None:
        for process in self.processes:
            self.stop(process)
        if self.vendor == "postgresql":
            with _pg_admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def wait_for(predicate, *, timeout: float = 60, every: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
