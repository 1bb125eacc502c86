"""The demo data generator, on the calendar of 2025 seen from 30/11/2025."""

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

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 11, 30)
# The mix for this scope with the default seed. A change here means the generator's output changed:
# check the new mix is still plausible, then update.
EXPECTED = {
    "obligations": 814,
    "reports": 651,
    "locked": 42,
    "approved": 226,
    "submitted": 135,
    "returned": 22,
    "draft": 226,
    "missing": 163,
    "late": 51,
    "outliers": 14,
    "periods_closed": 1,
    "values": 2893,  # the departments' figures for the targets read from task sections
    "task_updates": 8095,  # a unit's own tasks only; no update asked for a reporting duty (a rule)
}


class _Undo(Exception):
    pass


def snapshot() -> list[tuple]:
    """Everything generated, keyed by what is stable across databases (codes and labels, not ids)."""
    values = DataValue.objects.values_list(
        "report__obligation__rule__document__code",
        "period__label",
        "admin_unit__code",
        "agency__code",
        "indicator__code",
        "value",
        "numerator",
        "denominator",
        "comment",
    )
    reports = Report.objects.values_list(
        "obligation__rule__document__code",
        "obligation__rule__due",
        "obligation__period__label",
        "obligation__admin_unit__code",
        "obligation__agency__code",
        "status",
        "first_submitted_at",
        "decided_at",
        "return_reason",
        "results",
    )
    tasks = TaskUpdate.objects.values_list(
        "report__obligation__period__label",
        "report__obligation__admin_unit__code",
        "task__position",
        "state",
        "percent",
    )
    return sorted(map(repr, values)) + sorted(map(repr, reports)) + sorted(map(repr, tasks))


@pytest.fixture
def generated(calendar_2025):
    return demo.generate(today=TODAY)


def test_counts_for_a_fixed_scope(generated):
    assert generated == EXPECTED


def test_same_output_on_every_run(calendar_2025):
    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                demo.generate(today=TODAY)
                runs.append(snapshot())
                raise _Undo
        except _Undo:
            pass
    assert not Report.objects.exists()
    assert len(runs[0]) > 1000
    assert runs[0] == runs[1]


def test_a_different_seed_gives_different_data(calendar_2025):
    try:
        with transaction.atomic():
            demo.generate(today=TODAY)
            first = snapshot()
            raise _Undo
    except _Undo:
        pass
    demo.generate(today=TODAY, seed=7)
    assert snapshot() != first


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
    again = demo.generate(today=TODAY)
    assert again["reports"] == again["values"] == again["task_updates"] == again["periods_closed"] == 0
    assert again["missing"] == generated["missing"]
    after = (Report.objects.count(), DataValue.objects.count(), TaskUpdate.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_one_audit_event_per_report(generated):
    events = AuditEvent.objects.filter(action="reporting.demo.generate")
    assert events.count() == generated["reports"] == Report.objects.count()
    report = Report.objects.exclude(status=ReportStatus.DRAFT).first()
    event = events.get(target_type="reporting.report", target_id=str(report.pk))
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


def test_command(calendar_2025):
    out = StringIO()
    call_command("reporting", "demo-data", "--today", "30/11/2025", verbosity=0, stdout=out)
    assert "Dữ liệu trình diễn:" in out.getvalue()
    assert Report.objects.exists()


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


# ---- the demo is never in the future of its own run --------------------------------------------


@pytest.fixture
def early_morning(monkeypatch):
    """The clock at 03:18 tomorrow (Asia/Ho_Chi_Minh): later than anything stored before the
    test, and hours before the office hours the generator draws its moments from."""
    from django.utils import timezone

    from dxtrack.core.dates import at_local
    from dxtrack.core.testing import freeze_clock

    moment = at_local(timezone.localdate() + datetime.timedelta(days=1), datetime.time(3, 18))
    freeze_clock(monkeypatch, moment)
    return moment


def test_no_stored_moment_is_later_than_the_run(early_morning, register):
    """Given a run at 03:18 on the day it is run as of, when the demo is generated over that
    year's calendar, then no DateTimeField of any model holds a moment after 03:18."""
    from django.utils import timezone

    from dxtrack.core.testing import stamps_after
    from dxtrack.obligations import services as obligation_services

    today = timezone.localdate()
    assert timezone.now() == early_morning
    obligation_services.calendar_generate(actor=SYSTEM, year=today.year)
    counts = demo.generate(today=today)
    assert counts["reports"] > 0
    assert stamps_after(early_morning) == []  # none is after the run…
    sent = Report.objects.filter(first_submitted_at__isnull=False)
    assert sent.filter(first_submitted_at__date=today - datetime.timedelta(days=1)).exists()
    for report in sent.only("first_submitted_at", "submitted_at", "decided_at", "created_at"):
        for moment in (report.first_submitted_at, report.submitted_at, report.decided_at, report.created_at):
            # …and every one is in office hours
            assert moment is None or 7 <= timezone.localtime(moment).hour <= 17, (report.pk, moment)
    # nor is open data "updated" after it, nor first published after it
    from dxtrack.analytics.services.recompute import recompute_all
    from dxtrack.opendata import catalogue

    recompute_all()
    for dataset in catalogue.datasets().values():
        meta = catalogue.metadata(dataset)
        assert meta["modified"] is not None and meta["modified"] <= early_morning, dataset.slug
        assert meta["issued"] <= early_morning, dataset.slug
    assert stamps_after(early_morning) == []


def test_no_moment_after_the_day_it_is_run_as_of(generated):
    """Given a run as of 30/11/2025 (in the past), every moment it wrote is on or before that day."""
    from dxtrack.core.dates import end_of_day

    last = end_of_day(TODAY)
    for field in ("created_at", "updated_at", "first_submitted_at", "submitted_at", "decided_at"):
        assert not Report.objects.filter(**{f"{field}__gt": last}).exists(), field
    assert not DataValue.objects.filter(updated_at__gt=last).exists()
    assert not TaskUpdate.objects.filter(updated_at__gt=last).exists()


def test_a_day_in_the_future_is_refused(calendar_2025):
    from django.utils import timezone

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(CommandError, match=r"chưa đến: dữ liệu trình diễn chỉ được tạo đến hôm nay"):
        call_command("reporting", "demo-data", "--today", tomorrow.strftime("%d/%m/%Y"), verbosity=0)
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Ngày --today để trống"),
        ("   ", "Ngày --today để trống"),
        ("30/11", "thiếu năm"),
        ("30/11/25", "năm hai chữ số"),
        ("11/30/2025", "ghi tháng trước ngày"),
        ("31/02/2025", "không phải là ngày có thật"),
        ("hôm qua", "không phải là ngày có thật"),
        ("30/11/1900", "ngoài khoảng năm"),
        ("'; DROP TABLE reporting_report; --", "không phải là ngày có thật"),
    ],
)
def test_a_wrong_today_is_refused_in_vietnamese(calendar_2025, typed, message):
    with pytest.raises(CommandError, match=message):
        call_command("reporting", "demo-data", "--today", typed, verbosity=0)
    assert not Report.objects.exists()
