"""The criteria table of a decision's appendix: its header, group rows, criteria, totals.

The readers of the plan extractor give every table row of a DOCX, PDF or XLSX as one
tab-separated line (a row merged across the table as "text\\t"). A criteria table is the one
whose header names a criterion column and a points, requirement or flag column; its rows are then, by their first
cell's numbering (Nghị định 30's conventions): a group ("I", "II.", "A", "Nhóm I"; or a row
merged across), a criterion ("1", "1.", "1.1", "a)"), a total ("Tổng cộng"). A criterion with
sub-criteria is a heading: the sub-criteria are the criteria, and its points, if any, must be theirs.
"""

import re
from dataclasses import dataclass, field

from dxtrack.core.text import fold
from dxtrack.plans.extract.model import SourceText
from dxtrack.plans.extract.numbers import parse_number

from .requirement import BOOLEAN, LEVELS, has_level_scale, parse_requirement

MAX_TABLE_ROWS = 2_000  # a criteria set has tens of criteria; 2 000 rows is not one
MAX_CRITERIA = 500

ROMAN = re.compile(r"^(?:(?i:nhóm|phần|mục)\s+)?(?P<n>[IVX]{1,5}|[A-E])\s*[.:\-–]?$")
NUMERIC = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){0,3})\.?$")
LETTER = re.compile(r"^(?P<n>[a-zđ])\s*[).]$")
# "I. CHÍNH QUYỀN SỐ" in one merged cell: the numeral and the name together.
GROUP_TEXT = re.compile(
    r"^(?:(?i:nhóm|phần)\s+(?P<a>\d{1,2})|(?:(?i:nhóm|phần)\s+)?(?P<n>[IVX]{1,5}|[A-E]))\s*[.:\-–]\s*(?P<name>\S.*)$"
)
MAX_GROUP_NAME = 120  # a merged row longer than this, or a sentence, is a note under the table, not a group
NUMBERING_ROW = re.compile(r"^\(?\d{1,2}\)?$")
FLAG_SECTION = re.compile(r"^(?:nhóm\s+)?(?:các\s+)?(?:tiêu chí|chỉ tiêu|chỉ số)\s+(?P<f>bắt buộc|mở rộng)$", re.I)


