"""The briefing pack's numbers are the dashboards' numbers on its date: checked by calling the
same selectors the overview, the completeness page and the agency page call."""

import datetime
import io

import pytest
from docx import Document as Docx

from dxtrack.accounts.access import Access
from dxtrack.analytics import progress as p
from dxtrack.analytics import selectors as dashboard
from dxtrack.core.errors import NotAllowed
from dxtrack.reports import selectors as reporting

from .. import docx
from ..models import BriefingPack
from ..services import briefing, conclusions, directives, sessions
from . import builders

pytestmark = pytest.mark.django_db
SYSTEM = Access.system()
AS_OF = datetime.date(2025, 11, 20)


def _published(plan):
    session = builders.scheduled(plan)
    draft = conclusions.conclusions_import(
        actor=SYSTEM, session=session, data=builders.notice_docx(), filename="tb.docx"
    )
    from dxtrack.plans.services import review

    review.import_accept_all(actor=SYSTEM, plan_import=draft)
    conclusions.conclusions_publish(actor=SYSTEM, session=session)
    session.refresh_from_db()
    return session


def test_the_pack_counts_what_the_dashboards_count_on_its_date():
    # given a plan with an obligation already late on the pack's date, and a session's directives
    plan = builders.programme_plan()
    builders.obligation_for(plan, "SO_TAI_CHINH", quarter=3)  # due 15/10/2025, nothing sent
    first = _published(plan)
    later = sessions.session_schedule(actor=SYSTEM, kind="quarterly", date=datetime.date(2025, 12, 1))
    # when the next session's pack is prepared as of 20/11/2025
    pack = briefing.pack_prepare(actor=SYSTEM, session=later, as_of=AS_OF)
    f = pack.facts
    # then the target cards are the overview's
    summary = dashboard.summary()
    assert f["targets"]["total"] == summary.total
    assert [c["count"] for c in f["targets"]["cards"]] == [c.count for c in summary.cards]
    # and the late reports are the completeness page's on that date
    assert f["late"]["total"] == reporting.late_count(actor=SYSTEM, today=AS_OF) == 1
    assert f["late"]["rows"][0]["unit"] == "Sở Tài chính" and f["late"]["rows"][0]["status"] == "missing"
    # and the overdue directives are those the agency pages give as overdue that day: II.1 (30/9)
    # and II.2 (31/10) are past their deadlines with no update
    overdue = {t["title"][:30] for t in f["tasks"]["overdue_directives"]}
    assert overdue == {"Giao Sở Khoa học và Công nghệ ", "Giao Sở Tài chính chủ trì, phố"}
    from dxtrack.org.models import Agency

    khcn = dashboard.agency_page(Agency.objects.get(code="SO_KHCN"), at=AS_OF).extra["tasks"]
    assert [r.state for r in khcn if r.task.deadline == datetime.date(2025, 9, 30)] == [p.OVERDUE]
    overdue_count = next(c["count"] for c in f["tasks"]["counts"] if c["state"] == p.OVERDUE)
    assert overdue_count == 2 == len(f["tasks"]["overdue_tasks"]) + len(f["tasks"]["overdue_directives"])
    # and the previous session's directives are summed up
    assert f["previous"]["id"] == first.pk
    assert (f["last_directives"]["total"], f["last_directives"]["late"]) == (5, 2)
    assert f["moved_compared"] is False  # the previous session had no pack


def test_a_closed_directive_is_no_longer_late_in_the_next_pack():
    plan = builders.programme_plan()
    first = _published(plan)
    task = first.conclusions.tasks.get(clause__path="II.1")
    directives.directive_close(actor=SYSTEM, task=task, reason="Đã kết nối xong, Sở báo cáo tại văn bản 55/BC-SKHCN.")
    later = sessions.session_schedule(actor=SYSTEM, kind="quarterly", date=datetime.date(2025, 12, 1))
    pack = briefing.pack_prepare(actor=SYSTEM, session=later, as_of=AS_OF)
    assert (pack.facts["last_directives"]["closed"], pack.facts["last_directives"]["late"]) == (1, 1)


def test_the_pack_renders_as_an_official_docx():
    session = builders.scheduled()
    pack = briefing.pack_prepare(actor=SYSTEM, session=session, as_of=AS_OF)
    document = Docx(io.BytesIO(docx.render(pack.facts)))
    texts = [para.text for para in document.paragraphs]
    assert "TÀI LIỆU PHỤC VỤ PHIÊN HỌP" in texts
    assert "Phiên họp sơ kết 6 tháng đầu năm 2025" in texts
    assert "I. TÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU" in texts
    assert document.tables[0].cell(0, 1).text.splitlines()[:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    # and its number is left dotted for hand-filling, not an empty "Số: /BC-TGV"
    assert document.tables[0].cell(1, 0).text == "Số: ......../BC-TGV"


def test_only_the_secretariat_prepares_a_pack():
    from dxtrack.accounts.models import Role
    from dxtrack.accounts.tests.factories import UserFactory

    session = builders.scheduled()
    leader = Access.for_user(UserFactory(role=Role.LEADER))
    with pytest.raises(NotAllowed):
        briefing.pack_prepare(actor=leader, session=session, as_of=AS_OF)
    assert BriefingPack.objects.count() == 0
