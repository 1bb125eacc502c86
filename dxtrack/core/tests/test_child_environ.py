"""What a process started by a test inherits (dxtrack.core.testing.child_environ)."""

import re
from pathlib import Path

from dxtrack.core.testing import child_environ

PACKAGE = Path(__file__).resolve().parents[2]
# A copy of this process's whole environment, made by hand
WHOLE_ENVIRON = re.compile(r"\*\*os\.environ\b|os\.environ\.(?:items|copy)\(\)|dict\(os\.environ\)")


def test_a_child_gets_this_environment_less_the_test_process_only_variables(monkeypatch):
    # Given the browser's variable set in this process, and another one
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setenv("DXTRACK_SOMETHING", "kept")
    monkeypatch.setenv("DXTRACK_SECRET_KEY", "left out")
    # When a test makes a child's environment
    env = child_environ(without=("DXTRACK_SECRET_KEY",), DXTRACK_ENV="production")
    # Then the child gets neither the browser's variable nor what was left out, and gets the rest
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in env and "DXTRACK_SECRET_KEY" not in env
    assert (env["DXTRACK_SOMETHING"], env["DXTRACK_ENV"]) == ("kept", "production")


def test_no_test_copies_this_environment_for_a_child_by_hand():
    # (a copy by hand gave `check --deploy` the browser's DJANGO_ALLOW_ASYNC_UNSAFE whenever it
    # ran after a browser test on the same worker)
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if not ({"tests", "tests_browser"} & set(path.parts) or path.name == "conftest.py"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WHOLE_ENVIRON.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}")
    assert found == []
