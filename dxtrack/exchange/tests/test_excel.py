"""The Excel round trip of a report: the unit downloads its template, fills it in Excel (here:
openpyxl) and uploads it; a bad file is refused with every problem and nothing is saved.

Phường Hàm Rồng's Quý III/2025 form under the 2024 plan has five indicators (rows 11–15; row 13
is a count, the others ratios in %) and 24 tasks (rows 19–42); the narrative is in rows 45–47."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core import signing
from openpyxl import load_workbook

from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.exchange import excel
from dxtrack.org.tests.factories import current_commune
from dxtrack.plans.models import Indicator, Task
from dxtrack.reports.models import DataValue, Report, TaskUpdate
from dxtrack.reports.services.narrative import narrative_save
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tests.builders import commune_obligation, filled, unit_people

HAC_THANH = "14797"  # Phường Hạc Thành, Hàm Rồng's neighbour

ATTT = "co-quan-dung-nen-tang-attt-theo-cap-do"  # row 11, ratio, %
LOM_SONG = "thon-ban-lom-song-phu-bang-rong-di-dong"  # row 12, ratio, %
DN_CNS = "doanh-nghiep-cong-nghe-so-phat-trien-trong-nam"  # row 13, count of enterprises
KCN = "doanh-nghiep-kcn-ccn-ung-dung-nen-tang-so"  # row 14, ratio, %
DVC = "dan-so-truong-thanh-dung-dvc-truc-tuyen"  # row 15, ratio, %


def plan_task(n: int) -> int:
    """The id of the plan's n-th task as loaded (ids differ between databases: PostgreSQL keeps
    its sequences across rolled-back tests)."""
    return Task.objects.filter(document__code="kh-bcd-cds-2024").order_by("pk").values_list("pk", flat=True)[n - 1]


DVC_THIET_YEU = 17  # the plan's 17th task, which Hàm Rồng leads: row 30

ATTT_LABEL = "Tỷ lệ cơ quan, đơn vị sử dụng Nền tảng hỗ trợ…"
DN_CNS_LABEL = "Số doanh nghiệp công nghệ số được thúc đẩy phát…"
KCN_LABEL = "Tỷ lệ doanh nghiệp tại khu, cụm công nghiệp ứng…"
TASK_LABEL = "Hoàn thành triển khai các dịch vụ công thiết yếu"
FIX_AND_RETRY = "lỗi; chưa lưu gì. Hãy sửa rồi tải lên lại."
STRUCTURE = "Cấu trúc tệp khác biểu mẫu; chưa lưu gì. Hãy tải biểu mẫu mới và nhập lại."


@pytest.fixture
def ham_rong(calendar_2025):
    obligation = commune_obligation()
    reporter, approver, secretariat = unit_people(obligation.admin_unit)
    report = report_open(actor=reporter, obligation=obligation)
    return report, reporter, approver, secretariat


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def edited(report, edit) -> bytes:
    """The report's template after `edit(workbook)`, as the user's Excel would save it."""
    wb = workbook(excel.template_for(report))
    edit(wb)
    return saved(wb)


def state(report) -> tuple:
    """Everything an upload may change, to show that a refused one changed nothing."""
    report = Report.objects.get(pk=report.pk)
    return (
        DataValue.objects.filter(report=report).count(),
        TaskUpdate.objects.filter(report=report).count(),
        AuditEvent.objects.count(),
        report.results,
        report.difficulties,
        report.proposals,
        report.version,
    )


def refused(actor, report, data: bytes, filename: str = "bao-cao.xlsx") -> InvalidData:
    before = state(report)
    with pytest.raises(InvalidData) as caught:
        excel.import_file(actor=actor, report=report, data=data, filename=filename)
    assert state(report) == before
    return caught.value


def fill_valid(wb) -> None:
    ws = wb[excel.SHEET]
    for row in (11, 12, 14, 15):
        ws[f"E{row}"], ws[f"F{row}"] = 40, 100
    ws["E11"] = "12,5"  # Vietnamese number text, as typed into a text cell
    ws["F11"] = 50
    ws["D13"] = 3
    ws["G13"] = "Số liệu của Phòng Kinh tế"
    ws["D30"], ws["E30"], ws["F30"] = "Đang triển khai", 0.4, "Cổng dịch vụ công của phường"
    ws["E30"].number_format = "0%"  # the user typed "40%"
    ws["G30"], ws["H30"] = "https://hamrong.thanhhoa.gov.vn/dvc", "Còn 2 dịch vụ"
    ws["B45"] = "Đã triển khai 20 dịch vụ công trực tuyến."
    ws["B46"] = "Thiếu cán bộ chuyên trách."
    ws["B47"] = "Đề nghị tỉnh hỗ trợ tập huấn."


# ---- the template --------------------------------------------------------------------------------


def test_the_template_names_the_report_and_holds_the_stored_values(ham_rong):
    # given a report whose values and tasks are filled
    report, reporter, _approver, _secretariat = ham_rong
    filled(report, reporter)

    # when its template is downloaded
    wb = workbook(excel.template_for(report))

    # then the visible sheet has the header block, the two tables and the narrative
    assert wb.sheetnames == ["Báo cáo", "_dxtrack"]
    assert wb["_dxtrack"].sheet_state == "veryHidden"
    ws = wb["Báo cáo"]
    assert ws.sheet_state == "visible"
    assert [ws[f"{c}2"].value for c in "AB"] == ["Đơn vị báo cáo:", "Phường Hàm Rồng"]
    assert [ws[f"{c}3"].value for c in "AB"] == ["Kỳ báo cáo:", "Quý III/2025 (01/07/2025–30/09/2025)"]
    assert [ws[f"{c}4"].value for c in "AB"] == ["Hạn gửi:", "15/09/2025"]
    assert ws["B5"].value.startswith("Kế hoạch năm 2024 — Kế hoạch hoạt động của Ban Chỉ đạo chuyển đổi số")
    # the ward exists from 01/07/2025: its part of the quarter's data window (15/06–14/09)
    assert [ws[f"{c}6"].value for c in "AB"] == ["Kỳ số liệu:", "01/07/2025–14/09/2025"]
    assert [ws[f"{c}10"].value for c in "ABCDEFG"] == list(excel.VALUE_COLUMNS)
    # Rows are numbered; no internal code (indicator codes, task ids) is shown
    assert [ws[f"A{r}"].value for r in range(11, 16)] == [1, 2, 3, 4, 5]
    names = [Indicator.objects.get(code=code).name for code in (ATTT, LOM_SONG, DN_CNS, KCN, DVC)]
    assert [ws[f"B{r}"].value for r in range(11, 16)] == names
    assert [ws[f"{c}18"].value for c in "ABCDEFGH"] == list(excel.TASK_COLUMNS)
    assert [ws[f"A{r}"].value for r in (19, 30, 42)] == [1, 12, 24]
    assert [ws[f"B{r}"].value for r in (19, 30, 42)] == [
        Task.objects.get(pk=plan_task(n)).title for n in (2, DVC_THIET_YEU, 34)
    ]
    codes = {i.code for i in Indicator.objects.all()}
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.value in codes]
    assert [ws[f"{c}30"].value for c in "BC"] == [TASK_LABEL, "chủ trì"]
    assert ws["C19"].value == "phối hợp"
    assert [ws[f"A{r}"].value for r in (44, 45, 46, 47)] == [
        "III. THUYẾT MINH",
        "Kết quả đạt được",
        "Khó khăn, vướng mắc",
        "Đề xuất, kiến nghị",
    ]
    # and the stored values are there as numbers, in the cells that apply to each indicator
    assert [ws[f"{c}11"].value for c in "DEF"] == [None, 40, 100]
    assert [ws[f"{c}13"].value for c in "DEF"] == [3, None, None]
    assert [ws[f"{c}30"].value for c in "DE"] == ["Đang triển khai", 50]
    # and only the input cells are open; the ones that do not apply are greyed and locked
    assert ws.protection.sheet is True
    assert [ws[f"{c}11"].protection.locked for c in "ABCDEFG"] == [True, True, True, True, False, False, False]
    assert [ws[f"{c}13"].protection.locked for c in "DEF"] == [False, True, True]
    assert ws["D11"].fill.fgColor.rgb == ws["E13"].fill.fgColor.rgb == "00BFBFBF"
    assert [ws[f"{c}30"].protection.locked for c in "ABCDEFGH"] == [True] * 3 + [False] * 5
    assert ws["B45"].protection.locked is False
    # and the state is chosen from the list of TaskState's labels
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert [(dv.formula1, str(dv.sqref)) for dv in lists] == [
        ('"Chưa triển khai,Đang triển khai,Đã hoàn thành"', "D19:D42")
    ]
    # and the signature names the report
    signed = signing.loads(wb["_dxtrack"]["B1"].value, salt=excel.SALT)
    assert (signed["report"], signed["obligation"], signed["unit"], signed["period"]) == (
        report.pk,
        report.obligation_id,
        "Phường Hàm Rồng",
        "Quý III/2025",
    )


def test_a_stored_text_starting_with_an_equals_sign_stays_text(ham_rong):
    # given a narrative that looks like a formula
    report, reporter, _approver, _secretariat = ham_rong
    narrative_save(actor=reporter, report=report, expected_version=None, results="=1+1 là hai")

    # when the template is downloaded
    ws = workbook(excel.template_for(report))["Báo cáo"]

    # then Excel gets text, not a formula
    assert (ws["B45"].value, ws["B45"].data_type) == ("=1+1 là hai", "s")


# ---- the round trip ------------------------------------------------------------------------------


def test_a_filled_template_uploads_values_tasks_and_narrative(ham_rong):
    # given the downloaded template, filled in
    report, reporter, _approver, _secretariat = ham_rong
    data = edited(report, fill_valid)
    events = AuditEvent.objects.count()

    # when it is uploaded
    result = excel.import_file(actor=reporter, report=report, data=data, filename="Báo cáo Q3.XLSX")

    # then every value, the task and the narrative are stored
    assert (result.values.status, result.values.imported, result.values.updated, result.values.ignored) == (
        "ok",
        5,
        0,
        0,
    )
    assert (result.tasks.status, result.tasks.imported, result.dry_run) == ("ok", 1, False)
    assert result.narrative_changed == ["results", "difficulties", "proposals"]
    stored = {dv.indicator.code: dv for dv in DataValue.objects.filter(report=report).select_related("indicator")}
    assert (stored[ATTT].numerator, stored[ATTT].denominator, stored[ATTT].value) == (
        Decimal("12.5000"),
        Decimal("50.0000"),
        Decimal("25.0000"),
    )
    assert (stored[DN_CNS].value, stored[DN_CNS].comment) == (Decimal("3.0000"), "Số liệu của Phòng Kinh tế")
    assert stored[DVC].value == Decimal("40.0000")
    update = TaskUpdate.objects.get(report=report)
    assert (update.task_id, update.state, update.percent, update.output, update.evidence_url, update.note) == (
        plan_task(DVC_THIET_YEU),
        "in_progress",
        40,
        "Cổng dịch vụ công của phường",
        "https://hamrong.thanhhoa.gov.vn/dvc",
        "Còn 2 dịch vụ",
    )
    report.refresh_from_db()
    assert (report.results, report.difficulties, report.proposals) == (
        "Đã triển khai 20 dịch vụ công trực tuyến.",
        "Thiếu cán bộ chuyên trách.",
        "Đề nghị tỉnh hỗ trợ tập huấn.",
    )
    # and each change is audited as coming from the file
    new = AuditEvent.objects.filter(pk__gt=0).order_by("id")[events:]
    assert (
        sorted(e.action for e in new)
        == ["reporting.report.narrative", "reporting.task_update.set"] + ["reporting.value.set"] * 5
    )
    reasons = [e.reason for e in new if e.action != "reporting.report.narrative"]
    assert all(reason.startswith("Tải lên tệp Excel") for reason in reasons)
    assert "Tải lên tệp Excel: Số liệu của Phòng Kinh tế" in reasons


def test_uploading_the_template_unchanged_changes_nothing(ham_rong):
    # given a filled report and its template, downloaded again
    report, reporter, _approver, _secretariat = ham_rong
    excel.import_file(actor=reporter, report=report, data=edited(report, fill_valid), filename="a.xlsx")
    data = excel.template_for(report)
    before = state(report)

    # when the template is uploaded as it is
    result = excel.import_file(actor=reporter, report=report, data=data, filename="a.xlsx")

    # then every row is ignored and nothing is written
    assert (result.values.imported, result.values.updated, result.values.ignored) == (0, 0, 5)
    assert (result.tasks.imported, result.tasks.updated, result.tasks.ignored) == (0, 0, 1)
    assert result.narrative_changed == []
    assert state(report) == before


def test_a_dry_run_reports_what_it_would_do_and_saves_nothing(ham_rong):
    # given a filled template
    report, reporter, _approver, _secretariat = ham_rong
    data = edited(report, fill_valid)
    before = state(report)

    # when it is uploaded as a dry run
    result = excel.import_file(actor=reporter, report=report, data=data, filename="a.xlsx", dry_run=True)

    # then the summary tells what would be imported and nothing is saved
    assert (result.dry_run, result.values.dry_run, result.tasks.dry_run) == (True, True, True)
    assert (result.values.imported, result.tasks.imported) == (5, 1)
    assert result.narrative_changed == ["results", "difficulties", "proposals"]
    assert result.as_dict()["values"]["imported"] == 5
    assert state(report) == before


# ---- bad files -----------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


NOT_XLSX = "Tệp không phải bảng tính Excel .xlsx; hãy dùng biểu mẫu tải từ hệ thống."
# (case, the file made from the template, its name, the refusal)
BAD_FILES = [
    ("empty", lambda template: b"", "a.xlsx", "Tệp rỗng; hãy chọn tệp Excel đã điền."),
    (
        "over-5-MB",
        lambda template: b"PK\x03\x04" + bytes(5 * 1024 * 1024),
        "a.xlsx",
        "Tệp lớn quá 5 MB; biểu mẫu báo cáo chỉ vài chục KB.",
    ),
    ("not-a-zip", lambda template: b"%PDF-1.7 not a workbook", "a.xlsx", NOT_XLSX),
    ("xls-name", lambda template: template, "a.xls", NOT_XLSX),
    ("truncated-zip", lambda template: template[: len(template) // 2], "a.xlsx", "Tệp Excel bị hỏng, không đọc được."),
    (
        "zip-not-workbook",
        lambda template: _zip({"ghi-chu.txt": b"xin chao"}),
        "a.xlsx",
        "Tệp Excel bị hỏng hoặc không đúng định dạng, không đọc được.",
    ),
    (
        "zip-bomb",
        lambda template: _zip({"xl/worksheets/sheet1.xml": bytes(51 * 1024 * 1024)}),
        "a.xlsx",
        "Tệp giải nén ra quá lớn (trên 10 MB); không xử lý.",
    ),
]


def test_a_file_that_is_not_a_sound_xlsx_is_refused(ham_rong, subtests):
    report, reporter, _approver, _secretariat = ham_rong
    template = excel.template_for(report)
    for case, make, filename, message in BAD_FILES:
        with subtests.test(case):
            # given a file that is not a sound .xlsx
            data = make(template)
            # when it is uploaded, then it is refused with the reason and nothing changes
            error = refused(reporter, report, data, filename)
            assert (error.message, error.details) == (message, [])


def _set_signature(value):
    def edit(wb):
        wb["_dxtrack"]["B1"] = value(wb["_dxtrack"]["B1"].value)

    return edit


def _forged(token: str) -> str:
    payload = signing.loads(token, salt=excel.SALT)
    return signing.dumps({**payload, "report": payload["report"] + 1}, key="not-the-key", salt=excel.SALT)


def _renamed(wb) -> None:
    wb["Báo cáo"].title = "Sheet1"


NO_SIGNATURE = (
    "Tệp không có chữ ký của hệ thống: không phải biểu mẫu tải từ hệ thống hoặc trang nhận dạng đã bị xóa. "
    "Hãy tải biểu mẫu của báo cáo này và nhập lại."
)
BAD_SIGNATURE = "Chữ ký của tệp không hợp lệ: phần nhận dạng của tệp đã bị sửa. Hãy tải biểu mẫu mới và nhập lại."
# (case, the edit of the filled template, the refusal)
BAD_IDENTITY = [
    ("signature-removed", lambda wb: wb.remove(wb["_dxtrack"]), NO_SIGNATURE),
    (
        "signature-edited",
        _set_signature(lambda token: token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")),
        BAD_SIGNATURE,
    ),
    ("signature-emptied", _set_signature(lambda token: None), BAD_SIGNATURE),
    ("signature-forged", _set_signature(_forged), BAD_SIGNATURE),
    (
        "extra-sheet",
        lambda wb: wb.create_sheet("Ghi chú"),
        "Tệp có thêm trang tính “Ghi chú”; chỉ nhập vào trang “Báo cáo” của biểu mẫu.",
    ),
    ("sheet-renamed", _renamed, "Tệp không có trang tính “Báo cáo” của biểu mẫu (đã bị xóa hoặc đổi tên)."),
]


def test_a_file_without_a_valid_signature_or_with_other_sheets_is_refused(ham_rong, subtests):
    report, reporter, _approver, _secretariat = ham_rong
    for case, edit, message in BAD_IDENTITY:
        with subtests.test(case):
            # given the filled template with its identification tampered with
            data = edited(report, lambda wb, edit=edit: (fill_valid(wb), edit(wb)))
            # when it is uploaded, then it is refused and nothing changes
            error = refused(reporter, report, data)
            assert (error.message, error.details) == (message, [])


def _swap_rows(a: int, b: int):
    def edit(wb):
        ws = wb["Báo cáo"]
        for col in "ABCDEFGH":
            ws[f"{col}{a}"].value, ws[f"{col}{b}"].value = ws[f"{col}{b}"].value, ws[f"{col}{a}"].value

    return edit


def _cells(**values):
    def edit(wb):
        for coord, value in values.items():
            wb["Báo cáo"][coord] = value

    return edit


ROWS_OF_INDICATORS = "không thêm, xóa hay đổi thứ tự các dòng chỉ tiêu."
OUTSIDE = "xóa nội dung này, không thêm dòng hay cột."
# (case, the edit of the filled template, the problems listed)
BAD_STRUCTURE = [
    (
        "title-edited",
        _cells(D10="Giá trị (tỷ đồng)"),
        ["Ô D10: phải là “Giá trị” (tệp ghi “Giá trị (tỷ đồng)”); không sửa tiêu đề của biểu mẫu."],
    ),
    (
        "title-emptied",
        _cells(H18=None),
        ["Ô H18: phải là “Ghi chú” (tệp ghi ô trống); không sửa tiêu đề của biểu mẫu."],
    ),
    (
        "rows-reordered",
        _swap_rows(11, 12),
        [f"Ô A11: số thứ tự dòng chỉ tiêu phải là 1 (tệp ghi “2”); {ROWS_OF_INDICATORS}"],
    ),
    (
        "row-added",
        lambda wb: wb["Báo cáo"].insert_rows(13),
        [f"Ô A13: số thứ tự dòng chỉ tiêu phải là 3 (tệp ghi ô trống); {ROWS_OF_INDICATORS}"],
    ),
    (
        "row-removed",
        lambda wb: wb["Báo cáo"].delete_rows(12),
        [f"Ô A12: số thứ tự dòng chỉ tiêu phải là 2 (tệp ghi “3”); {ROWS_OF_INDICATORS}"],
    ),
    (
        "tasks-reordered",
        _swap_rows(30, 31),
        ["Ô A30: số thứ tự dòng nhiệm vụ phải là 12 (tệp ghi “13”); không thêm, xóa hay đổi thứ tự các dòng nhiệm vụ."],
    ),
    (
        "outside",
        _cells(A16="chi-tieu-moi", D16=5, I13="ghi chú riêng"),
        [
            f"Ô I13: nằm ngoài các ô của biểu mẫu (tệp ghi “ghi chú riêng”); {OUTSIDE}",
            f"Ô A16: nằm ngoài các ô của biểu mẫu (tệp ghi “chi-tieu-moi”); {OUTSIDE}",
            f"Ô D16: nằm ngoài các ô của biểu mẫu (tệp ghi “5”); {OUTSIDE}",
        ],
    ),
]


def test_a_file_whose_structure_differs_from_the_template_is_refused(ham_rong, subtests):
    report, reporter, _approver, _secretariat = ham_rong
    for case, edit, details in BAD_STRUCTURE:
        with subtests.test(case):
            # given the filled template with its layout changed
            data = edited(report, lambda wb, edit=edit: (fill_valid(wb), edit(wb)))
            # when it is uploaded, then the place of the change is named and nothing changes
            error = refused(reporter, report, data)
            assert (error.message, error.details) == (STRUCTURE, details() if callable(details) else details)


HOW = "dùng dấu phẩy cho phần thập phân, ví dụ 12,5; dấu chấm chỉ để tách hàng nghìn, ví dụ 1.250"
NOT_A_NUMBER = f"không phải là số ({HOW})."
STATES = "Chưa triển khai, Đang triển khai, Đã hoàn thành."
# (case, the edit of the filled template, the problems listed)
BAD_CELLS = [
    ("formula-in-number", _cells(F14="=E14*2"), [f"Ô F14 ({KCN_LABEL}): chứa công thức; chỉ nhập số."]),
    ("formula-in-text", _cells(G11="=B11"), [f"Ô G11 ({ATTT_LABEL}): chứa công thức; chỉ nhập văn bản."]),
    ("text-in-number", _cells(D13="12a"), [f"Ô D13 ({DN_CNS_LABEL}): “12a” {NOT_A_NUMBER}"]),
    # A decimal point typed in a text cell is ambiguous: refused with the way to write it, never 125
    (
        "decimal-point-text",
        _cells(E11="0.125", D13="12.5"),
        [
            f"Ô E11 ({ATTT_LABEL}): “0.125” không rõ nghĩa (nếu là số thập phân, viết 0,125): {HOW}.",
            f"Ô D13 ({DN_CNS_LABEL}): “12.5” không rõ nghĩa (nếu là số thập phân, viết 12,5): {HOW}.",
        ],
    ),
    (
        "cells-that-do-not-apply",
        _cells(D11=25, E13=1),
        [
            f"Ô D11 ({ATTT_LABEL}): chỉ tiêu tỷ lệ: nhập Tử số và Mẫu số, để trống ô Giá trị.",
            f"Ô E13 ({DN_CNS_LABEL}): chỉ tiêu này không phải tỷ lệ: chỉ nhập Giá trị.",
        ],
    ),
    (
        "too-long",
        _cells(G11="x" * 2001, B47="y" * 20001),
        [
            f"Ô G11 ({ATTT_LABEL}): dài 2.001 ký tự; tối đa 2.000 ký tự.",
            "Ô B47 (Đề xuất, kiến nghị): dài 20.001 ký tự; tối đa 20.000 ký tự.",
        ],
    ),
    (
        "unknown-state",
        _cells(D30="Xong"),
        [f"Ô D30 ({TASK_LABEL}): tình trạng “Xong” không có trong danh sách; chọn một trong: {STATES}"],
    ),
    ("missing-state", _cells(D30=None), [f"Ô D30 ({TASK_LABEL}): chọn Tình trạng trong danh sách: {STATES}"]),
    ("text-percent", _cells(E30="bốn mươi"), [f"Ô E30 ({TASK_LABEL}): “bốn mươi” {NOT_A_NUMBER}"]),
]


def test_bad_cells_are_refused_each_with_its_place(ham_rong, subtests):
    report, reporter, _approver, _secretariat = ham_rong
    for case, edit, details in BAD_CELLS:
        with subtests.test(case):
            # given the filled template with bad cells
            data = edited(report, lambda wb, edit=edit: (fill_valid(wb), edit(wb)))
            # when it is uploaded, then every bad cell is named and nothing changes
            error = refused(reporter, report, data)
            assert (error.message, error.details) == (f"Tệp có {len(details)} {FIX_AND_RETRY}", details)


def test_a_value_the_checks_refuse_rolls_back_the_whole_file(ham_rong):
    # given a filled template with a numerator above its denominator
    report, reporter, _approver, _secretariat = ham_rong
    data = edited(report, lambda wb: (fill_valid(wb), _cells(E14=120, F14=100)(wb)))

    # when it is uploaded, then the cell is named and nothing is saved, not even the valid rows
    error = refused(reporter, report, data)
    assert (error.message, error.details) == (
        f"Tệp có 1 {FIX_AND_RETRY}",
        [f"Ô E14 ({KCN_LABEL}): Tử số không được lớn hơn mẫu số."],
    )


def test_a_task_the_service_refuses_rolls_back_the_values_already_checked(ham_rong):
    # given a filled template whose values pass but whose task is in progress at 100 %
    report, reporter, _approver, _secretariat = ham_rong

    def at_100(wb):
        fill_valid(wb)
        wb["Báo cáo"]["E30"] = 1  # 100 %

    data = edited(report, at_100)

    # when it is uploaded, then the task's row is named and no value is saved either
    error = refused(reporter, report, data)
    assert (error.message, error.details) == (
        f"Tệp có 1 {FIX_AND_RETRY}",
        [f"Dòng 30 ({TASK_LABEL}): Tiến độ 100%: hãy chọn tình trạng “Đã hoàn thành”."],
    )
    assert DataValue.objects.filter(report=report).count() == 0


def test_a_task_update_cannot_be_erased_by_emptying_its_row(ham_rong):
    # given a report whose lead task has an update, and its template with that row emptied
    report, reporter, _approver, _secretariat = ham_rong
    filled(report, reporter)
    data = edited(report, _cells(D30=None, E30=None))

    # when it is uploaded, then it is refused
    error = refused(reporter, report, data)
    assert error.details == [
        f"Dòng 30 ({TASK_LABEL}): nhiệm vụ đã có cập nhật trên hệ thống, không xóa được bằng tệp; hãy chọn Tình trạng."
    ]


# ---- another report, another person, a closed report ------------------------------------------


def test_the_file_of_another_communes_report_is_refused(ham_rong):
    # given the filled template of Hạc Thành's report for the same quarter
    report, reporter, _approver, _secretariat = ham_rong
    other = report_open(actor=SYSTEM, obligation=commune_obligation(HAC_THANH))
    data = edited(other, fill_valid)

    # when Hàm Rồng uploads it to its own report, then it is refused, naming both
    error = refused(reporter, report, data)
    assert error.message == (
        "Tệp này là biểu báo cáo của Phường Hạc Thành, kỳ Quý III/2025 (Kế hoạch năm 2024), "
        "không phải của báo cáo đang mở: Phường Hàm Rồng, kỳ Quý III/2025 (Kế hoạch năm 2024)."
    )


def test_the_file_of_another_period_is_refused(ham_rong):
    # given the template of Hàm Rồng's report for the next quarter
    report, reporter, _approver, _secretariat = ham_rong
    next_quarter = report_open(actor=reporter, obligation=commune_obligation(label="Quý IV/2025"))
    data = excel.template_for(next_quarter)

    # when it is uploaded to the third quarter's report, then it is refused
    error = refused(reporter, report, data)
    assert error.message == (
        "Tệp này là biểu báo cáo của Phường Hàm Rồng, kỳ Quý IV/2025 (Kế hoạch năm 2024), "
        "không phải của báo cáo đang mở: Phường Hàm Rồng, kỳ Quý III/2025 (Kế hoạch năm 2024)."
    )


def test_a_submitted_report_is_refused(ham_rong):
    # given a report its approver has submitted, and its template filled again
    report, reporter, approver, _secretariat = ham_rong
    filled(report, reporter)
    report_transition(actor=approver, report=report, action="submit")
    data = edited(report, fill_valid)

    # when it is uploaded, then the service's reason is given and nothing changes
    error = refused(reporter, report, data)
    assert error.message == ("Báo cáo đang ở trạng thái “Đã gửi”; chỉ sửa được khi đang soạn hoặc bị trả lại.")


@pytest.mark.parametrize("who", ["neighbour", "secretariat"])
def test_someone_outside_the_unit_may_not_upload(ham_rong, who):
    # given a filled template, and someone of another unit, or the secretariat
    report, _reporter, _approver, secretariat = ham_rong
    data = edited(report, fill_valid)
    actor = (
        UserFactory(role=Role.REPORTER, admin_unit=current_commune(HAC_THANH), agency=None)
        if who == "neighbour"
        else secretariat
    )
    before = state(report)

    # when they upload it, then they are not allowed and nothing changes
    with pytest.raises(NotAllowed) as caught:
        excel.import_file(actor=actor, report=report, data=data, filename="a.xlsx")
    assert caught.value.message == "Chỉ cán bộ của đơn vị được nhập số liệu của đơn vị mình."
    assert state(report) == before


def test_a_sheet_stuffed_with_cells_is_refused_while_streaming_without_building_them():
    # Given a workbook whose sheet stores more cells than any template has, one of them far away
    from dxtrack.exchange import excel

    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(1, 25_001))
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData>{rows}<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Target="xl/workbook.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Báo cáo" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    # When its sheet is read
    book = excel._open(out.getvalue(), "bao-cao.xlsx")
    with pytest.raises(InvalidData) as refused:
        book["Báo cáo"]
    # Then it is refused once the stored cells pass the bound, without making up the empty ones
    assert refused.value.message == (
        "Tệp có quá 20.000 ô có nội dung; biểu mẫu chỉ có vài trăm ô. Hãy tải biểu mẫu mới và nhập lại."
    )
