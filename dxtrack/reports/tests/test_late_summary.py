"""The late-report box of the dashboards: kept for the province, read fresh for a unit."""

import datetime

import pytest
from django.utils import timezone

from dxtrack.obligations.models import Obligation
from dxtrack.reports import selectors
from dxtrack.reports.models import Report
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tests.builders import commune_obligation, filled, unit_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(calendar_2025):
    obligation = commune_obligation()
    reporter, approver, secretariat = unit_people(obligation.admin_unit)
    return obligation, reporter, approver, secretariat


def _late_ids(summary) -> set[int]:
    return {row.obligation.pk for row in summary.rows}


def test_the_province_summary_counts_what_late_reports_lists(world):
    obligation, _reporter, _approver, secretariat = world
    today = obligation.due + datetime.timedelta(days=5)
    # When
    summary = selectors.late_summary(actor=secretariat, today=today, limit=5)
    # Then
    assert summary.total == selectors.late_count(actor=secretariat, today=today)
    assert [r.obligation.pk for r in summary.rows] == [
        r.obligation.pk for r in selectors.late_reports(actor=secretariat, today=today, limit=5)
    ]
    assert summary.total > 0


def test_a_submission_in_this_process_shows_at_once_in_the_kept_province_summary(world):
    obligation, reporter, approver, secretariat = world
    today = obligation.due + datetime.timedelta(days=5)
    before = selectors.late_summary(actor=secretariat, today=today)
    # When the commune submits (after its due date: it stays late, as "sent late")
    report = filled(report_open(actor=reporter, obligation=obligation), reporter)
    report_transition(actor=approver, report=report, action="submit")
    Report.objects.filter(pk=report.pk).update(
        first_submitted_at=timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    )
    after = selectors.late_summary(actor=secretariat, today=today)
    # Then the count is the same (still late), but the kept summary was read again
    assert after.total == before.total
    assert after.computed_at > before.computed_at
    assert after.total == selectors.late_count(actor=secretariat, today=today)


def test_the_province_summary_is_kept_until_a_write_or_a_new_day(world):
    obligation, _reporter, _approver, secretariat = world
    today = obligation.due + datetime.timedelta(days=5)
    first = selectors.late_summary(actor=secretariat, today=today)
    # When the communes' due dates move past today by a queryset update, which sends no signal
    Obligation.objects.filter(admin_unit__isnull=False).update(due=today + datetime.timedelta(days=30))
    kept = selectors.late_summary(actor=secretariat, today=today)
    next_day = selectors.late_summary(actor=secretariat, today=today + datetime.timedelta(days=1))
    # Then the same day reads the kept figures; the next day counts afresh
    assert kept.computed_at == first.computed_at and kept.total == first.total
    assert next_day.total == selectors.late_count(actor=secretariat, today=today + datetime.timedelta(days=1))
    assert next_day.total < first.total


def test_a_units_summary_is_read_fresh_every_time(world):
    obligation, reporter, _approver, _secretariat = world
    today = obligation.due + datetime.timedelta(days=5)
    first = selectors.late_summary(actor=reporter, today=today)
    assert _late_ids(first) == {obligation.pk}
    # When its obligation moves past today behind the signals' back
    Obligation.objects.filter(pk=obligation.pk).update(due=today + datetime.timedelta(days=30))
    # Then the unit's own box shows it at once
    again = selectors.late_summary(actor=reporter, today=today)
    assert (again.total, again.rows) == (0, [])


def test_a_write_drops_the_kept_summary_again_when_it_commits(world, django_capture_on_commit_callbacks):
    obligation, _reporter, _approver, secretariat = world
    today = obligation.due + datetime.timedelta(days=5)
    # Given a write whose transaction has not committed yet, and a summary read in between
    # (as another thread of the same server process could)
    with django_capture_on_commit_callbacks(execute=True):
        Report.objects.create(obligation=obligation)
        during = selectors.late_summary(actor=secretariat, today=today)
        assert selectors.late_summary(actor=secretariat, today=today).computed_at == during.computed_at
    # When it commits, then the summary is read afresh
    after = selectors.late_summary(actor=secretariat, today=today)
    assert after.computed_at > during.computed_at


def test_the_province_summarys_stamp_stays_while_it_is_kept_and_moves_when_it_is_read_afresh(world):
    obligation, reporter, _approver, secretariat = world
    today = obligation.due + datetime.timedelta(days=5)
    # Given the kept summary's stamp (a unit's own list is never kept: no stamp)
    first = selectors.late_summary_stamp(actor=secretariat, today=today)
    assert selectors.late_summary_stamp(actor=reporter, today=today) is None
    # When nothing is written, then the stamp is the same, and names the summary read
    assert selectors.late_summary_stamp(actor=secretariat, today=today) == first
    assert first.endswith(selectors.late_summary(actor=secretariat, today=today).computed_at.isoformat())
    # When a report is written, or on the next day, then it moves
    Report.objects.create(obligation=obligation)
    after_write = selectors.late_summary_stamp(actor=secretariat, today=today)
    next_day = selectors.late_summary_stamp(actor=secretariat, today=today + datetime.timedelta(days=1))
    assert len({first, after_write, next_day}) == 3
