import pytest

from .sites import Site


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
