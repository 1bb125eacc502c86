"""The assistant's bench: the share of the question set answered right and the p95 answer time,
on whatever database DATABASE_URL names (the demo's after `make demo`, or the national set).

    .venv/bin/python -m bench.assistant [--today 2025-11-30] [--json]

The question set is the one the tests use (dxtrack/assistant/tests/test_question_set.py), built
from the data in the database with the demo's people (totruong, lanhdao, sotc.baocao,
hamrong.baocao), which must exist; `make bench` runs it (bench/run.py: bench_assistant) on a demo
world it builds and rolls back, with people made for the run. Prints
the share right and the leaks, p50/p95 answer times, the floor of both (floor_share_right: what
answering "không tìm thấy" to everything gets right; floor_p50_ms/floor_p95_ms: the stamp check,
normalising and one plain read of the register per question, _floor_ms), the index's load time,
the process's resident memory before and after loading the index and after answering, the
memory the index itself holds (index_mb) and the peak (rss_mb).
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time

DEMO_PEOPLE = {
    # key: (username, role, agency code, commune code)
    "sec": ("totruong", "secretariat", None, None),
    "lead": ("lanhdao", "leader", None, None),
    "sotc": ("sotc.baocao", "reporter", "SO_TAI_CHINH", None),
    "hamrong": ("hamrong.baocao", "reporter", None, "14758"),
}


def _people(*, make: bool = False) -> dict:
    """The demo's people; with `make`, anyone missing is created (the caller rolls back)."""
    from dxtrack.accounts.access import SYSTEM, Access
    from dxtrack.accounts.models import User
    from dxtrack.accounts.services import user_create
    from dxtrack.org.models import AdminUnit, Agency

    hamrong_unit = AdminUnit.objects.get(level="commune", code="14758", valid_to__isnull=True)
    people = {"public": Access.public(), "hamrong_unit": hamrong_unit}
    for key, (name, role, agency, commune) in DEMO_PEOPLE.items():
        # the demo's, or one an earlier run made (a run on a database it does not roll back)
        user = User.objects.filter(username=name).first() or User.objects.filter(username=f"bench-{name}").first()
        if user is None and not make:
            raise SystemExit(f"no user {name}: load the demo first (make demo)")
        if user is None:
            user = user_create(
                actor=SYSTEM,
                username=f"bench-{name}",
                password=None,
                role=role,
                agency=Agency.objects.get(code=agency) if agency else None,
                admin_unit=hamrong_unit if commune else None,
            )
        people[key] = Access.for_user(user)
    return people


def _rss_mb(field: str = "VmRSS") -> float:
    """This process's resident memory now (VmRSS) or its high-water mark (VmHWM), in MB; 0 where
    /proc is not there. Not getrusage's ru_maxrss: Linux carries it over exec, so a child started
    by a large parent would report the parent's peak."""
    try:
        with open("/proc/self/status") as f:
            line = next(x for x in f if x.startswith(f"{field}:"))
    except (OSError, StopIteration):
        return 0.0
    return int(line.split()[1]) / 1024


def _p95(times: list[float]) -> float:
    """Nearest rank, as docs/benchmarks.md reads percentiles."""
    ordered = sorted(times)
    return ordered[int(0.95 * (len(ordered) - 1))]


def _floor_ms(cases) -> list[float]:
    """The floor of one answer, per question of the set: what any answer pays however it is
    composed: the index's stamp check (the index already loaded), the question normalised, and one
    plain read of the register (an indicator's targets in force, the target-value answer's rows).
    No understanding, no intent, no template."""
    from dxtrack.assistant.knowledge import knowledge
    from dxtrack.assistant.normalize import normalise
    from dxtrack.plans.models import Indicator, Target

    codes = list(Indicator.objects.order_by("code").values_list("code", flat=True)) or [""]
    times = []
    for n, case in enumerate(cases):
        t0 = time.perf_counter()
        knowledge()
        normalise(case.question)
        list(Target.objects.in_force().filter(indicator__code=codes[n % len(codes)]).order_by("year", "pk")[:6])
        times.append(1000 * (time.perf_counter() - t0))
    return times


def _index_mb() -> float:
    """The memory the index holds once built (tracemalloc: Python's own allocations still held
    after the build), built again apart from the timed load: tracing slows it."""
    import tracemalloc

    from dxtrack.assistant.knowledge import forget, knowledge

    forget()
    tracemalloc.start()
    knowledge()
    held, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return held / 2**20


