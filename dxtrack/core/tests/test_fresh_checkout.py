"""Every command the README lists, on a fresh checkout: an empty DXTRACK_VAR_DIR, no migration.

A command that only reads files works; a command that needs the database says in one Vietnamese
line what to run first and exits with status 1, never with a traceback.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dxtrack.core.management.base import NOT_MIGRATED, ProjectCommand
from dxtrack.core.testing import child_environ

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT.parent / "shared" / "seeds" / "002_1454c6ee8fd59a30.txt"
SERIES = {
    "direction": "increase",
    "unit": "%",
    "observations": [[2020, 50], [2023, 65]],
    "targets": [{"year": 2025, "value": 80}],
}

# (command as the README names it, the arguments run here)
NEEDS_DATABASE = [
    ("plan import", ["plan", "import", str(SEED), "--year-context", "2024"]),
    ("calendar", ["calendar", "--year", "2025", "--to", "2026"]),
    ("reporting setup", ["reporting", "setup"]),
    ("reporting remind", ["reporting", "remind", "--today", "10/09/2025"]),
    ("reporting close", ["reporting", "close", "--period", "Quý III/2025"]),
    ("reporting demo-data", ["reporting", "demo-data"]),
    ("publish compose", ["publish", "compose", "--user", "totruong"]),
    ("publish issue", ["publish", "issue", "1", "--user", "totruong"]),
    ("publish export", ["publish", "export", "1", "--docx", "bao-cao.docx"]),
    ("publish list", ["publish", "list"]),
    ("recompute", ["recompute"]),
    ("load_reference", ["load_reference"]),
    ("ask", ["ask", "Chỉ tiêu cáp quang năm 2025 là bao nhiêu?", "--user", "totruong"]),
]
FILE_ONLY = ["plan extract", "progress", "assess"]  # assess extract: its own tests run it so


BAD_INPUT = {"missing file": ["plan", "extract", "khong-co.txt"], "empty file": ["plan", "extract", "rong.txt"]}
MISTYPED = {
    "not a number": ["plan", "extract", "--year-context", "abc", "x.txt"],
    "missing": ["plan", "extract"],
    "not a choice": ["plan", "tach"],
    "unknown": ["progress", "--bogus"],
}


def _environment(tmp_path: Path) -> dict:
    return child_environ(without=("DATABASE_URL",), DXTRACK_VAR_DIR=str(tmp_path / "var"))


def run(args: list[str], tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess:
    """One command line in a process of its own, as the console script runs it."""
    return subprocess.run(  # noqa: S603 (the arguments are this module's own constants)
        [sys.executable, "-m", "dxtrack.cli", *args],
        cwd=tmp_path,
        env=_environment(tmp_path),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """The module's other command lines, each run as the console script runs it, all in one new
    process on one fresh checkout (fresh_commands: starting Python and Django for each cost ten
    times what the commands do). By the test's name for each."""
    folder = tmp_path_factory.mktemp("fresh")
    (folder / "rong.txt").write_bytes(b"")
    runs = {name: {"args": args} for name, args in NEEDS_DATABASE}
    runs |= {name: {"args": args} for name, args in (BAD_INPUT | MISTYPED).items()}
    runs["progress"] = {"args": ["progress"], "stdin": json.dumps(SERIES)}
    done = subprocess.run(
        [sys.executable, "-m", "dxtrack.core.tests.fresh_commands"],
        cwd=folder,
        env=_environment(folder),
        input=json.dumps(list(runs.values())),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    results = json.loads(done.stdout.splitlines()[-1])
    return {
        name: subprocess.CompletedProcess(run["args"], r["returncode"], r["stdout"], r["stderr"])
        for (name, run), r in zip(runs.items(), results, strict=True)
    }


def readme_commands() -> set[str]:
    """`dxtrack X [Y]` as the README writes them; "publish compose|issue|export|list" is four."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = set()
    for m in re.finditer(r"\.venv/bin/dxtrack ([a-z_]+)(?: ([a-z-]+(?:\|[a-z-]+)*))?", text):
        subs = m.group(2).split("|") if m.group(2) and m.group(1) in ("plan", "reporting", "publish") else [None]
        found |= {f"{m.group(1)} {s}" if s else m.group(1) for s in subs}
    return found


def test_every_command_the_readme_lists_is_tried_here():
    assert readme_commands() <= {name for name, _ in NEEDS_DATABASE} | set(FILE_ONLY)


def test_every_project_command_shares_the_base_that_checks_the_database():
    from django.core.management import get_commands, load_command_class

    ours = {name: app for name, app in get_commands().items() if app.startswith("dxtrack.")}
    assert {"plan", "reporting", "calendar", "publish", "progress", "recompute", "demo"} <= set(ours)
    for name, app in ours.items():
        assert isinstance(load_command_class(app, name), ProjectCommand), name


@pytest.mark.parametrize(("name", "args"), NEEDS_DATABASE, ids=[n for n, _ in NEEDS_DATABASE])
def test_a_command_that_needs_the_database_says_what_to_run_first(answers, name, args):
    result = answers[name]

    assert result.returncode == 1
    assert result.stderr.strip() == NOT_MIGRATED
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_plan_extract_works_without_a_database(tmp_path):
    result = run(["plan", "extract", str(SEED), "--year-context", "2024", "--format", "json"], tmp_path)

    assert result.returncode == 0, result.stderr
    extracted = json.loads(result.stdout)
    assert len(extracted["reporting"]) == 2
    lead = extracted["tasks"][0]["lead"][0]
    assert (lead["kind"], lead["code"], lead["sure"]) == ("agency", "SO_TTTT", True)  # the registry, from the files
    assert extracted["unresolved"] == []


def test_progress_works_without_a_database(answers):
    result = answers["progress"]

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["milestones"]["2025"]["value"] == 80.0


@pytest.mark.parametrize(
    ("name", "message"), [("missing file", "Không tìm thấy tệp “khong-co.txt”."), ("empty file", None)]
)
def test_plan_extract_on_bad_input_without_a_database(answers, name, message):
    result = answers[name]

    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    if message:
        assert message in result.stderr


@pytest.mark.parametrize(
    ("name", "line"),
    [
        (
            "not a number",
            "dxtrack plan extract: lỗi: tham số --year-context: “abc” không phải giá trị hợp lệ (cần số nguyên).",
        ),
        ("missing", "dxtrack plan extract: lỗi: thiếu tham số bắt buộc: file."),
        (
            "not a choice",
            "dxtrack plan: lỗi: tham số action: “tach” không phải lựa chọn hợp lệ "
            "(chọn một trong: extract, import, dump-register, load-register).",
        ),
        ("unknown", "dxtrack progress: lỗi: tham số không được hỗ trợ: --bogus."),
    ],
)
def test_a_mistyped_command_line_is_answered_in_vietnamese(answers, name, line):
    # When a command line breaks argparse's rules, then the last line says why in Vietnamese
    result = answers[name]
    assert (result.returncode, result.stderr.strip().splitlines()[-1]) == (2, line)


def test_argparse_messages_unknown_here_are_kept_as_they_are():
    from dxtrack.core.management.base import vietnamese_argparse_message

    assert vietnamese_argparse_message("something new") == "something new"


def test_the_shared_process_answers_as_a_process_of_its_own(answers, tmp_path):
    # Given a command line that needs the database and one that breaks argparse's rules, each
    # also run in a process of its own
    for name, args in [("publish list", ["publish", "list"]), ("not a choice", MISTYPED["not a choice"])]:
        alone = run(args, tmp_path)
        # Then the shared process gave the same exit status and printed the same
        shared = answers[name]
        assert (shared.returncode, shared.stdout, shared.stderr) == (alone.returncode, alone.stdout, alone.stderr)


def test_the_shared_process_prints_an_escaped_exception_as_python_does(tmp_path):
    # Given a command line whose command raises (a settings module that cannot be imported)
    env = _environment(tmp_path) | {"DJANGO_SETTINGS_MODULE": "dxtrack.no_such_settings"}
    done = subprocess.run(
        [sys.executable, "-m", "dxtrack.core.tests.fresh_commands"],
        cwd=tmp_path,
        env=env,
        input=json.dumps([{"args": ["progress"]}]),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    # Then it is reported as the interpreter reports it: exit status 1 and the traceback
    (result,) = json.loads(done.stdout.splitlines()[-1])
    assert result["returncode"] == 1
    assert result["stderr"].startswith("Traceback (most recent call last):")
    assert result["stderr"].rstrip().endswith("ModuleNotFoundError: No module named 'dxtrack.no_such_settings'")
