"""`make bench` starts: its modules import without Django configured (a dxtrack import at module
level made the whole run stop at its first line), and `--only` refuses an unknown name before
touching any database."""

import subprocess
import sys
from pathlib import Path

from dxtrack.core.testing import child_environ

ROOT = Path(__file__).resolve().parents[3]


def _python(*args: str, var_dir: Path) -> subprocess.CompletedProcess:
    env = child_environ(without=("DJANGO_SETTINGS_MODULE", "DATABASE_URL"), DXTRACK_VAR_DIR=str(var_dir))
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120
    )


def test_bench_modules_import_before_django_is_set_up(tmp_path):
    # given a fresh interpreter with no Django settings named
    # when every bench module is imported, as `python -m bench.run` does before _setup_django()
    done = _python(
        "-c",
        "import bench.run, bench.assistant, bench.assessments, bench.bulk, bench.hostile, bench.national, "
        "bench.plans_in",
        var_dir=tmp_path,
    )

    # then nothing fails
    assert done.returncode == 0, done.stderr[-2000:]


def test_only_an_unknown_benchmark_is_refused_before_any_database(tmp_path):
    # given an empty var directory
    # when a benchmark that does not exist is asked for
    done = _python("-m", "bench.run", "--only", "assistant,nosuch", var_dir=tmp_path)

    # then the run stops with the names it knows, and no database was made
    assert done.returncode == 2
    assert "bench: no benchmark named nosuch; the names: extract, pdf, ocr, api, calendar," in done.stdout
    assert "assistant" in done.stdout
    assert not (tmp_path / "dxtrack.sqlite3").exists()


def _copied_columns(source: str) -> dict[str, list[str]]:
    """Each table bench/national.py writes by `_Copy(cursor, "table", [columns])`, with its
    columns: the list written in the call, or the list assigned to the name it passes."""
    import ast

    tree = ast.parse(source)
    lists = {
        node.targets[0].id: [e.value for e in node.value.elts]
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.List)
        and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.value.elts)
    }
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_Copy":
            _cursor, table, columns = node.args
            if isinstance(columns, ast.Name):
                out[table.value] = lists[columns.id]
            else:
                out[table.value] = [e.value for e in columns.elts]
    return out


def test_the_national_generator_writes_every_column_a_row_must_have():
    # Given the tables the national data set's generator fills by COPY, and the models behind them
    from django.apps import apps
    from django.db.models import NOT_PROVIDED

    copied = _copied_columns((ROOT / "bench" / "national.py").read_text(encoding="utf-8"))
    models = {m._meta.db_table: m for m in apps.get_models()}
    assert len(copied) >= 5, copied
    # When each model's columns that may not be NULL and have no default in the database are listed
    missing = {}
    for table, columns in copied.items():
        required = {
            f.column
            for f in models[table]._meta.concrete_fields
            if not f.null and not f.primary_key and f.db_default is NOT_PROVIDED
        }
        if required - set(columns):
            missing[table] = sorted(required - set(columns))
    # Then COPY is given every one of them (a column added to a model since, such as a report's
    # correction_open, made `make bench-national` fail at its first report)
    assert missing == {}
