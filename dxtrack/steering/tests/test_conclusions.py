"""Importing a session's conclusions notice into directives, reviewing and publishing it, and what
the loop does with a directive afterwards (report form, follow-up, agency page)."""

import datetime

import pytest
from django.urls import reverse

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.analytics import selectors as dashboard
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.org.models import Agency
from dxtrack.plans.models import Document, DocumentType, ImportStatus, PlanImport, Task
from dxtrack.plans.services import links as review_links
from dxtrack.plans.services import review
from dxtrack.reports import selectors as report_selectors

from .. import selectors
from ..services import conclusions, sessions
from . import builders

pytestmark = pytest.mark.django_db
SYSTEM = Access.system()


def _imported(plan=None):
    session = builders.scheduled(plan)
    draft = conclusions.conclusions_import(
        actor=SYSTEM, session=session, data=builders.notice_docx(), filename="tb-12.docx"
    )
    return session, draft


def _rows(draft):
    rows = []
    for item in draft.items.filter(kind="task").order_by("position"):
        p = item.payload
        rows.append(
            (
                p["clause"],
                [r["code"] for r in p["lead"]],
                [r["code"] for r in p["coordinating"]],
                p["deadline_text"],
                p["deadline"],
            )
        )
    return rows


def test_a_notice_is_read_into_its_directives_with_agencies_and_deadlines():
    # given a session and the notice written above
    # when it is imported
    session, draft = _imported()
    # then each directive carries its lead, its coordinating agencies and its deadline, as
    # written and as a date; the merged department is replaced by its successor
    assert _rows(draft) == [
        ("II.1", ["SO_KHCN"], ["VP_UBND", "CONG_AN_TINH"], "trước ngày 30/9/2025", "2025-09-30"),
        ("II.2", ["SO_TAI_CHINH"], ["SO_NOI_VU"], "trước ngày 31/10/2025", "2025-10-31"),
        ("II.3", ["SO_KHCN"], [], "trong Quý IV năm 2025", "2025-12-31"),
        ("II.4", ["TT_PVHCC"], [], "31/12/2025", "2025-12-31"),
        ("II.5", ["SO_NOI_VU"], ["SO_Y_TE", "SO_GDDT"], "tháng 11/2025", "2025-11-30"),
    ]
    first = draft.items.get(kind="task", position=0).payload
    assert first["title"].startswith("Giao Sở Khoa học và Công nghệ chủ trì") and "30/9/2025" not in first["title"]
    # and the resolution is shown to the reviewer
    assert (
        "Chỉ đạo 3 (mục II.3): “Sở Thông tin và Truyền thông” không còn tồn tại vào ngày 10/07/2025; "
        "chỉ đạo giao cho cơ quan kế thừa là Sở Khoa học và Công nghệ."
    ) in draft.warnings
    assert draft.meta["number"] == "12/TB-BCĐ" and draft.meta["type"] == "Thông báo kết luận"
    session.refresh_from_db()
    assert session.conclusions_import == draft


def test_published_directives_are_tasks_of_a_conclusions_document_asked_in_the_lead_agency_report():
    # given the plan whose reports carry the directives, and the notice imported for its session
    plan = builders.programme_plan()
    session, draft = _imported(plan)
    obligation = builders.obligation_for(plan, "SO_KHCN")
    # when every directive is accepted and the session's conclusions published
    review.import_accept_all(actor=SYSTEM, plan_import=draft)
    document = conclusions.conclusions_publish(actor=SYSTEM, session=session)
    # then the notice is a conclusions document implementing the plan, its directives its tasks
    session.refresh_from_db()
    assert session.conclusions == document
    assert (document.doc_type, document.number, document.implements) == (DocumentType.CONCLUSIONS, "12/TB-BCĐ", plan)
    assert document.tasks.count() == 5
    # and Sở KH&CN's next report form asks the two it leads (the merged department's included)
    asked = [(t.clause.path, role) for t, role in report_selectors.form_tasks(obligation)]
    assert asked == [("II.1", "lead"), ("II.3", "lead")]
    # and its agency page lists them among its led tasks
    page = dashboard.agency_page(Agency.objects.get(code="SO_KHCN"), at=datetime.date(2025, 8, 1))
    assert sorted(r.task.clause.path for r in page.extra["tasks"]) == ["II.1", "II.3"]


