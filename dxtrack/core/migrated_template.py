"""A migrated SQLite test database kept as a file, so that a test run migrates once, not once per
process.

Django's test runner builds each test database by running every migration (about 7 s of CPU
here, paid by each xdist worker and each run). On SQLite the result of `migrate` is kept in a
file whose name is a digest of everything that can change what `migrate` makes: the source of
this project (models, migrations and whatever they import) and every installed app's migration
files, Django's and Python's versions. A later process restores that file into its in-memory test
database with SQLite's backup API instead of migrating: the same bytes `migrate` made, so no
migration bug is hidden — the first run after any change to the code runs the real migrations
(and the migration tests migrate step by step on their own). Two processes starting together
take a file lock: the first migrates and writes the file, the second waits and restores it.
When no file matches, the run's first process (xdist's controller) starts one more process that
migrates and writes it (start_in_background) while the test processes start: it takes the lock
as they do, so migrating overlaps their start-up instead of holding up their first test, and if it
fails they migrate as before.

PostgreSQL is left as it is (each worker migrates). Imports no app.
"""

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings

_PROJECT = Path(__file__).resolve().parents[1]  # the dxtrack package


def digest() -> str:
    h = hashlib.sha256()
    h.update(f"{django.__version__} {sys.version} {sqlite3.sqlite_version}".encode())
    files = set(_PROJECT.rglob("*.py"))
    for config in apps.get_app_configs():
        migrations = Path(config.path) / "migrations"
        if migrations.is_dir():
            files.update(migrations.glob("*.py"))
    for path in sorted(files):
        if "tests" in path.parts or "tests_browser" in path.parts:
            continue  # the tests do not change what migrate makes
        h.update(str(path).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "test-databases"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _migrate_or_restore(connection, migrate) -> None:
    """In place of `migrate` for `connection`: restores the kept file, or migrates and keeps it."""
    folder = _folder()
    template = _template()
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        connection.ensure_connection()
        if template.exists():
            with contextlib.closing(sqlite3.connect(template)) as source:
                source.backup(connection.connection)
            return
        migrate()
        partial = template.with_suffix(f".{os.getpid()}.part")
        with contextlib.closing(sqlite3.connect(partial)) as target:
            connection.connection.backup(target)
        partial.replace(template)
        for old in folder.glob("migrated-*.sqlite3"):
            if old != template:
                old.unlink(missing_ok=True)


def _template() -> Path:
    return _folder() / f"migrated-{digest()}.sqlite3"


def _kept_databases() -> list:
    """The connections whose test database comes from the kept file: SQLite's in-memory ones."""
    from django.db import connections

    if os.environ.get("DXTRACK_TEST_DB_TEMPLATE") == "0":
        return []
    found = []
    for alias in connections:
        connection = connections[alias]
        if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(
            connection.creation._get_test_db_name()
        ):
            found.append(connection)
    return found


def background_command() -> list[str]:
    """The command line of the process start_in_background starts (this module, run as a script)."""
    return [sys.executable, "-m", "dxtrack.core.migrated_template"]


def start_in_background() -> subprocess.Popen | None:
    """Starts a process that makes the kept file (background_command) when
    no file matches the code and a test database would come from it; else does nothing. Its output
    goes to migrate.log beside the file. The caller waits for it (or stops it) at the end of the
    run: stop_background."""
    if not _kept_databases() or _template().exists():
        return None
    from dxtrack.core.testing import child_environ

    with open(_folder() / "migrate.log", "w") as log:
        return subprocess.Popen(  # noqa: S603 (this interpreter, this module)
            background_command(),
            env=child_environ(DJANGO_SETTINGS_MODULE=settings.SETTINGS_MODULE),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop_background(process: subprocess.Popen | None) -> None:
    """At the end of the run: a process still migrating (a run that ended before any test needed
    the database) is stopped, not waited for; the next run starts again."""
    if process is None:
        return
    if process.poll() is None:
        process.terminate()
    process.wait(timeout=30)


def _make_in_background() -> None:
    """The process start_in_background starts: builds the test database as a test process does,
    which migrates and keeps the file (or, if a test process got the lock first and kept it,
    restores it and ends)."""
    django.setup()
    install()
    for connection in _kept_databases():
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def install() -> None:
    """Makes the SQLite in-memory test databases come from the kept file (see the module's text).
    Call before the test databases are created (pytest_configure)."""
    from django.core import management

    for connection in _kept_databases():
        creation = connection.creation
        create = creation.create_test_db

        def create_test_db(*args, _create=create, _connection=connection, **kwargs):
            real = management.call_command

            def call_command(name, *a, **kw):
                if name == "migrate" and kw.get("database", "default") == _connection.alias:
                    return _migrate_or_restore(_connection, lambda: real(name, *a, **kw))
                return real(name, *a, **kw)

            management.call_command = call_command
            try:
                return _create(*args, **kwargs)
            finally:
                management.call_command = real

        creation.create_test_db = create_test_db


if __name__ == "__main__":
    _make_in_background()
