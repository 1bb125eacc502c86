"""Two people saving the same value at the same moment, each in their own connection and
transaction: one wins, the other is told, and nothing is silently overwritten. PostgreSQL only:
SQLite's shared in-memory test database refuses a second writer outright ("table is locked")
instead of making it wait, so there is no race to observe there; CI runs the suite on both."""

import threading

import pytest
from django.db import connection

from dxtrack.accounts.access import SYSTEM
from dxtrack.core.models import AuditEvent
from dxtrack.obligations import services as obligation_services
from dxtrack.plans.models import ReportingRule
from dxtrack.plans.register import register_load
from dxtrack.reports.models import DataValue
from dxtrack.reports.services.defaults import defaults_load
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.values import ValueInput, values_apply
from dxtrack.reports.tests.builders import commune_obligation, unit_people

pytestmark = [pytest.mark.flushes, pytest.mark.django_db(transaction=True)]

COUNT = "doanh-nghiep-cong-nghe-so-phat-trien-trong-nam"


def _race(calls):
    """Runs each call in its own thread and connection, released together."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
def test_two_concurrent_edits_of_one_value_one_wins_the_other_is_told(reference_data):
    # Given a commune's report whose value both the reporter and the approver have open at version 1
    register_load(actor=SYSTEM)
    defaults_load(actor=SYSTEM)
    rule = ReportingRule.objects.get(document__code="kh-bcd-cds-2024", clause__path="V.3")
    obligation_services.calendar_generate(actor=SYSTEM, year=2025, rules=[rule])
    obligation = commune_obligation()
    reporter, approver, _ = unit_people(obligation.admin_unit)
    report = report_open(actor=reporter, obligation=obligation)
    values_apply(actor=reporter, report=report, rows=[ValueInput(COUNT, value="4")])
    events = AuditEvent.objects.count()

    # When both save a different value at the same moment
    results, errors = _race(
        [
            lambda: values_apply(actor=reporter, report=report, rows=[ValueInput(COUNT, value="5", version=1)]),
            lambda: values_apply(actor=approver, report=report, rows=[ValueInput(COUNT, value="6", version=1)]),
        ]
    )

    # Then exactly one is saved, the other is a conflict, and the stored value is the winner's
    assert errors == []
    outcomes = sorted(r.rows[0].result for r in results)
    assert outcomes == ["conflict", "updated"]
    winner = next(i for i, r in enumerate(results) if r.rows[0].result == "updated")
    value = DataValue.objects.get(report=report, indicator__code=COUNT)
    assert (str(value.value), value.version, value.updated_by_id) == (
        ["5.0000", "6.0000"][winner],
        2,
        [reporter, approver][winner].pk,
    )
    assert AuditEvent.objects.count() == events + 1
