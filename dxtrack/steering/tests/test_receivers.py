"""Steering's signals reach the people concerned through notifications: a published directive its
lead agency's people, a corrective action its owner's, the daily look the agencies of what is due
soon or overdue; each person once per event, in the app and by e-mail, after commit."""

import datetime

import pytest
from django.core import mail

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.notifications.models import Kind, Notification
from dxtrack.org.models import AdminLevel, AdminUnit, Agency
from dxtrack.plans.models import DocumentType, PartyRole, TaskParty
from dxtrack.plans.services import publication, review

from .. import tasks
from ..services import conclusions, inspections
from . import builders

pytestmark = pytest.mark.django_db
SYSTEM = Access.system()


def _publish(django_capture_on_commit_callbacks):
    plan = builders.programme_plan()
    session = builders.scheduled(plan)
    draft = conclusions.conclusions_import(
        actor=SYSTEM, session=session, data=builders.notice_docx(), filename="tb.docx"
    )
    review.import_accept_all(actor=SYSTEM, plan_import=draft)
    with django_capture_on_commit_callbacks(execute=True):
        conclusions.conclusions_publish(actor=SYSTEM, session=session)
    return session


def test_a_published_directive_is_notified_to_its_lead_agency_once(django_capture_on_commit_callbacks):
    # Given a reporter of Sở KH&CN, which leads directives of the notice, and a stranger elsewhere
    khcn = Agency.objects.get(code="SO_KHCN")
    reporter = UserFactory(role=Role.REPORTER, agency=khcn, email="khcn@example.org")
    # (Sở Y tế only coordinates the fifth directive: the lead agency answers for a directive)
    coordinator = UserFactory(role=Role.REPORTER, agency=Agency.objects.get(code="SO_Y_TE"), email="yte@example.org")
    # When the session's conclusions are published
    _publish(django_capture_on_commit_callbacks)
    # Then the reporter is told once of each directive Sở KH&CN leads, in the app and by e-mail
    led = TaskParty.objects.filter(role=PartyRole.LEAD, agency=khcn, task__document__doc_type=DocumentType.CONCLUSIONS)
    notes = Notification.objects.filter(recipient=reporter, kind=Kind.ASSIGNED)
    assert led.count() >= 1
    assert notes.count() == led.count()
    assert all(n.title.startswith("Được giao chỉ đạo: ") for n in notes)
    assert sorted(m.to for m in mail.outbox) == [["khcn@example.org"]] * led.count()
    # and a coordinating agency is not
    assert TaskParty.objects.filter(role=PartyRole.COORDINATING, agency__code="SO_Y_TE").exists()
    assert not Notification.objects.filter(recipient=coordinator).exists()


def test_the_daily_look_tells_the_agencies_once_a_day(django_capture_on_commit_callbacks):
    # Given published directives and a reporter of their lead agency
    khcn = Agency.objects.get(code="SO_KHCN")
    reporter = UserFactory(role=Role.REPORTER, agency=khcn)
    _publish(django_capture_on_commit_callbacks)
    Notification.objects.all().delete()
    # When the daily look runs twice on a day long after every deadline
    later = datetime.date(2030, 1, 2)
    _soon, late = tasks.due_lists(today=later)
    mine = [item for item in late if khcn.pk in item["agency_ids"]]
    with django_capture_on_commit_callbacks(execute=True):
        tasks.follow_up_due.call(later.isoformat())
        tasks.follow_up_due.call(later.isoformat())
    # Then the reporter has one overdue notification per directive it leads, not two
    notes = Notification.objects.filter(recipient=reporter, kind=Kind.OVERDUE)
    assert len(mine) >= 1
    assert notes.count() == len(mine)
    assert all("đã quá hạn" in n.title for n in notes)


def test_a_commune_owning_an_overdue_corrective_action_is_told_like_an_agency(django_capture_on_commit_callbacks):
    # Given a commune inspected on 10/9/2025 with a corrective action due 30/9/2025, a reporter
    # of that commune and one of another commune
    communes = list(AdminUnit.objects.filter(level=AdminLevel.COMMUNE).order_by("pk")[:2])
    reporter = UserFactory(role=Role.REPORTER, admin_unit=communes[0])
    stranger = UserFactory(role=Role.REPORTER, admin_unit=communes[1])
    plan = inspections.inspection_plan_create(
        actor=SYSTEM, year=2025, title="Kế hoạch kiểm tra năm 2025", teams=[("Đoàn 1", "Nguyễn Văn A", "")]
    )
    visit = inspections.visit_schedule(
        actor=SYSTEM, plan=plan, team=plan.teams.get(), date=datetime.date(2025, 9, 10), admin_unit=communes[0]
    )
    finding = inspections.finding_add(
        actor=SYSTEM,
        visit=visit,
        text="Chưa cập nhật số liệu dịch vụ công trực tuyến.",
        actions=[("Cập nhật số liệu quý III", datetime.date(2025, 9, 30))],
    )
    action = finding.actions.get()
    Notification.objects.all().delete()
    # When the daily look runs after the deadline
    later = datetime.date(2025, 10, 6)
    _soon, late = tasks.due_lists(today=later)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.follow_up_due.call(later.isoformat())
    # Then the item carries the commune, and the commune's reporter alone is told it is overdue
    assert [(i["kind"], i["pk"], i["agency_ids"], i["admin_unit_id"]) for i in late] == [
        ("action", action.pk, [], communes[0].pk)
    ]
    notes = Notification.objects.filter(kind=Kind.OVERDUE)
    assert [(n.recipient_id, n.title) for n in notes] == [
        (reporter.pk, "Biện pháp khắc phục đã quá hạn: Cập nhật số liệu quý III")
    ]
    assert not Notification.objects.filter(recipient=stranger).exists()


def test_a_notice_published_from_the_plan_review_page_concludes_its_session_and_is_notified(
    django_capture_on_commit_callbacks,
):
    # Given a session's notice imported and reviewed, and a reporter of a lead agency
    reporter = UserFactory(role=Role.REPORTER, agency=Agency.objects.get(code="SO_KHCN"))
    plan = builders.programme_plan()
    session = builders.scheduled(plan)
    draft = conclusions.conclusions_import(
        actor=SYSTEM, session=session, data=builders.notice_docx(), filename="tb.docx"
    )
    review.import_accept_all(actor=SYSTEM, plan_import=draft)
    # When it is published by the plan publication itself, as the plan review page does
    with django_capture_on_commit_callbacks(execute=True):
        document = publication.plan_import_publish(actor=SYSTEM, plan_import=draft)
    # Then the session points at its notice, as when published from the session's page
    session.refresh_from_db()
    assert session.conclusions == document
    # and the lead agency's people are told of their directives
    assert Notification.objects.filter(recipient=reporter, kind=Kind.ASSIGNED).count() >= 1
