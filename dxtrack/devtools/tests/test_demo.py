"""The demo data generator, on the calendar of 2025 seen from 30/11/2025."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from dxtrack.accounts.access import SYSTEM
from dxtrack.devtools import demo
from dxtrack.reports.models import DataValue, Report, TaskUpdate

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


def earlier_run(request, demo_reports_2025_rows) -> list[tuple]:
    """The snapshot of an earlier run with the default seed: the session's `demo_reports_2025`
    (dxtrack/conftest.py), the rows `demo.generate` wrote as of TODAY on the same register and
    calendar (in this process, or in an earlier one of the same code, seeds and day whose capture
    was kept), put back in a savepoint rolled back at once; where they do not fit, the generator
    runs there instead. The tests that compare two runs so run it once themselves."""
    from dxtrack.core.snapshots import put_back_or_build

    try:
        with transaction.atomic():
            put_back_or_build(request, demo_reports_2025_rows, lambda: demo.generate(actor=SYSTEM, today=TODAY))
            earlier = snapshot()
            raise _Undo
    except _Undo:
        pass
    assert not Report.objects.exists()
    return earlier


def test_same_output_on_every_run(request, calendar_2025, demo_reports_2025_rows):
    earlier = earlier_run(request, demo_reports_2025_rows)
    try:
        with transaction.atomic():
            demo.generate(actor=SYSTEM, today=TODAY)
            now = snapshot()
            raise _Undo
    except _Undo:
        pass
    assert not Report.objects.exists()
    assert len(earlier) > 1000
    assert now == earlier


def test_a_different_seed_gives_different_data(request, calendar_2025, demo_reports_2025_rows):
    first = earlier_run(request, demo_reports_2025_rows)
    demo.generate(actor=SYSTEM, today=TODAY, seed=7)
    assert snapshot() != first


def test_command(calendar_2025):
    # (as of mid-April: the first quarter's reports are there, and the run costs a fifth of the
    # whole year's, which the tests above generate through the same function)
    out = StringIO()
    call_command("reporting", "demo-data", "--today", "15/04/2025", verbosity=0, stdout=out)
    assert "Dữ liệu trình diễn:" in out.getvalue()
    assert Report.objects.exists()


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
    counts = demo.generate(actor=SYSTEM, today=today)
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


def test_a_retired_task_is_not_asked_in_the_windows_after(calendar_2025):
    """Given a task retired between two quarters, when the generator takes the forms of one body's
    reports (computed once per kind of body), then the later window's form no longer asks it: the
    same tasks as reports.selectors.form_tasks."""
    from dxtrack.devtools.demo.values import _Forms
    from dxtrack.obligations.models import Obligation
    from dxtrack.plans.models import Task
    from dxtrack.reports import selectors

    quarters = list(
        Obligation.objects.filter(period__period_type="quarterly", period__year=2025)
        .select_related("period", "rule__document", "agency", "admin_unit")
        .order_by("window_from", "pk")
    )
    by_body: dict[tuple, list[Obligation]] = {}
    for o in quarters:
        by_body.setdefault((o.rule_id, o.agency_id, o.admin_unit_id), []).append(o)
    first, later = next(
        (first, later)
        for first, *after in by_body.values()
        for later in after[:1]
        if later.window_from > first.window_from and selectors.form_tasks(first)
    )
    task, _role = selectors.form_tasks(first)[0]
    Task.objects.filter(pk=task.pk).update(valid_to=later.window_from - datetime.timedelta(days=1))
    forms = _Forms()
    assert task.pk in [t.pk for t, _ in forms.of(first)[1]]
    asked = [(t.pk, role) for t, role in forms.of(later)[1]]
    assert task.pk not in [pk for pk, _ in asked]
    assert asked == [(t.pk, role) for t, role in selectors.form_tasks(later)]
