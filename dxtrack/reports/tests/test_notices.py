"""The report workflow notifies: submitted (the secretariat), returned with its reason and
approved (the unit), a signature request (the unit's approvers) — each once, after commit."""

import pytest

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.notifications.models import Kind, Notification
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.signature import signature_request
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tests.builders import filled

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(obligation):
    unit = obligation.admin_unit
    reporter = UserFactory(role=Role.REPORTER, admin_unit=unit, agency=None, email="bc@hamrong.example")
    approver = UserFactory(role=Role.APPROVER, admin_unit=unit, agency=None, email="ld@hamrong.example")
    secretariat = UserFactory(role=Role.SECRETARIAT, email="tgv@example.org")
    report = filled(report_open(actor=reporter, obligation=obligation), reporter)
    return report, reporter, approver, secretariat


def kinds(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True))


def test_each_step_tells_the_right_people_once(unit, mailoutbox, django_capture_on_commit_callbacks):
    report, reporter, approver, secretariat = unit
    # When the reporter asks for the signature
    with django_capture_on_commit_callbacks(execute=True):
        signature_request(actor=Access.for_user(reporter), report=report)
    # Then only the approver is told, in the app and by e-mail
    assert kinds(approver) == [Kind.SIGNATURE_REQUESTED]
    assert kinds(reporter) == [] and kinds(secretariat) == []
    assert [m.to for m in mailoutbox] == [["ld@hamrong.example"]]
    assert mailoutbox[0].subject == "Báo cáo Quý III/2025 của Phường Hàm Rồng chờ anh/chị ký gửi"
    assert AuditEvent.objects.filter(action="reporting.report.request_signature").count() == 1
    # When the approver submits: the secretariat is told
    with django_capture_on_commit_callbacks(execute=True):
        report = report_transition(actor=approver, report=report, action="submit")
    assert kinds(secretariat) == [Kind.REPORT_SUBMITTED]
    assert mailoutbox[-1].to == ["tgv@example.org"]
    # When it is returned: the unit's reporter and approver, with the reason
    with django_capture_on_commit_callbacks(execute=True):
        report = report_transition(actor=secretariat, report=report, action="return", reason="Thiếu minh chứng")
    assert kinds(reporter) == [Kind.REPORT_RETURNED]
    assert kinds(approver) == [Kind.SIGNATURE_REQUESTED, Kind.REPORT_RETURNED]
    returned = Notification.objects.get(recipient=reporter)
    assert returned.body.endswith("Lý do: Thiếu minh chứng")
    assert returned.url == f"/bao-cao/{report.pk}/"
    # When it is submitted again and approved: the unit is told of the approval
    with django_capture_on_commit_callbacks(execute=True):
        report = report_transition(actor=approver, report=report, action="submit")
        report = report_transition(actor=secretariat, report=report, action="approve")
    assert kinds(reporter) == [Kind.REPORT_RETURNED, Kind.REPORT_APPROVED]
    assert kinds(secretariat) == [Kind.REPORT_SUBMITTED, Kind.REPORT_SUBMITTED]
    # Every notification was e-mailed once
    assert len(mailoutbox) == Notification.objects.count() == 7


def test_a_rolled_back_step_tells_nobody(unit, mailoutbox, django_capture_on_commit_callbacks, monkeypatch):
    report, _reporter, approver, secretariat = unit
    from dxtrack.reports.services import workflow

    real = workflow.report_step_notify

    def notify_then_fail(**kwargs):
        real(**kwargs)
        assert Notification.objects.filter(recipient=secretariat).count() == 1
        raise RuntimeError("the step failed after notifying")

    # Given a step that fails after its notifications were written
    monkeypatch.setattr(workflow, "report_step_notify", notify_then_fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        report_transition(actor=approver, report=report, action="submit")
    # Then the step, its notifications and their e-mails are gone together
    report.refresh_from_db()
    assert report.status == "draft"
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_only_the_units_reporter_may_ask_for_a_signature(unit, obligation):
    report, reporter, approver, secretariat = unit
    stranger = UserFactory(role=Role.REPORTER)  # of another agency
    for who in (approver, secretariat, stranger):
        with pytest.raises(NotAllowed):
            signature_request(actor=Access.for_user(who), report=report)
    report_transition(actor=approver, report=report, action="submit")
    with pytest.raises(InvalidData):
        signature_request(actor=Access.for_user(reporter), report=report)
    assert Notification.objects.filter(kind=Kind.SIGNATURE_REQUESTED).count() == 0
    assert not AuditEvent.objects.filter(action="reporting.report.request_signature").exists()
