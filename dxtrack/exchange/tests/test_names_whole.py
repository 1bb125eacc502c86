"""A unit is asked only about its own tasks, sees their titles whole (page and Excel), and never
reads an internal code."""

import io
import re
from html import escape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dxtrack.core.models import AuditEvent
from dxtrack.exchange import excel
from dxtrack.org.models import AdminUnitChange
from dxtrack.plans.models import PartyRole, ReportingRule, Task, TaskParty
from dxtrack.reports import selectors
from dxtrack.reports.selectors import _groups_for_unit_level
from dxtrack.reports.services.opening import report_open

pytestmark = pytest.mark.django_db


def _own(task: Task, unit) -> bool:
    """The rule, restated for the test: a party names the unit, a former unit merged into it, the
    group of its level or a group whose duties passed to that one."""
    former = set(AdminUnitChange.objects.filter(new=unit).values_list("old_id", flat=True)) | {unit.pk}
    groups = _groups_for_unit_level(unit.level)
    return any(p.admin_unit_id in former or p.group_id in groups for p in task.parties.all())


def test_a_wards_form_holds_only_its_own_tasks_and_no_reporting_duty(obligation):
    # Given Phường Hàm Rồng's quarterly obligation under the 2024 plan
    unit, document = obligation.admin_unit, obligation.rule.document
    # When its form selects its tasks
    tasks = [task for task, _role in selectors.form_tasks(obligation)]
    # Then every one is its own, and the plan's reporting clauses ("Báo cáo định kỳ hàng quý…",
    # "Giám đốc các sở, ban, ngành…") are not asked as tasks
    assert tasks and all(_own(task, unit) for task in tasks)
    duty_clauses = set(ReportingRule.objects.filter(document=document).values_list("clause_id", flat=True))
    assert not [t.title for t in tasks if t.clause_id in duty_clauses]
    titles = {t.title for t in tasks}
    assert not any(t.startswith(("Báo cáo định kỳ hàng quý", "Giám đốc các sở, ban, ngành")) for t in titles)
    # And no task of the plan that is its own (outside the reporting clauses) is left out
    others = Task.objects.filter(document=document).exclude(pk__in=[t.pk for t in tasks]).prefetch_related("parties")
    assert not [t.title for t in others if _own(t, unit) and t.clause_id not in duty_clauses]


def test_a_task_of_a_former_commune_is_asked_of_the_ward_it_became(obligation):
    # Given a task of the 2024 plan led by a commune merged into Phường Hàm Rồng on 1/7/2025
    change = AdminUnitChange.objects.filter(new=obligation.admin_unit).select_related("old").first()
    assert change is not None
    task = Task.objects.create(document=obligation.rule.document, title="Số hóa hồ sơ hộ tịch của xã", position=999)
    TaskParty.objects.create(task=task, role=PartyRole.LEAD, text=change.old.name, admin_unit=change.old)
    # When the ward's form selects its tasks, then the task is there, as its lead
    assert (task, PartyRole.LEAD) in selectors.form_tasks(obligation)
    # And a neighbour's form does not have it
    from dxtrack.reports.tests.builders import neighbour

    assert task not in [t for t, _r in selectors.form_tasks(neighbour(obligation))]


def test_the_form_shows_every_task_title_whole(client, obligation, people):
    # Given the ward's report, one of whose tasks has a title far longer than a line
    report = report_open(actor=people[0], obligation=obligation)
    tasks = [t for t, _r in selectors.form_tasks(obligation)]
    longest = max(tasks, key=lambda t: len(t.title))
    assert len(longest.title) > 200
    client.force_login(people[0])
    # When she opens it
    html = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    # Then each title is on the page whole, as stored, and none ends in an ellipsis
    for task in tasks:
        assert f"{escape(task.title)}</h3>" in html, task.title
    assert not re.search(r"…</h3>", html)


def test_the_excel_template_holds_every_task_title_whole_in_a_row_tall_enough(obligation, people):
    # Given the ward's report
    report = report_open(actor=people[0], obligation=obligation)
    form = selectors.report_form(report)
    layout = excel.Layout(len(form.rows), len(form.tasks))
    # When its template is made
    ws = load_workbook(io.BytesIO(excel.template_for(report)))[excel.SHEET]
    # Then each task's title is in its row whole, wrapped, and the row has room for every line
    for i, row in enumerate(form.tasks):
        r = layout.first_task + i
        cell = ws[f"B{r}"]
        assert cell.value == row.task.title
        assert cell.alignment.wrap_text
        per_line = int(excel.WIDTHS["B"] * 1.1) - 2
        lines = -(-len(row.task.title) // per_line)
        assert ws.row_dimensions[r].height >= excel.LINE_HEIGHT * lines


def test_the_report_history_names_actions_never_their_codes(client, obligation, people):
    # Given a report whose history holds a demo generation and an action without a label
    report = report_open(actor=people[0], obligation=obligation)
    for action in ("reporting.demo.generate", "reporting.something.new"):
        AuditEvent.objects.create(action=action, target_type="reports.report", target_id=str(report.pk))
    client.force_login(people[0])
    # When the report is opened
    html = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    # Then the history says what happened in words, and no internal name shows
    assert "hệ thống: tạo dữ liệu mẫu" in html and "hệ thống: cập nhật" in html
    assert "reporting." not in re.sub(r'(href|action|hx-[a-z]+|src)="[^"]*"', "", html)


def test_no_indicator_or_agency_code_is_shown_on_their_pages(client, obligation, people):
    # Given an indicator of the ward's form and the agency that leads a task
    row = selectors.report_form(report_open(actor=people[0], obligation=obligation)).rows[0]
    party = TaskParty.objects.filter(agency__isnull=False).select_related("agency").first()
    client.force_login(people[0])
    for url, code in (
        (reverse("plans:indicator", args=[row.indicator.code]), row.indicator.code),
        (reverse("org:agency", args=[party.agency.code]), party.agency.code),
    ):
        # When its page is opened
        html = client.get(url).content.decode()
        # Then the code is nowhere in the text (links may carry it)
        text = re.sub(r'(href|action|hx-[a-z]+|src|value|id)="[^"]*"', "", html)
        assert code not in text, url
