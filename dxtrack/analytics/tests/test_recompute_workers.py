"""The communes judged in worker processes give the very scorecards judged in one process.
The workers read committed data over their own connections, so this commits (PostgreSQL only:
elsewhere, and inside a caller's transaction, the recomputation stays in one process)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from dxtrack.accounts.access import SYSTEM
from dxtrack.analytics import engine
from dxtrack.analytics.models import Scorecard
from dxtrack.analytics.services import communes as commune_services
from dxtrack.analytics.services import recompute, scorecards
from dxtrack.obligations import services as obligation_services
from dxtrack.obligations.models import Obligation
from dxtrack.org.models import AdminUnitChange
from dxtrack.plans.models import Indicator, ReportingRule
from dxtrack.plans.register import register_load
from dxtrack.reports.models import Report, ReportStatus
from dxtrack.reports.services.defaults import defaults_load
from dxtrack.reports.tests.builders import value_written

SMART = "dan-so-truong-thanh-dung-dvc-truc-tuyen"  # a ratio the 2024 plan's communes report
FIBRE = "ho-gia-dinh-cap-quang"  # a ratio with 2022 and 2025 targets in Quyết định 4216


def _cards() -> dict:
    return {
        (c.kind, c.key): (c.counts, c.score, c.status, c.rank, c.expected_reports, c.on_time, c.tasks)
        for c in Scorecard.objects.all()
    }


@pytest.mark.django_db
def test_one_process_where_workers_would_not_see_the_callers_data():
    # Inside a transaction (as every test here is), or on SQLite, nothing is forked
    assert connection.in_atomic_block
    assert engine.workers_for(4) == 1


@pytest.mark.flushes
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="worker processes are used on PostgreSQL only")
# The test process may hold another suite's live server thread; the workers touch nothing of it.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_communes_judged_in_workers_score_as_in_one_process(reference_data, monkeypatch):
    # Given the former communes' approved shares in Quý IV/2024 (their obligations made here:
    # the plan's districts reported then) and today's communes' in Quý IV/2025, so a commune's
    # series runs from its former communes to itself
    register_load(actor=SYSTEM)
    defaults_load(actor=SYSTEM)
    rule = ReportingRule.objects.get(document__code="kh-bcd-cds-2024", clause__path="V.3")
    for year in (2024, 2025):
        obligation_services.calendar_generate(actor=SYSTEM, year=year, rules=[rule])
    indicators = list(Indicator.objects.filter(code__in=[SMART, FIBRE]))
    assert len(indicators) == 2
    with transaction.atomic():
        district = Obligation.objects.filter(rule=rule, period__label="Quý IV/2024").first()
        for old_id in sorted(set(AdminUnitChange.objects.values_list("old_id", flat=True))):
            Obligation.objects.create(
                rule=rule,
                period=district.period,
                due=district.due,
                window_from=district.window_from,
                window_to=district.window_to,
                admin_unit_id=old_id,
            )
        obligations = Obligation.objects.filter(
            rule=rule, admin_unit__level="commune", period__label__in=["Quý IV/2024", "Quý IV/2025"]
        ).select_related("period")
        for i, ob in enumerate(obligations.order_by("pk")):
            report = Report.objects.create(obligation=ob, status=ReportStatus.APPROVED)
            for k, indicator in enumerate(indicators):
                numerator = Decimal(20 + (i * 7 + k * 11) % 60 + (15 if ob.period.year == 2025 else 0))
                value_written(report, indicator.code, numerator=numerator, denominator=Decimal(100), value=numerator)
    forked = []
    real = commune_services._judge_in_workers
    monkeypatch.setattr(commune_services, "_judge_in_workers", lambda *a, **k: forked.append(a[2]) or real(*a, **k))
    # When the same data is recomputed in one process, then its scorecards in two workers
    # (scorecards_recompute forks whatever other threads this test process runs; recompute_all
    # would, rightly, not: see the test below)
    recompute.recompute_all(workers=1)
    alone = _cards()
    scorecards.scorecards_recompute(workers=2)
    # Then the two give the same cards, and the workers did judge communes with real statuses
    assert forked == [2]
    assert _cards() == alone
    communes = [v for (kind, _), v in alone.items() if kind == "commune"]
    assert len(communes) > 100
    assert sum(1 for counts, *_ in communes if set(counts) - {"not_available"}) > 100


@pytest.mark.flushes
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="worker processes are used on PostgreSQL only")
def test_no_workers_are_forked_while_another_thread_runs():
    # Given no transaction open, and another thread in the process (as in a threaded server)
    assert not connection.in_atomic_block
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        # Then the recomputation stays in this process
        assert engine.workers_for(2) == 1
    finally:
        stop.set()
        other.join()
