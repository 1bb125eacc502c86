"""The national scale (issue 5): a synthetic data set of the whole country and three benchmarks on it.

The data set: the reference data (34 provinces, 3,321 current communes), 1,000 synthetic agencies,
300 synthetic indicators with 2025 and 2030 targets on one plan, one quarterly rule, the 44
quarters of 2016–2026, an obligation and (but for a few) a report for every commune and agency in
every quarter, and about 10 million values: each commune reports a fixed, seeded subset of 70 of
the indicators that roll up, each agency two of the indicators only agencies report. It is
deterministic (seeded) and written with COPY; `--scale` (DXTRACK_NATIONAL_SCALE) multiplies the
number of communes, for a quick small version.

The benchmarks, on that database:
- the full scorecard recomputation (`recompute_all`) next to the plain SQL aggregate over the same
  approved values (the floor);
- one approval's update: `report_transition(approve)` and the recomputation it triggers at commit;
- the dashboard page `/tien-do/` under 20 concurrent clients, served by gunicorn; and on two servers
  beside the /healthz floor;
- issue 17: a 40-criterion commune round of every commune (generated once, beside the data set)
  scored from its stored answers beside a plain SQL sum (the floor), and its ranking page under 20
  clients beside /healthz;
- issue 19: the assistant's question set in a fresh process (p95, share right, peak memory) beside
  a plain selector read.

Run alone: `python -m bench.national` (adds its figures to bench/results.json), or
`python -m bench.national --generate-only`. `bench/run.py` calls `bench_national` too.
Figures, method and findings: docs/benchmarks.md.
"""

import argparse
import contextlib
import datetime
import http.client
import json
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dxtrack_national"
SEED = 20260501
# Bump when the generated content changes: a database holding another version is rebuilt.
GENERATOR_VERSION = 1
MARKER_TABLE = "bench_national_marker"

YEARS = range(2016, 2027)
AGENCIES = 1000
INDICATORS = 300
SUM_INDICATORS = 45  # counts, rolled up by sum
DIRECT_INDICATORS = 15  # aggregation "none": only agencies report them
DECREASING_SHARE = 0.1  # of the ratios: "the lower the better", targets with "<="
COMMUNE_INDICATORS = 70  # each commune's fixed subset of the indicators that roll up
AGENCY_INDICATORS = 2  # each agency's share of the directly reported indicators
MISSING_SHARE = 0.01  # obligations without any report
SUBMITTED_SHARE = 0.01  # reports submitted, not yet approved
LATE_SHARE = 0.08  # reports first submitted after the due date
CLOSED_UNTIL = 2024  # periods up to this year are closed: their approved reports are locked
# The data set's own "now": timestamps never pass it, whatever day it is generated on.
AS_OF = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)

RECOMPUTE_RUNS = 3
APPROVAL_RUNS = 5
CLIENTS = 20
WARMUP_PER_CLIENT = 2
# The load runs this long: past two expiries of the kept late-report box (60 s), so its
# recomputation in every server process is among the measured requests, not only in the warm-up.
DASHBOARD_SECONDS = float(os.environ.get("DXTRACK_NATIONAL_DASHBOARD_SECONDS", "130"))
# Meanwhile the secretariat approves a commune report this often: each approval recomputes
# progress, so every server process renders the page's progress blocks afresh after it.
APPROVAL_EVERY_SECONDS = 10
GUNICORN_ARGS = ["--workers", "4", "--threads", "4", "--worker-class", "gthread"]

FLOOR_SQL = (
    "SELECT dv.indicator_id, dv.period_id, count(*), sum(dv.value), sum(dv.numerator), sum(dv.denominator) "
    "FROM reporting_datavalue dv JOIN reporting_report r ON r.id = dv.report_id "
    "WHERE r.status IN ('approved', 'locked') GROUP BY 1, 2"
)

SECRETARIAT_USERNAME = "bench-national-secretariat"
LEADER_USERNAME = "bench-national-leader"
# Only ever used against the local benchmark database on the loopback interface.
LEADER_PASSWORD = "Bench-national-2026"  # noqa: S105


def database_url(scale: float = 1.0) -> str:
    """DXTRACK_NATIONAL_DB, else the default database; a smaller scale gets its own database, so
    a quick run never replaces the full data set (which takes longer to generate again)."""
    explicit = os.environ.get("DXTRACK_NATIONAL_DB")
    if explicit or scale == 1.0:
        return explicit or DEFAULT_URL
    return f"{DEFAULT_URL}_s{f'{scale:g}'.replace('.', '_')}"


def scale_from_env() -> float:
    return float(os.environ.get("DXTRACK_NATIONAL_SCALE") or "1.0")


def _log(message: str) -> None:
    print(f"bench national: {message}", file=sys.stderr, flush=True)


# ---- the database: created, checked, rebuilt ---------------------------------------------------------


def _conninfo(url: str, dbname: str | None = None) -> str:
    """A libpq URL (psycopg takes postgresql://…), optionally naming another database."""
    parts = urlsplit(url)
    path = f"/{dbname}" if dbname is not None else parts.path
    return urlunsplit(("postgresql", parts.netloc, path, parts.query, ""))


def _dbname(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def reachable(url: str) -> str:
    """'' when the server answers; otherwise why not."""
    import psycopg

    try:
        with psycopg.connect(_conninfo(url, "postgres"), connect_timeout=3):
            return ""
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _marker(url: str) -> dict | None:
    import psycopg

    try:
        with psycopg.connect(_conninfo(url), connect_timeout=5) as conn:
            row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER_TABLE]).fetchone()
            if not row[0]:
                return None
            row = conn.execute(f"SELECT detail FROM {MARKER_TABLE} ORDER BY id DESC LIMIT 1").fetchone()  # noqa: S608
            return row[0] if row else None
    except psycopg.OperationalError:
        return None  # no such database yet


def prepare_database(url: str, scale: float) -> dict | None:
    """The generated set's marker if the database already holds this seed, scale and version;
    otherwise a fresh, empty database (dropped and created again: half-written or different sets
    are never patched) and None."""
    import psycopg
    from psycopg import sql

    marker = _marker(url)
    wanted = {"seed": SEED, "scale": scale, "version": GENERATOR_VERSION}
    if marker and all(marker.get(k) == v for k, v in wanted.items()):
        return marker
    name = _dbname(url)
    with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            _log(f"database {name} holds another data set ({marker}); rebuilding it")
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return None


# ---- the synthetic content ------------------------------------------------------------------------------


class _Copy:
    """Rows written through COPY … FROM STDIN in text format, sent in large chunks."""

    CHUNK = 1 << 20

    def __init__(self, cursor, table: str, columns: list[str]):
        self._cm = cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN")
        self._copy = self._cm.__enter__()
        self._parts: list[str] = []
        self._size = 0
        self.rows = 0

    def line(self, text: str) -> None:
        self._parts.append(text)
        self._size += len(text)
        self.rows += 1
        if self._size >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self._copy.write("".join(self._parts))
            self._parts, self._size = [], 0

    def close(self) -> None:
        self.flush()
        self._cm.__exit__(None, None, None)


def _ts(moment: datetime.datetime) -> str:
    return moment.isoformat()


