"""`make bench`: runs every benchmark and writes bench/results.json (name → value, unit, ratio).

Each benchmark reports the median of repeated runs, measured here, on this machine; nothing is
estimated. docs/benchmarks.md explains the figures.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Nothing of dxtrack at module level: its models import only after django.setup() (_setup_django).

RESULTS = Path(__file__).parent / "results.json"
ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def _median_seconds(fn, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def bench_extract_largest_seed(results: dict) -> None:
    """Plan extraction of the largest seed, from bytes to the JSON the CLI prints."""
    from dxtrack.org.resolver import NameResolver
    from dxtrack.plans.extract import extract
    from dxtrack.plans.extract.readers import read_upload

    if not SEEDS.exists():
        print("bench: ../shared/seeds not found; skipping plan extraction")
        return
    largest = max(SEEDS.glob("00*.txt"), key=lambda p: p.stat().st_size)
    data = largest.read_bytes()
    resolver = NameResolver.from_db()

    def run():
        document = extract(read_upload(data, largest.name), resolver=resolver)
        json.dumps(document.to_json(), ensure_ascii=False, default=str)

    run()  # warm caches (regexes, resolver index)
    median, times = _median_seconds(run, 7)
    results["plan_extract_largest_seed"] = {
        "value": round(median * 1000, 1),
        "unit": "ms",
        "detail": f"{largest.name}, {len(data):,} bytes; median of {len(times)} runs; "
        f"min {min(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms",
    }


# ---- reporting: the API import -------------------------------------------------------------------

API_COMMUNES = 100  # × 2 quarters = 200 requests per run, each a commune's full report
API_RUNS = 5


def _api_payloads(obligation, run: int) -> list[dict]:
    """Every value the obligation's form asks, valid, and different in each run (`run`), so that
    every row is saved as a change, never ignored as unchanged."""
    from dxtrack.reports import selectors

    rows = []
    for indicator in selectors.form_indicators(obligation):
        spec = selectors.indicator_spec(indicator)
        if spec.is_ratio:
            rows.append({"indicator": indicator.code, "numerator": 20 + run, "denominator": 100})
        else:
            rows.append({"indicator": indicator.code, "value": 20 + run})
    return rows


def _api_clients(obligations) -> dict[int, object]:
    """A logged-in test client per commune, as its reporter (created once in the bench database)."""
    from django.test import Client

    from dxtrack.accounts.access import SYSTEM
    from dxtrack.accounts.models import Role, User
    from dxtrack.accounts.services import user_create

    clients = {}
    for obligation in obligations:
        unit = obligation.admin_unit
        if unit.pk in clients:
            continue
        username = f"bench-api-{unit.code}"
        user = User.objects.filter(username=username).first() or user_create(
            actor=SYSTEM, username=username, password=None, role=Role.REPORTER, admin_unit=unit
        )
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        clients[unit.pk] = client
    return clients


def bench_reporting_api_import(results: dict) -> None:
    """Values per second through POST /api/reporting/obligations/{id}/values with Django's test
    Client: the whole HTTP stack (JSON parsing, session auth, schema, scope, checks, saving, audit)."""
    from dxtrack.accounts.access import SYSTEM
    from dxtrack.obligations import services as obligation_services
    from dxtrack.obligations.models import Obligation
    from dxtrack.plans.register import register_load
    from dxtrack.reports.services.defaults import defaults_load

    register_load(actor=SYSTEM)
    defaults_load(actor=SYSTEM)
    obligation_services.calendar_generate(actor=SYSTEM, year=2025)
    obligations = list(
        Obligation.objects.filter(
            rule__document__code="kh-bcd-cds-2024",
            period__label__in=["Quý III/2025", "Quý IV/2025"],
            admin_unit__level="commune",
        )
        .select_related("admin_unit", "period", "rule")
        .order_by("admin_unit__code", "period__start")[: 2 * API_COMMUNES]
    )
    clients = _api_clients(obligations)

    def run(run_no: int, *, dry_run: bool = False) -> int:
        sent = 0
        for obligation in obligations:
            body = {"dryRun": dry_run, "values": _api_payloads(obligation, run_no)}
            response = clients[obligation.admin_unit_id].post(
                f"/api/reporting/obligations/{obligation.pk}/values", body, content_type="application/json"
            )
            summary = response.json()
            # A figure counts only if every row was really checked and (unless a dry run) saved.
            assert response.status_code == 200, summary  # noqa: S101
            assert summary["imported"] + summary["updated"] == len(body["values"]), summary  # noqa: S101
            sent += len(body["values"])
        return sent

    run(0)  # warm-up, and the first import of any report the bench database does not hold yet
    rates, dry_rates = [], []
    for run_no in range(1, API_RUNS + 1):
        start = time.perf_counter()
        values = run(run_no)
        rates.append(values / (time.perf_counter() - start))
        start = time.perf_counter()
        run(run_no + 1, dry_run=True)
        dry_rates.append(values / (time.perf_counter() - start))
    for name, figures, what in (
        ("reporting_api_import_values_per_second", rates, "saved"),
        ("reporting_api_import_dry_run_values_per_second", dry_rates, "checked, dry run"),
    ):
        results[name] = {
            "value": round(statistics.median(figures)),
            "unit": "values/s",
            "detail": f"{len(obligations)} requests × {values // len(obligations)} values ({what}) per run, "
            f"{len(clients)} communes; median of {len(figures)} runs; "
            f"min {min(figures):.0f}, max {max(figures):.0f} values/s; SQLite",
        }


# ---- reporting: the calendar for every commune of the country -------------------------------------

CALENDAR_RUNS = 5


def bench_calendar_national(results: dict, *, key: str = "reporting_calendar_national_communes_year") -> None:
    """A quarterly rule of "UBND cấp xã" resolved for the whole country: one year's obligations for
    every current commune. Each run is rolled back, so each starts from the same database."""
    from django.db import connection, transaction

    from dxtrack.accounts.access import SYSTEM
    from dxtrack.org.models import AdminLevel, AdminUnit, Agency, AgencyGroup, Dated
    from dxtrack.plans.models import Document, ReportingRule

    year = 2026  # the first year every one of the 3,321 communes exists in all four quarters
    communes = AdminUnit.objects.filter(Dated.valid_at_q(datetime.date(year, 1, 1)), level=AdminLevel.COMMUNE).count()
    group = AgencyGroup.objects.get(code="UBND_XA")
    recipient = Agency.objects.get(code="SO_KHCN")

    def run() -> tuple[float, int]:
        from dxtrack.obligations import services as obligation_services

        with transaction.atomic():
            document = Document.objects.create(
                code="bench-national-calendar", doc_type="ke_hoach", title="Lịch báo cáo toàn quốc (đo)", year=year
            )
            rule = ReportingRule.objects.create(
                document=document,
                period_type="quarterly",
                due=["15 of last month of quarter"],
                recipient=recipient,
            )
            rule.reporter_groups.set([group])
            start = time.perf_counter()
            result = obligation_services.calendar_generate(actor=SYSTEM, year=year, rules=[rule], province_code=None)
            seconds = time.perf_counter() - start
            transaction.set_rollback(True)
        return seconds, result.obligations_created

    run()  # warm-up
    figures = [run() for _ in range(CALENDAR_RUNS)]
    times = [t for t, _n in figures]
    created = {n for _t, n in figures}
    assert len(created) == 1, created  # noqa: S101
    results[key] = {
        "value": round(statistics.median(times), 2),
        "unit": "s",
        "detail": f"{created.pop():,} obligations created for {communes:,} communes, quarterly, {year}; "
        f"median of {len(times)} runs; min {min(times):.2f} s, max {max(times):.2f} s; {connection.vendor}",
    }


# ---- publishing: the provincial quarterly report ---------------------------------------------------

REPORT_RUNS = 5
REPORT_PDF_RUNS = 3


def bench_publishing_quarterly_report(results: dict) -> None:
    """The secretariat's quarterly report of the whole province (Quý III/2025): gathering the facts
    from the dashboards' selectors and writing the text (compose), then rendering the DOCX; and,
    separately, LibreOffice's conversion of that DOCX to PDF. Set-up, not timed: the register, the
    2024 and 2025 calendars, the demo's reports as of 30/11/2025 and the progress recomputed, all
    rolled back at the end: the API benchmark needs its obligations without reports on the next run."""
    from django.db import connection, transaction

    with transaction.atomic():
        _publishing_quarterly_report(results, today=datetime.date(2025, 11, 30), vendor=connection.vendor)
        transaction.set_rollback(True)


def _publishing_quarterly_report(results: dict, *, today: datetime.date, vendor: str) -> None:
    from dxtrack.accounts.access import SYSTEM
    from dxtrack.accounts.models import Role, User
    from dxtrack.accounts.services import user_create
    from dxtrack.analytics.services.recompute import recompute_all
    from dxtrack.devtools import demo
    from dxtrack.obligations import services as obligation_services
    from dxtrack.obligations.models import Period
    from dxtrack.plans.register import register_load
    from dxtrack.publishing import compose, docx, pdf
    from dxtrack.publishing import facts as report_facts
    from dxtrack.reports.services.defaults import defaults_load

    register_load(actor=SYSTEM)
    defaults_load(actor=SYSTEM)
    for year in (2024, 2025):
        obligation_services.calendar_generate(actor=SYSTEM, year=year)
    demo.generate(actor=SYSTEM, today=today)  # adds only the reports the database does not hold yet
    recompute_all(at=today)
    actor = User.objects.filter(username="bench-secretariat").first() or user_create(
        actor=SYSTEM, username="bench-secretariat", password=None, role=Role.SECRETARIAT
    )
    period = Period.objects.get(period_type="quarterly", label="Quý III/2025")
    scope = report_facts.scope_of("programme")
    made = {}

    def run():
        facts = report_facts.gather(period=period, scope=scope, actor=actor, at=today)
        made["docx"] = docx.render(facts=facts, sections=compose.sections(facts), title=compose.title_of(facts))
        made["facts"] = facts

    run()  # warm-up
    median, times = _median_seconds(run, REPORT_RUNS)
    facts = made["facts"]
    results["publishing_quarterly_report_docx"] = {
        "value": round(median, 2),
        "unit": "s",
        "detail": f"compose + DOCX of {period.label}, whole province: {len(facts['targets'])} targets, "
        f"{len(facts['tasks'])} tasks, {len(facts['reporting']['late'])} late units, "
        f"{len(made['docx']):,} bytes; median of {len(times)} runs; min {min(times):.2f} s, "
        f"max {max(times):.2f} s; {vendor}",
    }
    if not pdf.available():
        print("bench: LibreOffice not found (make office); skipping the report's PDF")
        return
    pdf.docx_to_pdf(made["docx"])  # warm-up: LibreOffice's first start builds its profile caches
    median, times = _median_seconds(lambda: made.__setitem__("pdf", pdf.docx_to_pdf(made["docx"])), REPORT_PDF_RUNS)
    results["publishing_quarterly_report_pdf"] = {
        "value": round(median, 2),
        "unit": "s",
        "detail": f"LibreOffice headless DOCX → PDF of the same report, {len(made['pdf']):,} bytes; "
        f"median of {len(times)} runs; min {min(times):.2f} s, max {max(times):.2f} s",
    }


ASSISTANT_MEMORY_GOAL_MB = 500  # issue 19
ASSISTANT_P95_GOAL_MS = 300
ASSISTANT_SHARE_GOAL = 90


def bench_assistant(results: dict) -> None:
    """The assistant's question set (bench/assistant.py, the tests' set) on the demo world as of
    30/11/2025: the register, the 2024 and 2025 calendars, the demo's reports, the progress
    recomputed and the steering committee's demo records, built here (not timed) and rolled back
    at the end; the demo's people made for the run. Records the share answered right (with the
    leaks, which must be none) against its floor (answering "không tìm thấy" to everything), the
    p95 answer time against its floor (the stamp check, normalising and one plain read of the
    register per question), and the resident memory once the index is loaded."""
    from django.db import connection, transaction

    from bench.assistant import run

    today = datetime.date(2025, 11, 30)
    load = os.getloadavg()[0]
    with transaction.atomic():
        _assistant_world(today)
        f = run(today, make_people=True)
        transaction.set_rollback(True)
    where = f"demo world, {connection.vendor}; 1-minute load average {load:.1f} before, {os.getloadavg()[0]:.1f} after"
    share, floor_share = 100 * f["share_right"], 100 * f["floor_share_right"]
    results["assistant_share_right"] = {
        "value": round(share, 1),
        "unit": "%",
        "ratio": round(share / floor_share, 2) if floor_share else None,
        "detail": f"{f['questions']} questions; {f['leaks']} leaks; floor {floor_share:.1f} % (answering "
        f"“không tìm thấy” to every question); goal ≥ {ASSISTANT_SHARE_GOAL} % and no leak "
        f"({'met' if share >= ASSISTANT_SHARE_GOAL and f['leaks'] == 0 else 'not met'}); {where}",
    }
    results["assistant_answer_p95"] = {
        "value": f["p95_ms"],
        "unit": "ms",
        "ratio": round(f["p95_ms"] / f["floor_p95_ms"], 1),
        "detail": f"p50 {f['p50_ms']} ms over {f['questions']} questions, the index loaded; floor p95 "
        f"{f['floor_p95_ms']} ms, p50 {f['floor_p50_ms']} ms (per question: the index's stamp check, "
        f"normalising, one read of an indicator's targets); goal under {ASSISTANT_P95_GOAL_MS} ms "
        f"({'met' if f['p95_ms'] < ASSISTANT_P95_GOAL_MS else 'not met'}; issue 19 sets it on the national "
        f"data set); {where}",
    }
    results["assistant_answer_floor_p95"] = {
        "value": f["floor_p95_ms"],
        "unit": "ms",
        "detail": f"the floor of assistant_answer_p95, same questions, same run; {where}",
    }
    # A process that serves only the assistant, on the register alone (the bench's own process
    # above also built the demo world, whose memory it keeps).
    from bench.assistant import memory_in_fresh_process

    m = memory_in_fresh_process()
    if not m:
        return
    worst = max(m["rss_after_answers_mb"], f["rss_after_answers_mb"])
    results["assistant_rss_after_load"] = {
        "value": m["rss_after_load_mb"],
        "unit": "MB",
        "detail": f"resident memory (VmRSS) of a fresh process once Django is set up and the assistant's index "
        f"is loaded ({m['load_ms']} ms: {m['indicators']} indicators, {m['clauses']} clauses, {m['tasks']} tasks "
        f"and the org registry's resolver; no model, ADR 0037) on a scratch database holding the reference "
        f"data and the register; {m['rss_before_load_mb']} MB before loading, {m['rss_after_answers_mb']} MB "
        f"after answering {m['answered']} questions, peak {m['peak_mb']} MB. In this benchmark's own process "
        f"(the demo world built first): {f['rss_before_load_mb']} MB before loading, {f['rss_after_load_mb']} MB "
        f"after, {f['rss_after_answers_mb']} MB after the set, peak {f['rss_mb']} MB; the index itself holds "
        f"{f['index_mb']} MB (tracemalloc). Goal under {ASSISTANT_MEMORY_GOAL_MB} MB "
        f"({'met' if worst < ASSISTANT_MEMORY_GOAL_MB else 'not met'}); {where}",
    }


def _assistant_world(today: datetime.date) -> None:
    from dxtrack.accounts.access import SYSTEM
    from dxtrack.analytics.services.recompute import recompute_all
    from dxtrack.devtools import demo
    from dxtrack.devtools.demo import steering as demo_steering
    from dxtrack.obligations import services as obligation_services
    from dxtrack.plans.register import register_load
    from dxtrack.reports.services.defaults import defaults_load

    register_load(actor=SYSTEM)
    defaults_load(actor=SYSTEM)
    for year in (2024, 2025):
        obligation_services.calendar_generate(actor=SYSTEM, year=year)
    demo.generate(actor=SYSTEM, today=today)
    recompute_all(at=today)
    demo_steering.generate(actor=SYSTEM, today=today)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxtrack.settings")
    os.environ.setdefault("DXTRACK_VAR_DIR", str(ROOT / "var" / "bench"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def _calendar_on(database_url: str) -> dict:
    """The national calendar again on `database_url` (PostgreSQL in practice), in a child process:
    settings read the database once, at start-up."""
    env = {**os.environ, "DATABASE_URL": database_url, "DXTRACK_BENCH_CHILD": "calendar"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.run"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        print(f"bench: the calendar on DATABASE_URL failed:\n{done.stderr[-2000:]}")
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _bulk_on(database_url: str) -> dict:
    """The bulk exchange benchmark (bench/bulk.py) on `database_url`, in a child process. Without a
    PostgreSQL database, or when the child fails, the figures last measured are kept in
    bench/results.json (as the national ones are) rather than replaced by nothing; "skipped" only
    when none were ever measured."""
    from bench.bulk import NAMES, is_postgresql, skipped

    if is_postgresql(database_url):
        env = {**os.environ, "DATABASE_URL": database_url, "DXTRACK_BENCH_CHILD": "bulk"}
        done = subprocess.run(
            [sys.executable, "-m", "bench.bulk"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        if done.returncode == 0:
            return json.loads(done.stdout.strip().splitlines()[-1])
        print(f"bench: the bulk exchange on DATABASE_URL failed (the last figures are kept):\n{done.stderr[-2000:]}")
    kept = _recorded()
    if all(kept.get(name, {}).get("value") is not None for name in NAMES.values()):
        return {name: kept[name] for name in NAMES.values()}
    return skipped()


def _recorded() -> dict:
    """The figures bench/results.json holds now."""
    return json.loads(RESULTS.read_text()).get("results", {}) if RESULTS.exists() else {}


def merge_results(results: dict) -> None:
    """Records `results` in bench/results.json beside the figures already there (a benchmark run
    alone, such as `python -m bench.bulk`)."""
    write_results({**_recorded(), **results})


def _benchmarks(database_url: str) -> dict:
    """Every benchmark of `make bench` by name, in the order they run (`--only` picks some)."""
    from bench.assessments import bench_assessments_scoring
    from bench.hostile import bench_worst_files
    from bench.national import bench_national
    from bench.plans_in import bench_ocr_10_pages, bench_pdf_60_pages

    def hostile(results: dict) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            bench_worst_files(results, Path(scratch))

    def calendar(results: dict) -> None:
        bench_calendar_national(results)
        if database_url:
            results.update(_calendar_on(database_url))

    return {
        "extract": bench_extract_largest_seed,
        "pdf": bench_pdf_60_pages,
        "ocr": bench_ocr_10_pages,
        "api": bench_reporting_api_import,
        "calendar": calendar,
        "publishing": bench_publishing_quarterly_report,
        "assessments": bench_assessments_scoring,
        "assistant": bench_assistant,
        "hostile": hostile,
        "bulk": lambda results: results.update(_bulk_on(database_url)),
        # The national data set and its benchmarks, on their own PostgreSQL database (bench/national.py).
        "national": bench_national,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="make bench: every benchmark, or those named")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated names (extract, pdf, ocr, api, calendar, publishing, assessments, assistant, "
        "hostile, bulk, national); the figures of the others are kept in bench/results.json",
    )
    args = parser.parse_args(argv)
    if os.environ.get("DXTRACK_BENCH_CHILD") == "calendar":
        _setup_django()
        from django.db import connection

        child: dict[str, dict] = {}
        bench_calendar_national(child, key=f"reporting_calendar_national_communes_year_{connection.vendor}")
        print(json.dumps(child))
        return 0
    # Every figure but the second calendar one is measured on the scratch SQLite database, whatever
    # DATABASE_URL says; that database, if set, gets the national calendar in a child process.
    database_url = os.environ.pop("DATABASE_URL", "")
    benchmarks = _benchmarks(database_url)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in only if name not in benchmarks]
    if unknown:  # said before any database is touched
        print(f"bench: no benchmark named {', '.join(unknown)}; the names: {', '.join(benchmarks)}")
        return 2
    _setup_django()
    results: dict[str, dict] = {}
    if only:  # the others' last figures stay in the file
        results = json.loads(RESULTS.read_text()).get("results", {}) if RESULTS.exists() else {}
    for name, bench in benchmarks.items():
        if not only or name in only:
            bench(results)
    write_results(results)
    return 0


def write_results(results: dict) -> None:
    RESULTS.write_text(
        json.dumps(
            {
                "machine": f"{platform.platform()}, {os.cpu_count()} cores",
                "python": sys.version.split()[0],
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    for name, figure in results.items():
        ratio = f", {figure['ratio']}× the floor" if "ratio" in figure else ""
        print(f"bench: {name} = {figure['value']} {figure['unit']}{ratio} ({figure['detail']})")
    print(f"bench: wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
