"""Writing the pre-filled template of a report."""

import io
import math

from django.core import signing
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dxtrack.core.dates import format_vn_date
from dxtrack.obligations.calendar import spans
from dxtrack.plans.models import PartyRole
from dxtrack.reports import selectors
from dxtrack.reports.models import Report, TaskState

from .layout import (
    _BORDER,
    _HEADER_FILL,
    _INFO_FILL,
    _OPEN,
    _UNUSED_FILL,
    _WRAP,
    LAST_COLUMN,
    META_SHEET,
    NARRATIVE,
    NUMBER_FORMAT,
    SALT,
    SHEET,
    SIGNATURE_CELL,
    TASK_COLUMNS,
    VALUE_COLUMNS,
    WIDTHS,
    Layout,
    _body,
    _col,
)
from .signing import _signature


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
