"""Every command the README lists, on a fresh checkout: an empty DXTRACK_VAR_DIR, no migration.

A command that only reads files works; a command that needs the database says in one Vietnamese
line what to run first and exits with status 1, never with a traceback.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dxtrack.core.management.base import NOT_MIGRATED, ProjectCommand

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


def run(args: list[str], tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DXTRACK_VAR_DIR")}
    env["DXTRACK_VAR_DIR"] = str(tmp_path / "var")
    return subprocess.run(  # noqa: S603 (the arguments are this module's own constants)
        [sys.executable, "-m", "dxtrack.cli", *args],
        cwd=tmp_path,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


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
def test_a_command_that_needs_the_database_says_what_to_run_first(tmp_path, name, args):
    result = run(args, tmp_path)

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


def test_progress_works_without_a_database(tmp_path):
    result = run(["progress"], tmp_path, stdin=json.dumps(SERIES))

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["milestones"]["2025"]["value"] == 80.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "extract", "khong-co.txt"], "Không tìm thấy tệp “khong-co.txt”."),
        (["plan", "extract", "rong.txt"], None),
    ],
    ids=["missing file", "empty file"],
)
def test_plan_extract_on_bad_input_without_a_database(tmp_path, args, message):
    (tmp_path / "rong.txt").write_bytes(b"")

    result = run(args, tmp_path)

    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    if message:
        assert message in result.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["plan", "extract", "--year-context", "abc", "x.txt"],
            "dxtrack plan extract: lỗi: tham số --year-context: “abc” không phải giá trị hợp lệ (cần số nguyên).",
        ),
        (["plan", "extract"], "dxtrack plan extract: lỗi: thiếu tham số bắt buộc: file."),
        (
            ["plan", "tach"],
            "dxtrack plan: lỗi: tham số action: “tach” không phải lựa chọn hợp lệ "
            "(chọn một trong: extract, import, dump-register, load-register).",
        ),
        (["progress", "--bogus"], "dxtrack progress: lỗi: tham số không được hỗ trợ: --bogus."),
    ],
    ids=["not a number", "missing", "not a choice", "unknown"],
)
def test_a_mistyped_command_line_is_answered_in_vietnamese(tmp_path, args, line):
    # When a command line breaks argparse's rules, then the last line says why in Vietnamese
    result = run(args, tmp_path)
    assert (result.returncode, result.stderr.strip().splitlines()[-1]) == (2, line)


def test_argparse_messages_unknown_here_are_kept_as_they_are():
    from dxtrack.core.management.base import vietnamese_argparse_message

    assert vietnamese_argparse_message("something new") == "something new"
