"""`dxtrack plan extract|import|dump-register|load-register`."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dxtrack.core.testing import require_seeds
from dxtrack.plans.models import Document, PlanImport

from .plan_samples import PLAN_V1

pytestmark = pytest.mark.django_db
SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"


def run(*args) -> str:
    out = StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("prefix", "year", "targets", "tasks"),
    [
        ("000", None, 36, 111),
        ("001", 2021, 31, 10),
        ("002", 2024, 12, 48),
        ("003", 2020, 48, 20),
        ("004", 2022, 18, 149),
    ],
)
def test_extract_prints_the_json_of_each_seed(prefix, year, targets, tasks):
    require_seeds(SEEDS)
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    args = ["extract", str(path), "--format", "json"] + (["--year-context", str(year)] if year else [])
    data = json.loads(run(*args))
    assert set(data) >= {"document", "targets", "tasks", "reporting"}
    assert set(data["document"]) >= {"number", "type", "issuer", "date"}
    assert (len(data["targets"]), len(data["tasks"])) == (targets, tasks)
    target_keys = {"clause", "text", "value", "value_max", "unit", "year", "direction", "pillar", "sector"}
    assert all(target_keys <= set(t) for t in data["targets"])
    assert all(t["direction"] in (">=", "<=", "=", "range") for t in data["targets"])
    task_keys = {"clause", "title", "lead", "coordinating", "output", "deadline_text", "deadline", "recurrence"}
    assert all(task_keys <= set(t) for t in data["tasks"])
    assert all(
        t["recurrence"] in (None, "quarterly", "semiannual", "yearly", "continuous", "once") for t in data["tasks"]
    )


def test_extract_refuses_a_bad_file_with_a_message(tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4\n%%EOF")
    with pytest.raises(CommandError, match="không phải PDF hợp lệ"):
        run("extract", str(bad))
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run("extract", str(tmp_path / "khong-co.txt"))


def test_import_accept_and_publish_from_the_command_line(tmp_path):
    plan = tmp_path / "kh77.txt"
    plan.write_bytes(PLAN_V1)
    assert "Lần nhập" in run("import", str(plan))
    assert PlanImport.objects.get().status == "draft" and Document.objects.count() == 0
    assert "Đã đưa vào danh mục" in run("import", str(plan), "--accept-all", "--publish")
    assert Document.objects.get().targets.count() == 2


def test_dump_and_load_register(tmp_path):
    run("load-register")
    target = tmp_path / "register.json"
    run("dump-register", str(target))
    assert len(json.loads(target.read_text(encoding="utf-8"))["documents"]) == 5
    assert "thêm 0 văn bản" in run("load-register", str(target))
