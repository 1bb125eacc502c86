"""The demo data (on the calendar of 2025 seen from 30/11/2025), put back once for this module and
read by each test; a test that changes it does so in a savepoint rolled back after it. It is what
`demo.generate` wrote and returned in this process: the session's `demo_reports_2025` snapshot
(dxtrack/conftest.py), which the plans' revision tests put back too."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from dxtrack.accounts.access import SYSTEM
from dxtrack.core.models import AuditEvent
from dxtrack.devtools import demo
from dxtrack.obligations.models import Obligation, Period
from dxtrack.plans.models import Indicator
from dxtrack.reports import selectors
from dxtrack.reports import validation as v
from dxtrack.reports.models import DataValue, Report, ReportStatus, TaskUpdate
from dxtrack.reports.tests.builders import HAM_RONG

from .test_demo import EXPECTED, TODAY

# All on one xdist worker with the other users of the demo_reports_2025 snapshot (dxtrack/conftest.py
# groups them), so the world is generated once.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_reports_2025")]


@pytest.fixture(scope="module")
def generated_world(register_rows, calendar_2025_rows, demo_reports_2025_rows, django_db_blocker):
    """The register, the 2025 calendar and the demo data with the counts `demo.generate` returned,
    in a transaction held open for the module's tests (each test's own transaction is a savepoint
    inside it) and rolled back after the last, so nothing of it outlives the module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            for rows in (register_rows, calendar_2025_rows, demo_reports_2025_rows):
                assert rows.fits(), f"{rows.name}: the database is not as it was when captured"
                rows.put_back()
                rows.restored += 1
            yield demo_reports_2025_rows.result()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def generated(generated_world, db):
    return dict(generated_world)


def test_counts_for_a_fixed_scope(generated):
    assert generated == EXPECTED


def test_status_mix(generated):
    statuses = list(Report.objects.values_list("status", flat=True))
    # Past their due date most reports are approved; the current periods are still being written.
    past = Obligation.objects.filter(due__lt=TODAY)
    approved = past.filter(report__status__in=[ReportStatus.APPROVED, ReportStatus.LOCKED]).count()
    assert approved / past.count() > 0.6
    current = Obligation.objects.filter(due__gte=TODAY)
    assert current.filter(report__status=ReportStatus.DRAFT).count() > current.count() / 4
    for status in ReportStatus:
        assert status in statuses
    assert 0 < past.filter(report__isnull=True).count() < 0.1 * past.count()
    late = list(Report.objects.filter(first_submitted_at__isnull=False).select_related("obligation"))
    assert 0 < sum(not r.on_time for r in late) < len(late) / 3
    assert not Report.objects.filter(status=ReportStatus.RETURNED, return_reason="").exists()
    assert not Report.objects.filter(first_submitted_at__date__gt=TODAY).exists()
    assert not Report.objects.filter(decided_at__isnull=False, decided_at__lt=F("submitted_at")).exists()


def test_old_periods_are_closed_and_their_approved_reports_locked(generated):
    # From 30/11/2025 the last two quarters are Q2 and Q3: only Q1/2025 ended before them.
    closed = Period.objects.filter(closed_at__isnull=False)
    assert [p.label for p in closed] == ["Quý I/2025"]
    assert generated["periods_closed"] == 1
    in_closed = set(Report.objects.filter(obligation__period__in=closed).values_list("status", flat=True))
    assert ReportStatus.LOCKED in in_closed
    assert not in_closed & {ReportStatus.APPROVED, ReportStatus.SUBMITTED}
    assert not Report.objects.filter(obligation__period__closed_at__isnull=True, status=ReportStatus.LOCKED).exists()
    assert AuditEvent.objects.filter(action="reporting.period.close").count() == 1


def test_every_value_passes_the_unit_checks(generated):
    specs = {i.pk: selectors.indicator_spec(i) for i in Indicator.objects.all()}
    values = list(DataValue.objects.all())
    assert len(values) == generated["values"]
    for dv in values:
        assert v.check_unit(specs[dv.indicator_id], selectors.entry_of(dv)) == [], (dv.indicator_id, dv.value)
        assert (dv.period_id, dv.agency_id, dv.admin_unit_id) == (
            dv.report.obligation.period_id,
            dv.report.obligation.agency_id,
            dv.report.obligation.admin_unit_id,
        )
        if specs[dv.indicator_id].is_ratio:
            assert dv.value == v.derived_value(specs[dv.indicator_id], selectors.entry_of(dv))


def test_sent_reports_could_have_been_submitted(generated):
    """Every report past draft is complete: values, lead tasks, no unexplained finding."""
    sent = Report.objects.exclude(status__in=[ReportStatus.DRAFT]).select_related(
        "obligation__period", "obligation__rule", "obligation__admin_unit", "obligation__agency"
    )
    for report in sent.order_by("pk")[::25]:
        assert selectors.report_form(report).problems == [], report


