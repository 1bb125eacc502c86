"""The criteria-set extractor: a decision (DOCX, PDF, XLSX) in, its framework as data out.

`extract(path)` returns exactly the shape of issue 17:
{"framework": {number, date, issuer, title, subject, max_points},
 "criteria": [{code, group, name, requirement, value, value_max, comparator, unit, points,
               mandatory, evidence}],
 "recognition": [{level, min_points, mandatory_share, extended_share}],
 "cycle": [{step, due}]}
or raises ExtractError with a Vietnamese message (nothing half-read is returned). The file is
read by the plan extractor's readers (plans/extract/readers.py: DOCX, PDF tables by PDFium,
XLSX; a scan is refused, OCR reads no tables), its header by the plan header reader; only the
criteria table, the tiers and the cycle are read here (table.py, prose.py, requirement.py).
docs/adr/0034-criteria-set-extractor.md.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from dxtrack.plans.extract.header import read_header
from dxtrack.plans.extract.model import ExtractedDocument, SourceText
from dxtrack.plans.extract.readers import MAX_BYTES, NeedsOcr, ReadError, read_upload

from . import prose
from .requirement import LEVELS
from .table import CriteriaTable, Row, TableProblem, find_tables, threshold_of

SUFFIXES = (".docx", ".pdf", ".xlsx")


class ExtractError(Exception):
    """Why a decision cannot be read as a criteria set: one Vietnamese message per problem."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or [message]


@dataclass
class Extraction:
    data: dict
    warnings: list[str] = field(default_factory=list)
    # Read with strict=False only (the review page): what is inconsistent, for the reviewer to
    # fix; per criterion, its source line and whether it also names a 1–5 level scale; the
    # groups with the points the table states for them; the source text itself.
    problems: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    levels: list[bool] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)
    source: SourceText | None = None


def extract(path) -> dict:
    """The criteria set a decision file holds (see the module's docstring), or ExtractError."""
    return extract_with_warnings(path).data


def extract_with_warnings(path) -> Extraction:
    """`extract`, with what the reviewer should check (flags left unsaid) beside the data."""
    file = Path(path)
    if not file.is_file():
        raise ExtractError(f"Không tìm thấy tệp “{path}”.")
    if file.stat().st_size > MAX_BYTES:
        raise ExtractError(f"Tệp “{file.name}” quá lớn; tối đa {MAX_BYTES // (1024 * 1024)} MB.")
    return read_decision(file.read_bytes(), file.name)


def read_decision(data: bytes, filename: str, *, strict: bool = True) -> Extraction:
    """The decision read whole. strict (the command line): any inconsistency raises ExtractError.
    Not strict (the review page): points that do not add up, a threshold beside a level scale,
    criteria without points come back as `problems` beside the data, for the reviewer to fix
    before publishing; a file that cannot be read or holds no criteria table still raises."""
    source = _source(data, filename)
    try:
        tables = find_tables(source)
    except TableProblem as exc:
        raise ExtractError(exc.message) from None
    if not tables:
        raise ExtractError(
            f"Không tìm thấy bảng tiêu chí trong tệp “{filename}”: cần một bảng (thường ở phụ lục) có cột "
            "tên tiêu chí và cột điểm hoặc yêu cầu cần đạt. Hãy kiểm tra lại tệp; chưa có gì được đọc."
        )
    return _assemble(source, tables, strict=strict)


def _source(data: bytes, filename: str) -> SourceText:
    name = (filename or "tệp").strip()[-200:]
    if data and not name.lower().endswith(SUFFIXES):
        raise ExtractError(
            f"Tệp “{name}” không phải .docx, .pdf hoặc .xlsx; hãy tải lên quyết định ở một trong ba định dạng đó."
        )
    try:
        return read_upload(data, name)
    except NeedsOcr:
        # OCR gives lines, not tables (plans/extract/ocr.py): a scan's criteria table cannot be
        # read, so the scan is refused at once instead of after minutes of OCR.
        raise ExtractError(
            f"Tệp PDF “{name}” chỉ có ảnh quét, không có lớp chữ: bảng tiêu chí không đọc được từ ảnh quét. "
            "Hãy tải lên bản PDF xuất từ Word, tệp .docx hoặc .xlsx."
        ) from None
    except ReadError as exc:
        raise ExtractError(exc.message) from None


