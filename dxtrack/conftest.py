"""Browser fixtures: Debian's Chromium driven by Playwright, against pytest-django's live server."""

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


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("DXTRACK_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and shutil.which(candidate):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    # The live server and other committing tests flush the database after each test: run them
    # last, the browser's last of all (they leave the browser's and the live server's threads).
    def rank(item) -> int:
        return 2 if item.get_closest_marker("browser") else 1 if item.get_closest_marker("flushes") else 0

    items.sort(key=rank)


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("DXTRACK_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (DXTRACK_REQUIRE_BROWSER=1) but was not found")
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
def reference_data(transactional_db):
    """Each browser test starts from the full registry (the previous one's flush removed it)."""
    from dxtrack.org import services

    services.admin_units_load(actor=None)
    services.agencies_load(actor=None)


@pytest.fixture
def register(db):
    """The real register of the five seed plans and the default reporting set-up."""
    from dxtrack.accounts.access import SYSTEM
    from dxtrack.plans.register import register_load
    from dxtrack.reports.services.defaults import defaults_load

    register_load(actor=SYSTEM)
    defaults_load(actor=SYSTEM)


@pytest.fixture
def calendar_2025(register):
    from dxtrack.obligations import services as obligation_services

    obligation_services.calendar_generate(actor=SYSTEM, year=2025)
