"""The Excel round trip of a report: a pre-filled template to download, and its upload.

The template names its report in a token signed with `django.core.signing`, kept on a very hidden
sheet. Sheet protection only guides the user (anyone can lift it); the signature and the checks
made on upload are what count. An upload is applied all or nothing: every problem is listed with
its cell, and nothing is saved until the whole file passes.
"""

import datetime
import hashlib
import io
import json
import math
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.core import signing
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dxtrack.core.dates import format_vn_date
from dxtrack.core.errors import InvalidData
from dxtrack.core.numbers import format_number
from dxtrack.obligations.calendar import DATA_PERIOD, REPORTING_PERIOD, spans
from dxtrack.plans.models import PartyRole
from dxtrack.reports import selectors
from dxtrack.reports import validation as v
from dxtrack.reports.models import Report, TaskState
from dxtrack.reports.services.editing import MAX_TEXT, require_editable
from dxtrack.reports.services.narrative import MAX_NARRATIVE, narrative_save
from dxtrack.reports.services.rows import ImportSummary
from dxtrack.reports.services.task_updates import TaskInput, task_updates_apply
from dxtrack.reports.services.values import MAX_COMMENT, ValueInput, values_apply

SHEET = "Báo cáo"
META_SHEET = "_dxtrack"
SIGNATURE_CELL = "B1"
SALT = "dxtrack.reporting.excel"  # kept from before the move: templates already downloaded stay valid
LAYOUT_VERSION = 2  # bump when the layout changes: files of the old layout are then refused

MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 10 * 1024 * 1024  # the template unpacks to about 100 KB
MAX_STORED_CELLS = 20_000
MAX_MEMBERS = 500  # an .xlsx of this template has about a dozen parts
MAX_DETAILS = 100  # problems listed one by one; the rest are counted
URL_LIMIT = 500  # TaskUpdate.evidence_url's max_length

TITLE = "BÁO CÁO KẾT QUẢ THỰC HIỆN CHUYỂN ĐỔI SỐ"
# The period's two spans under their one pair of names (reporting.calendar, ADR 14).
INFO_LABELS = ("Đơn vị báo cáo:", f"{REPORTING_PERIOD}:", "Hạn gửi:", "Kế hoạch:", f"{DATA_PERIOD}:")
GUIDE = (
    "Hướng dẫn: chỉ nhập vào các ô nền trắng. Chỉ tiêu tỷ lệ: nhập Tử số và Mẫu số (hệ thống tự tính tỷ lệ); "
    "chỉ tiêu khác: nhập Giá trị. Số thập phân dùng dấu phẩy (ví dụ 12,5). Không thêm, xóa hay đổi thứ tự "
    "dòng, cột, trang tính; không dùng công thức."
)
SECTION_VALUES = "I. SỐ LIỆU CÁC CHỈ TIÊU"
SECTION_TASKS = "II. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ"
SECTION_NARRATIVE = "III. THUYẾT MINH"
VALUE_COLUMNS = ("STT", "Tên chỉ tiêu", "Đơn vị tính", "Giá trị", "Tử số", "Mẫu số", "Giải trình")
TASK_COLUMNS = (
    "STT",
    "Nhiệm vụ",
    "Vai trò",
    "Tình trạng",
    "Tiến độ (%)",
    "Sản phẩm",
    "Đường dẫn minh chứng",
    "Ghi chú",
)
NARRATIVE = (
    ("results", "Kết quả đạt được"),
    ("difficulties", "Khó khăn, vướng mắc"),
    ("proposals", "Đề xuất, kiến nghị"),
)
LAST_COLUMN = "H"
WIDTHS = {"A": 24, "B": 60, "C": 14, "D": 18, "E": 14, "F": 24, "G": 36, "H": 30}
# Numbers stay numbers, shown with the separators of the user's own Excel (1.234,5 in Vietnamese);
# a fixed code such as #,##0.#### would leave a stray separator after every whole number.
NUMBER_FORMAT = "General"
# Where a finding on a part of a value lands in the values table.
PART_COLUMNS = {"value": "D", "numerator": "E", "denominator": "F"}

