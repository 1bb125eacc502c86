"""Bulk exchange at engine speed (issue 14, item 6): 100,000 values imported on PostgreSQL through
the reporting API and through DHIS2 `dataValueSets` — validated, audited, all or nothing — side by
side with PostgreSQL's `COPY` of the same rows into the same table (the floor), in one run.

`python -m bench.bulk` alone (prints the figures as JSON), or `make bench` (bench/run.py runs it in
a child process and writes its figures to bench/results.json). Only on PostgreSQL: without a
PostgreSQL `DATABASE_URL` the figures are recorded as "skipped: needs PostgreSQL".

The data: a plan of its own (`bench-bulk`) whose quarterly rule asks every current commune of the
province for enough counting indicators that the 2026 and 2027 quarters hold 100,000 values. Each
path starts from the same state (every report opened, no value stored) and the values are deleted
after it, untimed. The reporting API's batch (`POST /api/reporting/values`) and the DHIS2 endpoint
each get one request per commune (its eight quarters' reports, all or nothing); for comparison the
one-obligation import gets one request per report (no goal of its own: it is a form's sender, each
request its own transaction and commit). All go through
Django's test `Client` as another system does, with the commune reporter's API token
(`Authorization: Bearer …`): the whole HTTP stack, the checks, the saving and one audit event per
value. The floor is `COPY … FROM STDIN` of the very rows the API wrote, read back before they were
deleted, committed.

As production runs: with Redis for the cache and the rate limit's counts (`CACHES["shared"]`) when
one answers (DXTRACK_REDIS_URL, else the local default, 127.0.0.1:6379), under a key prefix of the
bench's own; else on the database cache, and the figures say which. The site's URLs are loaded by
one untimed request first, as a server process has done long before its thousandth request, and
the process is then set aside from the garbage collector as a server's worker is at its start
(dxtrack.core.startup, ADR 0047).
Besides the wall-clock seconds each figure gives the seconds of CPU this process spent: the
machine may be shared, and the ratio is taken within one run.
"""

import io
import json
import math
import os
import sys
import time

# 100,000 by default (issue 14); DXTRACK_BULK_VALUES makes a shorter run of the same shape (the
# figures are rates, and the rows COPY writes are always the very rows the API wrote).
VALUES = int(os.environ.get("DXTRACK_BULK_VALUES", "100000"))
YEARS = (2026, 2027)
PLAN = "bench-bulk"
TARGET_RATIO = 0.20
SKIPPED = "skipped: needs PostgreSQL"
NAMES = {
    "api": "bulk_reporting_api_import_values_per_second_postgresql",
    "api_one": "bulk_reporting_api_one_report_per_request_values_per_second_postgresql",
    "dhis2": "bulk_dhis2_import_values_per_second_postgresql",
    "copy": "bulk_copy_floor_values_per_second_postgresql",
}


def is_postgresql(url: str) -> bool:
    return url.split(":", 1)[0] in ("postgres", "postgresql", "pgsql")


def skipped() -> dict:
    return {name: {"value": None, "unit": "values/s", "detail": SKIPPED} for name in NAMES.values()}


