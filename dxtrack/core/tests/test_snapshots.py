"""The suite's snapshots (dxtrack.core.snapshots): what a capture leaves in the database, and what
a snapshot kept between runs writes when it is read back."""

import pytest
from django.db import connection, transaction

from dxtrack.core.snapshots import capture, capture_kept
from dxtrack.org.models import AgencyGroup

pytestmark = pytest.mark.django_db

CODE = "nhom-thu-snapshot"


def _build() -> str:
    AgencyGroup.objects.create(code=CODE, name="Nhóm thử")
    return "xong"


def _groups() -> int:
    return AgencyGroup.objects.filter(code=CODE).count()


def test_a_capture_rolls_its_rows_back_and_put_back_inserts_them():
    # Given a builder that adds one row, captured without keep
    snapshot = capture("thử", _build)
    # Then nothing it wrote is left, and putting it back inserts the row it made
    assert (_groups(), snapshot.size, snapshot.result()) == (0, 1, "xong")
    snapshot.put_back()
    assert _groups() == 1


def test_a_capture_with_keep_leaves_its_rows_in_place():
    # When the builder is captured with keep
    snapshot = capture("thử", _build, keep=True)
    # Then its row stays where it wrote it, and the snapshot holds it for the next test
    assert (_groups(), snapshot.size) == (1, 1)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="snapshots are kept in files on SQLite only")
def test_a_kept_snapshot_read_back_writes_nothing_until_it_is_put_back(settings, tmp_path):
    # Given a snapshot built with keep, which writes its file (and leaves its row in place)
    settings.VAR_DIR = tmp_path
    with transaction.atomic():
        built = capture_kept("thử giữ", _build, keep=True)
        assert (built.read_from_file, _groups()) == (False, 1)
        transaction.set_rollback(True)
    # When another process would ask for it: read back from its file, with keep again
    read = capture_kept("thử giữ", _build, keep=True)
    # Then the builder did not run (no row), the caller is told so, and put back inserts the row
    assert (read.read_from_file, read.size, _groups()) == (True, 1, 0)
    read.put_back()
    assert (_groups(), read.result()) == (1, "xong")
