"""The assistant's bench: the share of the question set answered right and the p95 answer time,
on whatever database DATABASE_URL names (the demo's after `make demo`, or the national set).

    .venv/bin/python -m bench.assistant [--today 2025-11-30] [--json]

The question set is the one the tests use (dxtrack/assistant/tests/test_question_set.py), built
from the data in the database with the demo's people (totruong, lanhdao, sotc.baocao,
hamrong.baocao), which must exist; `make bench` runs it (bench/run.py: bench_assistant) on a demo
world it builds and rolls back, with people made for the run. Prints
{"questions", "share_right", "leaks", "p50_ms", "p95_ms", "load_ms", "rss_mb"}.
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
        user = User.objects.filter(username=name).first()
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


def run(today: datetime.date, *, make_people: bool = False) -> dict:
    from dxtrack.assistant.knowledge import forget, knowledge
    from dxtrack.assistant.services.ask import ask
    from dxtrack.assistant.tests import test_question_set as qs

    qs.TODAY = today
    forget()
    start = time.perf_counter()
    knowledge()  # loaded once per process
    load_ms = 1000 * (time.perf_counter() - start)
    people = _people(make=make_people)
    cases = qs.all_cases(people)
    times, right, leaks = [], 0, 0
    for case in cases:
        context = ask(actor=case.actor, question=case.context_from, today=today).context if case.context_from else {}
        t0 = time.perf_counter()
        answer = ask(actor=case.actor, question=case.question, context=context, today=today)
        times.append(1000 * (time.perf_counter() - t0))
        right += qs.is_right(case, answer)
        leaks += len(qs.leaks(case, answer, people))
    times.sort()
    return {
        "questions": len(cases),
        "share_right": round(right / len(cases), 4),
        "leaks": leaks,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "load_ms": round(load_ms, 1),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
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
