"""The suite's snapshots (dxtrack.core.snapshots): what a capture leaves in the database, what
a snapshot kept between runs writes when it is read back, and how a snapshot put back from its
shadow copy (SQLite) writes what it writes row by row."""

import pytest
from django.db import connection, transaction

from dxtrack.core import snapshots
from dxtrack.core.snapshots import SHADOW_AFTER, capture, capture_kept, materialize_shadows
from dxtrack.org.models import AgencyGroup
from dxtrack.plans.models import Clause, Document, DocumentType

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


def _build_plan() -> None:
    # (a referenced row, its id kept, with an auto_now stamp; a row pointing to it; a row nothing
    # points to, put back under a new id)
    document = Document.objects.create(code="vb-thu-bong", doc_type=DocumentType.PLAN, title="Kế hoạch thử", year=2026)
    Clause.objects.create(document=document, path="I.1", heading="Mục tiêu", line=3)
    AgencyGroup.objects.create(code=CODE, name="Nhóm thử")


def _plan_rows() -> list[tuple]:
    return [
        *Document.objects.filter(code="vb-thu-bong").values_list("pk", "code", "title", "year", "created_at"),
        *Clause.objects.filter(document__code="vb-thu-bong").values_list("document_id", "path", "heading", "line"),
        *AgencyGroup.objects.filter(code=CODE).values_list("code", "name", "aliases"),
    ]


def _remove_plan() -> None:
    Document.objects.filter(code="vb-thu-bong").delete()
    AgencyGroup.objects.filter(code=CODE).delete()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the shadow copy is SQLite's")
@pytest.mark.django_db(transaction=True)
def test_a_snapshot_put_back_three_times_is_copied_between_tests_and_then_put_back_the_same():
    # Given a snapshot, put back row by row three times (each time inside a test's transaction)
    snapshot = capture("thử bóng", _build_plan)
    with transaction.atomic():
        snapshot.put_back()
        by_rows = _plan_rows()
        stamp = Document.objects.get(code="vb-thu-bong").updated_at
        transaction.set_rollback(True)
    for _ in range(SHADOW_AFTER - 1):
        with transaction.atomic():
            snapshot.put_back()
            materialize_shadows()  # (inside the transaction: waits)
            transaction.set_rollback(True)
    assert snapshot._shadow == {}
    # When the suite's hook runs between two tests (outside any transaction)
    materialize_shadows()
    # Then the snapshot has its copy, and put back from it inside a transaction, it writes the same
    # rows, its auto_now field stamped at the put back as the row-by-row path stamps it
    assert set(snapshot._shadow) == {Document, Clause, AgencyGroup}
    with transaction.atomic():
        snapshot.put_back()
        assert _plan_rows() == by_rows
        assert Document.objects.get(code="vb-thu-bong").updated_at > stamp
        transaction.set_rollback(True)
    assert _plan_rows() == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the shadow copy is SQLite's")
@pytest.mark.django_db(transaction=True)
def test_a_new_connection_puts_the_snapshot_back_row_by_row_until_it_is_copied_again():
    # Given a snapshot with its copy in the shadow database of the current connection
    snapshot = capture("thử bóng", _build_plan)
    for _ in range(SHADOW_AFTER):
        snapshot.put_back()
        _remove_plan()
    materialize_shadows()
    assert snapshot._shadow_raw is connection.connection
    # When the connection is closed and opened again (the copy went with the old one)
    connection.close()
    connection.ensure_connection()
    # Then the snapshot is still put back whole, row by row
    snapshot.put_back()
    assert len(_plan_rows()) == 3
    _remove_plan()
    # and, put back once more, it is copied again on the new connection at the next hook
    snapshot.put_back()
    _remove_plan()
    materialize_shadows()
    assert snapshot._shadow_raw is connection.connection
    snapshot.put_back()
    assert len(_plan_rows()) == 3
    _remove_plan()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the shadow copy is SQLite's")
def test_the_copy_waits_while_a_transaction_is_open():
    # Given a snapshot put back three times in this test's transaction
    snapshot = capture("thử bóng", _build)
    for _ in range(SHADOW_AFTER):
        snapshot.put_back()
        AgencyGroup.objects.filter(code=CODE).delete()
    # When the hook runs inside the transaction (a test's own rollback would take the copy away)
    materialize_shadows()
    # Then nothing is copied yet: the snapshot still waits, and is put back row by row
    assert (snapshot._shadow, any(s is snapshot for s in snapshots._PENDING)) == ({}, True)
    snapshots._PENDING.remove(snapshot)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite copies")
def test_other_databases_keep_putting_back_row_by_row():
    # Given a snapshot put back three times on PostgreSQL
    snapshot = capture("thử bóng", _build)
    for _ in range(SHADOW_AFTER):
        snapshot.put_back()
        AgencyGroup.objects.filter(code=CODE).delete()
    # Then it never waits for a copy, and is put back whole
    assert not any(s is snapshot for s in snapshots._PENDING)
    snapshot.put_back()
    assert (_groups(), snapshot._shadow) == (1, {})
