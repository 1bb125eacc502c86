import os

import pytest

# Tests never touch the developer's var/ database or secret.
os.environ.setdefault("DXTRACK_VAR_DIR", os.path.join(os.path.dirname(__file__), "var", "test"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data is loaded once per run; each test then runs in a rolled-back transaction."""
    from dxtrack.accounts.access import SYSTEM
    from dxtrack.org import services

    with django_db_blocker.unblock():
        services.admin_units_load(actor=SYSTEM)
        services.agencies_load(actor=SYSTEM)


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
