"""Phụ lục II of the periodic report: every task's title whole, its lead agency, its deadline."""

import datetime
import io

import pytest
from docx import Document

from dxtrack.plans.models import PartyRole, Task
from dxtrack.publishing import services

pytestmark = pytest.mark.django_db

HEAD = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Văn bản", "Thời hạn", "Tình trạng"]


def _lead(task: Task) -> str:
    names = []
    for party in task.parties.filter(role=PartyRole.LEAD).order_by("position"):
        body = party.agency or party.group or party.admin_unit
        name = body.name if body else party.text
        if name not in names:
            names.append(name)
    return "; ".join(names)


def test_the_task_appendix_holds_whole_titles_lead_agencies_and_deadlines(register, quarter, secretariat):
    # Given the programme's report of a quarter over the five plans
    report = services.report_compose(
        actor=secretariat, period=quarter, scope_kind="programme", at=datetime.date(2025, 11, 30)
    )
    # When its DOCX is rendered and read back
    document = Document(io.BytesIO(services.render_docx(report)))
    [table] = [t for t in document.tables if [c.text for c in t.rows[0].cells] == HEAD]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    # Then it has a row per task, in the report's order
    ids = [t["id"] for t in report.facts["tasks"]]
    assert len(rows) == len(ids) == Task.objects.count() > 300
    tasks = Task.objects.in_bulk(ids)
    for (number, title, lead, reference, deadline, _state), pk in zip(rows, ids, strict=True):
        task = tasks[pk]
        # each title whole, as stored (no "…" added, no cut), and its lead bodies by name
        assert (title, lead, reference) == (task.title, _lead(task), task.document.reference), number
        # and a deadline in every row: the plan's date or words where it gives one
        if task.deadline:
            assert deadline == f"{task.deadline:%d/%m/%Y}"
        elif task.deadline_text:
            assert deadline == task.deadline_text
        else:
            assert deadline
    # and the stored titles themselves are whole: none was cut to fit a limit
    assert max(len(t.title) for t in tasks.values()) > 300
    led = Task.objects.filter(parties__role=PartyRole.LEAD).distinct().count()
    assert sum(1 for _n, _t, lead, *_rest in rows if lead) == led > 250
