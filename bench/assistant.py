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
import resource
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


def _rss_mb() -> float:
    """This process's resident memory now (VmRSS), in MB; 0 where /proc is not there."""
    try:
        with open("/proc/self/status") as f:
            line = next(x for x in f if x.startswith("VmRSS:"))
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
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,  # the peak
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", default="", help="the day questions are asked on (default: today)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxtrack.settings")
    import django

    django.setup()
    from django.utils import timezone

    today = datetime.date.fromisoformat(args.today) if args.today else timezone.localdate()
    print(json.dumps(run(today), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
