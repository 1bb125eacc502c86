"""`make setup` (scripts/bootstrap.sh), which every `make test`, `make demo` and `make lint` runs
first: it syncs the .venv with uv.lock, and skips the sync while the files it was made from are
unchanged. Run here in a folder of its own, with a uv that only notes what it is asked."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dxtrack.core.testing import child_environ

ROOT = Path(__file__).resolve().parents[3]

# Answers as uv 0.13.8 would; `sync` notes its arguments and makes the .venv's python.
FAKE_UV = """#!/usr/bin/env bash
case "$1" in
  --version) echo "uv 0.13.8 (fake)";;
  python) exit 1;;
  sync) echo "$*" >> "$(dirname "$0")/../../syncs"
        mkdir -p .venv/bin && ln -sf "{python}" .venv/bin/python;;
esac
"""


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "bootstrap.sh", tmp_path / "scripts" / "bootstrap.sh")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "uv.lock").write_text("version = 1\n")
    uv = tmp_path / ".tools" / "bin" / "uv"
    uv.parent.mkdir(parents=True)
    uv.write_text(FAKE_UV.format(python=sys.executable))
    uv.chmod(0o755)
    return tmp_path


def _setup(project: Path, **env) -> subprocess.CompletedProcess:
    environ = child_environ(without=("DXTRACK_SYNC",), **{"DXTRACK_PYTHON": sys.executable, **env})
    command = [shutil.which("bash"), "scripts/bootstrap.sh"]
    return subprocess.run(  # noqa: S603 (bash on our own script)
        command, cwd=project, env=environ, capture_output=True, text=True, check=True
    )


def _syncs(project: Path) -> list[str]:
    path = project / "syncs"
    return path.read_text().splitlines() if path.exists() else []


def test_a_new_clone_is_synced_once_and_then_left_as_it_is(project):
    # Given a clone with no .venv
    # When setup runs twice
    first = _setup(project)
    second = _setup(project)
    # Then uv synced the .venv once, from the lock file, and the second run only says it is ready
    assert _syncs(project) == [f"sync --locked --compile-bytecode --python {sys.executable} --quiet"]
    assert "ready: .venv" in first.stderr
    assert second.stderr.endswith(", in sync with uv.lock\n")


@pytest.mark.parametrize("changed", ["uv.lock", "pyproject.toml", "scripts/bootstrap.sh"])
def test_a_changed_lock_project_or_setup_file_syncs_again(project, changed):
    # Given a synced .venv
    _setup(project)
    # When one of the files it was made from changes
    with open(project / changed, "a") as f:
        f.write("\n# changed\n")
    _setup(project)
    # Then the next setup syncs again, and the one after that does not
    _setup(project)
    assert len(_syncs(project)) == 2


def test_a_missing_interpreter_or_a_forced_sync_syncs_again(project):
    # Given a synced .venv
    _setup(project)
    # When its python is gone, and then a sync is asked for by name
    (project / ".venv" / "bin" / "python").unlink()
    _setup(project)
    _setup(project, DXTRACK_SYNC="1")
    # Then each of the two syncs
    assert len(_syncs(project)) == 3


def test_another_python_asked_for_syncs_again(project):
    # Given a .venv synced with the Python found first
    _setup(project)
    # When another interpreter is asked for by name
    _setup(project, DXTRACK_PYTHON=str(Path(sys.executable).resolve()))
    # Then setup syncs again with it
    assert len(_syncs(project)) == 2