def test_a_notice_without_directives_is_refused_and_nothing_is_saved():
    session = builders.scheduled()
    data = builders.notice_docx(["Các cơ quan tiếp tục triển khai theo kế hoạch."])
    with pytest.raises(InvalidData) as err:
        conclusions.conclusions_import(actor=SYSTEM, session=session, data=data, filename="tb.docx")
    assert err.value.message.startswith("Không nhận ra chỉ đạo nào trong “tb.docx”.")
    assert PlanImport.objects.count() == 0
    session.refresh_from_db()
    assert session.conclusions_import is None


def test_an_unknown_agency_and_a_deadline_before_the_session_are_refused_with_each_reason():
    session = builders.scheduled()
    data = builders.notice_docx(
        [
            "1. Giao Sở Vũ trụ Hàng không chủ trì xây dựng trạm vệ tinh; thời hạn: 31/12/2025.",
            "2. Giao Sở Tài chính chủ trì bố trí kinh phí; thời hạn: trước ngày 30/6/2025.",
        ]
    )
    with pytest.raises(InvalidData) as err:
        conclusions.conclusions_import(actor=SYSTEM, session=session, data=data, filename="tb.docx")
    assert err.value.details == [
        "Chỉ đạo 1 (mục II.1): không nhận ra cơ quan chủ trì “Sở Vũ trụ Hàng không”.",
        "Chỉ đạo 2 (mục II.2): thời hạn 30/06/2025 (“trước ngày 30/6/2025”) trước ngày họp 10/07/2025.",
    ]
    assert PlanImport.objects.count() == 0


def test_the_same_notice_twice_is_refused():
    # (one file's bytes, twice: a DOCX made again a second later differs in its zip's timestamps)
    data = builders.notice_docx()
    plan = builders.programme_plan()
    session = builders.scheduled(plan)
    draft = conclusions.conclusions_import(actor=SYSTEM, session=session, data=data, filename="tb-12.docx")
    review.import_accept_all(actor=SYSTEM, plan_import=draft)
    conclusions.conclusions_publish(actor=SYSTEM, session=session)
    other = sessions.session_schedule(actor=SYSTEM, kind="nine_month", date=datetime.date(2025, 10, 10))
    with pytest.raises(DomainError) as err:
        conclusions.conclusions_import(actor=SYSTEM, session=other, data=data, filename="x.docx")
    assert "đã được nhập" in err.value.message
    # the same number in another file is refused too
    data = builders.notice_docx(builders.DIRECTIVES[:2])
    with pytest.raises(DomainError) as err:
        conclusions.conclusions_import(actor=SYSTEM, session=other, data=data, filename="y.docx")
    assert err.value.message == "Thông báo số 12/TB-BCĐ đã có trong danh mục; không nhập trùng."
    assert PlanImport.objects.count() == 1 and Document.objects.filter(doc_type="thong_bao_kl").count() == 1


def test_a_deadline_edited_before_the_session_refuses_the_publication_whole():
    session, draft = _imported()
    review.import_accept_all(actor=SYSTEM, plan_import=draft)
    item = draft.items.get(kind="task", position=1)
    item.payload = item.payload | {"deadline": "2025-07-01", "deadline_text": "01/7/2025"}
    item.save()
    with pytest.raises(InvalidData) as err:
        conclusions.conclusions_publish(actor=SYSTEM, session=session)
    assert err.value.details == ["Chỉ đạo 2 (mục II.2): thời hạn 01/07/2025 (“01/7/2025”) trước ngày họp 10/07/2025."]
    draft.refresh_from_db()
    assert draft.status == ImportStatus.DRAFT and not Task.objects.filter(document__doc_type="thong_bao_kl").exists()


