"""Browser fixtures: Debian's Chromium driven by Playwright, against pytest-django's live server.

The suite drives Debian's `chromium-headless-shell`: Chromium's own headless build (the same
source package and version as Debian's `chromium`), which is also the binary Playwright runs for
headless Chromium by default. It renders and runs the pages as `chromium` does, with about 40 % less
CPU per test, as it does not run the whole browser behind the page. CI runs the browser tests once
more on PostgreSQL with the whole `chromium` (DXTRACK_CHROMIUM=/usr/bin/chromium); ADR 0048."""

import os
import shutil

import pytest

from dxtrack.accounts.access import SYSTEM

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


CHROMIUMS = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium", "/usr/bin/chromium-browser")


def _wanted() -> str:
    return os.environ.get("DXTRACK_CHROMIUM") or " or ".join(CHROMIUMS)


def _chromium_path() -> str | None:
    wanted = os.environ.get("DXTRACK_CHROMIUM")
    if wanted:  # asked for by name (CI's run on the whole browser): that one or none
        return wanted if shutil.which(wanted) else None
    for candidate in CHROMIUMS:
        if shutil.which(candidate):
            return candidate
    return None


def run_order(item) -> tuple[int, int]:
    """Where a test runs in the session. The live server and other committing tests flush the
    database after each test: they run last, the browser's last of all (they leave the browser's
    and the live server's threads). Before all of them run the tests marked `long` (seconds each:
    real processes, a migration from nothing): started last, one of them ended the run on one
    worker while the other had nothing left to do (10 s of an idle core, with the migration test)."""
    tier = 2 if item.get_closest_marker("browser") else 1 if item.get_closest_marker("flushes") else 0
    return (0 if item.get_closest_marker("long") and tier < 2 else 1, tier)


def pytest_collection_modifyitems(config, items):
    items.sort(key=run_order)
    # Under xdist (`make test`: --dist loadgroup), the tests that share a costly start run on one
    # worker, so that it is paid once: the browser, and the demo world (about 20 s to build).
    # A module's tests that share a module-scoped fixture (the every-page walk's answers, a parsed
    # seed) go to one worker too: else each worker that gets one of them builds it again.
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif "demo_world" in item.fixturenames:
            item.add_marker(pytest.mark.xdist_group("demo_world"))
        elif "demo_reports_2025_rows" in item.fixturenames:
            # (the demo's reports of 2025, about 10 s to generate: the revision tests and the
            # generated demo's checks put back the one snapshot)
            item.add_marker(pytest.mark.xdist_group("demo_reports_2025"))
        elif _shares_a_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    # (set on xdist's workers only: a run without xdist has no such option)
    if getattr(config.option, "loadgroup", False):
        for item in items:
            _name_group(item)


def _name_group(item) -> None:
    """What pytest-xdist's worker does for `--dist loadgroup` (the group after an "@" in the id
    the controller schedules by), done here. xdist's own step runs before this hook has added the
    groups above, and with pytest 9.2 it has no effect at all: it sets `item._nodeid`, which pytest
    no longer reads (the id is `item._id`). Without it every test was scheduled alone: the browser
    tests started a Chromium on each worker and the every-page walk was built on both."""
    from _pytest.nodeid import coerce_node_id

    marks = item.iter_markers("xdist_group")
    names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks})
    if not names or item.nodeid.rfind("@") > item.nodeid.rfind("]"):
        return  # no group, or xdist named it already
    wanted = f"{item.nodeid}@{'_'.join(names)}"
    item._id = coerce_node_id(wanted)
    if item.nodeid != wanted:  # pragma: no cover - another pytest's ids: fail loudly, not silently
        raise RuntimeError(f"could not name the xdist group of {item.nodeid}")


def _shares_a_module_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    # (the project's own fixtures only: plugins' have no base id, e.g. pytest-django's class-scoped
    # autouse one, which every test uses)
    return any(
        defs and defs[-1].baseid and defs[-1].scope in ("package", "module", "class")
        for defs in info.name2fixturedefs.values()
    )


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("DXTRACK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required (DXTRACK_REQUIRE_BROWSER=1) but was not found: {_wanted()}")
        pytest.skip("Chromium not installed: run `make browser`")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API refuses to run inside a running event loop; Django's async-unsafe
    # guard must also let the live server's thread be.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def reference_data(transactional_db, reference_rows):
    """Each browser test starts from the full registry (the previous one's flush removed it; the
    suite's teardown hook puts it back after each flush, so this only checks)."""
    if reference_rows.fits():
        reference_rows.put_back()


