"""The migrated SQLite test database kept as a file (dxtrack.core.migrated_template), and the
process that makes it in the background at the start of a run."""

import shutil
import subprocess
import sys

import pytest
from django.db import connection

from dxtrack.core import migrated_template
from dxtrack.core.testing import child_environ

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the kept file is SQLite's")


@pytest.fixture
def kept(db, settings, tmp_path):
    """A var folder of its own holding the kept file of this code (copied from the run's, which
    exists once the run's test database is made: on a fresh run, not before)."""
    if not migrated_template._kept_databases():
        pytest.skip("this run's test database is not made from the kept file (DXTRACK_TEST_DB_TEMPLATE=0)")
    source = migrated_template._template()
    settings.VAR_DIR = tmp_path
    target = migrated_template._template()
    shutil.copyfile(source, target)
    return target


def test_no_process_is_started_when_the_kept_file_matches_the_code(kept):
    assert migrated_template.start_in_background() is None


def test_no_process_is_started_when_the_kept_file_is_turned_off(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DXTRACK_TEST_DB_TEMPLATE", "0")
    assert migrated_template.start_in_background() is None
    assert list(tmp_path.glob("test-databases/*")) == []


def test_the_background_process_leaves_a_matching_kept_file_as_it_is(kept):
    # Given the kept file of this code (a test process kept it first)
    before = (kept.stat().st_ino, kept.read_bytes())
    # When the background process runs as the run's first process starts it
    done = subprocess.run(  # noqa: S603 (this interpreter, the project's module)
        migrated_template.background_command(),
        env=child_environ(DXTRACK_VAR_DIR=str(kept.parents[1])),
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Then it restored it and ended well: the file is the same file (a migration would have
    # written a new one in its place), unchanged
    assert (done.returncode, done.stderr) == (0, "")
    assert (kept.stat().st_ino, kept.read_bytes()) == before


def test_a_background_process_still_running_at_the_end_is_stopped():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    migrated_template.stop_background(process)
    assert process.returncode == -15  # SIGTERM
    migrated_template.stop_background(None)  # (no process started: nothing to do)