class TableProblem(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Row:
    line: int
    code: str
    name: str
    requirement: str
    points: float | None
    flag: bool | None
    evidence: str
    unit: str
    levels: str
    group: str
    group_numeral: str
    parent: str = ""  # the numbered criterion a lettered one belongs to


@dataclass
class Group:
    numeral: str
    name: str
    points: float | None
    line: int


@dataclass
class CriteriaTable:
    rows: list[Row] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    total: float | None = None  # the "Tổng cộng" row's points
    lines: set[int] = field(default_factory=set)  # every line the table holds


# ---- the header ---------------------------------------------------------------------------------

_EXCLUDED_POINTS = ("tu danh gia", "tu cham", "tham dinh", "dat duoc", "hoi dong")


def _role(cell: str) -> str:
    """What a header cell names (folded words; order matters: "Chỉ tiêu cần đạt" is a requirement).
    "Mục tiêu" is no requirement: a plan's target table ("Tên chỉ tiêu | Mục tiêu 2025") is not a
    criteria set."""
    f = fold(cell)
    words = f.split()
    # "Điể m": a narrow PDF column breaks the word; the header is read without its spaces too
    if ("diem" in words or f.replace(" ", "") == "diem") and not any(x in f for x in _EXCLUDED_POINTS):
        return "points"
    if "bat buoc" in f or "mo rong" in f or f in ("loai", "loai tieu chi", "tinh chat", "phan loai"):
        return "extended" if "mo rong" in f and "bat buoc" not in f else "flag"
    if any(x in f for x in ("minh chung", "kiem chung", "ho so", "tai lieu")):
        return "evidence"
    if f in ("dvt", "don vi", "don vi tinh"):
        return "unit"
    if any(x in f for x in ("yeu cau", "muc dat", "nguong", "can dat", "dieu kien", "tieu chuan dat")):
        return "requirement"
    if any(x in f for x in ("thang muc", "muc do")):
        return "levels"
    if f in ("stt", "tt", "so tt", "so thu tu", "ma", "ma so", "ky hieu", "ma tieu chi"):
        return "code"
    if any(x in f for x in ("tieu chi", "chi tieu", "chi so", "noi dung")):
        return "name"
    return ""


def header_roles(cells: list[str]) -> dict[str, int] | None:
    """Column index by role, when the cells are a criteria table's header; else None."""
    roles: dict[str, int] = {}
    for i, cell in enumerate(cells):
        role = _role(cell)
        if role and role not in roles:
            roles[role] = i
    # A pass/fail set may have no points column; a requirement or a flag column still marks it.
    if "name" not in roles or not roles.keys() & {"points", "requirement", "flag"}:
        return None
    roles.setdefault("code", 0 if roles["name"] != 0 else -1)
    if "flag" in roles and fold(cells[roles["flag"]]).split()[-2:] == ["bat", "buoc"]:
        roles["marks"] = 1  # a "Bắt buộc" column of marks: a criterion left unmarked is extended
    return roles


# ---- the rows -----------------------------------------------------------------------------------


def _cell(cells: list[str], roles: dict[str, int], role: str) -> str:
    i = roles.get(role, -1)
    return cells[i].strip() if 0 <= i < len(cells) else ""


def points_of(text: str, row: int) -> float | None:
    text = re.sub(r"\s*điểm\s*$", "", (text or "").strip(), flags=re.I)
    if not text or text in ("-", "–"):
        return None
    value = parse_number(text)
    if value is None:
        raise TableProblem(f"Hàng {row} của bảng tiêu chí: điểm “{text[:30]}” không phải là số.")
    return value


_MARKS = {"x", "v", "✓", "✔", "co", "*"}


def _flag(cells: list[str], roles: dict[str, int], name: str) -> bool | None:
    """Mandatory (True), extended (False) or not stated (None): a flag column's words, a mark in a
    "Bắt buộc" or a "Mở rộng" column, or the name's own "(bắt buộc)" / "(mở rộng)"."""
    flag, extended = fold(_cell(cells, roles, "flag")), fold(_cell(cells, roles, "extended"))
    if flag in ("bat buoc", "bb") or flag in _MARKS:
        return True
    if flag in ("mo rong", "mr") or extended in _MARKS or extended == "mo rong":
        return False
    if "marks" in roles and not flag:
        return False
    folded = fold(name)
    if folded.endswith("bat buoc"):
        return True
    if folded.endswith("mo rong"):
        return False
    return None


def _sentence_case(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" .:")
    return text[:1] + text[1:].lower() if text.isupper() else text


def _strip_flag(name: str) -> str:
    return re.sub(r"\s*\((?:bắt buộc|mở rộng)\)\s*$", "", name, flags=re.I).strip()


class _Reader:
    def __init__(self, roles: dict[str, int]):
        self.roles = roles
        self.table = CriteriaTable()
        self.group = Group("", "", None, 0)
        self.flag: bool | None = None  # set by a "Tiêu chí bắt buộc" section row
        self.numbered = ""
        self.row = 1  # the row's place in the table, header first: what a message names

    def read(self, number: int, cells: list[str]) -> None:
        self.table.lines.add(number)
        self.row += 1
        filled = [c for c in cells if c]
        if not filled or (all(NUMBERING_ROW.match(c) for c in filled) and len(filled) > 2):
            return  # empty, or the "(1) (2) (3)" row under a header
        if (roles := header_roles(cells)) is not None:
            # The header's second row ("Phân loại" split into "Bắt buộc" | "Mở rộng" under it)
            # names the columns as the rows have them; later, the header again on the next page.
            if not self.table.rows and not self.table.groups:
                self.roles = roles
            return
        code = _cell(cells, self.roles, "code")
        name = _cell(cells, self.roles, "name")
        if fold(code or name).startswith("tong") or (not code and fold(filled[0]).startswith("tong")):
            self.table.total = points_of(_cell(cells, self.roles, "points"), self.row)
            return
        if self._group(number, cells, filled, code, name):
            return
        self._criterion(number, cells, code, name)

    def _group(self, number: int, cells, filled, code: str, name: str) -> bool:
        text = name
        numeral = ""
        if len(filled) == 1:  # a row merged across the table
            text = filled[0]
            if m := GROUP_TEXT.match(text):
                numeral, text = m["n"] or m["a"], m["name"]
            elif len(text) > MAX_GROUP_NAME or text.endswith((".", ";")) or ":" in text:
                self.table.lines.discard(number)  # a note: the prose readers take it
                return True
        elif m := ROMAN.match(code):
            numeral = m["n"]
        else:
            return False
        if m := FLAG_SECTION.match(_sentence_case(text)):
            self.flag = fold(m["f"]) == "bat buoc"
            return True
        points = points_of(_cell(cells, self.roles, "points"), self.row) if len(filled) > 1 else None
        self.group = Group(numeral.upper(), _sentence_case(text), points, number)
        self.table.groups.append(self.group)
        return True

    def _criterion(self, number: int, cells, code: str, name: str) -> None:
        parent = ""
        if m := NUMERIC.match(code):
            code = self.numbered = m["n"]
        elif m := LETTER.match(code):
            parent, code = self.numbered, f"{self.numbered}.{m['n']}" if self.numbered else m["n"]
        elif code:
            raise TableProblem(f"Hàng {self.row} của bảng tiêu chí: không đọc được số thứ tự “{code[:20]}”.")
        else:
            code = str(len(self.table.rows) + 1)
        if len(self.table.rows) >= MAX_CRITERIA:
            raise TableProblem(f"Bảng tiêu chí có hơn {MAX_CRITERIA} tiêu chí; một bộ tiêu chí không lớn như vậy.")
        flag = _flag(cells, self.roles, name)
        self.table.rows.append(
            Row(
                line=number,
                code=code,
                name=_strip_flag(name),
                requirement=_cell(cells, self.roles, "requirement"),
                points=points_of(_cell(cells, self.roles, "points"), self.row),
                flag=self.flag if flag is None else flag,
                evidence=_cell(cells, self.roles, "evidence"),
                unit=_cell(cells, self.roles, "unit"),
                levels=_cell(cells, self.roles, "levels"),
                group=self.group.name,
                group_numeral=self.group.numeral,
                parent=parent,
            )
        )


_COLUMN = re.compile(r"^(?P<col>[A-Z]{1,3})\d+$")


def cells_of(source: SourceText, line) -> list[str]:
    """A row's cells in their columns. The XLSX reader leaves empty cells out; their coordinates
    (kept in `origins`) put each cell back under its header, so an empty mark column or an empty
    points cell does not shift the row."""
    cells = line.cells
    origin = source.origins.get(line.number) or {}
    coordinates = origin.get("cells") or []
    if "sheet" not in origin or len(coordinates) != len(cells) or len(cells) < 2:
        return cells
    from openpyxl.utils import column_index_from_string

    columns = [column_index_from_string(m["col"]) - 1 if (m := _COLUMN.match(str(c))) else -1 for c in coordinates]
    if min(columns) < 0 or max(columns) > 100:
        return cells
    placed = [""] * (max(columns) + 1)
    for column, text in zip(columns, cells, strict=True):
        placed[column] = text
    return placed


def find_tables(source: SourceText) -> list[CriteriaTable]:
    """Every criteria table of the document, in order (rows up to the first line that is neither
    a table row nor blank)."""
    found: list[CriteriaTable] = []
    lines = source.lines
    i = 0
    while i < len(lines):
        line = lines[i]
        roles = header_roles(cells_of(source, line)) if line.is_table_row else None
        if roles is None:
            i += 1
            continue
        reader = _Reader(roles)
        reader.table.lines.add(line.number)
        i += 1
        count = 0
        while i < len(lines) and (lines[i].is_table_row or not lines[i].clean):
            if lines[i].is_table_row:
                count += 1
                if count > MAX_TABLE_ROWS:
                    raise TableProblem(f"Bảng tiêu chí có hơn {MAX_TABLE_ROWS:,} dòng; không xử lý.".replace(",", "."))
                reader.read(lines[i].number, cells_of(source, lines[i]))
            i += 1
        if reader.table.rows:
            found.append(reader.table)
    return found


def threshold_of(row: Row):
    """The row's threshold, its level scale, or both (a conflict the caller reports)."""
    text = row.requirement or row.name
    scale = bool(row.levels.strip()) or has_level_scale(text)
    threshold = parse_requirement(text)
    if scale and threshold is not BOOLEAN and threshold.comparator != "boolean":
        return threshold, True
    if scale:
        return LEVELS, False
    return threshold, False
