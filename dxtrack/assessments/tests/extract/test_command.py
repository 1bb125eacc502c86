"""`dxtrack assess extract FILE [--format json]`: JSON on stdout; on bad input one Vietnamese
message on stderr, exit status 2, nothing on stdout. No test here touches the database (none is
marked django_db: pytest-django would fail any query), which is the "needs no database" check."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dxtrack.assessments.extract import extract
from dxtrack.assessments.management.commands.assess import Command
from dxtrack.core.testing import child_environ
from dxtrack.plans.tests.layouts import to_docx

from . import decisions as d
from .test_bad_input import commune_docx, row_of, typed_rows


def write(tmp_path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run_as_cli(*argv: str) -> int:
    """The command as the console script runs it, its exit status: Django's run_from_argv but for
    the system checks and the closing of the database connections, which pytest-django guards
    even when unused (the console-script test below runs the whole of it)."""
    command = Command()
    command._called_from_command_line = True
    options = vars(command.create_parser("dxtrack", "assess").parse_args(["--skip-checks", *argv]))
    args = options.pop("args", ())
    try:
        command.execute(*args, **options)
    except SystemExit as exc:
        return exc.code
    return 0


def test_extract_prints_the_criteria_set_as_json(tmp_path):
    # given the commune decision
    path = write(tmp_path, d.COMMUNE_DOCX.filename, to_docx(d.COMMUNE_DOCX))
    out = StringIO()
    # when the command reads it
    call_command("assess", "extract", str(path), "--format", "json", stdout=out)
    # then stdout is the extraction's JSON, whole
    assert json.loads(out.getvalue()) == extract(path)
    assert json.loads(out.getvalue())["framework"]["number"] == "1547/QĐ-UBND"


def test_a_bad_decision_gives_a_message_on_stderr_exit_2_and_no_stdout(tmp_path, capsys):
    # given a decision whose criteria do not add up to its total
    rows = typed_rows()
    row_of(rows, "2")[3] = "5"
    path = write(tmp_path, "lech-diem.docx", commune_docx(rows))
    # when the command is run as from the shell
    status = run_as_cli("extract", str(path))
    # then it exits with 2, says why in Vietnamese on stderr and prints nothing on stdout
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert captured.err == (
        "Bộ tiêu chí trong văn bản chưa nhất quán, chưa có gì được đọc:\n"
        "- Điểm của nhóm I “Chính quyền số” là 35 nhưng các tiêu chí thành phần cộng lại được 30.\n"
        "- Điểm các tiêu chí cộng lại được 95, không bằng tổng điểm 100 văn bản ghi.\n"
    )


def test_called_from_code_a_bad_file_raises_command_error_with_status_2(tmp_path):
    path = write(tmp_path, "rong.pdf", b"")
    with pytest.raises(CommandError) as caught:
        call_command("assess", "extract", str(path), stdout=StringIO())
    assert (str(caught.value), caught.value.returncode) == ("Tệp “rong.pdf” rỗng.", 2)


def test_unstated_flags_are_a_note_on_stderr_beside_the_json(tmp_path, capsys):
    # given a decision where criterion 4's type cell is left empty
    rows = typed_rows()
    row_of(rows, "4")[4] = ""
    path = write(tmp_path, "thieu-loai.docx", commune_docx(rows))
    # when the command reads it, then the JSON says null and stderr says which criterion to check
    assert run_as_cli("extract", str(path)) == 0
    captured = capsys.readouterr()
    assert next(c for c in json.loads(captured.out)["criteria"] if c["code"] == "4")["mandatory"] is None
    assert captured.err == "Lưu ý: Chưa rõ tiêu chí bắt buộc hay mở rộng: 4.\n"


def test_the_console_script_exits_2_on_an_empty_file(tmp_path):
    # given an empty file and the real console script, without a database set up
    path = write(tmp_path, "rong.xlsx", b"")
    env = child_environ(DXTRACK_VAR_DIR=str(tmp_path / "var"), DATABASE_URL="")
    # when it runs
    done = subprocess.run(  # noqa: S603 - our own console script, our own temporary file
        [str(Path(sys.executable).with_name("dxtrack")), "assess", "extract", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    # then: status 2, the message alone on stderr, nothing on stdout
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "Tệp “rong.xlsx” rỗng.\n")
