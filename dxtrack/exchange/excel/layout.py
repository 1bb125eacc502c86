"""The template's fixed texts and row layout, shared by the writer and the reader."""

import hashlib
import json
from dataclasses import dataclass

from openpyxl.styles import Alignment, Border, PatternFill, Protection, Side

from dxtrack.core.numbers import format_number
from dxtrack.obligations.calendar import DATA_PERIOD, REPORTING_PERIOD
from dxtrack.reports.models import Report, TaskState

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