# The register, the reporting defaults and the 2025 calendar: built by their real loaders once per
# session (per xdist worker) and put back by bulk insert into each test that asks for them
# (dxtrack.core.snapshots). A test that made rows of those tables first gets the loaders instead.


def _register_load():
    from dxtrack.accounts.access import SYSTEM
    from dxtrack.plans.register import register_load
    from dxtrack.reports.services.defaults import defaults_load

    register_load(actor=SYSTEM)
    defaults_load(actor=SYSTEM)


def _calendar_2025_generate():
    from dxtrack.obligations import services as obligation_services

    obligation_services.calendar_generate(actor=SYSTEM, year=2025)


@pytest.fixture(scope="session")
def register_rows(django_db_setup, django_db_blocker):
    from dxtrack.core.snapshots import shared

    with django_db_blocker.unblock():
        return shared("register", _register_load)


@pytest.fixture(scope="session")
def calendar_2025_rows(register_rows, django_db_blocker):
    from dxtrack.core.snapshots import shared

    with django_db_blocker.unblock():
        return shared("calendar 2025", _calendar_2025_generate, on=[register_rows])


@pytest.fixture
def register(request, db, register_rows):
    """The real register of the five seed plans and the default reporting set-up."""
    from dxtrack.core.snapshots import put_back_or_build

    put_back_or_build(request, register_rows, _register_load)


@pytest.fixture
def calendar_2025(request, register, calendar_2025_rows):
    from dxtrack.core.snapshots import put_back_or_build

    put_back_or_build(request, calendar_2025_rows, _calendar_2025_generate)


def _demo_reports_2025_generate():
    import datetime

    from dxtrack.devtools import demo

    return demo.generate(actor=SYSTEM, today=datetime.date(2025, 11, 30))


@pytest.fixture(scope="session")
def demo_reports_2025_rows(register_rows, calendar_2025_rows, django_db_blocker):
    from dxtrack.core.snapshots import shared

    with django_db_blocker.unblock():
        return shared("demo reports 2025", _demo_reports_2025_generate, on=[register_rows, calendar_2025_rows])


@pytest.fixture
def demo_reports_2025(request, calendar_2025, demo_reports_2025_rows):
    """The register, the 2025 calendar and the demo's reports as seen on 30/11/2025 (no
    recomputation: see publishing's demo_world for that). Returns the generator's counts."""
    from dxtrack.core.snapshots import put_back_or_build

    return put_back_or_build(request, demo_reports_2025_rows, _demo_reports_2025_generate)


def _demo_world_build():
    import datetime

    from dxtrack.analytics.services.recompute import recompute_all
    from dxtrack.devtools import demo
    from dxtrack.obligations import services as obligation_services
    from dxtrack.obligations.models import Period

    for year in (2024, 2025):
        obligation_services.calendar_generate(actor=SYSTEM, year=year)
    demo.generate(actor=SYSTEM, today=datetime.date(2025, 11, 30))
    recompute_all(at=datetime.date(2025, 11, 30))
    return Period.objects.get(label="Quý III/2025", period_type="quarterly")


@pytest.fixture(scope="session")
def demo_world_rows(register_rows, django_db_blocker):
    from dxtrack.core.snapshots import shared

    with django_db_blocker.unblock():
        return shared("demo world", _demo_world_build, on=[register_rows])


@pytest.fixture
def demo_world(request, register, demo_world_rows):
    """The real register, the 2024 and 2025 calendars and the demo's reports as seen on
    30/11/2025 (two years, so that progress can be assessed), with progress and scorecards
    recomputed: what the dashboards show. About 20 s to build: built once per session and put
    back into each test that needs it. (Here, not in a package's conftest: a session fixture
    imported into a second conftest is a second fixture, built once more.)"""
    from dxtrack.core.snapshots import put_back_or_build

    return put_back_or_build(request, demo_world_rows, _demo_world_build)
