"""Reminders: who is e-mailed, when, and never twice for the same reason."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.models import AuditEvent
from dxtrack.obligations.models import Reminder
from dxtrack.reports import reminders
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.periods import period_close
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tasks import send_reminders
from dxtrack.reports.tests.builders import commune_obligation, filled

pytestmark = pytest.mark.django_db

DUE = datetime.date(2025, 9, 15)
SOON = DUE - datetime.timedelta(days=5)
LATE = DUE + datetime.timedelta(days=5)


@pytest.fixture
def unit_users(calendar_2025):
    """Hàm Rồng's Q3/2025 obligation and its people: two who are written to, three who are not."""
    obligation = commune_obligation()
    assert obligation.due == DUE
    unit = obligation.admin_unit
    reporter = UserFactory(username="hr.baocao", role=Role.REPORTER, admin_unit=unit, email="baocao@hamrong.example")
    approver = UserFactory(username="hr.duyet", role=Role.APPROVER, admin_unit=unit, email="duyet@hamrong.example")
    UserFactory(role=Role.REPORTER, admin_unit=unit, email="")  # no address
    UserFactory(role=Role.REPORTER, admin_unit=unit, email="nghi@hamrong.example", is_active=False)
    UserFactory(role=Role.SECRETARIAT, email="tgv@example.org")  # not the unit's
    return obligation, reporter, approver


def run(today, capture):
    with capture(execute=True):
        return reminders.reminders_send(actor=SYSTEM, today=today)


def test_due_soon_mail_goes_to_the_units_reporters_and_approvers(
    unit_users, mailoutbox, django_capture_on_commit_callbacks
):
    obligation, *_ = unit_users
    result = run(SOON, django_capture_on_commit_callbacks)
    assert (result.due_soon, result.overdue) == (1, 0)
    assert result.no_addressee > 0  # the other communes have no users yet
    # Each person gets their own e-mail (a notification each, ADR 0028)
    assert sorted(m.to[0] for m in mailoutbox) == ["baocao@hamrong.example", "duyet@hamrong.example"]
    assert all(len(m.to) == 1 for m in mailoutbox)
    mail = mailoutbox[0]
    assert mail.subject == "[Nhắc việc] Báo cáo Quý III/2025 của Phường Hàm Rồng sắp đến hạn (15/09/2025)"
    assert "Còn 5 ngày nữa là đến hạn gửi báo cáo." in mail.body
    assert "Hạn gửi: 15/09/2025" in mail.body
    assert "chưa được gửi (hiện chưa lập báo cáo)" in mail.body
    assert obligation.rule.document.reference in mail.body
    assert f"http://127.0.0.1:8000/bao-cao/nghia-vu/{obligation.pk}/" in mail.body
    reminder = Reminder.objects.get(obligation=obligation)
    assert reminder.kind == "due_soon"
    # Everyone of the unit who reports or signs is told; the one without an address in the app only
    assert len(reminder.recipients) == 3
    assert {"hr.baocao", "hr.duyet"} <= set(reminder.recipients)
    event = AuditEvent.objects.get(action="reporting.reminder.due_soon")
    assert event.target_id == str(reminder.pk)


def test_overdue_mail(unit_users, mailoutbox, django_capture_on_commit_callbacks):
    obligation, reporter, _approver = unit_users
    report_open(actor=reporter, obligation=obligation)  # a draft is still unsent
    result = run(LATE, django_capture_on_commit_callbacks)
    assert (result.due_soon, result.overdue) == (0, 1)
    assert [m.subject for m in mailoutbox] == [
        "[Quá hạn] Báo cáo Quý III/2025 của Phường Hàm Rồng đã quá hạn 5 ngày"
    ] * 2
    assert "Báo cáo đã quá hạn 5 ngày." in mailoutbox[0].body
    assert "đang soạn" in mailoutbox[0].body


def test_never_twice_for_the_same_reason(unit_users, mailoutbox, django_capture_on_commit_callbacks):
    obligation, *_ = unit_users
    for day in (SOON, SOON + datetime.timedelta(days=2)):
        run(day, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2  # the reporter and the approver, once
    run(LATE, django_capture_on_commit_callbacks)
    run(LATE + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert [m.subject.split("]")[0] for m in mailoutbox] == ["[Nhắc việc"] * 2 + ["[Quá hạn"] * 2
    assert sorted(Reminder.objects.filter(obligation=obligation).values_list("kind", flat=True)) == [
        "due_soon",
        "overdue",
    ]


def test_a_reminder_recorded_by_a_concurrent_run_is_not_sent_again(
    unit_users, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    obligation, *_ = unit_users
    found = reminders.candidates(SOON)
    # The other run commits its row between our read and our insert.
    Reminder.objects.create(obligation=obligation, kind="due_soon", recipients=[])
    monkeypatch.setattr(reminders, "candidates", lambda today: found)
    result = run(SOON, django_capture_on_commit_callbacks)
    assert result.due_soon == 0
    assert mailoutbox == []


def test_not_for_submitted_reports(unit_users, mailoutbox, django_capture_on_commit_callbacks):
    obligation, reporter, approver = unit_users
    report = filled(report_open(actor=reporter, obligation=obligation), reporter)
    report_transition(actor=approver, report=report, action="submit")
    assert run(SOON, django_capture_on_commit_callbacks).sent == 0
    assert run(LATE, django_capture_on_commit_callbacks).sent == 0
    assert mailoutbox == []


def test_not_for_old_or_closed_periods(unit_users, mailoutbox, django_capture_on_commit_callbacks, settings):
    obligation, *_ = unit_users
    settings.DXTRACK_REMINDER_OVERDUE_MAX_DAYS = 30
    assert run(DUE + datetime.timedelta(days=31), django_capture_on_commit_callbacks).sent == 0
    period_close(actor=SYSTEM, period=obligation.period)
    assert run(LATE, django_capture_on_commit_callbacks).sent == 0
    assert mailoutbox == []
    assert not Reminder.objects.exists()


def test_a_unit_without_addressees_is_reminded_once_someone_joins(
    calendar_2025, mailoutbox, django_capture_on_commit_callbacks
):
    obligation = commune_obligation()
    run(SOON, django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert not Reminder.objects.exists()
    UserFactory(role=Role.REPORTER, admin_unit=obligation.admin_unit, email="moi@hamrong.example")
    result = run(SOON + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert result.due_soon == 1
    assert mailoutbox[0].to == ["moi@hamrong.example"]
    assert "Còn 4 ngày nữa" in mailoutbox[0].body


def test_task_and_command(unit_users, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders.enqueue(today_iso=SOON.isoformat())
    assert result.return_value["due_soon"] == 1
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reporting", "remind", "--today", LATE.strftime("%d/%m/%Y"), stdout=out)
    assert "đã gửi 1 thư (0 sắp đến hạn, 1 quá hạn)" in out.getvalue()
    assert len(mailoutbox) == 4  # two people, each reminder once
