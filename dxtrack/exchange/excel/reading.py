"""Reading an uploaded workbook within bounds: its sheets, its structure, its cells."""

import datetime
import io
import warnings
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.worksheet import Worksheet

from dxtrack.core.errors import InvalidData
from dxtrack.reports import selectors
from dxtrack.reports import validation as v
from dxtrack.reports.services.editing import MAX_TEXT
from dxtrack.reports.services.narrative import MAX_NARRATIVE
from dxtrack.reports.services.task_updates import TaskInput
from dxtrack.reports.services.values import MAX_COMMENT, ValueInput

from .layout import (
    MAX_BYTES,
    MAX_DETAILS,
    MAX_MEMBERS,
    MAX_STORED_CELLS,
    MAX_UNCOMPRESSED,
    NARRATIVE,
    URL_LIMIT,
    Layout,
    _count,
    _short,
    _state_labels,
)


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