def run(today: datetime.date, *, make_people: bool = False) -> dict:
    from dxtrack.assistant.answers import NOT_FOUND, Answer
    from dxtrack.assistant.knowledge import forget, knowledge
    from dxtrack.assistant.services.ask import ask
    from dxtrack.assistant.tests import test_question_set as qs

    qs.TODAY = today
    forget()
    rss_before = _rss_mb()
    start = time.perf_counter()
    knowledge()  # loaded once per process
    load_ms = 1000 * (time.perf_counter() - start)
    rss_loaded = _rss_mb()
    people = _people(make=make_people)
    cases = qs.all_cases(people)
    times, right, leaks, floor_right = [], 0, 0, 0
    nothing = Answer(f"{NOT_FOUND} câu trả lời.", "none")  # the floor of the share: never answering
    for case in cases:
        context = ask(actor=case.actor, question=case.context_from, today=today).context if case.context_from else {}
        t0 = time.perf_counter()
        answer = ask(actor=case.actor, question=case.question, context=context, today=today)
        times.append(1000 * (time.perf_counter() - t0))
        right += qs.is_right(case, answer)
        floor_right += qs.is_right(case, nothing)
        leaks += len(qs.leaks(case, answer, people))
    rss_answered = _rss_mb()
    floor = _floor_ms(cases)
    index_mb = _index_mb()
    return {
        "questions": len(cases),
        "share_right": round(right / len(cases), 4),
        "floor_share_right": round(floor_right / len(cases), 4),
        "leaks": leaks,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(_p95(times), 1),
        "floor_p50_ms": round(statistics.median(floor), 2),
        "floor_p95_ms": round(_p95(floor), 2),
        "load_ms": round(load_ms, 1),
        "rss_before_load_mb": round(rss_before, 1),
        "rss_after_load_mb": round(rss_loaded, 1),
        "rss_after_answers_mb": round(rss_answered, 1),
        "index_mb": round(index_mb, 1),
        "rss_mb": round(_rss_mb("VmHWM"), 1),  # the peak
    }


def _prepare() -> None:
    """A fresh scratch database (DXTRACK_VAR_DIR): migrated, the reference data and the register."""
    from django.core.management import call_command

    from dxtrack.accounts.access import SYSTEM
    from dxtrack.plans.register import register_load

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    register_load(actor=SYSTEM)


def _memory() -> dict:
    """Resident memory of a process that only serves the assistant: Django and the assistant's
    modules imported, then the index loaded, then questions answered (the value of each indicator's
    targets, asked by the public: what the register alone answers)."""
    from django.utils import timezone

    from dxtrack.accounts.access import Access
    from dxtrack.assistant.knowledge import knowledge
    from dxtrack.assistant.services.ask import ask
    from dxtrack.plans.models import Indicator

    before = _rss_mb()
    start = time.perf_counter()
    k = knowledge()
    load_ms = 1000 * (time.perf_counter() - start)
    loaded = _rss_mb()
    names = list(Indicator.objects.order_by("code").values_list("name", flat=True))
    today = timezone.localdate()
    for name in names:
        ask(actor=Access.public(), question=f"Chỉ tiêu {name.lower()} năm 2025 là bao nhiêu?", today=today)
    return {
        "rss_before_load_mb": round(before, 1),
        "rss_after_load_mb": round(loaded, 1),
        "rss_after_answers_mb": round(_rss_mb(), 1),
        "load_ms": round(load_ms, 1),
        "answered": len(names),
        "indicators": len(k.indicators),
        "clauses": len(k.clauses),
        "tasks": len(k.tasks),
        "peak_mb": round(_rss_mb("VmHWM"), 1),
    }


def memory_in_fresh_process() -> dict:
    """_memory in a process of its own, on a scratch SQLite database prepared by another one
    (migrations and loading leave memory behind that the assistant does not need)."""
    import subprocess
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as var:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"DXTRACK_VAR_DIR": var}
        for step in ("--prepare", "--memory"):
            done = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "bench.assistant", step],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                print(f"bench: the assistant's memory ({step}) failed:\n{done.stderr[-2000:]}")
                return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", default="", help="the day questions are asked on (default: today)")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxtrack.settings")
    import django

    django.setup()
    from django.utils import timezone

    if args.prepare:
        _prepare()
        return 0
    if args.memory:
        print(json.dumps(_memory()))
        return 0
    today = datetime.date.fromisoformat(args.today) if args.today else timezone.localdate()
    print(json.dumps(run(today), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