def _production_cache() -> str:
    """Points the caches at Redis as production does, when one answers; returns what they are on."""
    url = os.environ.get("DXTRACK_REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1.0).ping()
    except Exception:
        return "cache on the database (no Redis answered)"
    os.environ.setdefault("DXTRACK_REDIS_URL", url)
    os.environ.setdefault("DXTRACK_SHARED_CACHE_BACKEND", "django.core.cache.backends.redis.RedisCache")
    os.environ.setdefault("DXTRACK_SHARED_CACHE_LOCATION", url)
    # Counts of its own: another site or test on the same Redis counts other users under the same ids.
    os.environ.setdefault("DXTRACK_SHARED_CACHE_KEY_PREFIX", f"bench-bulk-{os.getpid()}")
    return "cache and rate-limit counts on Redis"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxtrack.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference", verbosity=0, stdout=io.StringIO())


def _plan():
    """The bench's plan, its indicators and quarterly rule, and the obligations of 2026–2027 (made
    once; a later run reuses them)."""
    from dxtrack.accounts.access import SYSTEM
    from dxtrack.obligations import services as obligation_services
    from dxtrack.obligations.models import Obligation
    from dxtrack.org.models import Agency, AgencyGroup
    from dxtrack.plans.models import Aggregation, Document, DocumentType, Indicator, ReportingRule, Target

    document = Document.objects.filter(code=PLAN).first()
    if document is None:
        document = Document.objects.create(
            code=PLAN,
            number="01/KH-DO",
            doc_type=DocumentType.PLAN,
            issuer="Ban Chỉ đạo (dữ liệu để đo hiệu năng)",
            year=YEARS[0],
            title="Kế hoạch đo hiệu năng nhập số liệu hàng loạt",
        )
        rule = ReportingRule.objects.create(
            document=document,
            reporters_text="UBND cấp xã",
            recipient=Agency.objects.filter(code="SO_KHCN").first(),
            period_type="quarterly",
            due=["15 of last month of quarter"],
        )
        rule.reporter_groups.set(AgencyGroup.objects.filter(code="UBND_XA"))
        for year in YEARS:
            obligation_services.calendar_generate(actor=SYSTEM, year=year, rules=[rule])
    obligations = list(
        Obligation.objects.filter(rule__document=document)
        .select_related("admin_unit", "period", "rule__document")
        .order_by("admin_unit__code", "period__start")
    )
    # Enough counting indicators on the plan for VALUES values over its obligations.
    have = Target.objects.filter(document=document).count()
    more = range(have + 1, math.ceil(VALUES / len(obligations)) + 1)
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"bulk-ind-{n:03d}",
            name=f"Số hồ sơ {n:03d} (chỉ tiêu đo hiệu năng)",
            unit="hồ sơ",
            aggregation=Aggregation.SUM,
            data_source="Dữ liệu đo hiệu năng",
        )
        for n in more
    )
    Target.objects.bulk_create(
        Target(document=document, indicator=ind, label=ind.name, year=YEARS[-1], value=1000, position=n)
        for n, ind in zip(more, indicators, strict=True)
    )
    codes = list(Indicator.objects.filter(targets__document=document).order_by("code").values_list("code", flat=True))
    return document, obligations, codes


def _rows(obligations, codes) -> dict[int, list[tuple[str, int]]]:
    """Exactly VALUES (indicator, value) pairs, report by report."""
    out, left = {}, VALUES
    for obligation in obligations:
        take = codes[: min(len(codes), left)]
        out[obligation.pk] = [(code, 10 + (obligation.pk + i) % 90) for i, code in enumerate(take)]
        left -= len(take)
        if not left:
            break
    if left:
        raise SystemExit(f"bench.bulk: the plan holds {VALUES - left:,} values, not {VALUES:,}")
    return out


def _clients(obligations) -> dict[int, object]:
    """A test client per commune, sending its reporter's API token as another system does; every
    report opened."""
    from django.test import Client

    from dxtrack.accounts.access import SYSTEM
    from dxtrack.accounts.models import Role, User
    from dxtrack.accounts.services import token_create, user_create
    from dxtrack.reports.services.opening import report_open

    clients = {}
    for obligation in obligations:
        unit = obligation.admin_unit
        if unit.pk not in clients:
            username = f"bench-bulk-{unit.code}"
            user = User.objects.filter(username=username).first() or user_create(
                actor=SYSTEM, username=username, password=None, role=Role.REPORTER, admin_unit=unit
            )
            _token, plain = token_create(actor=SYSTEM, user=user, name="bench-bulk")
            clients[unit.pk] = Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Bearer {plain}")
        report_open(actor=SYSTEM, obligation=obligation)
    return clients