def _out(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _criterion(row: Row, code: str, problems: list[str]) -> dict:
    threshold, conflict = threshold_of(row)
    if conflict:
        problems.append(
            f"Tiêu chí {code} (“{row.name[:60]}”) vừa đặt ngưỡng vừa chấm theo thang mức; một tiêu chí chỉ "
            "được chấm một cách. Hãy sửa văn bản hoặc nhập tiêu chí này bằng tay."
        )
    return {
        "code": code,
        "group": row.group,
        "name": row.name,
        "requirement": row.requirement,
        "value": _out(threshold.value),
        "value_max": _out(threshold.value_max),
        "comparator": threshold.comparator,
        "unit": row.unit or threshold.unit,
        "points": _out(row.points),
        "mandatory": row.flag,
        "evidence": row.evidence,
    }


def _leaves(table: CriteriaTable, problems: list[str]) -> list[Row]:
    """The criteria: rows without sub-criteria. A heading's points must be its sub-criteria's."""
    leaves = []
    for i, row in enumerate(table.rows):
        children = [r for r in table.rows[i + 1 :] if r.code.startswith(row.code + ".") and r.group == row.group]
        if not children:
            leaves.append(row)
            continue
        for child in children:
            child.flag = row.flag if child.flag is None else child.flag
        _check_sum(
            problems,
            f"tiêu chí {row.code}",
            row.points,
            [c.points for c in children if c.code.count(".") == row.code.count(".") + 1],
        )
    return leaves


def _check_sum(problems: list[str], what: str, stated, parts: list) -> None:
    if stated is None or not parts or any(p is None for p in parts):
        return
    total = round(sum(parts), 4)
    if abs(total - stated) > 1e-6:
        problems.append(
            f"Điểm của {what} là {_show(stated)} nhưng các tiêu chí thành phần cộng lại được {_show(total)}."
        )


def _show(value) -> str:
    from dxtrack.core.numbers import format_number

    return format_number(value, decimals=2)


def _codes(leaves: list[Row]) -> list[str]:
    """Codes as written; when the numbering starts again in each group, each code carries its
    group's numeral ("II.3"), so every code is unique."""
    codes = [r.code for r in leaves]
    if len(set(codes)) == len(codes):
        return codes
    return [f"{r.group_numeral}.{r.code}" if r.group_numeral else r.code for r in leaves]


def _assemble(source: SourceText, tables: list[CriteriaTable], *, strict: bool = True) -> Extraction:
    problems: list[str] = []
    warnings: list[str] = []
    leaves: list[Row] = []
    table_lines: set[int] = set()
    for table in tables:
        table_leaves = _leaves(table, problems)
        for group in table.groups:
            _check_sum(
                problems,
                f"nhóm {group.numeral} “{group.name}”" if group.numeral else f"nhóm “{group.name}”",
                group.points,
                [r.points for r in table_leaves if r.group == group.name and r.group_numeral == group.numeral],
            )
        leaves += table_leaves
        table_lines |= table.lines
    criteria = [_criterion(row, code, problems) for row, code in zip(leaves, _codes(leaves), strict=True)]
    prose_lines = _paragraphs(source, table_lines)
    framework = _framework(source, prose_lines)
    max_points = _max_points(tables, prose_lines, leaves, problems, warnings)
    framework["max_points"] = _out(max_points)
    if any(r.points is None for r in leaves) and any(r.points is not None for r in leaves):
        missing = ", ".join(c["code"] for c in criteria if c["points"] is None)
        problems.append(f"Các tiêu chí sau chưa có điểm: {missing}.")
    warnings += _unclear(criteria)
    if problems and strict:
        raise ExtractError(
            "Bộ tiêu chí trong văn bản chưa nhất quán, chưa có gì được đọc:\n" + "\n".join(f"- {p}" for p in problems),
            problems,
        )
    data = {
        "framework": framework,
        "criteria": criteria,
        "recognition": prose.find_tiers(prose_lines),
        "cycle": prose.find_cycle(prose_lines),
    }
    return Extraction(
        data,
        warnings,
        problems=problems,
        lines=[row.line for row in leaves],
        levels=[threshold_of(row)[0] is LEVELS or threshold_of(row)[1] for row in leaves],
        groups=[
            {"numeral": g.numeral, "name": g.name, "points": _out(g.points)} for table in tables for g in table.groups
        ],
        source=source,
    )


def _unclear(criteria: list[dict]) -> list[str]:
    """What the reviewer must settle: flags left unsaid, a figure the requirement seems to hold
    but that was not read as a threshold."""
    out = []
    unflagged = [c["code"] for c in criteria if c["mandatory"] is None]
    if unflagged and len(unflagged) == len(criteria):
        out.append("Văn bản không ghi tiêu chí nào là bắt buộc hay mở rộng; hãy xác định khi duyệt.")
    elif unflagged:
        out.append(f"Chưa rõ tiêu chí bắt buộc hay mở rộng: {', '.join(unflagged)}.")
    for c in criteria:
        if c["comparator"] == "boolean" and re.search(r"%|≥|≤|[<>]=?", c["requirement"]):
            out.append(f"Tiêu chí {c['code']}: không đọc được ngưỡng từ “{c['requirement'][:80]}”; hãy nhập khi duyệt.")
    return out


def _framework(source: SourceText, prose_lines: list[str]) -> dict:
    document = ExtractedDocument()
    read_header(source, document)
    annexed = prose.annexed_to(prose_lines[:40])
    date = document.date or annexed.get("date")
    title = _whole_title(source, document.title) or next((t for t in prose_lines[:10] if "tiêu chí" in t.lower()), "")
    return {
        "number": document.number or annexed.get("number", ""),
        "date": date.isoformat() if date else None,
        "issuer": document.issuer or annexed.get("issuer", ""),
        "title": title,
        "subject": prose.subject_of(title),
    }


_STARTS_CLAUSE = re.compile(r"^(?:[-–+•*]|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ]\)\s|[IVX]+\.\s|Điều\s+\d|PHỤ LỤC|Phụ lục)")


def _paragraphs(source: SourceText, table_lines: set[int]) -> list[str]:
    """The text outside the criteria tables, a paragraph a line: a PDF wraps a sentence over
    lines, and a tier or a step is read from the whole sentence. A line continues the one before
    it unless that one ends a sentence or a heading, or it starts a clause or a bullet."""
    out: list[str] = []
    joinable = False
    for line in source.lines:
        if line.number in table_lines or not line.clean:
            joinable = False
            continue
        text = " ".join(c for c in line.cells if c)
        if joinable and not line.is_table_row and not _STARTS_CLAUSE.match(text):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
        joinable = not line.is_table_row and not text.endswith((".", ":", ";", "!", "?")) and not text.isupper()
    return out


_NOT_TITLE = re.compile(r"^(?:Căn cứ|Điều\s+\d|Xét\s|\d+\.|[IVX]+\.|[-–+•])")


def _whole_title(source: SourceText, first: str) -> str:
    """The title under "QUYẾT ĐỊNH" with the lines a PDF wrapped it onto (the plan header reader
    keeps its first line): the next lines up to a blank one, an upper-case one or a clause."""
    if not first:
        return ""
    lines = [line.clean for line in source.lines[:80]]
    if first not in lines:
        return first
    parts = [first]
    for text in lines[lines.index(first) + 1 :]:
        if not text or text.isupper() or "\t" in text or _NOT_TITLE.match(text) or parts[-1].endswith("."):
            break
        parts.append(text)
    return " ".join(parts)[:500]


def _max_points(tables, prose_lines, leaves, problems, warnings):
    """The stated total (prose, or the table's total row), checked against the criteria's points."""
    summed = (
        round(sum(r.points for r in leaves if r.points is not None), 4)
        if any(r.points is not None for r in leaves)
        else None
    )
    stated, _sentence = prose.stated_total(prose_lines)
    table_total = next((t.total for t in tables if t.total is not None), None)
    if stated is not None and table_total is not None and abs(stated - table_total) > 1e-6:
        problems.append(
            f"Văn bản ghi tổng điểm {_show(stated)} nhưng dòng tổng cộng của bảng ghi {_show(table_total)}."
        )
    total = stated if stated is not None else table_total
    if total is not None and summed is not None and abs(total - summed) > 1e-6:
        problems.append(
            f"Điểm các tiêu chí cộng lại được {_show(summed)}, không bằng tổng điểm {_show(total)} văn bản ghi."
        )
    return total if total is not None else summed
