"""Scoring every commune of the national data set's size (3,321) on a 40-criterion framework, in
memory: the `assessments.scoring` batch, from answers to totals, tiers and bands (ADR 0032).

The answers are synthetic and seeded, one mix of every criterion kind, so that the figure is the
same on every run; the database is not timed (it is read once per round, not per subject)."""

import random
import statistics
import time

COMMUNES = 3321
CRITERIA = 40
RUNS = 5
SEED = 20261205


def synthetic_framework():
    from dxtrack.assessments.scoring import Band, CriterionRule, Tier

    kinds = ("boolean", "threshold", "ratio", "steps", "level")
    rules = []
    for i in range(CRITERIA):
        kind = kinds[i % len(kinds)]
        extra = {
            "threshold": {"comparator": ">=", "value": 60.0},
            "steps": {"steps": ((4, 25.0), (3, 18.75), (2, 12.5), (1, 6.25))},
            "level": {"level_max": 5},
        }.get(kind, {})
        rules.append(CriterionRule(f"C{i:02d}", kind, 25.0, group=f"G{i % 4}", mandatory=i % 3 == 0, **extra))
    tiers = [Tier(1, "Đạt chuyển đổi số", None, 1.0, 0.3), Tier(2, "Nâng cao", 700, 1.0, 0.7)]
    bands = [Band("Khởi động", 0), Band("Hình thành", 600), Band("Nâng cao", 800)]
    return rules, tiers, bands


def synthetic_answers(rules, count: int = COMMUNES) -> list[dict]:
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not secrets

    def answer(rule):
        if rule.kind == "boolean":
            return rng.random() < 0.8
        if rule.kind == "threshold":
            return rng.uniform(20, 100)
        if rule.kind == "ratio":
            b = rng.randint(1, 500)
            return (rng.randint(0, b), b)
        if rule.kind == "steps":
            return rng.randint(0, 6)
        return rng.randint(1, 5)

    return [{rule.code: answer(rule) for rule in rules} for _ in range(count)]


def measure(runs: int = RUNS) -> tuple[float, list[float], int]:
    from dxtrack.assessments.scoring import Scorer

    rules, tiers, bands = synthetic_framework()
    answers = synthetic_answers(rules)
    times, recognised = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        outcomes = Scorer(rules, tiers=tiers, bands=bands).score_many(answers)
        times.append(time.perf_counter() - start)
        recognised = sum(1 for o in outcomes if o.tier is not None)
    return statistics.median(times), times, recognised


def bench_assessments_scoring(results: dict) -> None:
    median, times, recognised = measure()
    results["assessments_scoring_national_communes"] = {
        "value": round(median * 1000, 1),
        "unit": "ms",
        "detail": f"{COMMUNES:,} communes × {CRITERIA} criteria, in memory (goal: under 2 s); "
        f"{recognised} reach a tier; "
        f"median of {len(times)} runs; min {min(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms",
    }
