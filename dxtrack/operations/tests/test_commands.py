"""The secretariat's commands on a page: each shows what it will do, does it through the service
its management command calls, and says what it did; nobody else may use them."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from dxtrack.accounts.access import SYSTEM, Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.models import AuditEvent, Job
from dxtrack.obligations.models import Period, Reminder
from dxtrack.plans.models import PlanImport
from dxtrack.plans.services import uploads
from dxtrack.reports import reminders
from dxtrack.reports.models import Report, ReportStatus
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tests.builders import commune_obligation, filled

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
DUE = datetime.date(2025, 9, 15)
SOON = DUE - datetime.timedelta(days=5)


@pytest.fixture
def world(calendar_2025, monkeypatch):
    """Hàm Rồng's Q3/2025 obligation, its reporter and approver (with addresses), the
    secretariat; "today" five days before the due date."""
    monkeypatch.setattr(reminders.timezone, "localdate", lambda *a: SOON)
    obligation = commune_obligation()
    unit = obligation.admin_unit
    reporter = UserFactory(role=Role.REPORTER, admin_unit=unit, agency=None, email="baocao@hamrong.example")
    approver = UserFactory(role=Role.APPROVER, admin_unit=unit, agency=None, email="duyet@hamrong.example")
    secretariat = UserFactory(role=Role.SECRETARIAT)
    return obligation, reporter, approver, secretariat


def approved_report(obligation, reporter, approver, secretariat) -> Report:
    report = filled(report_open(actor=reporter, obligation=obligation), reporter)
    report_transition(actor=approver, report=report, action="submit")
    return report_transition(actor=Access.for_user(secretariat), report=report, action="approve")


def login(client, user):
    client.force_login(user)


def test_reminders_preview_shows_who_gets_what_and_sending_sends_exactly_that(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    # Given a report due in five days and a secretariat signed in
    obligation, _reporter, _approver, secretariat = world
    login(client, secretariat)
    # When she opens the preview
    page = client.get(reverse("operations:command_remind"))
    # Then it names the unit's two people with how each is reached, the subject, and sends nothing yet
    html = page.content.decode()
    assert page.status_code == 200
    planned = page.context["planned"]
    assert [p.recipients for p in planned] == [
        [
            f"{_approver.get_full_name() or _approver.username} (trong ứng dụng và e-mail duyet@hamrong.example)",
            f"{_reporter.get_full_name() or _reporter.username} (trong ứng dụng và e-mail baocao@hamrong.example)",
        ]
    ]
    assert "[Nhắc việc] Báo cáo Quý III/2025 của Phường Hàm Rồng sắp đến hạn (15/09/2025)" in html
    assert Reminder.objects.count() == 0
    # When she confirms
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("operations:command_remind"))
    # Then the reminder went to each of them (an e-mail each), recorded once, audited as her
    assert done.status_code == 200
    assert "Đã gửi 1 thư: 1 thư sắp đến hạn, 0 thư quá hạn." in done.content.decode()
    assert sorted(m.to for m in mailoutbox) == [["baocao@hamrong.example"], ["duyet@hamrong.example"]]
    reminder = Reminder.objects.get()
    assert (reminder.obligation_id, reminder.kind) == (obligation.pk, "due_soon")
    assert AuditEvent.objects.get(action="reporting.reminder.due_soon").actor == secretariat


def test_closing_a_period_shows_what_it_locks_then_locks_it(client, world):
    # Given an approved report in Q3/2025
    obligation, reporter, approver, secretariat = world
    report = approved_report(obligation, reporter, approver, secretariat)
    login(client, secretariat)
    url = reverse("operations:command_close", args=[obligation.period_id])
    # When she opens the confirmation
    page = client.get(url)
    # Then it counts the one approved report that will lock, and nothing is closed yet
    assert page.status_code == 200
    assert page.context["counts"]["approved"] == 1
    assert Period.objects.get(pk=obligation.period_id).closed_at is None
    # When she confirms
    done = client.post(url)
    # Then the period is closed and the report locked
    assert done.status_code == 200
    assert "Đã khóa 1 báo cáo đã duyệt" in done.content.decode()
    assert Period.objects.get(pk=obligation.period_id).closed_at is not None
    assert Report.objects.get(pk=report.pk).status == ReportStatus.LOCKED
    # And closing it again is refused with the reason, not a 500
    again = client.post(url)
    assert again.status_code == 400
    assert "đã khóa sổ từ trước" in again.content.decode()


def test_unlocking_needs_a_reason_and_returns_the_report_with_it(client, world):
    # Given an approved report
    obligation, reporter, approver, secretariat = world
    report = approved_report(obligation, reporter, approver, secretariat)
    login(client, secretariat)
    url = reverse("operations:command_unlock", args=[report.pk])
    assert client.get(url).status_code == 200
    # When she confirms without a reason
    refused = client.post(url, {"reason": "  ", "version": report.version})
    # Then it is refused and the report stays approved
    assert refused.status_code == 400
    assert "Cần ghi lý do mở khóa." in refused.content.decode()
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    # When she gives one
    done = client.post(url, {"reason": "Sai số liệu cáp quang.", "version": report.version})
    # Then the report is returned to the unit with the reason, audited
    assert done.status_code == 200
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (ReportStatus.RETURNED, "Sai số liệu cáp quang.")
    event = AuditEvent.objects.get(action="reporting.report.unlock")
    assert (event.actor, event.reason) == (secretariat, "Sai số liệu cáp quang.")


def test_recompute_runs_on_the_queue_and_the_page_shows_its_result(client, world):
    # Given the secretariat signed in (tasks run inline in the tests)
    *_, secretariat = world
    login(client, secretariat)
    # When she starts a recomputation
    started = client.post(reverse("operations:command_recompute"))
    # Then a job was queued and, done, its page says what was recomputed
    job = Job.objects.get(kind="analytics.recompute")
    assert started.status_code == 302
    assert started["Location"] == reverse("operations:command_recompute_job", args=[job.pk])
    assert job.state == "done"
    page = client.get(started["Location"], headers={"HX-Request": "true"})
    assert "Đã tính lại tiến độ" in page.content.decode()
    assert "bảng điểm trong" in page.content.decode()
    # And the command's page, opened again later, shows that last run
    again = client.get(reverse("operations:command_recompute")).content.decode()
    assert "Đã tính lại tiến độ" in again and 'id="tinh-lai"' in again


def test_rereading_an_import_makes_a_fresh_draft_and_keeps_the_old(client, db):
    # Given an import of a seed plan
    secretariat = UserFactory(role=Role.SECRETARIAT)
    seed = sorted(SEEDS.glob("*.txt"))[0]
    first = uploads.plan_import_create(actor=SYSTEM, data=seed.read_bytes(), filename=seed.name)
    login(client, secretariat)
    url = reverse("operations:command_import", args=[first.pk])
    assert client.get(url).status_code == 200
    # When the secretariat reads it again
    done = client.post(url)
    # Then a second draft holds the same proposals, and the first is unchanged
    assert done.status_code == 200
    fresh = PlanImport.objects.exclude(pk=first.pk).get()
    assert (fresh.filename, fresh.source_text, fresh.created_by) == (first.filename, first.source_text, secretariat)
    assert sorted(fresh.items.values_list("kind", "clause")) == sorted(first.items.values_list("kind", "clause"))
    assert PlanImport.objects.get(pk=first.pk).status == "draft"
    assert reverse("plans:import", args=[fresh.pk]) in done.content.decode()


@pytest.mark.parametrize("role", [Role.REPORTER, Role.APPROVER, Role.LEADER])
def test_nobody_but_the_secretariat_may_use_the_commands(client, world, role, mailoutbox):
    # Given an approved report, an import, and someone who is not the secretariat
    obligation, reporter, approver, secretariat = world
    report = approved_report(obligation, reporter, approver, secretariat)
    seed = sorted(SEEDS.glob("*.txt"))[0]
    plan_import = uploads.plan_import_create(actor=SYSTEM, data=seed.read_bytes(), filename=seed.name)
    unit = obligation.admin_unit if role != Role.LEADER else None
    login(client, UserFactory(role=role, admin_unit=unit, agency=None))
    pages = [
        ("get", reverse("operations:commands")),
        ("get", reverse("operations:command_remind")),
        ("post", reverse("operations:command_remind")),
        ("get", reverse("operations:command_periods")),
        ("get", reverse("operations:command_close", args=[obligation.period_id])),
        ("post", reverse("operations:command_close", args=[obligation.period_id])),
        ("get", reverse("operations:command_unlocks")),
        ("post", reverse("operations:command_unlock", args=[report.pk])),
        ("get", reverse("operations:command_recompute")),
        ("post", reverse("operations:command_recompute")),
        ("get", reverse("operations:command_imports")),
        ("post", reverse("operations:command_import", args=[plan_import.pk])),
    ]
    for method, url in pages:
        # When they open or post any command
        answer = getattr(client, method)(url, {"reason": "thử"} if method == "post" else None)
        # Then it is refused
        assert answer.status_code in (403, 404), (method, url, answer.status_code)
    # And nothing changed
    assert Reminder.objects.count() == 0 and mailoutbox == []
    assert Period.objects.get(pk=obligation.period_id).closed_at is None
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    assert Job.objects.count() == 0
    assert PlanImport.objects.count() == 1


def test_the_navigation_shows_the_commands_to_the_secretariat_only(client, world):
    _obligation, reporter, _approver, secretariat = world
    login(client, reporter)
    assert reverse("operations:commands") not in client.get(reverse("reports:index")).content.decode()
    login(client, secretariat)
    assert reverse("operations:commands") in client.get(reverse("reports:index")).content.decode()


def test_the_unlock_list_finds_a_unit_typed_without_diacritics_and_survives_control_characters(client, world):
    # Given Hàm Rồng's approved report and the secretariat signed in
    obligation, reporter, approver, secretariat = world
    report = approved_report(obligation, reporter, approver, secretariat)
    login(client, secretariat)
    url = reverse("operations:command_unlocks")
    # When she searches the unit's name typed without diacritics
    found = client.get(url, {"q": "ham rong"})
    # Then the report is listed
    assert found.status_code == 200
    assert [r.pk for r in found.context["page"]] == [report.pk]
    # and a query carrying a NUL (which PostgreSQL refuses) is read without it
    assert client.get(url, {"q": "ham\x00rong"}).status_code == 200
