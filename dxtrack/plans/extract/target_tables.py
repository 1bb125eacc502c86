"""Targets stated in a table of indicators, one column per year.

    TT | Chỉ tiêu | Đơn vị tính | Năm 2026 | Năm 2027 | Năm 2028 | Năm 2030

Each non-empty cell under a year column is one target of that year: its value from the cell
("60", "12,5", "≥ 80", "10-20", "Top 10"), its unit from the unit column (else from the
indicator's wording: "Tỷ lệ … (%)"), its comparator from the cell, else from the indicator's
wording ("tối đa", "không quá", "dưới" → ≤; "tối thiểu", "trên", "ít nhất" → ≥), else ≥ for a
percentage and = for a count (the rule of prose targets). A "-", "—", "x" or empty cell is no
target. The row number is never a value. Group rows ("A. CHÍNH QUYỀN SỐ", merged across) give
the pillar. A table whose columns are "Kế hoạch | Thực hiện" reports results: it sets no target
(a warning says so). A numeric table with no header row is not guessed at: a warning names it.

The lines of these tables are handed back as consumed, so the prose reader does not read them.
"""

import re
from dataclasses import dataclass, field

from dxtrack.core.text import fold

from .classify import _heading_pillar, _text_pillar
from .model import Clause, ExtractedTarget, SourceText
from .numbers import NUMBER, parse_number
from .structure import clause_at

_YEAR_HEAD = re.compile(
    r"^(?:nam|den nam|muc tieu nam|ke hoach nam|giai doan \d{4} \d{4}|\d{4} \d{4})?\s*(?P<y>(?:19|20)\d{2})$"
)
_NUMBER_HEAD = re.compile(r"^(?:s?tt|so tt|so thu tu)$")
_INDICATOR_HEAD = re.compile(r"^(?:ten |noi dung )?chi tieu|^noi dung$|^ten chi tieu|^chi so")
_UNIT_HEAD = re.compile(r"^(?:don vi tinh|dvt|don vi do|don vi)$")
_REPORT_HEADS = (re.compile(r"^ke hoach"), re.compile(r"^thuc hien|^uoc thuc hien|^ket qua thuc hien"))
_EMPTY = {"", "-", "–", "—", "x", "X", "…", "..."}
_AT_MOST = re.compile(r"\b(?:tối đa|không quá|dưới|không vượt quá|giảm xuống còn|xuống dưới)\b", re.I)
_AT_LEAST = re.compile(r"\b(?:tối thiểu|trên|ít nhất|không dưới|không thấp hơn|trở lên)\b", re.I)
_CELL = re.compile(
    rf"^(?P<cmp>≥|>=|≤|<=|>|<|tối thiểu|tối đa|trên|dưới|không quá|ít nhất|đạt)?\s*"
    rf"(?P<a>{NUMBER})\s*(?P<pa>%)?\s*(?:(?:-|–|—|đến)\s*(?P<b>{NUMBER})\s*%?)?\s*(?P<tail>%|[^\d]{{0,30}})?$",
    re.I,
)
_RANK = re.compile(r"^(?:top|nhóm|trong nhóm|xếp thứ|thứ)\s*(?P<n>\d{1,3})\b", re.I)
_MAY_HEAD = re.compile(r"chỉ\s*tiêu|chỉ\s*số|nội\s*dung", re.I)
_UNIT_IN_NAME = re.compile(r"\((?P<u>%|[^()\d]{1,25})\)\s*$")


@dataclass
class _Header:
    line: int
    cells: list[str]
    number: int | None
    indicator: int
    unit: int | None
    years: dict[int, int]  # column → year


@dataclass
class TableTargets:
    targets: list[ExtractedTarget] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)  # line numbers the prose reader must skip
    warnings: list[str] = field(default_factory=list)