def _without_indexes(cursor, table: str):
    """Drops the table's secondary indexes and unique constraints, and returns the statements that
    rebuild them: loading 10 million rows and building each index once afterwards is several times
    faster than maintaining nine indexes row by row."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND i.indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('p', 'u'))",
        [table, table],
    )
    indexes = cursor.fetchall()
    rebuild = []
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
        rebuild.append(definition)
    return rebuild


class Generator:
    """Writes the data set into the database Django is connected to. Deterministic: every random
    draw comes from a generator seeded by SEED and the thing it is for (a commune's code, an
    indicator's number), so a smaller scale yields the same rows for the communes it keeps."""

    def __init__(self, scale: float):
        self.scale = scale
        self.counts: dict[str, int] = {}
        self.timings: dict[str, float] = {}

    def _rng(self, *parts) -> random.Random:
        # Not for secrets: a reproducible stream of synthetic figures.
        return random.Random(":".join(str(p) for p in (SEED, *parts)))  # noqa: S311

    def run(self) -> dict:
        from django.db import connection

        start = time.perf_counter()
        self._step("reference", self._reference)
        self._step("register", self._register)
        self._step("calendar", self._calendar)
        self._step("values", self._values)
        self._step("analyze", self._analyze)
        seconds = time.perf_counter() - start
        with connection.cursor() as cursor:
            for table in ("reporting_obligation", "reporting_report", "reporting_datavalue"):
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
                self.counts[table.split("_", 1)[1]] = cursor.fetchone()[0]
            cursor.execute(f"SELECT pg_size_pretty(pg_database_size(current_database()))")  # noqa: F541
            size = cursor.fetchone()[0]
        marker = {
            "seed": SEED,
            "scale": self.scale,
            "version": GENERATOR_VERSION,
            "seconds": round(seconds, 1),
            "steps": [[k, round(v, 1)] for k, v in self.timings.items()],  # a list: jsonb reorders keys
            "counts": self.counts,
            "size": size,
            "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {MARKER_TABLE} (id serial PRIMARY KEY, detail jsonb NOT NULL)")
            cursor.execute(f"INSERT INTO {MARKER_TABLE} (detail) VALUES (%s)", [json.dumps(marker)])  # noqa: S608
        return marker

    def _step(self, name: str, fn) -> None:
        start = time.perf_counter()
        fn()
        self.timings[name] = time.perf_counter() - start
        _log(f"{name}: {self.timings[name]:.1f} s")

    # ---- reference data, agencies, the register

    def _reference(self) -> None:
        from dxtrack.accounts.access import SYSTEM
        from dxtrack.org.models import AdminLevel, AdminUnit
        from dxtrack.org.services import admin_units_load, agencies_load

        admin_units_load(actor=SYSTEM)
        agencies_load(actor=SYSTEM)
        current = AdminUnit.objects.filter(level=AdminLevel.COMMUNE, valid_to__isnull=True)
        self.counts["provinces"] = AdminUnit.objects.filter(level=AdminLevel.PROVINCE).count()
        self.counts["communes_country"] = current.count()
        communes = list(current.order_by("code").values_list("pk", "code", "parent__code"))
        # The kept communes: a seeded sample, so that a small scale still spans the country.
        keep = max(1, round(len(communes) * self.scale))
        self.communes = sorted(self._rng("communes").sample(communes, keep), key=lambda c: c[1])
        self.counts["communes"] = len(self.communes)

    def _register(self) -> None:
        from dxtrack.core.text import fold
        from dxtrack.obligations.models import IndicatorReporter
        from dxtrack.org.models import Agency, AgencyGroup, AgencyKind
        from dxtrack.plans.models import (
            Aggregation,
            Comparator,
            Direction,
            Document,
            DocumentType,
            Indicator,
            Pillar,
            ReportingRule,
            Target,
        )

        agencies = []
        for n in range(1, AGENCIES + 1):
            department = n % 4 != 0
            name = f"{'Sở' if department else 'Đơn vị'} tổng hợp số {n:04d}"
            agencies.append(
                Agency(
                    code=f"SYN_AG_{n:04d}",
                    name=name,
                    kind=AgencyKind.DEPARTMENT if department else AgencyKind.OTHER,
                    search_name=fold(name),  # bulk_create skips save(), which derives it
                )
            )
        self.agencies = [a.pk for a in Agency.objects.bulk_create(agencies, batch_size=1000)]
        self.counts["agencies"] = len(self.agencies)

        document = Document.objects.create(
            code="syn-national",
            number="01/KH-TONGHOP",
            doc_type=DocumentType.PLAN,
            issuer="Ban Chỉ đạo (dữ liệu tổng hợp để đo hiệu năng)",
            issued_on=datetime.date(2021, 1, 15),
            year=2021,
            title="Kế hoạch chuyển đổi số toàn quốc giai đoạn 2021–2030 (dữ liệu tổng hợp)",
        )
        pillars = [value for value, _label in Pillar.choices]
        count_units = ["dịch vụ công", "hồ sơ", "doanh nghiệp", "người", "hộ", "cơ sở"]
        self.indicators = []  # (pk, kind, params) in code order
        rows = []
        for n in range(1, INDICATORS + 1):
            rng = self._rng("indicator", n)
            if n <= DIRECT_INDICATORS:
                kind = "direct"
            elif n <= DIRECT_INDICATORS + SUM_INDICATORS:
                kind = "sum"
            else:
                kind = "down" if rng.random() < DECREASING_SHARE else "up"
            pillar = pillars[n % len(pillars)]
            if kind == "sum":
                unit, aggregation, name = count_units[n % len(count_units)], Aggregation.SUM, f"Số {n:03d}"
                params = {"step": rng.randint(1, 8)}
            else:
                unit, name = "%", f"Tỷ lệ {n:03d}"
                aggregation = Aggregation.NONE if kind == "direct" else Aggregation.RATIO
                if kind == "down":
                    params = {"base": rng.uniform(30, 60), "slope": -rng.uniform(0.2, 0.8)}
                else:
                    params = {"base": rng.uniform(5, 40), "slope": rng.uniform(0.1, 1.5)}
            rows.append(
                Indicator(
                    code=f"syn-ind-{n:03d}",
                    name=f"{name} (chỉ tiêu tổng hợp, {dict(Pillar.choices)[pillar]})",
                    unit=unit,
                    direction=Direction.DECREASE if kind == "down" else Direction.INCREASE,
                    pillar=pillar,
                    aggregation=aggregation,
                    limit=100 if unit == "%" else None,
                    data_source="Dữ liệu tổng hợp (đo hiệu năng)",
                )
            )
            self.indicators.append([None, kind, params, n])
        for spec, indicator in zip(self.indicators, Indicator.objects.bulk_create(rows), strict=True):
            spec[0] = indicator.pk
        self.counts["indicators"] = len(self.indicators)

        # Each commune's subset, drawn now: the count targets are set from how many report them.
        rolled = [spec for spec in self.indicators if spec[1] != "direct"]
        self.subsets = {}
        reporters = {spec[0]: 0 for spec in rolled}
        for unit_id, code, _province in self.communes:
            subset = self._rng("subset", code).sample(rolled, COMMUNE_INDICATORS)
            self.subsets[unit_id] = sorted(subset, key=lambda s: s[3])
            for spec in subset:
                reporters[spec[0]] += 1

        targets, position = [], 0
        for pk, kind, params, n in self.indicators:
            rng = self._rng("target", n)
            at_2025 = 39  # quarter index of Quý IV/2025 from Quý I/2016
            if kind == "sum":
                # A commune starts near `step` and adds `step`/2 a quarter on average.
                expected = reporters[pk] * params["step"] * (1 + at_2025 / 2)
                first = round(expected * rng.uniform(0.8, 1.3))
                second = round(first * rng.uniform(1.3, 2.0))
            elif kind == "down":
                expected = max(0.0, params["base"] + params["slope"] * at_2025)
                first = round(max(1.0, expected * rng.uniform(0.75, 1.2)), 1)
                second = round(first * rng.uniform(0.4, 0.8), 1)
            else:
                expected = min(100.0, params["base"] + params["slope"] * at_2025)
                first = round(min(99.0, expected * rng.uniform(0.85, 1.25)), 1)
                second = round(min(100.0, first + rng.uniform(5, 25)), 1)
            comparator = Comparator.AT_MOST if kind == "down" else Comparator.AT_LEAST
            for year, value in ((2025, first), (2030, second)):
                position += 1
                targets.append(
                    Target(
                        document=document,
                        indicator_id=pk,
                        label=f"Chỉ tiêu tổng hợp {n:03d}: {comparator} {value} đến năm {year}",
                        year=year,
                        value=value,
                        comparator=comparator,
                        unit="%" if kind != "sum" else "",
                        scope="toàn quốc",
                        position=position,
                    )
                )
        Target.objects.bulk_create(targets, batch_size=1000)
        self.counts["targets"] = len(targets)

        direct = [spec for spec in self.indicators if spec[1] == "direct"]
        self.assigned = {}
        links = []
        for agency_id in self.agencies:
            chosen = sorted(self._rng("agency", agency_id).sample(direct, AGENCY_INDICATORS), key=lambda s: s[3])
            self.assigned[agency_id] = chosen
            links += [IndicatorReporter(indicator_id=spec[0], agency_id=agency_id) for spec in chosen]
        IndicatorReporter.objects.bulk_create(links, batch_size=1000)

        self.rule = ReportingRule.objects.create(
            document=document,
            reporters_text="UBND cấp xã; các sở, đơn vị được giao chỉ tiêu",
            recipient=Agency.objects.filter(code="SO_KHCN").first(),
            period_type="quarterly",
            due=[],
        )
        self.rule.reporter_groups.set(AgencyGroup.objects.filter(code="UBND_XA"))
        self.rule.reporters.set(self.agencies)

    # ---- periods, obligations, reports

    def _calendar(self) -> None:
        from django.db import connection

        from dxtrack.obligations.calendar import due_date, periods
        from dxtrack.obligations.models import Period

        specs = [spec for year in YEARS for spec in periods("quarterly", year)]
        rows = [
            Period(
                **s.fields(),
                closed_at=datetime.datetime(s.year + 1, 3, 31, 10, tzinfo=datetime.UTC)
                if s.year <= CLOSED_UNTIL
                else None,
            )
            for s in specs
        ]
        self.periods = []  # (pk, index, spec, due, closed)
        for index, (spec, period) in enumerate(zip(specs, Period.objects.bulk_create(rows), strict=True)):
            self.periods.append((period.pk, index, spec, due_date(spec, []), spec.year <= CLOSED_UNTIL))
        self.counts["periods"] = len(self.periods)

        bodies = [("unit", unit_id, code) for unit_id, code, _p in self.communes]
        bodies += [("agency", agency_id, f"agency-{agency_id}") for agency_id in self.agencies]
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor  # psycopg's own cursor, for COPY
            copy = _Copy(
                cursor,
                "reporting_obligation",
                ["rule_id", "period_id", "agency_id", "admin_unit_id", "due", "window_from", "window_to"],
            )
            for kind, pk, _key in bodies:
                agency, unit = (pk, r"\N") if kind == "agency" else (r"\N", pk)
                for period_id, _i, spec, due, _closed in self.periods:
                    copy.line(
                        f"{self.rule.pk}\t{period_id}\t{agency}\t{unit}\t{due}\t{spec.data_from}\t{spec.data_to}\n"
                    )
            copy.close()
            cursor.execute(
                "SELECT id, period_id, coalesce(admin_unit_id, agency_id), admin_unit_id IS NULL "
                "FROM reporting_obligation WHERE rule_id = %s",
                [self.rule.pk],
            )
            obligation_of = {(is_agency, body, period): pk for pk, period, body, is_agency in cursor.fetchall()}

            # One report per obligation but a few: its status and its timestamps, seeded by the body.
            copy = _Copy(
                cursor,
                "reporting_report",
                [
                    "obligation_id",
                    "status",
                    "version",
                    "results",
                    "difficulties",
                    "proposals",
                    "created_at",
                    "updated_at",
                    "first_submitted_at",
                    "submitted_at",
                    "submitted_by_id",
                    "decided_at",
                    "decided_by_id",
                    "return_reason",
                    "correction_open",
                ],
            )
            self.report_time: dict[int, str] = {}  # obligation id → when its values were last saved
            for kind, pk, key in bodies:
                rng = self._rng("reports", key)
                for period_id, _i, _spec, due, closed in self.periods:
                    draw = rng.random()
                    late = rng.random() < LATE_SHARE
                    days = rng.randint(1, 20) if late else -rng.randint(0, 10)
                    if draw < MISSING_SHARE:
                        continue
                    obligation = obligation_of[(kind == "agency", pk, period_id)]
                    sent = min(AS_OF, datetime.datetime.combine(due, datetime.time(9), datetime.UTC))
                    sent = min(AS_OF, sent + datetime.timedelta(days=days, minutes=rng.randint(0, 480)))
                    created = sent - datetime.timedelta(days=7)
                    if draw < MISSING_SHARE + SUBMITTED_SHARE:
                        status, decided, version = "submitted", r"\N", 2
                    else:
                        status = "locked" if closed else "approved"
                        decided, version = _ts(min(AS_OF, sent + datetime.timedelta(days=3))), 4 if closed else 3
                    copy.line(
                        f"{obligation}\t{status}\t{version}\t\t\t\t{_ts(created)}\t{_ts(sent)}\t{_ts(sent)}\t"
                        f"{_ts(sent)}\t\\N\t{decided}\t\\N\t\tf\n"
                    )
                    self.report_time[obligation] = _ts(created + datetime.timedelta(days=1))
            copy.close()
            cursor.execute(
                "SELECT o.id, r.id FROM reporting_report r JOIN reporting_obligation o ON o.id = r.obligation_id "
                "WHERE o.rule_id = %s",
                [self.rule.pk],
            )
            report_of_obligation = dict(cursor.fetchall())
        # (kind, body, period) → (report id, when), for the reports that exist
        self.reports = {
            ident: (report_of_obligation[ob], self.report_time[ob])
            for ident, ob in obligation_of.items()
            if ob in report_of_obligation
        }

    # ---- the values

    def _values(self) -> None:
        from django.db import connection, transaction
        from tqdm import tqdm

        columns = [
            "report_id",
            "indicator_id",
            "period_id",
            "agency_id",
            "admin_unit_id",
            "value",
            "numerator",
            "denominator",
            "comment",
            "version",
            "updated_at",
            "updated_by_id",
        ]
        periods = [(pk, index) for pk, index, _spec, _due, _closed in self.periods]
        total = len(self.communes) * COMMUNE_INDICATORS * len(periods)
        with transaction.atomic(), connection.cursor() as django_cursor:
            cursor = django_cursor.cursor
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            # The rows are consistent by construction: skipping the per-row foreign key triggers
            # (superuser only) saves six look-ups per row. The constraints stay declared.
            cursor.execute("SET LOCAL session_replication_role = replica")
            rebuild = _without_indexes(cursor, "reporting_datavalue")
            copy = _Copy(cursor, "reporting_datavalue", columns)
            with tqdm(total=total, unit=" values", unit_scale=True, desc="values", file=sys.stderr) as bar:
                for unit_id, code, _province in self.communes:
                    before = copy.rows
                    self._commune_values(copy, unit_id, code, periods)
                    bar.update(copy.rows - before)
                for agency_id in self.agencies:
                    self._agency_values(copy, agency_id, periods)
            copy.close()
            self.counts["values_written"] = copy.rows
            for statement in tqdm(rebuild, desc="indexes", file=sys.stderr):
                cursor.execute(statement)

    def _commune_values(self, copy: _Copy, unit_id: int, code: str, periods) -> None:
        rng = self._rng("values", code)
        uniform, randint, rand = rng.uniform, rng.randint, rng.random
        reports = [self.reports.get((False, unit_id, period_id)) for period_id, _i in periods]
        for indicator_id, kind, params, _n in self.subsets[unit_id]:
            head = f"\t{indicator_id}\t"
            if kind == "sum":
                step = params["step"]
                total = randint(0, 2 * step)
                for (period_id, _i), report in zip(periods, reports, strict=True):
                    total += randint(0, step)
                    if report is not None:
                        copy.line(
                            f"{report[0]}{head}{period_id}\t\\N\t{unit_id}\t{total}\t\\N\t\\N\t\t1\t{report[1]}\t\\N\n"
                        )
                continue
            # A ratio: the commune's own start and pace around the indicator's, its own base
            # (households, officials…) growing slowly; numerator never above the denominator.
            base = params["base"] * uniform(0.5, 1.5)
            slope = params["slope"] * uniform(0.5, 1.5)
            den0, growth = randint(80, 6000), uniform(0.0, 0.01)
            for (period_id, index), report in zip(periods, reports, strict=True):
                share = base + slope * index + 4 * (rand() - 0.5)
                share = 0.0 if share < 0 else 100.0 if share > 100 else share
                den = int(den0 * (1 + growth * index))
                num = int(den * share / 100 + 0.5)
                if report is not None:
                    line = f"{unit_id}\t{100 * num / den:.4f}\t{num}\t{den}\t\t1\t{report[1]}\t\\N\n"
                    copy.line(f"{report[0]}{head}{period_id}\t\\N\t{line}")

    def _agency_values(self, copy: _Copy, agency_id: int, periods) -> None:
        rng = self._rng("agency-values", agency_id)
        for indicator_id, _kind, params, _n in self.assigned[agency_id]:
            base = params["base"] * rng.uniform(0.5, 1.5)
            slope = params["slope"] * rng.uniform(0.5, 1.5)
            for period_id, index in periods:
                report = self.reports.get((True, agency_id, period_id))
                if report is None:
                    continue
                share = min(100.0, max(0.0, base + slope * index + 4 * (rng.random() - 0.5)))
                copy.line(
                    f"{report[0]}\t{indicator_id}\t{period_id}\t{agency_id}\t\\N\t{share:.4f}\t\\N\t\\N\t\t1\t{report[1]}\t\\N\n"
                )

    def _analyze(self) -> None:
        from django.db import connection

        # VACUUM, not only ANALYZE: after a bulk load every page still needs its hint bits set and
        # the visibility map is empty, so the first readers would pay for writing them.
        with connection.cursor() as cursor:
            for table in ("reporting_datavalue", "reporting_report", "reporting_obligation"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            cursor.execute("ANALYZE")


# ---- the national assessment round (issue 17): generated once, beside the data set --------------------

# The framework's code names its version: a database holding the round of an older version gets
# this one added (the data set itself is not generated again for it).
ASSESSMENT_FRAMEWORK = "syn-national-xa-v1"
ASSESSMENT_YEAR = 2025
COUNCIL_DISAGREES = 0.05  # share of the answers the council scores 0 (its verdict "disagree")


def national_round():
    """The generated commune round, or None."""
    from dxtrack.assessments.models import Round

    return Round.objects.filter(framework__code=ASSESSMENT_FRAMEWORK).select_related("framework").first()


def ensure_assessments() -> dict | None:
    """A 40-criterion commune framework (bench/assessments.py's, every kind of criterion) and its
    closed 2025 round with a finalised submission and an answer per criterion for every commune of
    the data set, written with COPY; the council has disagreed on a seeded few answers. Returns
    what was generated, or None when the database already holds this version."""
    if national_round() is not None:
        return None
    from django.db import connection, transaction

    from bench.assessments import synthetic_answers, synthetic_framework
    from dxtrack.assessments import scoring as engine
    from dxtrack.assessments.models import (
        Completeness,
        Criterion,
        CriterionGroup,
        Framework,
        RecognitionTier,
        Round,
        RoundStatus,
        ScoreBand,
        SubjectKind,
    )

    start = time.perf_counter()
    rules, tiers, bands = synthetic_framework()
    rng = random.Random(f"{SEED}:assessments")  # noqa: S311 - synthetic data, not secrets
    with transaction.atomic():
        framework = Framework.objects.create(
            code=ASSESSMENT_FRAMEWORK,
            name="Bộ tiêu chí chuyển đổi số cấp xã (dữ liệu tổng hợp để đo hiệu năng)",
            number="01/QĐ-TONGHOP",
            issuer="Ban Chỉ đạo (dữ liệu tổng hợp)",
            subject_kind=SubjectKind.COMMUNE,
            max_points=sum(r.points for r in rules),
            completeness=Completeness.DEMONSTRATION,
        )
        groups = {}
        for position, code in enumerate(sorted({r.group for r in rules})):
            groups[code] = CriterionGroup.objects.create(
                framework=framework, code=code, name=f"Nhóm tiêu chí {code}", position=position
            )
        Criterion.objects.bulk_create(
            Criterion(
                framework=framework,
                group=groups[r.group],
                code=r.code,
                name=f"Tiêu chí tổng hợp {r.code}",
                kind=r.kind,
                comparator=r.comparator,
                value=r.value,
                steps=[list(s) for s in r.steps],
                level_max=r.level_max,
                points=r.points,
                mandatory=r.mandatory,
                position=position,
            )
            for position, r in enumerate(rules)
        )
        tier_rows = RecognitionTier.objects.bulk_create(
            RecognitionTier(
                framework=framework,
                level=t.level,
                name=t.name,
                min_points=t.min_points,
                mandatory_share=t.mandatory_share,
                extended_share=t.extended_share,
            )
            for t in tiers
        )
        ScoreBand.objects.bulk_create(
            ScoreBand(framework=framework, name=b.name, min_points=b.min_points) for b in bands
        )
        closed = AS_OF - datetime.timedelta(days=60)
        round_ = Round.objects.create(
            framework=framework,
            year=ASSESSMENT_YEAR,
            status=RoundStatus.CLOSED,
            opened_at=closed - datetime.timedelta(days=90),
            closed_at=closed,
            demonstration=True,
        )
        criteria = dict(framework.criteria.values_list("code", "pk"))
        tier_of = {t.level: t.pk for t in tier_rows}
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor
            # The communes of the data set (a smaller scale keeps fewer), in code order.
            cursor.execute(
                "SELECT DISTINCT u.id, u.code FROM reporting_obligation o "
                "JOIN org_adminunit u ON u.id = o.admin_unit_id JOIN plans_reportingrule r ON r.id = o.rule_id "
                "JOIN plans_document d ON d.id = r.document_id "
                "WHERE d.code = 'syn-national' ORDER BY u.code"
            )
            communes = [pk for pk, _code in cursor.fetchall()]
            scorer = engine.Scorer(rules, tiers=tiers, bands=bands)
            subjects = synthetic_answers(rules, len(communes))
            plans = []  # per commune: (answers, self outcome, final scores, final outcome)
            for answers in subjects:
                own = scorer.score(answers)
                council = {r.code: 0.0 for r in rules if rng.random() < COUNCIL_DISAGREES}
                final = {**own.scores, **council}
                plans.append((answers, own, council, scorer.score({}, overrides=final)))
            copy = _Copy(
                cursor,
                "assessments_submission",
                ["round_id", "admin_unit_id", "status", "version", "submitted_at", "late", "self_total",
                 "council_total", "final_total", "tier_id", "finalised_at"],
            )  # fmt: skip
            submitted, finalised = _ts(closed - datetime.timedelta(days=45)), _ts(closed - datetime.timedelta(days=5))
            for unit_id, (_answers, own, _council, final) in zip(communes, plans, strict=True):
                tier = tier_of[final.tier.level] if final.tier else r"\N"
                copy.line(
                    f"{round_.pk}\t{unit_id}\tclosed\t4\t{submitted}\tf\t{own.total:.2f}\t{final.total:.2f}\t"
                    f"{final.total:.2f}\t{tier}\t{finalised}\n"
                )
            copy.close()
            cursor.execute("SELECT admin_unit_id, id FROM assessments_submission WHERE round_id = %s", [round_.pk])
            submission_of = dict(cursor.fetchall())
            copy = _Copy(
                cursor,
                "assessments_answer",
                ["submission_id", "criterion_id", "flag", "value", "numerator", "denominator", "note", "evidence_url",
                 "evidence_file", "self_score", "council_score", "final_score", "verdict", "updated_at"],
            )  # fmt: skip
            for unit_id, (answers, own, council, final) in zip(communes, plans, strict=True):
                head = f"{submission_of[unit_id]}\t"
                for rule in rules:
                    given = answers[rule.code]
                    flag = value = numerator = denominator = r"\N"
                    if rule.kind == engine.BOOLEAN:
                        flag = "t" if given else "f"
                    elif rule.kind == engine.RATIO:
                        numerator, denominator = given
                    else:
                        value = f"{given:.4f}"
                    disputed = rule.code in council
                    council_score = f"{council[rule.code]:.2f}" if disputed else r"\N"
                    verdict = "disagree" if disputed else "agree"
                    copy.line(
                        f"{head}{criteria[rule.code]}\t{flag}\t{value}\t{numerator}\t{denominator}\t\t\t\t"
                        f"{own.scores[rule.code]:.2f}\t{council_score}\t{final.scores[rule.code]:.2f}\t{verdict}\t"
                        f"{finalised}\n"
                    )
            answers_written = copy.rows
            copy.close()
    with connection.cursor() as cursor:
        for table in ("assessments_submission", "assessments_answer"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return {
        "seconds": round(time.perf_counter() - start, 1),
        "submissions": len(communes),
        "answers": answers_written,
        "criteria": len(rules),
    }


# ---- the benchmarks (in the child process, Django on the national database) ----------------------------


def _median_runs(fn, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def _spread(times: list[float], unit: str = "s", factor: float = 1.0, digits: int = 2) -> str:
    return f"min {min(times) * factor:.{digits}f} {unit}, max {max(times) * factor:.{digits}f} {unit}"


def bench_recompute(results: dict) -> None:
    from django.db import connection

    from dxtrack.analytics.services.recompute import recompute_all

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL)
            return len(cursor.fetchall())

    groups = floor()  # warm-up: the tables into the page cache, as the recompute's runs will find them
    floor_median, floor_times = _median_runs(floor, RECOMPUTE_RUNS)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM reporting_datavalue dv JOIN reporting_report r ON r.id = dv.report_id "
            "WHERE r.status IN ('approved', 'locked')"
        )
        approved = cursor.fetchone()[0]
    outcome = {}

    def recompute():
        outcome["result"] = recompute_all()

    recompute_median, recompute_times = _median_runs(recompute, RECOMPUTE_RUNS)
    result = outcome["result"]
    ratio = recompute_median / floor_median
    results["national_sql_floor"] = {
        "value": round(floor_median, 2),
        "unit": "s",
        "detail": f"plain SQL aggregate of the {approved:,} approved values by indicator and period "
        f"({groups:,} groups, every row fetched); median of {len(floor_times)} runs after one warm-up; "
        f"{_spread(floor_times)}; postgresql",
    }
    results["national_scorecard_full_recompute"] = {
        "value": round(recompute_median, 2),
        "unit": "s",
        "ratio": round(ratio, 2),
        "detail": f"recompute_all(): {result.targets} targets, {result.scorecards} scorecards from "
        f"{approved:,} approved values; median of {len(recompute_times)} runs; {_spread(recompute_times)}; "
        f"{ratio:.2f}× the SQL floor (goal: within 3×, {'met' if ratio <= 3 else 'not met'}); postgresql",
    }


def _bench_users():
    from dxtrack.accounts.access import SYSTEM
    from dxtrack.accounts.models import Role, User
    from dxtrack.accounts.services import user_create

    secretariat = User.objects.filter(username=SECRETARIAT_USERNAME).first() or user_create(
        actor=SYSTEM, username=SECRETARIAT_USERNAME, password=None, role=Role.SECRETARIAT, full_name="Tổ giúp việc (đo)"
    )
    leader = User.objects.filter(username=LEADER_USERNAME).first() or user_create(
        actor=SYSTEM, username=LEADER_USERNAME, password=LEADER_PASSWORD, role=Role.LEADER, full_name="Lãnh đạo (đo)"
    )
    return secretariat, leader


def _submitted_reports(n: int) -> list:
    """Submitted commune reports in open periods, the province's own communes first (their
    scorecards are rebuilt too), then any; a fixed choice, so every run takes the same ones."""
    from django.conf import settings

    from dxtrack.reports.models import Report, ReportStatus

    submitted = Report.objects.filter(
        status=ReportStatus.SUBMITTED,
        obligation__admin_unit__isnull=False,
        obligation__period__closed_at__isnull=True,
        obligation__rule__document__code="syn-national",
    ).select_related("obligation__admin_unit__parent", "obligation__period")
    own = list(submitted.filter(obligation__admin_unit__parent__code=settings.DXTRACK_PROVINCE_CODE).order_by("pk")[:n])
    return (own + [r for r in submitted.order_by("pk")[: 2 * n] if r not in own])[:n]


def _resubmit(reports: list) -> None:
    """Puts approved benchmark reports back to "submitted", so the next run finds the same set."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reporting_report SET status = 'submitted', decided_at = NULL, decided_by_id = NULL "
            "WHERE id = ANY(%s)",
            [[r.pk for r in reports]],
        )


def bench_approval(results: dict) -> None:
    from django.db import transaction

    from dxtrack.reports.services.workflow import report_transition

    secretariat, _leader = _bench_users()
    chosen = _submitted_reports(APPROVAL_RUNS)
    if not chosen:
        _log("no submitted commune report in an open period; approval benchmark skipped")
        return
    times, labels = [], []
    try:
        for report in chosen:
            start = time.perf_counter()
            with transaction.atomic():
                report_transition(actor=secretariat, report=report, action="approve")
            # the on-commit recomputation ran (ImmediateBackend) when the block above exited
            times.append(time.perf_counter() - start)
            ob = report.obligation
            labels.append(f"{ob.admin_unit.name} ({ob.admin_unit.parent.name}), {ob.period.label}")
    finally:
        _resubmit(chosen)
    median = statistics.median(times)
    values = sum(r.values.count() for r in chosen) // len(chosen)
    results["national_approval_update"] = {
        "value": round(median, 2),
        "unit": "s",
        "detail": f"report_transition(approve) in a transaction, with the recomputation it triggers at "
        f"commit; {len(times)} different commune reports of about {values} values each "
        f"({'; '.join(labels)}); median; {_spread(times)}; goal under 1 s "
        f"({'met' if median < 1 else 'not met'}); postgresql",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Client:
    """One keep-alive HTTP connection to the server on the loopback interface, with cookies."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.cookies = dict(cookies or {})
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError):
                # The server closed an idle keep-alive connection: open a new one, once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=180)
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def close(self) -> None:
        self.conn.close()


def _login(port: int) -> dict:
    client = _Client(port)
    status, page = client.request("GET", "/tai-khoan/dang-nhap/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None:
        raise RuntimeError(f"login page: HTTP {status}")
    form = urlencode({"username": LEADER_USERNAME, "password": LEADER_PASSWORD, "csrfmiddlewaretoken": token.group(1)})
    status, _ = client.request("POST", "/tai-khoan/dang-nhap/", body=form)
    client.close()
    if status != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"login failed: HTTP {status}")
    return {"sessionid": client.cookies["sessionid"]}


def _wait_until_up(port: int, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start listening")


def _percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile: the smallest value with at least q of the values at or below it."""
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


TWO_SERVER_CLIENTS = 40
TWO_SERVER_SECONDS = float(os.environ.get("DXTRACK_NATIONAL_TWO_SECONDS", "60"))
# The same four gunicorn workers as the one-server figure, split over two servers (two "machines").
TWO_SERVER_ARGS = ["--workers", "2", "--threads", "4", "--worker-class", "gthread"]
TAIL_ARGS = ["--timeout", "300", "--error-logfile", "-"]


# ---- the HTTP harness: gunicorn servers on the national database, keep-alive clients -----------------


def _log_path(name: str) -> Path:
    path = Path(os.environ.get("DXTRACK_VAR_DIR", ROOT / "var" / "bench")) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _start_gunicorn(port: int, log, args: list[str]) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    env = {**os.environ, "DXTRACK_ENV": "development", "DJANGO_SETTINGS_MODULE": "dxtrack.settings"}
    return subprocess.Popen(  # noqa: S603
        [str(gunicorn), "dxtrack.wsgi:application", "--bind", f"127.0.0.1:{port}", *args, *TAIL_ARGS],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@contextlib.contextmanager
def _serving(count: int, args: list[str], log_name: str):
    """`count` gunicorn servers of the application on the national database, each started with
    `args`, listening once this yields their ports; stopped when the block ends. None when gunicorn
    is not installed (the caller skips its benchmark). Their output goes to `log_name` in the var
    directory."""
    from django.db import connection

    if not (Path(sys.executable).parent / "gunicorn").exists():
        _log(f"gunicorn is not installed in the venv; {log_name} not written, benchmark skipped")
        yield None
        return
    ports = [_free_port() for _ in range(count)]
    connection.close()  # the servers have the database to themselves during the load
    with _log_path(log_name).open("w") as log:
        servers = [_start_gunicorn(port, log, args) for port in ports]
        try:
            for port, server in zip(ports, servers, strict=True):
                _wait_until_up(port, server)
            yield ports
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait(timeout=10)


def _load(
    ports: list[int], cookies: dict, path: str, seconds: float, clients: int, *, alongside=None
) -> tuple[list[float], list, float]:
    """`clients` concurrent clients, each keeping a connection to every server and sending GET
    `path` back to back for `seconds`, one server after the other (round robin, as a balancer in
    front of them would, without a balancer process of our own in the measured path: nginx is not
    installed here, and a Python proxy would be the bottleneck on two shared cores), after
    WARMUP_PER_CLIENT warm-up requests per server. `alongside(stop, errors)`, if given, runs in one
    more thread from the start of the measured load until its end. Returns the sorted latencies of
    the successful requests, the errors, and the wall time of the load."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    clock: dict[str, float] = {}
    stop = threading.Event()
    parties = clients + (1 if alongside else 0)
    barrier = threading.Barrier(parties, action=lambda: clock.setdefault("start", time.monotonic()))

    def client_thread(offset: int) -> None:
        connections = [_Client(port, cookies) for port in ports]
        try:
            for c in connections:
                for _ in range(WARMUP_PER_CLIENT):
                    c.request("GET", path)
            barrier.wait(timeout=300)
            turn = offset
            while time.monotonic() - clock["start"] < seconds:
                client = connections[turn % len(connections)]
                turn += 1
                began = time.perf_counter()
                status, _body = client.request("GET", path)
                took = time.perf_counter() - began
                with lock:
                    (latencies.append(took) if status == 200 else errors.append(f"HTTP {status}"))
        except Exception as exc:  # counted and reported, never hidden
            barrier.abort()
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            for c in connections:
                c.close()

    def alongside_thread() -> None:
        try:
            barrier.wait(timeout=300)
            alongside(stop, errors)
        except Exception as exc:
            with lock:
                errors.append(f"alongside: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=client_thread, args=(i,)) for i in range(clients)]
    if alongside:
        threads.append(threading.Thread(target=alongside_thread))
    for t in threads:
        t.start()
    for t in threads[:clients]:
        t.join()
    stop.set()
    for t in threads[clients:]:
        t.join()
    return sorted(latencies), errors, time.monotonic() - clock.get("start", time.monotonic())


def _described(what: str, figure) -> str:
    ordered, errors, wall = figure
    return (
        f"{what}: {len(ordered):,} requests in {wall:.0f} s ({len(ordered) / wall:.1f}/s), {len(errors)} errors, "
        f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {_percentile(ordered, 0.95) * 1000:.0f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms"
    )


def bench_dashboard(results: dict) -> None:
    from django.db import connection, transaction

    from dxtrack.reports.services.workflow import report_transition

    secretariat, _leader = _bench_users()
    pending = _submitted_reports(int(DASHBOARD_SECONDS // APPROVAL_EVERY_SECONDS))
    approved: list = []

    def approvals(stop: threading.Event, errors: list) -> None:
        """Approvals arriving during the load, each with the recomputation it triggers."""
        try:
            for report in pending:
                if stop.wait(APPROVAL_EVERY_SECONDS):
                    return
                with transaction.atomic():
                    report_transition(actor=secretariat, report=report, action="approve")
                approved.append(report)
        finally:
            connection.close()

    with _serving(1, GUNICORN_ARGS, "gunicorn-national.log") as ports:
        if ports is None:
            return
        try:
            cookies = _login(ports[0])
            latencies, errors, wall = _load(
                ports, cookies, "/tien-do/", DASHBOARD_SECONDS, CLIENTS, alongside=approvals
            )
        finally:
            _resubmit(approved)
    if not latencies:
        _log(f"no successful dashboard request ({errors[:3]}); see {_log_path('gunicorn-national.log')}")
        return
    ordered = latencies
    p50, p95 = statistics.median(ordered), _percentile(ordered, 0.95)
    detail = (
        f"GET /tien-do/ as a leader, {CLIENTS} concurrent keep-alive clients sending back to back for "
        f"{wall:.0f} s: {len(ordered):,} requests ({len(ordered) / wall:.1f} requests/s) after "
        f"{WARMUP_PER_CLIENT} warm-up requests each, while {len(approved)} commune reports were approved "
        f"(one every {APPROVAL_EVERY_SECONDS} s, each recomputing progress); {len(errors)} errors; "
        f"gunicorn {' '.join(GUNICORN_ARGS)}; min {ordered[0] * 1000:.0f} ms, "
        f"p99 {_percentile(ordered, 0.99) * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms; postgresql"
    )
    results["national_dashboard_p50"] = {"value": round(p50 * 1000), "unit": "ms", "detail": detail}
    results["national_dashboard_p95"] = {
        "value": round(p95 * 1000),
        "unit": "ms",
        "detail": f"nearest-rank 95th percentile of the same requests; goal under 300 ms "
        f"({'met' if p95 < 0.3 else 'not met'})",
    }


def bench_two_servers(results: dict) -> None:
    """The national dashboard on two application servers sharing one database, 40 clients spread
    over both; beside it, in the same run and on the same servers, the floor: /healthz (one
    SELECT 1: the cost of HTTP, gunicorn and Django's middleware alone). Their ratio says how much
    of the p95 is the page itself, whatever the shared machine's load was at that moment."""
    _bench_users()
    figures = {}
    with _serving(2, TWO_SERVER_ARGS, "gunicorn-two.log") as ports:
        if ports is None:
            return
        cookies = _login(ports[0])  # the session is in the database: server B knows it too
        for name, path in (("floor", "/healthz"), ("dashboard", "/tien-do/")):
            _log(f"two servers: {path} with {TWO_SERVER_CLIENTS} clients for {TWO_SERVER_SECONDS:.0f} s")
            figures[name] = _load(ports, cookies, path, TWO_SERVER_SECONDS, TWO_SERVER_CLIENTS)
    floor, dashboard = figures.get("floor"), figures.get("dashboard")
    if not floor or not dashboard or not floor[0] or not dashboard[0]:
        _log(f"two servers: no successful requests; see {_log_path('gunicorn-two.log')}")
        return
    floor_p95, p95 = _percentile(floor[0], 0.95), _percentile(dashboard[0], 0.95)
    p50 = statistics.median(dashboard[0])
    setup = (
        f"two gunicorn servers ({' '.join(TWO_SERVER_ARGS)} each) on one PostgreSQL database, "
        f"{TWO_SERVER_CLIENTS} keep-alive clients as a leader, each alternating between the servers "
        f"(round robin), {WARMUP_PER_CLIENT} warm-up requests per client and server; no approvals during the load"
    )
    results["national_dashboard_two_servers_p95"] = {
        "value": round(p95 * 1000),
        "unit": "ms",
        "detail": f"GET /tien-do/, {setup}; {_described('dashboard', dashboard)}; p50 {p50 * 1000:.0f} ms; "
        f"goal under 300 ms ({'met' if p95 < 0.3 else 'not met'}); postgresql",
    }
    results["national_two_servers_floor_p95"] = {
        "value": round(floor_p95 * 1000),
        "unit": "ms",
        "detail": f"GET /healthz (SELECT 1), same servers and clients, just before; {_described('floor', floor)}",
    }
    results["national_dashboard_two_servers_ratio_to_floor"] = {
        "value": round(p95 / floor_p95, 1),
        "unit": "×",
        "detail": "p95 of the dashboard ÷ p95 of /healthz, both measured in the same run on the same two servers",
    }


# ---- the assessments (issue 17) and the assistant (issue 19) at the national scale -------------------

SCORING_RUNS = 5
RANKING_SECONDS = float(os.environ.get("DXTRACK_NATIONAL_RANKING_SECONDS", "60"))
RANKING_FLOOR_SECONDS = float(os.environ.get("DXTRACK_NATIONAL_RANKING_FLOOR_SECONDS", "20"))

SCORING_FLOOR_SQL = (
    "SELECT a.submission_id, count(*), sum(coalesce(a.final_score, a.council_score, a.self_score)) "
    "FROM assessments_answer a JOIN assessments_submission s ON s.id = a.submission_id "
    "WHERE s.round_id = %s GROUP BY 1"
)


def bench_assessments_national(results: dict) -> None:
    """Scoring every commune of the generated round from its stored answers
    (`assessments.selectors.round_outcomes`: one read of the answers, the compiled scorer on each)
    beside the floor, a plain SQL sum of the same answers per submission; then the round's ranking
    page under CLIENTS clients on one server, beside the floor of /healthz on the same server."""
    from django.db import connection

    from dxtrack.accounts.access import SYSTEM
    from dxtrack.assessments.models import Answer
    from dxtrack.assessments.selectors import round_outcomes
    from dxtrack.assessments.views import RANKING_PAGE

    round_ = national_round()
    if round_ is None:
        _log("no national assessment round; assessments benchmark skipped")
        return

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(SCORING_FLOOR_SQL, [round_.pk])
            return len(cursor.fetchall())

    subjects = floor()  # warm-up: the answers into the page cache, as the scoring's runs will find them
    answers = Answer.objects.filter(submission__round=round_).count()
    criteria = round_.framework.criteria.count()
    floor_median, floor_times = _median_runs(floor, SCORING_RUNS)
    outcome = {}
    round_outcomes(SYSTEM, round_)  # warm-up, as for the floor
    median, times = _median_runs(lambda: outcome.__setitem__("scored", round_outcomes(SYSTEM, round_)), SCORING_RUNS)
    scored = outcome["scored"]
    reached = sum(1 for o in scored.values() if o.tier is not None)
    ratio = median / floor_median
    results["national_assessments_scoring_floor"] = {
        "value": round(floor_median, 3),
        "unit": "s",
        "detail": f"plain SQL sum of the {answers:,} answers' best-known scores per submission ({subjects:,} rows "
        f"fetched); median of {len(floor_times)} runs after one warm-up; {_spread(floor_times, digits=3)}; postgresql",
    }
    results["national_assessments_scoring"] = {
        "value": round(median, 2),
        "unit": "s",
        "ratio": round(ratio, 1),
        "detail": f"assessments.selectors.round_outcomes(): {len(scored):,} communes × {criteria} criteria "
        f"({answers:,} stored answers read, each subject scored with the council's and final scores as "
        f"overrides; totals, tiers, bands), {reached:,} reach a tier; median of {len(times)} runs after one "
        f"warm-up; {_spread(times)}; {ratio:.1f}× the SQL floor; goal under 2 s "
        f"({'met' if median < 2 else 'not met'}); postgresql",
    }

    _bench_users()
    path = f"/danh-gia/dot/{round_.pk}/xep-hang/"
    figures = {}
    with _serving(1, GUNICORN_ARGS, "gunicorn-ranking.log") as ports:
        if ports is None:
            return
        cookies = _login(ports[0])
        for name, where, seconds in (("floor", "/healthz", RANKING_FLOOR_SECONDS), ("ranking", path, RANKING_SECONDS)):
            _log(f"assessments: {where} with {CLIENTS} clients for {seconds:.0f} s")
            figures[name] = _load(ports, cookies, where, seconds, CLIENTS)
    floor, ranking = figures["floor"], figures["ranking"]
    if not floor[0] or not ranking[0]:
        _log(f"assessments: no successful requests ({(floor[1] + ranking[1])[:3]}); see gunicorn-ranking.log")
        return
    floor_p95, p95 = _percentile(floor[0], 0.95), _percentile(ranking[0], 0.95)
    setup = f"one gunicorn server ({' '.join(GUNICORN_ARGS)}), {CLIENTS} keep-alive clients as a leader"
    results["national_ranking_p95"] = {
        "value": round(p95 * 1000),
        "unit": "ms",
        "ratio": round(p95 / floor_p95, 1),
        "detail": f"GET {path} (the generated round: {len(scored):,} communes × {criteria} criteria; the page "
        f"shows {RANKING_PAGE} a page, the first measured), {setup}; {_described('ranking', ranking)}; p99 "
        f"{_percentile(ranking[0], 0.99) * 1000:.0f} ms; {p95 / floor_p95:.1f}× the p95 of /healthz on the same "
        f"server just before; goal under 300 ms ({'met' if p95 < 0.3 else 'not met'}); postgresql",
    }
    results["national_ranking_floor_p95"] = {
        "value": round(floor_p95 * 1000),
        "unit": "ms",
        "detail": f"GET /healthz (SELECT 1), same server and clients, just before the ranking; "
        f"{_described('floor', floor)}",
    }


ASSISTANT_TODAY = AS_OF.date()


def bench_assistant_national(results: dict) -> None:
    """The assistant's question set (bench/assistant.py, built from the national database's own
    data) in a fresh process, so that its peak resident memory is the assistant's (Django, the
    model and index loaded once, the answers), not the generator's; the floor, in the same process
    and run, a plain selector read per question."""
    from dxtrack.analytics.models import Scorecard
    from dxtrack.analytics.services.recompute import recompute_all

    if not Scorecard.objects.exists():  # the status questions need progress computed (not timed)
        _log("assistant: computing progress first (recompute_all)")
        recompute_all()
    env = {**os.environ, "DXTRACK_NATIONAL_CHILD": "assistant"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.national", "--child"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        _log(f"assistant: the child process failed (exit {done.returncode})")
        return
    f = json.loads(done.stdout.strip().splitlines()[-1])
    common = (
        f"{f['questions']} questions of the test set, built from the national data as of "
        f"{ASSISTANT_TODAY:%d/%m/%Y}, asked in-process (dxtrack.assistant.services.ask) by the set's people "
        f"(made for the run, rolled back); {f['leaks']} leaks; p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms; "
        f"index load {f['load_ms']} ms; floor: {f['floor']}, p95 {f['floor_p95_ms']} ms; postgresql"
    )
    ratio = f["p95_ms"] / f["floor_p95_ms"] if f["floor_p95_ms"] else None
    results["national_assistant_answer_p95"] = {
        "value": f["p95_ms"],
        "unit": "ms",
        "ratio": round(ratio, 1) if ratio else None,
        "detail": f"{common}; goal under 300 ms ({'met' if f['p95_ms'] < 300 else 'not met'})",
    }
    results["national_assistant_share_right"] = {
        "value": round(100 * f["share_right"], 1),
        "unit": "%",
        "detail": f"{common}; goal at least 90 % ({'met' if f['share_right'] >= 0.9 else 'not met'})",
    }
    results["national_assistant_rss"] = {
        "value": f["rss_mb"],
        "unit": "MB",
        "detail": f"peak resident memory of the process that loaded Django and the assistant's model and index "
        f"once and answered the set (VmHWM, this process alone); "
        f"goal under 500 MB ({'met' if f['rss_mb'] < 500 else 'not met'})",
    }


def _assistant_child() -> int:
    """In a fresh process on the national database: the question set and its floor, rolled back."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxtrack.settings")
    import django

    django.setup()
    from django.db import transaction

    from bench.assistant import DEMO_PEOPLE, run
    from dxtrack.org.models import AdminUnit
    from dxtrack.reports.models import DataValue

    with transaction.atomic():
        figures = run(ASSISTANT_TODAY, make_people=True)
        # The floor: one plain, indexed selector read per question (the latest approved value of one
        # indicator for one commune, as a unit-value answer reads it), same process, same run.
        unit = AdminUnit.objects.get(level="commune", code=DEMO_PEOPLE["hamrong"][3], valid_to__isnull=True)
        indicators = list(
            DataValue.objects.filter(admin_unit=unit).values_list("indicator_id", flat=True).distinct()[:50]
        ) or [None]
        times = []
        for n in range(figures["questions"]):
            t0 = time.perf_counter()
            list(
                DataValue.objects.approved()
                .filter(admin_unit=unit, indicator_id=indicators[n % len(indicators)])
                .order_by("-period__end")[:1]
            )
            times.append(1000 * (time.perf_counter() - t0))
        transaction.set_rollback(True)
    times.sort()
    figures["floor"] = (
        f"{len(times)} reads of one commune's latest approved value of an indicator "
        "(DataValue.objects.approved(), indexed)"
    )
    figures["floor_p95_ms"] = round(_percentile(times, 0.95), 2)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


BENCHMARKS = {
    "recompute": bench_recompute,
    "approval": bench_approval,
    "dashboard": bench_dashboard,
    "two_servers": bench_two_servers,
    "assessments": bench_assessments_national,
    "assistant": bench_assistant_national,
}


# ---- processes -----------------------------------------------------------------------------------------


def _child(args) -> int:
    """In the process whose DATABASE_URL is the national database."""
    url = os.environ["DATABASE_URL"]
    marker = prepare_database(url, args.scale)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxtrack.settings")
    os.environ.setdefault("DXTRACK_VAR_DIR", str(ROOT / "var" / "bench"))
    import logging

    import django

    django.setup()
    from django.core.management import call_command

    # One line per task run would bury the progress: the approvals' recomputations are timed here.
    logging.getLogger("django.tasks").setLevel(logging.WARNING)

    results: dict[str, dict] = {}
    # Always: a kept data set still gets the migrations added since it was generated.
    if os.environ.get("DXTRACK_NATIONAL_MIGRATE", "1") != "0":
        call_command("migrate", interactive=False, verbosity=0)
    else:  # a database shared with other branches: never give it this branch's migrations
        _log("migrations not applied (DXTRACK_NATIONAL_MIGRATE=0)")
    if marker is None:
        _log(f"generating the data set (scale {args.scale}) into {_dbname(url)}")
        marker = Generator(args.scale).run()
    else:
        _log(f"{_dbname(url)} already holds the data set (seed {SEED}, scale {args.scale}); not generated again")
    counts = marker["counts"]
    results["national_generation"] = {
        "value": marker["seconds"],
        "unit": "s",
        "detail": f"bench/national.py, scale {marker['scale']}: {counts['communes']:,} communes of "
        f"{counts['communes_country']:,} ({counts['provinces']} provinces), {counts['agencies']:,} agencies, "
        f"{counts['indicators']} indicators, {counts['targets']} targets, {counts['periods']} quarters, "
        f"{counts['obligation']:,} obligations, {counts['report']:,} reports, {counts['datavalue']:,} values; "
        f"steps (s): {', '.join(f'{k} {v}' for k, v in marker['steps'])}; database {marker['size']}; "
        f"generated {marker['generated_at']}",
    }
    # The assessment round is versioned on its own: added to a kept data set without rebuilding it.
    assessments = ensure_assessments()
    if assessments is not None:
        _log(f"assessments: {assessments['answers']:,} answers generated in {assessments['seconds']} s")
        results["national_assessments_generation"] = {
            "value": assessments["seconds"],
            "unit": "s",
            "detail": f"bench/national.py, framework {ASSESSMENT_FRAMEWORK}: a closed {ASSESSMENT_YEAR} round of "
            f"{assessments['submissions']:,} communes × {assessments['criteria']} criteria, "
            f"{assessments['answers']:,} answers (COPY), with their self, council and final scores",
        }
    if not args.generate_only:
        wanted = set(args.only.split(",")) if args.only else set(BENCHMARKS)
        for name, fn in BENCHMARKS.items():
            if name not in wanted:
                continue
            before, load = set(results), os.getloadavg()[0]
            try:
                fn(results)
            except Exception:  # one failing benchmark must not lose the others' figures
                _log(f"the {name} benchmark failed:\n{traceback.format_exc()}")
            # Other work on the machine shows in the figures: say how busy the cores were.
            for key in set(results) - before:
                results[key]["detail"] += f"; 1-minute load average {load:.1f} before, {os.getloadavg()[0]:.1f} after"
    if marker["scale"] != 1.0:  # a small set's figures must never pass for the national ones
        for figure in results.values():
            figure["detail"] += f"; scale {marker['scale']}"
    print(json.dumps(results))
    return 0


def run_child(*, scale: float, generate_only: bool = False, only: str = "") -> dict:
    """Runs the generator and the benchmarks in a child process started with DATABASE_URL set to
    the national database (settings read it once, at start-up). Progress goes to our stderr."""
    url = database_url(scale)
    env = {**os.environ, "DATABASE_URL": url, "DXTRACK_VAR_DIR": str(ROOT / "var" / "bench")}
    command = [sys.executable, "-m", "bench.national", "--child", "--scale", str(scale)]
    if generate_only:
        command.append("--generate-only")
    if only:
        command += ["--only", only]
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
    if done.returncode != 0 or not done.stdout.strip():
        print(f"bench: the national benchmarks failed (exit {done.returncode})")
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_national(results: dict) -> None:
    """Called by bench/run.py: the national figures, when DXTRACK_NATIONAL_SCALE asks for them (the
    full scale takes about 15 minutes: `make bench-national`) and PostgreSQL answers."""
    if not os.environ.get("DXTRACK_NATIONAL_SCALE"):
        # The file keeps the national figures last measured, rather than losing them.
        results_path = ROOT / "bench" / "results.json"
        kept = json.loads(results_path.read_text()).get("results", {}) if results_path.exists() else {}
        results.update({k: v for k, v in kept.items() if k.startswith("national_")})
        print(
            "bench: national benchmarks not run (DXTRACK_NATIONAL_SCALE=0.05 make bench, or make bench-national); "
            "their last figures are kept"
        )
        return
    scale = scale_from_env()
    if scale <= 0:
        print("bench: DXTRACK_NATIONAL_SCALE=0; skipping the national benchmarks")
        return
    why = reachable(database_url())
    if why:
        host = urlsplit(database_url()).hostname
        print(f"bench: PostgreSQL not reachable at {host} ({why}); skipping the national benchmarks")
        return
    results.update(run_child(scale=scale))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bộ dữ liệu tổng hợp toàn quốc và các phép đo trên đó.")
    parser.add_argument("--scale", type=float, default=scale_from_env(), help="tỷ lệ số xã dùng (mặc định 1.0)")
    parser.add_argument("--generate-only", action="store_true", help="chỉ sinh dữ liệu, không đo")
    parser.add_argument(
        "--only", default="", help="chỉ các phép đo này: recompute,approval,dashboard,two_servers,assessments,assistant"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child and os.environ.get("DXTRACK_NATIONAL_CHILD") == "assistant":
        return _assistant_child()
    if args.child:
        return _child(args)
    why = reachable(database_url())
    if why:
        print(f"bench: PostgreSQL not reachable ({why})")
        return 1
    figures = run_child(scale=args.scale, generate_only=args.generate_only, only=args.only)
    if not figures:
        return 1
    # bench.run imports the project's models: Django set up first (on its default database,
    # which nothing here reads), or `make bench-national` would lose its figures at the very end.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxtrack.settings")
    import django

    django.setup()
    from bench.run import RESULTS, write_results

    existing = json.loads(RESULTS.read_text())["results"] if RESULTS.exists() else {}
    write_results({**existing, **figures})
    return 0


if __name__ == "__main__":
    sys.exit(main())