def _clear(document) -> int:
    from django.db import connection

    from dxtrack.core.models import AuditEvent
    from dxtrack.reports.models import DataValue

    deleted, _ = DataValue.objects.filter(report__obligation__rule__document=document).delete()
    with connection.cursor() as cursor:
        # Each path meets the same tables and the same write-ahead log: the maintenance the
        # previous path's writes made due (autovacuum of the values and of the audit events it
        # added, a checkpoint) would otherwise run during the next path, whichever it is.
        cursor.execute(f"VACUUM ANALYZE {DataValue._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {AuditEvent._meta.db_table}")
        cursor.execute("CHECKPOINT")
    return deleted


def _stored(document) -> int:
    from dxtrack.reports.models import DataValue

    return DataValue.objects.filter(report__obligation__rule__document=document).count()


def _warm_up(clients) -> None:
    """One untimed request: the URLs and the API's schemas loaded, each token used once."""
    for client in clients.values():
        response = client.get("/api/reporting/obligations?limit=1")
        assert response.status_code == 200, response.content  # noqa: S101


def _timed(fn, *args) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of this process) of fn(*args)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def _post_all(requests: list[tuple[object, str, str, int]], count) -> None:
    """Sends each (client, url, JSON body, values) and checks that every value was imported."""
    for client, url, body, values in requests:
        response = client.post(url, body, content_type="application/json")
        summary = response.json()
        assert response.status_code == 200, summary  # noqa: S101
        assert count(summary) == values, summary  # noqa: S101


def _via_api(obligations, rows, clients) -> tuple[float, float]:
    """The reporting API's batch, one request per commune (its eight quarters, all or nothing), as
    DHIS2's; the bodies are made before the clock starts (the sender's work)."""
    by_pk = {o.pk: o for o in obligations}
    per_unit: dict[int, list[dict]] = {}
    for pk, pairs in rows.items():
        per_unit.setdefault(by_pk[pk].admin_unit_id, []).append(
            {"obligation": pk, "values": [{"indicator": code, "value": value} for code, value in pairs]}
        )
    requests = [
        (
            clients[unit_id],
            "/api/reporting/values",
            json.dumps({"reports": reports}),
            sum(len(report["values"]) for report in reports),
        )
        for unit_id, reports in per_unit.items()
    ]
    return _timed(_post_all, requests, lambda summary: summary["imported"])


def _via_api_one_by_one(obligations, rows, clients) -> tuple[float, float]:
    """One request per report (the one-obligation import, as a form's sender uses it); the bodies
    are made before the clock starts."""
    by_pk = {o.pk: o for o in obligations}
    requests = [
        (
            clients[by_pk[pk].admin_unit_id],
            f"/api/reporting/obligations/{pk}/values",
            json.dumps({"values": [{"indicator": code, "value": value} for code, value in pairs]}),
            len(pairs),
        )
        for pk, pairs in rows.items()
    ]
    return _timed(_post_all, requests, lambda summary: summary["imported"])


def _via_dhis2(document, obligations, rows, clients) -> tuple[float, float]:
    """One request per commune (its eight quarters); the bodies made before the clock starts."""
    from dxtrack.exchange import dhis2

    per_unit: dict[int, list[dict]] = {}
    for obligation in obligations:
        for code, value in rows.get(obligation.pk, []):
            per_unit.setdefault(obligation.admin_unit_id, []).append(
                {
                    "dataElement": code,
                    "period": dhis2.period_id(obligation.period),
                    "orgUnit": obligation.admin_unit.code,
                    "value": str(value),
                }
            )
    requests = [
        (
            clients[unit_id],
            "/api/dataValueSets",
            json.dumps({"dataSet": document.code, "dataValues": values}),
            len(values),
        )
        for unit_id, values in per_unit.items()
    ]
    return _timed(_post_all, requests, lambda summary: summary["importCount"]["imported"])


def _copy(table: str, columns: list[str], snapshot: list[tuple]) -> None:
    from django.db import connection, transaction

    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in snapshot:
            copy.write_row(row)


def _via_copy(table: str, columns: list[str], snapshot: list[tuple]) -> tuple[float, float]:
    """COPY of the rows the API wrote, committed: the engine's own floor for the same rows."""
    return _timed(_copy, table, columns, snapshot)