def test_idempotent(generated):
    before = (Report.objects.count(), DataValue.objects.count(), TaskUpdate.objects.count(), AuditEvent.objects.count())
    again = demo.generate(actor=SYSTEM, today=TODAY)
    assert again["reports"] == again["values"] == again["task_updates"] == again["periods_closed"] == 0
    assert again["missing"] == generated["missing"]
    after = (Report.objects.count(), DataValue.objects.count(), TaskUpdate.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_one_audit_event_per_report(generated):
    events = AuditEvent.objects.filter(action="reporting.demo.generate")
    assert events.count() == generated["reports"] == Report.objects.count()
    report = Report.objects.exclude(status=ReportStatus.DRAFT).first()
    event = events.get(target_type="reports.report", target_id=str(report.pk))
    assert event.changes["status"] == [None, report.status]
    assert event.changes["values"] == [0, report.values.count()]
    assert event.changes["task_updates"] == [0, report.task_updates.count()]
    assert event.reason == "Dữ liệu trình diễn"


def test_the_demo_unit_has_its_current_reports_to_fill(generated):
    current = Obligation.objects.filter(
        admin_unit__code=HAM_RONG, admin_unit__valid_to__isnull=True, due__gte=TODAY
    ).select_related("period")
    quarterly = [o for o in current if o.period.period_type == "quarterly"]
    assert quarterly and all(not Report.objects.filter(obligation=o).exists() for o in quarterly)
    others = [o for o in current if o.period.period_type != "quarterly"]
    assert all(o.report.status == ReportStatus.DRAFT for o in others)


def test_setup_and_close_commands(generated):
    from dxtrack.accounts.models import Role
    from dxtrack.accounts.tests.factories import UserFactory

    out = StringIO()
    call_command("reporting", "setup", stdout=out)
    assert "giao thêm 0 chỉ tiêu" in out.getvalue()  # the fixture loaded them already
    approved = Report.objects.filter(obligation__period__label="Quý II/2025", status=ReportStatus.APPROVED).count()
    assert approved > 0
    secretariat = UserFactory(role=Role.SECRETARIAT)
    call_command("reporting", "close", "--period", "Quý II/2025", "--user", secretariat.username, stdout=out)
    assert f"Đã khóa sổ kỳ Quý II/2025: khóa {approved} báo cáo đã duyệt." in out.getvalue()
    with pytest.raises(CommandError, match="đã khóa sổ từ trước"):
        call_command("reporting", "close", "--period", "Quý II/2025", stdout=out)
    with pytest.raises(CommandError, match="một năm có bốn quý"):
        call_command("reporting", "close", "--period", "Quý V/2025", stdout=out)
    with pytest.raises(CommandError, match="Kỳ Quý I/2030 chưa có trong lịch báo cáo; lập lịch trước"):
        call_command("reporting", "close", "--period", "quý 1/2030", stdout=out)


def test_no_moment_after_the_day_it_is_run_as_of(generated):
    """Given a run as of 30/11/2025 (in the past), every moment it wrote is on or before that day."""
    from dxtrack.core.dates import end_of_day

    last = end_of_day(TODAY)
    for field in ("created_at", "updated_at", "first_submitted_at", "submitted_at", "decided_at"):
        assert not Report.objects.filter(**{f"{field}__gt": last}).exists(), field
    assert not DataValue.objects.filter(updated_at__gt=last).exists()
    assert not TaskUpdate.objects.filter(updated_at__gt=last).exists()


# The demo rounds as `make demo` makes them: there the closed round's year (last year) is fully
# reported, so its figures are prefilled from approved reports. Here that is 2025 (the world's
# reports, seen from 30/11/2025), so the rounds are made as of a day of 2026.
ROUNDS_AS_OF = datetime.date(2026, 1, 15)


def test_the_closed_demo_round_recognises_some_communes_and_seed_001s_target_gets_a_figure(generated):
    from dxtrack.analytics.models import TargetProgress
    from dxtrack.analytics.services.recompute import recompute_all
    from dxtrack.assessments.models import Answer, Recognition, Round, RoundStatus
    from dxtrack.devtools.demo import assessments

    # When the demo rounds are made over the world's approved reports
    counts = assessments.generate(actor=SYSTEM, today=ROUNDS_AS_OF)
    closed = Round.objects.get(year=2025)
    assert (closed.status, closed.demonstration) == (RoundStatus.CLOSED, True)
    # (its figures were prefilled from those reports, where the register feeds a criterion)
    assert Answer.objects.filter(submission__round=closed, source_report__isnull=False).exists()
    # Then some communes reach a tier and are recognised by the decision, and some do not
    submissions = closed.submissions.count()
    recognised = Recognition.objects.filter(decision__round=closed).count()
    assert counts["recognised"] == recognised
    assert 0.1 < recognised / submissions < 0.6, (recognised, submissions)
    assert closed.submissions.filter(tier__isnull=True).exists()
    # And seed 001's targets on the number of communes that complete digital transformation get
    # that figure, counted from the decision, and a status (judged as of the rounds' day)
    recompute_all(at=ROUNDS_AS_OF)
    progress = list(
        TargetProgress.objects.filter(target__indicator__code="so-xa-hoan-thanh-chuyen-doi-so").select_related("target")
    )
    assert progress
    for p in progress:
        assert (p.latest_year, p.latest_value) == (2026, recognised), p.target
        assert p.status not in ("", "not_available"), (p.target, p.status, p.reason)
