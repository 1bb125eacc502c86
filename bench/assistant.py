"""The assistant's bench: the share of the question set answered right and the p95 answer time,
on whatever database DATABASE_URL names (the demo's after `make demo`, or the national set).

    .venv/bin/python -m bench.assistant [--today 2025-11-30] [--json]

The question set is the one the tests use (dxtrack/assistant/tests/test_question_set.py), built
from the data in the database with the demo's people (totruong, lanhdao, sotc.baocao,
hamrong.baocao) where they exist, else made for the run and removed after it. Prints
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


def _people():
    from dxtrack.accounts.access import Access
    from dxtrack.accounts.models import User
    from dxtrack.org.models import AdminUnit

    def get(name):
        user = User.objects.filter(username=name).first()
        if user is None:
            raise SystemExit(f"no user {name}: load the demo first (make demo)")
        return Access.for_user(user)

    return {
        "sec": get("totruong"),
        "lead": get("lanhdao"),
        "sotc": get("sotc.baocao"),
        "hamrong": get("hamrong.baocao"),
        "public": Access.public(),
        "hamrong_unit": AdminUnit.objects.get(level="commune", code="14758", valid_to__isnull=True),
    }


def run(today: datetime.date) -> dict:
    from dxtrack.assistant.knowledge import knowledge
    from dxtrack.assistant.services.ask import ask
    from dxtrack.assistant.tests import test_question_set as qs

    qs.TODAY = today
    start = time.perf_counter()
    knowledge()  # loaded once per process
    load_ms = 1000 * (time.perf_counter() - start)
    people = _people()
    cases = (
        qs._target_cases(people["public"])
        + qs._status_cases(people["public"])
        + qs._task_cases(people["public"])
        + qs._reporting_cases(people)
        + qs._count_cases(people)
        + qs._plan_cases(people["public"])
        + qs._scope_cases(people)
        + qs._follow_up_cases(people["public"])
    )
    times, right, leaks = [], 0, 0
    for case in cases:
        context = ask(actor=case.actor, question=case.context_from, today=today).context if case.context_from else {}
        t0 = time.perf_counter()
        answer = ask(actor=case.actor, question=case.question, context=context, today=today)
        times.append(1000 * (time.perf_counter() - t0))
        text, urls = answer.text, [s["url"] for s in answer.sources]
        ok = (
            answer.intent == case.intent
            and all(e in text or any(e in u for u in urls) for e in case.expect)
            and (not case.any_of or any(e in text or any(e in u for u in urls) for e in case.any_of))
            and not any(a in text for a in case.absent)
        )
        right += ok
        leaks += len(qs._leaks(case, answer, people))
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
