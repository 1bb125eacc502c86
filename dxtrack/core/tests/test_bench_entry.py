"""`make bench` starts: its modules import without Django configured (a dxtrack import at module
level made the whole run stop at its first line), and `--only` refuses an unknown name before
touching any database."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _python(*args: str, var_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["DXTRACK_VAR_DIR"] = str(var_dir)
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