def measure(cache: str = "") -> dict:
    from django.db import connection

    from dxtrack.core.startup import warm_and_freeze
    from dxtrack.reports.models import DataValue

    document, obligations, codes = _plan()
    rows = _rows(obligations, codes)
    clients = _clients(obligations)
    _warm_up(clients)
    _clear(document)
    # As a server's worker starts (dxtrack/wsgi.py, ADR 0047): the site loaded, then set aside from
    # the garbage collector. Frozen with it are this bench's own rows and clients, which a server
    # does not hold.
    warm_and_freeze()
    requests = len(rows)

    timed = {"api_one": _via_api_one_by_one(obligations, rows, clients)}
    assert _stored(document) == VALUES  # noqa: S101
    _clear(document)
    timed["api"] = _via_api(obligations, rows, clients)
    assert _stored(document) == VALUES  # noqa: S101
    columns = [f.column for f in DataValue._meta.concrete_fields if not f.primary_key]
    snapshot = list(
        DataValue.objects.filter(report__obligation__rule__document=document).values_list(
            *[f.attname for f in DataValue._meta.concrete_fields if not f.primary_key]
        )
    )
    _clear(document)
    timed["dhis2"] = _via_dhis2(document, obligations, rows, clients)
    assert _stored(document) == VALUES  # noqa: S101
    _clear(document)
    timed["copy"] = _via_copy(DataValue._meta.db_table, columns, snapshot)
    assert _stored(document) == VALUES  # noqa: S101
    _clear(document)

    seconds = {key: wall for key, (wall, _cpu) in timed.items()}
    cpu = {key: f"{spent:.2f} s of CPU in this process" for key, (_wall, spent) in timed.items()}
    rate = {key: VALUES / s for key, s in seconds.items()}
    by_pk = {o.pk: o for o in obligations}
    units = len({by_pk[pk].admin_unit_id for pk in rows})
    where = (
        f"{connection.vendor}, one run, {VALUES:,} values into {requests:,} reports of {units} communes; "
        f"{cache or 'cache as configured'}; 1-minute load average {os.getloadavg()[0]:.1f} at the end"
    )
    results = {
        NAMES["copy"]: {
            "value": round(rate["copy"]),
            "unit": "values/s",
            "detail": f"COPY … FROM STDIN of the rows the API wrote, committed, {seconds['copy']:.2f} s "
            f"({cpu['copy']}); {where}",
        }
    }
    for key, how in (
        (
            "api",
            f"POST /api/reporting/values, {units} requests (one per commune, its {4 * len(YEARS)} quarters' "
            "reports in one batch)",
        ),
        (
            "api_one",
            f"POST /api/reporting/obligations/{{id}}/values, {requests:,} requests (one per report; no goal: "
            "a form's sender, for comparison)",
        ),
        ("dhis2", f"POST /api/dataValueSets, {units} requests (one per commune, its {4 * len(YEARS)} quarters)"),
    ):
        ratio = rate[key] / rate["copy"]
        met = "met" if ratio >= TARGET_RATIO else "not met"
        if key == "api_one":
            met = "not a goal of its own"
        results[NAMES[key]] = {
            "value": round(rate[key]),
            "unit": "values/s",
            "ratio": round(ratio, 3),
            "detail": f"{how} with an API token, {seconds[key]:.1f} s ({cpu[key]}); {ratio:.3f}× COPY's rate "
            f"in the same run (goal ≥ {TARGET_RATIO:.2f}: {met}); {where}",
        }
    return results


def main() -> int:
    if not is_postgresql(os.environ.get("DATABASE_URL", "")):
        print(json.dumps(skipped(), ensure_ascii=False))
        return 0
    cache = _production_cache()
    _setup()
    results = measure(cache)
    if os.environ.get("DXTRACK_BENCH_CHILD") != "bulk":
        # Run alone, the figures are recorded too (make bench's own run records them itself).
        from bench.run import merge_results

        merge_results(results)
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