@pytest.mark.parametrize("page", ["session", "plan_review"])
def test_a_deadline_before_the_session_is_refused_alike_from_the_session_and_the_plan_review(page):
    # given an imported notice whose second directive the reviewer moved before the session day
    session, draft = _imported()
    review.import_accept_all(actor=SYSTEM, plan_import=draft)
    item = draft.items.get(kind="task", position=1)
    item.payload = item.payload | {"deadline": "2025-07-01", "deadline_text": "01/7/2025"}
    item.save()
    audits = AuditEvent.objects.count()
    # when it is published from the session's page, or from the plan review page
    with pytest.raises(InvalidData) as err:
        if page == "session":
            conclusions.conclusions_publish(actor=SYSTEM, session=session)
        else:
            review_links.plan_import_publish_checked(actor=SYSTEM, plan_import=draft)
    # then both refuse with the same words and nothing is published
    assert err.value.message == "Chưa đưa kết luận vào danh mục được; danh mục không thay đổi."
    assert err.value.details == ["Chỉ đạo 2 (mục II.2): thời hạn 01/07/2025 (“01/7/2025”) trước ngày họp 10/07/2025."]
    draft.refresh_from_db()
    session.refresh_from_db()
    assert (draft.status, draft.document_id, session.conclusions_id) == (ImportStatus.DRAFT, None, None)
    assert not Document.objects.filter(doc_type=DocumentType.CONCLUSIONS).exists()
    assert not Task.objects.filter(document__doc_type=DocumentType.CONCLUSIONS).exists()
    assert AuditEvent.objects.count() == audits


def test_the_plan_review_page_shows_the_session_deadline_refusal(client):
    # given a notice with a deadline moved before the session, and the secretariat signed in
    _session, draft = _imported()
    review.import_accept_all(actor=SYSTEM, plan_import=draft)
    item = draft.items.get(kind="task", position=0)
    item.payload = item.payload | {"deadline": "2025-07-09", "deadline_text": "09/7/2025"}
    item.save()
    client.force_login(UserFactory(role=Role.SECRETARIAT))
    # when the reviewer publishes from the plan review page
    response = client.post(reverse("plans:import_publish", args=[draft.pk]), follow=True)
    # then the page tells the steering rule and the register is unchanged
    assert "Chưa đưa kết luận vào danh mục được; danh mục không thay đổi." in response.content.decode()
    assert "Chỉ đạo 1 (mục II.1): thời hạn 09/07/2025 (“09/7/2025”) trước ngày họp 10/07/2025." in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == ImportStatus.DRAFT
    assert not Document.objects.filter(doc_type=DocumentType.CONCLUSIONS).exists()


def test_a_directive_entered_on_the_page_is_published_like_an_imported_one():
    session = builders.scheduled()
    khcn, vp = Agency.objects.get(code="SO_KHCN"), Agency.objects.get(code="VP_UBND")
    conclusions.directive_add(
        actor=SYSTEM,
        session=session,
        title="Hoàn thiện kho dữ liệu dùng chung",
        lead=khcn,
        coordinating=[vp],
        deadline=datetime.date(2025, 12, 15),
    )
    document = conclusions.conclusions_publish(actor=SYSTEM, session=session)
    task = document.tasks.get()
    assert (task.title, task.deadline, task.deadline_text) == (
        "Hoàn thiện kho dữ liệu dùng chung",
        datetime.date(2025, 12, 15),
        "15/12/2025",
    )
    assert [(p.role, p.agency.code) for p in task.parties.order_by("role", "position")] == [
        ("coordinating", "VP_UBND"),
        ("lead", "SO_KHCN"),
    ]
    session.refresh_from_db()
    assert [r.pk for r in selectors.directive_rows(actor=SYSTEM, session=session)] == [task.pk]


def test_an_agency_user_may_not_import_and_nothing_changes():
    session = builders.scheduled()
    reporter = UserFactory(role=Role.APPROVER)
    with pytest.raises(NotAllowed):
        conclusions.conclusions_import(
            actor=Access.for_user(reporter), session=session, data=builders.notice_docx(), filename="tb.docx"
        )
    assert PlanImport.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="steering.conclusions").exists()