def _header(cells: list[str], line: int) -> _Header | None:
    keys = [fold(c) for c in cells]
    years = {k: int(m["y"]) for k, key in enumerate(keys) if (m := _YEAR_HEAD.match(key))}
    indicator = next((k for k, key in enumerate(keys) if _INDICATOR_HEAD.match(key)), None)
    if not years or indicator is None or indicator in years:
        return None
    number = next((k for k, key in enumerate(keys) if _NUMBER_HEAD.match(key)), None)
    unit = next((k for k, key in enumerate(keys) if _UNIT_HEAD.match(key)), None)
    return _Header(line, cells, number, indicator, unit, years)


def _is_report_header(cells: list[str]) -> bool:
    keys = [fold(c) for c in cells]
    has_indicator = any(_INDICATOR_HEAD.match(k) for k in keys)
    return has_indicator and all(any(p.match(k) for k in keys) for p in _REPORT_HEADS)


def _comparator(cell_cmp: str, name: str, unit: str) -> str:
    cmp = (cell_cmp or "").lower()
    if cmp in ("≤", "<=", "<", "tối đa", "dưới", "không quá"):
        return "<="
    if cmp in ("≥", ">=", ">", "tối thiểu", "trên", "ít nhất"):
        return ">="
    if _AT_MOST.search(name):
        return "<="
    if _AT_LEAST.search(name):
        return ">="
    return ">=" if unit == "%" else "="


def _value(cell: str, name: str, unit: str) -> tuple[float, float | None, str, str] | None:
    """(value, value_max, unit, comparator) of one cell, or None when it states no target."""
    text = cell.strip().rstrip(".")
    if text in _EMPTY:
        return None
    if m := _RANK.match(text):
        return float(m["n"]), None, "hạng", "<="
    m = _CELL.match(text)
    if m is None or parse_number(m["a"]) is None:
        return None
    value = parse_number(m["a"])
    value_max = parse_number(m["b"]) if m["b"] else None
    if m["pa"] or (m["tail"] or "").strip() == "%":
        unit = "%"
    direction = "range" if value_max is not None else _comparator(m["cmp"] or "", name, unit)
    return value, value_max, unit, direction


def _unit(header: _Header, cells: list[str], name: str) -> str:
    if header.unit is not None and header.unit < len(cells):
        unit = cells[header.unit].strip()
        if unit and unit not in _EMPTY:
            return "%" if unit in ("%", "tỷ lệ %", "Tỷ lệ (%)") else unit.lower()[:40]
    if m := _UNIT_IN_NAME.search(name):
        return m["u"].strip().lower()[:40]
    return "%" if fold(name).startswith("ty le") else ""


def _label(name: str) -> str:
    """The indicator's name without its unit and comparator: "Thời gian xử lý hồ sơ (ngày) tối đa" →
    "Thời gian xử lý hồ sơ"."""
    label = _UNIT_IN_NAME.sub("", name).strip(" :;.")
    label = re.sub(r"\s+(?:tối đa|tối thiểu|không quá|ít nhất|trở lên|trở xuống)\s*$", "", label, flags=re.I)
    return re.sub(r"^\d{1,2}(?:\.\d{1,2})*[.)]?\s+", "", label)[:500]


def _group(cells: list[str], header: _Header) -> str | None:
    """The text of a group row (one cell, or a number and a title with the other cells empty)."""
    filled = [c for c in cells if c.strip()]
    if len(filled) == 1 and len(cells) <= 2:
        return filled[0]
    year_cells = [cells[k] for k in header.years if k < len(cells)]
    if len(filled) <= 2 and not any(c.strip() for c in year_cells) and header.indicator < len(cells):
        name = cells[header.indicator].strip()
        if name and (name.isupper() or re.match(r"^[IVXA-E]\b", cells[0].strip())):
            return " ".join(filled)
    return None