_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INFO_FILL = PatternFill("solid", fgColor="F2F2F2")  # shown, not to be typed in
_UNUSED_FILL = PatternFill("solid", fgColor="BFBFBF")  # does not apply to this row
_WRAP = Alignment(wrap_text=True, vertical="top")
_OPEN = Protection(locked=False)


def _digest(items: list) -> str:
    return hashlib.sha256(json.dumps(items, ensure_ascii=False).encode()).hexdigest()


# Every fixed text of the template; a file whose texts differ was made from another layout.
HEADER_HASH = _digest(
    [
        LAYOUT_VERSION,
        TITLE,
        *INFO_LABELS,
        GUIDE,
        SECTION_VALUES,
        SECTION_TASKS,
        SECTION_NARRATIVE,
        *VALUE_COLUMNS,
        *TASK_COLUMNS,
        *(label for _name, label in NARRATIVE),
    ]
)


@dataclass(frozen=True)
class Layout:
    """Row numbers of the template of a form with `n_values` indicators and `n_tasks` tasks."""

    n_values: int
    n_tasks: int

    info = 2  # first row of the header block
    guide = 7
    value_section = 9
    value_header = 10
    first_value = 11

    @property
    def task_section(self) -> int:
        return self.first_value + self.n_values + 1

    @property
    def task_header(self) -> int:
        return self.task_section + 1

    @property
    def first_task(self) -> int:
        return self.task_header + 1

    @property
    def narrative_section(self) -> int:
        return self.first_task + self.n_tasks + 1

    @property
    def first_narrative(self) -> int:
        return self.narrative_section + 1

    def fixed_texts(self) -> dict[str, str]:
        """Cell → text, for every text of the template the user must not change."""
        out = {"A1": TITLE, f"A{self.guide}": GUIDE}
        out |= {f"A{self.info + i}": label for i, label in enumerate(INFO_LABELS)}
        out |= {
            f"A{self.value_section}": SECTION_VALUES,
            f"A{self.task_section}": SECTION_TASKS,
            f"A{self.narrative_section}": SECTION_NARRATIVE,
        }
        out |= {f"{_col(i)}{self.value_header}": title for i, title in enumerate(VALUE_COLUMNS)}
        out |= {f"{_col(i)}{self.task_header}": title for i, title in enumerate(TASK_COLUMNS)}
        out |= {f"A{self.first_narrative + i}": label for i, (_name, label) in enumerate(NARRATIVE)}
        return out

    def input_cells(self) -> set[tuple[int, int]]:
        """(row, column) of every cell the template writes something into or lets the user fill."""
        cells = {(self.info + i, 2) for i in range(len(INFO_LABELS))}
        for row in range(self.first_value, self.first_value + self.n_values):
            cells |= {(row, col) for col in range(1, len(VALUE_COLUMNS) + 1)}
        for row in range(self.first_task, self.first_task + self.n_tasks):
            cells |= {(row, col) for col in range(1, len(TASK_COLUMNS) + 1)}
        cells |= {(self.first_narrative + i, 2) for i in range(len(NARRATIVE))}
        return cells


def _col(index: int) -> str:
    return "ABCDEFGH"[index]


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    # Whole words read better; a code has no spaces and is cut where it must be.
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;: ") + "…"


def _count(n: int) -> str:
    return format_number(n)


def _state_labels() -> dict[str, str]:
    return {str(label): value for value, label in TaskState.choices}


def _body(report: Report) -> str:
    return str(report.obligation.agency or report.obligation.admin_unit)


def _signature(report: Report, form: selectors.Form) -> dict:
    obligation = report.obligation
    return {
        "v": LAYOUT_VERSION,
        "report": report.pk,
        "obligation": obligation.pk,
        "unit": _body(report),
        "period": obligation.period.label,
        "plan": obligation.rule.document.reference,
        "headers": HEADER_HASH,
        "indicators": _digest([row.indicator.code for row in form.rows]),
        "tasks": _digest([row.task.pk for row in form.tasks]),
    }


