import pytest
import pytest_django.fixtures

from .sites import Site

# pytest-django sets up the test database only for the tests that ask for it by a django_db mark
# or the db fixtures, which wrap each test in a transaction; a site copies the test database
# from outside any transaction. So tests using a site count as asking for the database (else a
# run of such tests alone, e.g. `make test-scaleout`, would find no test database).
_databases_for_test = pytest_django.fixtures._get_databases_for_test


def _with_sites(test):
    databases, serialized = _databases_for_test(test)
    if {"site", "empty_site"} & set(getattr(test, "fixturenames", ())):
        return {"default", *(databases or ())}, serialized
    return databases, serialized


pytest_django.fixtures._get_databases_for_test = _with_sites


@pytest.fixture
def site(django_db_setup, django_db_blocker, tmp_path):
    """A copy of the session's test database (reference data loaded), in other processes."""
    with django_db_blocker.unblock():
        made = Site(tmp_path / "site")
    yield made
    with django_db_blocker.unblock():
        made.close()


@pytest.fixture
def empty_site(django_db_setup, django_db_blocker, tmp_path):
    """A migrated database with no row at all, and an empty var/ folder."""
    with django_db_blocker.unblock():
        made = Site(tmp_path / "empty", empty=True)
    yield made
    with django_db_blocker.unblock():
        made.close()