def _row_targets(header: _Header, cells: list[str], line: int, pillar: str, source: SourceText, clause: str):
    name = cells[header.indicator].strip() if header.indicator < len(cells) else ""
    if not name:
        return []
    unit = _unit(header, cells, name)
    out = []
    for column, year in header.years.items():
        if column >= len(cells):
            continue
        read = _value(cells[column], name, unit)
        if read is None:
            continue
        value, value_max, cell_unit, direction = read
        out.append(
            ExtractedTarget(
                clause=clause,
                text=name[:500],
                value=value,
                value_max=value_max,
                unit=cell_unit,
                year=year,
                direction=direction,
                pillar=pillar or _text_pillar(name),
                line=line,
                label=_label(name),
                source={
                    "line": line,
                    "column": header.cells[column],
                    "cell": cells[column],
                    **source.origins.get(line, {}),
                },
            )
        )
    return out


def _rows(source: SourceText, start: int):
    """The table's row lines after its header (index `start`): tab lines, over blank lines (page
    breaks); the table ends at the first plain line."""
    for line in source.lines[start + 1 :]:
        if not line.clean:
            continue
        if not line.is_table_row:
            return
        yield line


def _numeric_columns(rows: list[list[str]]) -> bool:
    """A table whose cells after the first two columns are mostly numbers."""
    cells = [c for r in rows for c in r[2:] if c.strip()]
    numbers = [c for c in cells if _CELL.match(c.strip())]
    return len(cells) >= 4 and len(numbers) >= 0.6 * len(cells)


def find_table_targets(source: SourceText, clauses: list[Clause], *, task_header=None) -> TableTargets:
    """Targets of every year-column table; the lines of those tables, of report tables and of
    numeric tables without a header, consumed. `task_header(cells)` tells a task table's header
    (such a table is not header-less)."""
    found = TableTargets()
    index = 0
    lines = source.lines
    while index < len(lines):
        line = lines[index]
        if not line.is_table_row or line.number in found.consumed:
            index += 1
            continue
        cells = line.cells
        heading = _MAY_HEAD.search(line.clean) is not None  # only such a row can be a header: fold no other
        report = heading and _is_report_header(cells)
        header = _header(cells, line.number) if heading and not report else None
        if header is not None:
            _read_year_table(source, clauses, index, header, found)
        elif report:
            rows = list(_rows(source, index))
            found.consumed |= {line.number} | {r.number for r in rows}
            found.warnings.append(
                f"Bảng ở dòng {line.number} là bảng kết quả thực hiện (Kế hoạch, Thực hiện), không phải chỉ tiêu "
                "của kế hoạch: không lấy chỉ tiêu nào từ bảng này."
            )
        else:
            _headerless(source, index, found, task_header)
        index += 1
    return found


def _headerless(source: SourceText, index: int, found: TableTargets, task_header) -> bool:
    """A run of table rows opened by no header, whose cells are numbers: named in a warning."""
    previous = next((ln for ln in reversed(source.lines[max(0, index - 5) : index]) if ln.clean), None)
    if previous is not None and previous.is_table_row:
        return False  # not the table's first row
    rows = [source.lines[index], *_rows(source, index)]
    if len(rows) < 2 or not _numeric_columns([r.cells for r in rows]):
        return False
    if any(task_header and task_header(r.cells) for r in rows):
        return False
    found.consumed |= {r.number for r in rows}
    found.warnings.append(
        f"Bảng ở dòng {rows[0].number} không có hàng tiêu đề (Chỉ tiêu, Đơn vị tính, Năm …): không biết các số "
        "trong bảng là gì nên không lấy chỉ tiêu nào từ bảng này. Hãy thêm hàng tiêu đề rồi tải lên lại, "
        "hoặc nhập các chỉ tiêu khi duyệt."
    )
    return True


def _read_year_table(source: SourceText, clauses: list[Clause], index: int, header: _Header, found) -> None:
    found.consumed.add(header.line)
    pillar = ""
    for row in _rows(source, index):
        found.consumed.add(row.number)
        cells = row.cells
        if _header(cells, row.number) is not None:
            continue  # the header repeated on the next page
        if (group := _group(cells, header)) is not None:
            pillar = _heading_pillar(group) or _text_pillar(group)
            continue
        clause = clause_at(clauses, row.number)
        found.targets += _row_targets(header, cells, row.number, pillar, source, clause)
