"""Reports: what a form asks, saving values and task updates, the workflow, audit, rates."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.obligations import selectors as obligation_selectors
from dxtrack.obligations.models import IndicatorReporter, Obligation
from dxtrack.org.models import AgencyGroup
from dxtrack.org.tests.factories import agency
from dxtrack.plans.models import Task, TaskParty
from dxtrack.reports import selectors
from dxtrack.reports.models import DataValue, Report, ReportStatus, TaskUpdate
from dxtrack.reports.services.editing import Conflict
from dxtrack.reports.services.narrative import narrative_save
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.periods import period_close
from dxtrack.reports.services.task_updates import TaskInput, task_updates_apply
from dxtrack.reports.services.values import ValueInput, values_apply
from dxtrack.reports.services.workflow import allowed_actions, report_transition
from dxtrack.reports.tests.builders import HAM_RONG, commune_obligation, filled, neighbour, unit_people

pytestmark = pytest.mark.django_db

FIBRE_FREE = "doanh-nghiep-cong-nghe-so-phat-trien-trong-nam"  # a count in the 2024 plan
SMART = "dan-so-truong-thanh-dung-dvc-truc-tuyen"  # a ratio in the 2024 plan


@pytest.fixture
def commune(calendar_2025):
    obligation = commune_obligation()
    reporter, approver, secretariat = unit_people(obligation.admin_unit)
    report = report_open(actor=reporter, obligation=obligation)
    return obligation, report, reporter, approver, secretariat


def _state():
    return (
        DataValue.objects.count(),
        TaskUpdate.objects.count(),
        AuditEvent.objects.count(),
        list(Report.objects.values_list("pk", "status", "version").order_by("pk")),
    )


# ---- what a form asks -----------------------------------------------------------------------------


def test_a_commune_reports_the_plans_indicators_that_roll_up_and_the_tasks_it_has_a_part_in(commune):
    obligation, report, *_ = commune
    form = selectors.report_form(report)
    assert [r.indicator.code for r in form.rows] == [
        "co-quan-dung-nen-tang-attt-theo-cap-do",
        "thon-ban-lom-song-phu-bang-rong-di-dong",
        FIBRE_FREE,
        "doanh-nghiep-kcn-ccn-ung-dung-nen-tang-so",
        SMART,
    ]
    roles = [role for _task, role in selectors.form_tasks(obligation)]
    # Duties of "UBND cấp huyện" passed to the communes on 1/7/2025; the three of the reporting
    # clause ("Tổ chức thực hiện", V.3: report quarterly, …) are the report itself, not tasks
    assert (len(roles), roles.count("lead")) == (24, 3)


def test_an_agency_is_asked_the_tasks_of_the_groups_of_its_kind_or_naming_it(calendar_2025):
    # Given Sở Tài chính's Quý III/2025 obligation under the 2024 plan, and three new tasks of that
    # plan led by a group: one of its kind, one naming it among its members, one of neither
    finance = agency("SO_TAI_CHINH")
    obligation = Obligation.objects.get(
        agency=finance, period__label="Quý III/2025", rule__document__code="kh-bcd-cds-2024"
    )
    document = obligation.rule.document
    by_kind = AgencyGroup.objects.create(code="nhom-theo-loai", name="Nhóm theo loại", member_kinds=[finance.kind])
    by_name = AgencyGroup.objects.create(code="nhom-theo-ten", name="Nhóm theo tên")
    by_name.members.add(finance)
    other = AgencyGroup.objects.create(code="nhom-khac", name="Nhóm khác", member_kinds=["khong-phai-loai-nao"])
    other.members.add(agency("SO_CONG_THUONG"))
    tasks = {}
    for n, group in enumerate((by_kind, by_name, other)):
        tasks[group.code] = Task.objects.create(document=document, title=f"Nhiệm vụ thử {n}", position=9000 + n)
        TaskParty.objects.create(task=tasks[group.code], role="lead", text=group.name, group=group)
    # When its form's tasks are read
    asked = {task.pk: role for task, role in selectors.form_tasks(obligation)}
    # Then it is asked to lead the tasks of the two groups that reach it, and not the third
    assert [asked.get(tasks[code].pk) for code in ("nhom-theo-loai", "nhom-theo-ten", "nhom-khac")] == [
        "lead",
        "lead",
        None,
    ]


def test_an_agency_reports_the_indicators_assigned_to_it_or_to_its_successor(calendar_2025):
    # Sở TT&TT reported until its merger into Sở KH&CN, which holds its assignments now
    plan = {"rule__document__code": "kh-bcd-cds-2024", "rule__clause__path": "V.1"}
    before = Obligation.objects.get(agency=agency("SO_TTTT"), period__label="Quý I/2025", **plan)
    after = Obligation.objects.get(agency=agency("SO_KHCN"), period__label="Quý III/2025", **plan)
    codes = [i.code for i in selectors.form_indicators(after)]
    assert [i.code for i in selectors.form_indicators(before)] == codes
    # Eight of the 2024 plan's twelve indicators are the standing body's; an industrial one is Sở Công
    # Thương's (assigned by its sector), the three e-invoice shares the tax department's
    assert len(codes) == 8
    assert "doanh-nghiep-kcn-ccn-ung-dung-nen-tang-so" not in codes
    assert not [c for c in codes if c.startswith("hddt-")]
    assert IndicatorReporter.objects.get(indicator__code="hddt-may-tinh-tien-ban-le-xang-dau").agency.code == "CUC_THUE"
    assert IndicatorReporter.objects.get(indicator__code="doanh-nghiep-kcn-ccn-ung-dung-nen-tang-so").agency.code == (
        "SO_CONG_THUONG"
    )


# ---- saving values --------------------------------------------------------------------------------


def test_values_are_imported_then_updated_then_ignored_when_unchanged(commune):
    _, report, reporter, *_ = commune
    rows = [ValueInput(FIBRE_FREE, value="4"), ValueInput(SMART, numerator="1.200", denominator="3.000")]
    first = values_apply(actor=reporter, report=report, rows=rows)
    assert (first.status, first.imported, first.updated, first.ignored) == ("ok", 2, 0, 0)
    smart = DataValue.objects.get(report=report, indicator__code=SMART)
    assert (smart.numerator, smart.denominator, smart.value) == (Decimal(1200), Decimal(3000), Decimal(40))
    assert (smart.period_id, smart.admin_unit_id, smart.agency_id) == (
        report.obligation.period_id,
        report.obligation.admin_unit_id,
        None,
    )

    second = values_apply(
        actor=reporter,
        report=report,
        rows=[ValueInput(FIBRE_FREE, value="5"), ValueInput(SMART, numerator="1200", denominator="3000")],
    )
    assert [(r.indicator, r.result, r.reason) for r in second.rows] == [
        (FIBRE_FREE, "updated", ""),
        (SMART, "ignored", "Không thay đổi so với số liệu đã lưu."),
    ]


def test_every_change_is_audited_with_old_new_who_and_why_and_shown_as_the_values_history(commune):
    _, report, reporter, *_ = commune
    values_apply(actor=reporter, report=report, rows=[ValueInput(FIBRE_FREE, value="4")])
    values_apply(
        actor=reporter, report=report, rows=[ValueInput(FIBRE_FREE, value="6", comment="Bổ sung 2 doanh nghiệp")]
    )
    value = DataValue.objects.get(report=report, indicator__code=FIBRE_FREE)
    history = selectors.value_history(actor=reporter, value=value)
    assert [(e.actor_id, e.action, e.changes, e.reason) for e in history] == [
        (reporter.pk, "reporting.value.set", {"value": [None, "4.0000"]}, "Nhập trên web"),
        (
            reporter.pk,
            "reporting.value.set",
            {"value": ["4.0000", "6.0000"], "comment": [None, "Bổ sung 2 doanh nghiệp"]},
            "Nhập trên web: Bổ sung 2 doanh nghiệp",
        ),
    ]
    assert value.version == 2


def test_a_strict_import_with_one_bad_row_saves_nothing_and_says_why_for_each_row(commune):
    _, report, reporter, *_ = commune
    before = _state()
    summary = values_apply(
        actor=reporter,
        report=report,
        rows=[
            ValueInput(FIBRE_FREE, value="4", where="values[0]"),
            ValueInput(SMART, numerator="120", denominator="100", where="values[1]"),
            ValueInput("khong-co", value="1", where="values[2]"),
            ValueInput(FIBRE_FREE, value="5", where="values[3]"),
            ValueInput(SMART, value="40", where="values[4]"),
        ],
    )
    assert summary.status == "error"
    assert [(r.where, r.result, r.reason) for r in summary.rows] == [
        ("values[0]", "imported", ""),
        ("values[1]", "error", "Tử số không được lớn hơn mẫu số."),
        ("values[2]", "error", "Mã chỉ tiêu 'khong-co' không có trong biểu báo cáo này."),
        ("values[3]", "error", "Chỉ tiêu này xuất hiện nhiều lần; mỗi chỉ tiêu chỉ nhập một lần."),
        ("values[4]", "error", "Chỉ tiêu này xuất hiện nhiều lần; mỗi chỉ tiêu chỉ nhập một lần."),
    ]
    assert _state() == before


def test_the_web_form_keeps_a_wrong_value_in_the_draft_but_submission_is_refused(commune):
    _, report, reporter, approver, _ = commune
    filled(report, reporter)
    summary = values_apply(
        actor=reporter, report=report, rows=[ValueInput(SMART, numerator="120", denominator="100")], strict=False
    )
    assert (summary.status, summary.updated) == ("ok", 1)
    assert [f.message for f in summary.rows[0].findings] == ["Tử số không được lớn hơn mẫu số."]
    with pytest.raises(InvalidData) as caught:
        report_transition(actor=approver, report=report, action="submit")
    assert caught.value.details == [
        "Tỷ lệ dân số trưởng thành sử dụng dịch vụ công trực tuyến: Tử số không được lớn hơn mẫu số."
    ]
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_a_stale_version_is_a_conflict_and_overwrites_nothing(commune):
    _, report, reporter, approver, _ = commune
    values_apply(actor=reporter, report=report, rows=[ValueInput(FIBRE_FREE, value="4")])
    # The approver saves over version 1 first; the reporter's page still holds version 1
    values_apply(actor=approver, report=report, rows=[ValueInput(FIBRE_FREE, value="7", version=1)])
    before = _state()
    summary = values_apply(actor=reporter, report=report, rows=[ValueInput(FIBRE_FREE, value="5", version=1)])
    assert [(r.result, r.reason) for r in summary.rows] == [
        ("conflict", "Người khác vừa sửa số liệu này; hãy xem giá trị mới trước khi lưu.")
    ]
    assert _state() == before
    assert DataValue.objects.get(report=report, indicator__code=FIBRE_FREE).value == Decimal(7)


def test_another_units_user_can_neither_read_nor_write_and_nothing_changes(commune):
    _, report, *_ = commune
    outsider = UserFactory(role=Role.APPROVER, admin_unit=neighbour(report.obligation).admin_unit, agency=None)
    before = _state()
    with pytest.raises(NotAllowed):
        values_apply(actor=outsider, report=report, rows=[ValueInput(FIBRE_FREE, value="4")])
    with pytest.raises(NotAllowed):
        report_transition(actor=outsider, report=report, action="submit")
    with pytest.raises(Report.DoesNotExist):
        selectors.report_get(actor=outsider, pk=report.pk)
    assert not obligation_selectors.obligations(actor=outsider).filter(pk=report.obligation_id).exists()
    assert _state() == before


def test_task_updates_check_state_and_percent_together(commune):
    obligation, report, reporter, *_ = commune
    task = next(t for t, role in selectors.form_tasks(obligation) if role == "lead")
    before = _state()
    summary = task_updates_apply(
        actor=reporter,
        report=report,
        rows=[TaskInput(task.pk, state="done", percent="80")],
    )
    assert [(r.result, r.reason) for r in summary.rows] == [("error", "Nhiệm vụ đã hoàn thành thì tiến độ là 100%.")]
    assert _state() == before
    summary = task_updates_apply(
        actor=reporter,
        report=report,
        rows=[TaskInput(task.pk, state="in_progress", percent="60", evidence_url="javascript:alert(1)")],
    )
    assert summary.rows[0].reason == (
        "Đường dẫn minh chứng phải bắt đầu bằng http:// hoặc https://, ví dụ https://example.gov.vn/tai-lieu."
    )
    summary = task_updates_apply(
        actor=reporter, report=report, rows=[TaskInput(task.pk, state="done", output="Quyết định số 12")]
    )
    assert (summary.status, summary.imported) == ("ok", 1)
    assert TaskUpdate.objects.get(report=report, task=task).percent == 100


def test_the_narrative_is_versioned(commune):
    _, report, reporter, approver, _ = commune
    report = narrative_save(actor=reporter, report=report, expected_version=1, results="Đã số hóa 80% hồ sơ.")
    with pytest.raises(Conflict) as caught:
        narrative_save(actor=approver, report=report, expected_version=1, difficulties="Thiếu nhân lực.")
    assert caught.value.current["results"] == "Đã số hóa 80% hồ sơ."
    assert Report.objects.get(pk=report.pk).difficulties == ""


# ---- the workflow ---------------------------------------------------------------------------------


def test_draft_submitted_returned_submitted_approved_locked_unlocked(commune):
    obligation, report, reporter, approver, secretariat = commune
    filled(report, reporter)
    assert allowed_actions(reporter, report) == []
    assert allowed_actions(approver, report) == ["submit"]
    report = report_transition(actor=approver, report=report, action="submit")
    assert allowed_actions(secretariat, report) == ["approve", "return"]
    with pytest.raises(InvalidData) as caught:
        report_transition(actor=secretariat, report=report, action="return", reason="  ")
    assert caught.value.message == "Cần ghi lý do trả lại."
    report = report_transition(actor=secretariat, report=report, action="return", reason="Thiếu minh chứng")
    assert (report.status, report.return_reason) == ("returned", "Thiếu minh chứng")
    report = report_transition(actor=approver, report=report, action="submit")
    report = report_transition(actor=secretariat, report=report, action="approve")
    assert period_close(actor=secretariat, period=obligation.period) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.LOCKED
    with pytest.raises(InvalidData) as caught:
        values_apply(actor=reporter, report=report, rows=[ValueInput(FIBRE_FREE, value="9")])
    assert caught.value.message == "Kỳ Quý III/2025 đã khóa sổ; không thay đổi được báo cáo."
    report = report_transition(actor=secretariat, report=report, action="unlock", reason="Sửa số liệu")
    assert report.status == ReportStatus.RETURNED
    events = AuditEvent.objects.filter(target_type="reports.report", target_id=str(report.pk))
    assert [e.action for e in events.order_by("at", "id")] == [
        "reporting.report.create",
        "reporting.report.submit",
        "reporting.report.return",
        "reporting.report.submit",
        "reporting.report.approve",
        "reporting.report.lock",
        "reporting.report.unlock",
    ]


def test_a_report_unlocked_in_a_closed_period_is_corrected_sent_approved_and_locks_again(commune):
    # Given an approved report locked when its period closed, and another unit's returned report
    obligation, report, reporter, approver, secretariat = commune
    filled(report, reporter)
    report = report_transition(actor=approver, report=report, action="submit")
    report = report_transition(actor=secretariat, report=report, action="approve")
    other = neighbour(obligation)
    other_reporter, _, _ = unit_people(other.admin_unit)
    other_report = report_open(actor=other_reporter, obligation=other)
    period_close(actor=secretariat, period=obligation.period)
    # When the secretariat unlocks the first for a correction
    report = report_transition(actor=secretariat, report=report, action="unlock", reason="Sửa số liệu cáp quang")
    # Then that report alone can be corrected, while the period stays closed for the other unit
    assert (report.status, report.correction_open) == (ReportStatus.RETURNED, True)
    values_apply(actor=reporter, report=report, rows=[ValueInput(FIBRE_FREE, value="9")])
    with pytest.raises(InvalidData) as caught:
        values_apply(actor=other_reporter, report=other_report, rows=[ValueInput(FIBRE_FREE, value="9")])
    assert caught.value.message == "Kỳ Quý III/2025 đã khóa sổ; không thay đổi được báo cáo."
    # and once sent and approved again it locks, as the closing left every approved report
    report = report_transition(actor=approver, report=report, action="submit")
    report = report_transition(actor=secretariat, report=report, action="approve")
    report.refresh_from_db()
    assert (report.status, report.correction_open) == (ReportStatus.LOCKED, False)
    assert DataValue.objects.get(report=report, indicator__code=FIBRE_FREE).value == Decimal("9")
    actions = AuditEvent.objects.filter(target_type="reports.report", target_id=str(report.pk)).order_by("at", "id")
    assert [e.action for e in actions][-4:] == [
        "reporting.report.unlock",
        "reporting.report.submit",
        "reporting.report.approve",
        "reporting.report.lock",
    ]


@pytest.mark.parametrize(
    ("who", "action", "message"),
    [
        ("reporter", "submit", "Chỉ lãnh đạo đơn vị được ký gửi báo cáo của đơn vị mình."),
        ("approver", "approve", "Chỉ Tổ giúp việc được duyệt báo cáo."),
        ("secretariat", "approve", "Không thể duyệt báo cáo đang ở trạng thái “Đang soạn”."),
        ("secretariat", "lock", "Không thể khóa báo cáo đang ở trạng thái “Đang soạn”."),
        ("secretariat", "fly", "Thao tác không hợp lệ."),
    ],
)
def test_a_transition_outside_the_table_is_refused_and_changes_nothing(commune, who, action, message):
    _, report, reporter, approver, secretariat = commune
    actor = {"reporter": reporter, "approver": approver, "secretariat": secretariat}[who]
    before = _state()
    with pytest.raises((InvalidData, NotAllowed)) as caught:
        report_transition(actor=actor, report=report, action=action)
    assert caught.value.message == message
    assert _state() == before


# ---- rates ----------------------------------------------------------------------------------------


def test_reporting_and_on_time_rates_count_against_what_was_expected(commune):
    obligation, report, reporter, approver, secretariat = commune
    filled(report, reporter)
    report_transition(actor=approver, report=report, action="submit")
    # A second commune submits after the due date
    late_ob = neighbour(obligation)
    late_rep, late_appr, _ = unit_people(late_ob.admin_unit)
    late = filled(report_open(actor=late_rep, obligation=late_ob), late_rep)
    report_transition(actor=late_appr, report=late, action="submit")
    at_due = timezone.make_aware(datetime.datetime.combine(obligation.due, datetime.time(9)))
    Report.objects.filter(pk=report.pk).update(first_submitted_at=at_due - datetime.timedelta(days=1))
    Report.objects.filter(pk=late.pk).update(first_submitted_at=at_due + datetime.timedelta(days=3))
    rates = selectors.rates(actor=secretariat, period=obligation.period, rule_id=obligation.rule_id)
    expected = Obligation.objects.filter(period=obligation.period, rule=obligation.rule).count()
    assert (rates.expected, rates.reported, rates.on_time) == (expected, 2, 1)
    assert rates.reporting_rate == round(200 / expected, 1)
    late_rows = selectors.late_reports(
        actor=secretariat, today=late_ob.due + datetime.timedelta(days=10), period=obligation.period
    )
    statuses = {(row.obligation.pk, row.status) for row in late_rows if row.obligation.rule_id == obligation.rule_id}
    assert (late_ob.pk, "late_submitted") in statuses
    assert (obligation.pk, "late_submitted") not in statuses
    assert sum(1 for _, s in statuses if s == "missing") == expected - 2
    # A commune sees only its own obligations in the rates
    assert selectors.rates(actor=reporter, period=obligation.period).expected == 1


def test_the_commune_code_constant_is_ham_rong():
    assert HAM_RONG == "14758"
