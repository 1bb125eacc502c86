import gc
import os

import pytest

# (Tests never touch the developer's var/ database or secret: dxtrack.core.pytest_var, loaded
# first by pyproject's addopts, sets the test run's own.)

# What the session built once: the reference data's rows (put back after each flushing test) and
# the blocker that lets a hook reach the database between tests.
_SESSION: dict = {}


def pytest_configure(config):
    """Passwords are hashed with argon2 at its cheapest cost in tests (see
    dxtrack.core.testing.CheapArgon2PasswordHasher): hashes made in production still verify."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["dxtrack.core.testing.CheapArgon2PasswordHasher", *settings.PASSWORD_HASHERS]
    # SQLite's test databases come from a migrated file kept between runs and processes
    # (dxtrack/core/migrated_template.py): migrate runs once per change of the code, not per worker.
    from dxtrack.core import migrated_template

    migrated_template.install()
    # The run's first process (xdist's controller, or the only one) starts migrating at once when
    # the kept file is missing (a fresh checkout, a changed model): the workers take seconds to
    # start and collect, and one of them would otherwise migrate while the other waits.
    if not hasattr(config, "workerinput"):
        _SESSION["migrating"] = migrated_template.start_in_background()


def pytest_unconfigure(config):
    from dxtrack.core import migrated_template

    migrated_template.stop_background(_SESSION.pop("migrating", None))


def pytest_collection_finish(session):
    """Every test module, Django and the site are loaded: set aside from the garbage collector, as
    a server's worker is at its start (dxtrack.core.startup, ADR 0047). The collections a test's
    many objects trigger then no longer rescan them; objects made by tests are collected as
    before."""
    if os.environ.get("DXTRACK_TEST_GC_FREEZE", "1") != "0":
        from dxtrack.core.startup import warm_and_freeze

        warm_and_freeze()
    # And collected less often than Python's default (700, 10, 10) (ADR 0049): a test makes
    # thousands of short-lived objects (ORM rows, requests, rendered pages), and its process keeps
    # large ones for a module or the session (the pages' walk, the snapshots' rows), which the
    # default rescans again and again. The collector took 14 s of CPU of a run, 5,6 s with these.
    # DXTRACK_TEST_GC_THRESHOLDS="700,10,10" gives Python's default back, to compare.
    from dxtrack.core.testing import gc_thresholds

    gc.set_threshold(*gc_thresholds())


def _reference_load():
    from dxtrack.accounts.access import SYSTEM
    from dxtrack.org import services

    services.admin_units_load(actor=SYSTEM)
    services.agencies_load(actor=SYSTEM)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data is loaded once per run (and kept); each test then runs in a rolled-back
    transaction. Its rows are captured too: a flushing test's flush removes them, and they are
    put back by bulk insert after it instead of loading them again."""
    from dxtrack.core.snapshots import capture

    with django_db_blocker.unblock():
        _SESSION["reference"] = capture("reference data", _reference_load, keep=True)
    _SESSION["blocker"] = django_db_blocker


@pytest.fixture(scope="session")
def reference_rows(django_db_setup):
    """The reference data's captured rows (see django_db_setup)."""
    return _SESSION["reference"]


def _commits(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that committed (and so was flushed), the reference data is put back, so that
    whatever runs next (on this xdist worker too) finds the database as django_db_setup left it.
    After any test, the snapshots waiting for a shadow copy get it."""
    result = yield
    if nextitem is None or "blocker" not in _SESSION:
        return result
    from dxtrack.core.snapshots import materialize_shadows

    reference = _SESSION["reference"]
    with _SESSION["blocker"].unblock():
        if _commits(item) and reference.fits():
            reference.put_back()
            reference.restored += 1
        # Between tests, outside their transactions: the snapshots put back row by row
        # SHADOW_AFTER times are copied where SQLite puts them back from by itself.
        materialize_shadows()
    return result


def pytest_terminal_summary(terminalreporter):
    """How often the shared data was put back from its snapshot, and how often its loaders had to
    run because a test had made rows of its own first."""
    from dxtrack.core.snapshots import REGISTRY

    snapshots = [s for s in (_SESSION.get("reference"), *REGISTRY.values()) if s is not None]
    if not snapshots:
        return
    terminalreporter.write_sep("-", "shared test data")
    for s in snapshots:
        built = "read from an earlier run's file" if s.read_from_file else f"built once in {s.seconds_built:.1f} s"
        terminalreporter.write_line(
            f"{s.name}: {s.size} rows, {built}"
            + f"; put back {s.restored}×, loaders re-run {s.rebuilt}×"
            + (f" (never put back: its loaders delete rows of {', '.join(s.changed)})" if s.changed else "")
        )


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    """Each test starts with empty rate and log-in counters: the per-process cache is kept across
    tests, and the shared cache's table is no model's, so a flush leaves its rows; reused user ids
    would otherwise carry one test's requests into the next."""
    from django.core.cache import cache, caches

    cache.clear()
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            caches["shared"].clear()
    yield


@pytest.fixture(autouse=True)
def _task_backends_as_configured():
    """Each test starts with the task backend its settings name: a backend made under another
    test's changed TASKS (or in another thread) is never reused."""
    from django.tasks.signals import clear_tasks_handlers

    clear_tasks_handlers(setting="TASKS")
    yield