# ---- the template ----------------------------------------------------------------------------------


def _put_text(cell, text: str | None) -> None:
    """Writes text as text: a stored "=…" must never become a formula in the user's Excel."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text or "")
    cell.value = text or None
    if text:
        cell.data_type = "s"


def _style_table_cell(cell, *, editable: bool, unused: bool = False) -> None:
    cell.border = _BORDER
    cell.alignment = _WRAP
    if editable:
        cell.protection = _OPEN
    else:
        cell.fill = _UNUSED_FILL if unused else _INFO_FILL


LINE_HEIGHT = 15  # points per wrapped line of the default 11-point font


def _fit_height(ws: Worksheet, row: int, columns: str) -> None:
    """Sets the row tall enough for its wrapped texts to show whole: Excel does not grow a row
    written by a library, and a title cut at the cell's edge reads as a cut title."""
    lines = 1
    for col in columns:
        text = str(ws[f"{col}{row}"].value or "")
        per_line = max(1, int(WIDTHS[col] * 1.1) - 2)  # a column's width is in characters, roughly
        lines = max(lines, sum(math.ceil(max(1, len(part)) / per_line) for part in text.split("\n")))
    ws.row_dimensions[row].height = LINE_HEIGHT * lines + 3


def _header_row(ws: Worksheet, row: int, titles: tuple[str, ...]) -> None:
    for i, title in enumerate(titles):
        cell = ws[f"{_col(i)}{row}"]
        _put_text(cell, title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


def template_for(report: Report) -> bytes:
    """The report's .xlsx to fill offline: its indicators, tasks and narrative, pre-filled with
    what is stored now, and a signature naming the report and the form it was made from."""
    report = Report.objects.select_related(
        "obligation__period", "obligation__rule__document", "obligation__agency", "obligation__admin_unit"
    ).get(pk=report.pk)
    obligation = report.obligation
    form = selectors.report_form(report)
    layout = Layout(len(form.rows), len(form.tasks))

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    for coord, text in layout.fixed_texts().items():
        _put_text(ws[coord], text)
        ws[coord].font = Font(bold=True)
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{LAST_COLUMN}1")
    ws["A1"].alignment = Alignment(horizontal="center")
    document = obligation.rule.document
    calendar_span, _data_span = spans(obligation.period)
    info = (
        _body(report),
        f"{obligation.period.label} ({calendar_span.dates})",
        f"{obligation.due:%d/%m/%Y}",
        f"{document.reference} — {document.title}",
        f"{format_vn_date(obligation.window_from)}–{format_vn_date(obligation.window_to)}",
    )
    for i, text in enumerate(info):
        row = layout.info + i
        _put_text(ws[f"B{row}"], text)
        ws.merge_cells(f"B{row}:{LAST_COLUMN}{row}")
    ws[f"A{layout.guide}"].font = Font(italic=True)
    ws[f"A{layout.guide}"].alignment = _WRAP
    ws.merge_cells(f"A{layout.guide}:{LAST_COLUMN}{layout.guide}")
    ws.row_dimensions[layout.guide].height = 45

    _header_row(ws, layout.value_header, VALUE_COLUMNS)
    for i, row in enumerate(form.rows):
        r = layout.first_value + i
        stored = row.value
        ws[f"A{r}"] = i + 1  # a row's number, not the indicator's internal code: the signature pins the order
        _put_text(ws[f"B{r}"], row.indicator.name)
        _put_text(ws[f"C{r}"], row.spec.unit)
        for col in "ABC":
            _style_table_cell(ws[f"{col}{r}"], editable=False)
        parts = {"D": "value", "E": "numerator", "F": "denominator"}
        used = {"E", "F"} if row.spec.is_ratio else {"D"}
        for col, part in parts.items():
            cell = ws[f"{col}{r}"]
            _style_table_cell(cell, editable=col in used, unused=col not in used)
            if col in used and stored is not None and getattr(stored, part) is not None:
                cell.value = getattr(stored, part)
            cell.number_format = NUMBER_FORMAT
        _put_text(ws[f"G{r}"], stored.comment if stored else "")
        _style_table_cell(ws[f"G{r}"], editable=True)
        _fit_height(ws, r, "BG")

    _header_row(ws, layout.task_header, TASK_COLUMNS)
    states = dict(TaskState.choices)
    for i, task_row in enumerate(form.tasks):
        r = layout.first_task + i
        update = task_row.update
        ws[f"A{r}"] = i + 1
        _put_text(ws[f"B{r}"], task_row.task.title)
        _put_text(ws[f"C{r}"], str(PartyRole(task_row.role).label))
        for col in "ABC":
            _style_table_cell(ws[f"{col}{r}"], editable=False)
        if update is not None:
            _put_text(ws[f"D{r}"], str(states[update.state]))
            ws[f"E{r}"] = update.percent
            _put_text(ws[f"F{r}"], update.output)
            _put_text(ws[f"G{r}"], update.evidence_url)
            _put_text(ws[f"H{r}"], update.note)
        for col in "DEFGH":
            _style_table_cell(ws[f"{col}{r}"], editable=True)
        ws[f"E{r}"].number_format = "0"
        _fit_height(ws, r, "BFH")  # the task's title whole, and what the unit wrote
    if form.tasks:
        cells = f"D{layout.first_task}:D{layout.first_task + len(form.tasks) - 1}"
        state_list = DataValidation(
            type="list",
            formula1='"' + ",".join(str(label) for _value, label in TaskState.choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Tình trạng",
            error="Chọn tình trạng trong danh sách.",
        )
        state_list.add(cells)
        percent = DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2="100",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Tiến độ (%)",
            error="Tiến độ là số nguyên từ 0 đến 100.",
        )
        percent.add(cells.replace("D", "E"))
        ws.add_data_validation(state_list)
        ws.add_data_validation(percent)

    for i, (name, _label) in enumerate(NARRATIVE):
        r = layout.first_narrative + i
        ws[f"A{r}"].border = _BORDER
        ws[f"A{r}"].alignment = _WRAP
        _put_text(ws[f"B{r}"], getattr(report, name))
        ws.merge_cells(f"B{r}:{LAST_COLUMN}{r}")
        _style_table_cell(ws[f"B{r}"], editable=True)
        ws.row_dimensions[r].height = 90

    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # Locked cells guide the user; resizing rows and columns stays allowed.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    meta = wb.create_sheet(META_SHEET)
    _put_text(meta["A1"], "dxtrack")
    _put_text(meta[SIGNATURE_CELL], signing.dumps(_signature(report, form), salt=SALT, compress=True))
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.active = 0
    wb.properties.creator = "dxtrack"
    wb.properties.title = f"Báo cáo {_body(report)} — {obligation.period.label}"

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- the upload ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an upload did (or, in a dry run, would do): the summaries of the values and of the
    task updates, and the narrative fields it changed."""

    values: ImportSummary
    tasks: ImportSummary
    narrative_changed: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return {
            "dryRun": self.dry_run,
            "values": self.values.as_dict(),
            "tasks": self.tasks.as_dict(),
            "narrativeChanged": self.narrative_changed,
        }


class _DryRun(Exception):
    """Raised inside the transaction to undo a dry run; carries what it would have done."""

    def __init__(self, result: ImportResult):
        super().__init__("dry run")
        self.result = result


def _refuse(problems: list[str], message: str) -> InvalidData:
    shown = problems[:MAX_DETAILS]
    if len(problems) > MAX_DETAILS:
        shown.append(f"… và {_count(len(problems) - MAX_DETAILS)} lỗi khác.")
    return InvalidData(message, details=shown)


def _open(data: bytes, filename: str):
    """The workbook in `data`, after the checks that need no parsing: type, size, and the
    uncompressed size of the archive (a small zip can inflate to gigabytes)."""
    name = (filename or "").lower()
    if not data:
        raise InvalidData("Tệp rỗng; hãy chọn tệp Excel đã điền.")
    if len(data) > MAX_BYTES:
        raise InvalidData(f"Tệp lớn quá {MAX_BYTES // (1024 * 1024)} MB; biểu mẫu báo cáo chỉ vài chục KB.")
    if not name.endswith(".xlsx") or not data.startswith(b"PK\x03\x04"):
        raise InvalidData("Tệp không phải bảng tính Excel .xlsx; hãy dùng biểu mẫu tải từ hệ thống.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InvalidData("Tệp Excel bị hỏng, không đọc được.") from exc
    # CPython's zipfile never inflates a member past its declared size, so the declared sizes
    # bound what openpyxl can read.
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
        raise InvalidData(f"Tệp giải nén ra quá lớn (trên {MAX_UNCOMPRESSED // (1024 * 1024)} MB); không xử lý.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about Excel extensions it drops
            # Read-only: the sheets are streamed from the archive, not built as a full workbook.
            return _Book(load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False))
    except Exception as exc:  # openpyxl raises many kinds on a malformed file
        raise InvalidData("Tệp Excel bị hỏng hoặc không đúng định dạng, không đọc được.") from exc


class _Book:
    """A read-only workbook whose sheets are read once each into their stored cells."""

    def __init__(self, wb):
        self.wb = wb
        self.sheetnames = wb.sheetnames
        self._sheets: dict[str, _Sheet] = {}

    def __getitem__(self, name: str) -> "_Sheet":
        if name not in self._sheets:
            self._sheets[name] = _Sheet(self.wb[name])
        return self._sheets[name]


class _Sheet:
    """The stored cells of a streamed sheet, by (row, column), read in one pass of its XML with no
    empty cell made up (a crafted file can name a cell at XFD1048576), and refused past
    MAX_STORED_CELLS: the template has a few hundred."""

    def __init__(self, ws):
        from openpyxl.cell.read_only import ReadOnlyCell
        from openpyxl.worksheet._reader import WorkSheetParser

        self._cells: dict[tuple[int, int], ReadOnlyCell] = {}
        book = ws.parent
        with ws._get_source() as src:
            parser = WorkSheetParser(
                src,
                ws._shared_strings,
                data_only=book.data_only,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            for _idx, row in parser.parse():
                for c in row:
                    if c["value"] is None:
                        continue
                    if len(self._cells) >= MAX_STORED_CELLS:
                        raise InvalidData(
                            f"Tệp có quá {_count(MAX_STORED_CELLS)} ô có nội dung; biểu mẫu chỉ có vài trăm ô. "
                            "Hãy tải biểu mẫu mới và nhập lại."
                        )
                    cell = ReadOnlyCell(ws, c["row"], c["column"], c["value"], c["data_type"], c.get("style_id", 0))
                    self._cells[(c["row"], c["column"])] = cell

    def __getitem__(self, coord: str):
        from openpyxl.cell.read_only import EMPTY_CELL

        return self._cells.get(coordinate_to_tuple(coord), EMPTY_CELL)


def _check_identity(wb, report: Report, form: selectors.Form) -> Worksheet:
    """The report's sheet, once the signature shows the file is this report's template of the
    current form; refuses a foreign, tampered or outdated file."""
    if META_SHEET not in wb.sheetnames:
        raise InvalidData(
            "Tệp không có chữ ký của hệ thống: không phải biểu mẫu tải từ hệ thống hoặc trang nhận dạng đã bị xóa. "
            "Hãy tải biểu mẫu của báo cáo này và nhập lại."
        )
    token = wb[META_SHEET][SIGNATURE_CELL].value
    try:
        signed = signing.loads(token if isinstance(token, str) else "", salt=SALT)
    except signing.BadSignature as exc:
        raise InvalidData(
            "Chữ ký của tệp không hợp lệ: phần nhận dạng của tệp đã bị sửa. Hãy tải biểu mẫu mới và nhập lại."
        ) from exc
    expected = _signature(report, form)
    if not isinstance(signed, dict) or signed.get("v") != LAYOUT_VERSION or signed.get("headers") != HEADER_HASH:
        raise InvalidData("Tệp được tạo theo mẫu cũ; hãy tải biểu mẫu mới và nhập lại.")
    if (signed.get("report"), signed.get("obligation")) != (report.pk, report.obligation_id):
        raise InvalidData(
            f"Tệp này là biểu báo cáo của {signed.get('unit')}, kỳ {signed.get('period')} ({signed.get('plan')}), "
            f"không phải của báo cáo đang mở: {expected['unit']}, kỳ {expected['period']} ({expected['plan']})."
        )
    if (signed.get("indicators"), signed.get("tasks")) != (expected["indicators"], expected["tasks"]):
        raise InvalidData(
            "Danh mục chỉ tiêu hoặc nhiệm vụ của báo cáo đã thay đổi sau khi tải tệp về; "
            "hãy tải biểu mẫu mới và nhập lại."
        )
    extra = [name for name in wb.sheetnames if name not in (SHEET, META_SHEET)]
    if SHEET not in wb.sheetnames:
        raise InvalidData(f"Tệp không có trang tính “{SHEET}” của biểu mẫu (đã bị xóa hoặc đổi tên).")
    if extra:
        names = ", ".join(f"“{_short(name, 30)}”" for name in extra)
        raise InvalidData(f"Tệp có thêm trang tính {names}; chỉ nhập vào trang “{SHEET}” của biểu mẫu.")
    return wb[SHEET]


def _plain(value) -> str:
    """A cell's content as the text the template wrote (ids come back as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _shown(value) -> str:
    text = _plain(value)
    return f"“{_short(text, 40)}”" if text else "ô trống"


def _structure_problems(ws: Worksheet, layout: Layout, form: selectors.Form) -> list[str]:
    """Titles changed, rows of the tables added, removed or reordered, content outside the form.

    Checked from the top down, stopping after the first part with a problem: a row added or
    removed shifts everything below it, and one message about where it happened says it all."""
    fixed = layout.fixed_texts()

    def titles(first: int, last: int) -> list[str]:
        return [
            f"Ô {coord}: phải là “{_short(text, 60)}” (tệp ghi {_shown(ws[coord].value)}); "
            "không sửa tiêu đề của biểu mẫu."
            for coord, text in fixed.items()
            if first <= coordinate_to_tuple(coord)[0] <= last and _plain(ws[coord].value) != text
        ]

    def first_shift(first_row: int, count: int, what: str) -> list[str]:
        # Rows are told apart by their number (STT), in the order the signature pins.
        for i in range(count):
            coord = f"A{first_row + i}"
            if _plain(ws[coord].value) != str(i + 1):
                return [
                    f"Ô {coord}: số thứ tự dòng {what} phải là {i + 1} (tệp ghi {_shown(ws[coord].value)}); "
                    f"không thêm, xóa hay đổi thứ tự các dòng {what}."
                ]
        return []

    parts = (
        lambda: titles(1, layout.value_header) + first_shift(layout.first_value, len(form.rows), "chỉ tiêu"),
        lambda: (
            titles(layout.task_section, layout.task_header)
            + first_shift(layout.first_task, len(form.tasks), "nhiệm vụ")
        ),
        lambda: titles(layout.narrative_section, layout.first_narrative + len(NARRATIVE)),
        lambda: _outside(ws, layout),
    )
    for part in parts:
        problems = part()
        if problems:
            return problems
    return []


def _outside(ws: Worksheet, layout: Layout) -> list[str]:
    known = layout.input_cells() | {coordinate_to_tuple(coord) for coord in layout.fixed_texts()}
    # The stored cells only: iterating a range would materialise every empty cell up to the
    # farthest one a file names, which a crafted file can put at XFD1048576.
    return [
        f"Ô {cell.coordinate}: nằm ngoài các ô của biểu mẫu (tệp ghi {_shown(cell.value)}); "
        "xóa nội dung này, không thêm dòng hay cột."
        for (r, c), cell in sorted(ws._cells.items())
        if (r, c) not in known and _plain(cell.value) != ""
    ]


class _Reader:
    """Reads the input cells of a checked sheet, collecting a problem per bad cell."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.problems: list[str] = []

    def bad(self, coord: str, label: str, problem: str) -> None:
        self.problems.append(f"Ô {coord} ({label}): {problem}")

    def _usable(self, coord: str, label: str, kind: str) -> bool:
        cell = self.ws[coord]
        if cell.data_type == "f":
            self.bad(coord, label, f"chứa công thức; chỉ nhập {kind}.")
            return False
        if cell.data_type == "e":
            self.bad(coord, label, f"chứa giá trị lỗi {_plain(cell.value)}; hãy nhập lại.")
            return False
        return True

    def number(self, coord: str, label: str) -> Decimal | None:
        if not self._usable(coord, label, "số"):
            return None
        cell = self.ws[coord]
        value = cell.value
        if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
            # Typing "40%" makes Excel store 0,4 in a percent-formatted cell; the user means 40.
            value = Decimal(repr(value)) * 100
        try:
            return v.parse_number(value)
        except v.NotANumber as exc:
            self.bad(coord, label, exc.message)
            return None

    def text(self, coord: str, label: str, limit: int) -> str:
        if not self._usable(coord, label, "văn bản"):
            return ""
        value = self.ws[coord].value
        if isinstance(value, datetime.datetime | datetime.date):
            value = f"{value:%d/%m/%Y}"
        text = _plain(value)
        if len(text) > limit:
            self.bad(coord, label, f"dài {_count(len(text))} ký tự; tối đa {_count(limit)} ký tự.")
            return ""
        return text

    def blank(self, coord: str) -> bool:
        return _plain(self.ws[coord].value) == ""


@dataclass
class _Parsed:
    values: list[ValueInput]
    tasks: list[TaskInput]
    narrative: dict[str, str]
    problems: list[str]
    places: dict[str, tuple[int, str]]  # indicator code → (row, short name), for messages


def _read(ws: Worksheet, layout: Layout, form: selectors.Form) -> _Parsed:
    """The value rows, task rows and narrative of the sheet, and the problems of its cells."""
    read = _Reader(ws)
    values, places = [], {}
    for i, row in enumerate(form.rows):
        r = layout.first_value + i
        label = _short(row.indicator.name)
        if row.spec.is_ratio:
            parts = {"numerator": read.number(f"E{r}", label), "denominator": read.number(f"F{r}", label)}
            if not read.blank(f"D{r}"):
                read.bad(f"D{r}", label, "chỉ tiêu tỷ lệ: nhập Tử số và Mẫu số, để trống ô Giá trị.")
        else:
            parts = {"value": read.number(f"D{r}", label)}
            for col in "EF":
                if not read.blank(f"{col}{r}"):
                    read.bad(f"{col}{r}", label, "chỉ tiêu này không phải tỷ lệ: chỉ nhập Giá trị.")
        comment = read.text(f"G{r}", label, MAX_COMMENT)
        places[row.indicator.code] = (r, label)
        values.append(ValueInput(row.indicator.code, **parts, comment=comment, where=f"Dòng {r} ({label})"))

    states = _state_labels()
    folded = {label.casefold(): value for label, value in states.items()}
    tasks = []
    for i, task_row in enumerate(form.tasks):
        r = layout.first_task + i
        label = _short(task_row.task.title)
        known_problems = len(read.problems)
        state_text = read.text(f"D{r}", label, 100)
        percent = read.number(f"E{r}", label)
        texts = {
            "output": read.text(f"F{r}", label, MAX_TEXT),
            "evidence_url": read.text(f"G{r}", label, URL_LIMIT),
            "note": read.text(f"H{r}", label, MAX_TEXT),
        }
        if not state_text and all(read.blank(f"{col}{r}") for col in "DEFGH"):
            if task_row.update is not None:
                read.problems.append(
                    f"Dòng {r} ({label}): nhiệm vụ đã có cập nhật trên hệ thống, không xóa được bằng tệp; "
                    "hãy chọn Tình trạng."
                )
            continue  # not reported in this file
        if len(read.problems) > known_problems:
            continue  # its cells are already named; a guess at its state would only add noise
        state = folded.get(" ".join(state_text.split()).casefold())
        if state is None:
            choices = ", ".join(states)
            problem = (
                f"tình trạng “{_short(state_text, 30)}” không có trong danh sách; chọn một trong: {choices}."
                if state_text
                else f"chọn Tình trạng trong danh sách: {choices}."
            )
            read.bad(f"D{r}", label, problem)
            continue
        tasks.append(TaskInput(task_row.task.pk, state=state, percent=percent, where=f"Dòng {r} ({label})", **texts))

    narrative = {
        name: read.text(f"B{layout.first_narrative + i}", label, MAX_NARRATIVE)
        for i, (name, label) in enumerate(NARRATIVE)
    }
    return _Parsed(values, tasks, narrative, read.problems, places)


def _value_problems(summary: ImportSummary, places: dict[str, tuple[int, str]]) -> list[str]:
    """Each refused value with its cell when the finding names a part, else its row."""
    out = []
    for result in summary.errors:
        errors = [f for f in result.findings if f.level == v.ERROR]
        if not errors:
            out.append(f"{result.where}: {result.reason}")
            continue
        number, label = places[result.indicator]
        for finding in errors:
            col = PART_COLUMNS.get(finding.field)
            out.append(f"Ô {col}{number} ({label}): {finding.message}" if col else f"{result.where}: {finding.message}")
    return out


def import_file(*, actor, report: Report, data: bytes, filename: str, dry_run: bool = False) -> ImportResult:
    """Applies a filled template to `report`, all or nothing; refuses with every problem, each
    with its cell or row. A dry run checks everything and saves nothing."""
    report = Report.objects.select_related(
        "obligation__period", "obligation__rule__document", "obligation__agency", "obligation__admin_unit"
    ).get(pk=report.pk)
    # Asked first, so neither a stranger nor a closed report gets to learn about the file.
    require_editable(actor=actor, report=report)
    wb = _open(data, filename)
    form = selectors.report_form(report)
    ws = _check_identity(wb, report, form)
    layout = Layout(len(form.rows), len(form.tasks))
    problems = _structure_problems(ws, layout, form)
    if problems:
        raise _refuse(problems, "Cấu trúc tệp khác biểu mẫu; chưa lưu gì. Hãy tải biểu mẫu mới và nhập lại.")
    parsed = _read(ws, layout, form)
    if parsed.problems:
        raise _refuse(
            parsed.problems, f"Tệp có {_count(len(parsed.problems))} lỗi; chưa lưu gì. Hãy sửa rồi tải lên lại."
        )

    try:
        with transaction.atomic():
            value_summary = values_apply(actor=actor, report=report, rows=parsed.values, strict=True, source="excel")
            # Once a value is refused the tasks are only checked: the file fails as a whole anyway.
            task_summary = task_updates_apply(
                actor=actor, report=report, rows=parsed.tasks, dry_run=value_summary.status == "error", source="excel"
            )
            problems = _value_problems(value_summary, parsed.places) + [
                f"{r.where}: {r.reason}" for r in task_summary.errors
            ]
            if problems:
                # Raised inside the block so the values already saved roll back with it.
                raise _refuse(problems, f"Tệp có {_count(len(problems))} lỗi; chưa lưu gì. Hãy sửa rồi tải lên lại.")
            before = {name: getattr(report, name) for name, _label in NARRATIVE}
            saved = narrative_save(
                actor=actor, report=report, expected_version=None, source="excel", **parsed.narrative
            )
            changed = [name for name, _label in NARRATIVE if getattr(saved, name) != before[name]]
            result = ImportResult(value_summary, task_summary, changed, dry_run)
            if dry_run:
                # Everything ran as for real, so the preview is exactly what a real upload does.
                value_summary.dry_run = task_summary.dry_run = True
                raise _DryRun(result)
    except _DryRun as undone:
        return undone.result
    return result
