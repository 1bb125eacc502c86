"""The report as a Word document laid out per Nghị định 30/2020/NĐ-CP (Phụ lục I): A4 portrait,
margins 20/20/30/15 mm, Times New Roman 14 pt justified with a 1.27 cm first-line indent and 6 pt
after each paragraph; the header block (issuing body, national title and motto, each with its
short rule; number; place and date), "BÁO CÁO" and its summary line, the sections, "Nơi nhận" and
the signature block, page numbers centred at the top from page 2, then the appendices.

Built with python-docx only, from the stored facts and the (edited) section texts, so that the
same inputs give the same document; LibreOffice converts that very file to PDF (pdf.py).
"""

import datetime
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from dxtrack.core.dates import at_local
from dxtrack.core.numbers import PERCENT, format_number
from dxtrack.core.text import xml_safe

from . import compose

FONT = "Times New Roman"  # LibreOffice and fontconfig substitute the metric-compatible Liberation Serif
BODY_PT = 14
TABLE_PT = 11
# Paragraph styles of table cells: a style per alignment and weight, so that the thousands of cells
# of the appendices carry a style name instead of their own fonts and spacing (python-docx spends
# most of its time adding those child elements, and the file grows with them).
CELL, CELL_CENTRE, CELL_HEAD = "Ô bảng", "Ô bảng giữa", "Ô bảng tiêu đề"
PAGE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH_MM = 210 - 30 - 15
FIRST_LINE = Cm(1.27)
AFTER = Pt(6)
# Header block columns: the issuing body on the left, the national title on the right.
LEFT_MM, RIGHT_MM = 66, TEXT_WIDTH_MM - 66


def date_line(place: str, day: datetime.date | None, year: int) -> str:
    """'Thanh Hóa, ngày 05 tháng 01 năm 2026': days under 10 and months 1 and 2 take a leading
    zero (Nghị định 30/2020, Phụ lục I); a draft leaves day and month blank for the clerk."""
    if day is None:
        return f"{place}, ngày      tháng      năm {year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(number: int | None, symbol: str) -> str:
    """'Số: 05/BC-TGV'; a draft has no number yet ('Số:      /BC-TGV')."""
    return f"Số: {number:02d}/BC-{symbol}" if number else f"Số:      /BC-{symbol}"


# ---- low-level helpers ---------------------------------------------------------------------------


def _fonts(rpr_parent) -> None:
    """Names the font for every script: Word picks w:eastAsia or w:cs for some Vietnamese
    characters, and would fall back to another font if only w:ascii were set."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _run(paragraph, text: str, *, size: float = BODY_PT, bold=False, italic=False, upper=False):
    text = xml_safe(text)  # again here: text stored before the services cleaned it
    run = paragraph.add_run(text.upper() if upper else text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold or None
    run.italic = italic or None
    _fonts(run._r)
    return run


def _para(container, text: str = "", *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=AFTER, before=0, **run):
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = FIRST_LINE if indent else Pt(0)
    fmt.space_after = after
    fmt.space_before = Pt(before)
    if text:
        _run(paragraph, text, **run)
    return paragraph


def _rule(container, width_mm: float, column_mm: float) -> None:
    """A short horizontal line under a centred heading: an empty paragraph with a top border,
    indented so the border is `width_mm` long (Word and LibreOffice draw borders within indents)."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = Mm(max((column_mm - width_mm) / 2, 0))
    fmt.left_indent = fmt.right_indent = side
    fmt.first_line_indent = Pt(0)
    fmt.space_before = Pt(2)
    fmt.space_after = Pt(0)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    ppr.append(borders)
    _run(paragraph, "", size=1)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _widths(table, widths_mm: list[float]) -> None:
    """Fixed column widths, written where each program reads them: the grid (LibreOffice) and
    every cell (Word)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        col.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _repeat_header(row) -> None:
    """The header row is repeated at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _cell_text(cell, text: str, *, size=TABLE_PT, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.LEFT):
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.alignment = align
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, size=size, bold=bold, italic=italic)


def _page_field(paragraph) -> None:
    """A PAGE field, as Word writes one: begin, instruction, separate, shown value, end."""

    def char(kind: str):
        run = _run(paragraph, "", size=BODY_PT - 1)
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = _run(paragraph, "", size=BODY_PT - 1)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run._r.append(instr)
    char("separate")
    _run(paragraph, "2", size=BODY_PT - 1)
    char("end")


# ---- the document --------------------------------------------------------------------------------


def _setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE
    section.top_margin = MARGINS["top"]
    section.bottom_margin = MARGINS["bottom"]
    section.left_margin = MARGINS["left"]
    section.right_margin = MARGINS["right"]
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    # No number on the first page; the others carry it centred at the top.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.paragraph_format.first_line_indent = Pt(0)
    _page_field(header)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = FIRST_LINE
    fmt.space_after = AFTER
    fmt.line_spacing = 1.0
    for name, align, bold in (
        (CELL, WD_ALIGN_PARAGRAPH.LEFT, False),
        (CELL_CENTRE, WD_ALIGN_PARAGRAPH.CENTER, False),
        (CELL_HEAD, WD_ALIGN_PARAGRAPH.CENTER, True),
    ):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(TABLE_PT)
        style.font.bold = bold
        style.paragraph_format.alignment = align
        style.paragraph_format.first_line_indent = Pt(0)
        style.paragraph_format.space_after = Pt(0)


def _header_block(document, who: dict, number: int | None, issued_on: datetime.date | None, year: int) -> None:
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, [LEFT_MM, RIGHT_MM])
    left, right = table.cell(0, 0), table.cell(0, 1)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _cell_text(left, who["parent"].upper(), size=12.5, align=centre)
    for line in who["name"].upper().splitlines():  # the body's name breaks where settings break it
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.alignment = centre
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, line.strip(), size=12.5, bold=True)
    _rule(left, 24, LEFT_MM)
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12.5, bold=True, align=centre)
    paragraph = right.add_paragraph()
    paragraph.paragraph_format.alignment = centre
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True)
    _rule(right, 66, RIGHT_MM)
    _cell_text(table.cell(1, 0), number_line(number, who["symbol"]), size=13, align=centre)
    _cell_text(table.cell(1, 1), date_line(who["place"], issued_on, year), size=13.5, italic=True, align=centre)
    for cell in (table.cell(1, 0), table.cell(1, 1)):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def _title(document, title: str) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, "BÁO CÁO", align=centre, indent=False, before=18, after=Pt(0), bold=True)
    _para(document, title, align=centre, indent=False, after=Pt(0), bold=True)
    _rule(document, 50, TEXT_WIDTH_MM)
    _para(document, "", indent=False, after=Pt(6), size=6)


def _heading(document, text: str) -> None:
    _para(document, text, bold=True, after=AFTER, before=6)


def _text(document, text: str) -> None:
    for line in (text or "").splitlines():
        if line.strip():
            _para(document, line.strip())


def _fill(cell, style_id: str, text: str) -> None:
    """A cell's paragraph with a style and one run, written as XML directly: python-docx's
    style setter looks the style up by name on every call."""
    p = cell._tc.p_lst[0]
    ppr = OxmlElement("w:pPr")
    pstyle = OxmlElement("w:pStyle")
    pstyle.set(qn("w:val"), style_id)
    ppr.append(pstyle)
    p.insert(0, ppr)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = xml_safe(text)
    run.append(t)
    p.append(run)


def _table(document, head: list[str], rows: list[list[str]], widths: list[float], *, numeric: set[int] = frozenset()):
    """A bordered table, its header row repeated on each page. Rows are appended one by one and
    filled through row.cells: table.cell(r, c) walks the whole grid each call (quadratic)."""
    table = document.add_table(rows=1, cols=len(head))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    head_style = document.styles[CELL_HEAD].style_id
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        _fill(cell, head_style, text)
    _repeat_header(table.rows[0])
    left, middle = document.styles[CELL].style_id, document.styles[CELL_CENTRE].style_id
    for row in rows:
        cells = table.add_row().cells  # widths copied from the grid
        for c, (cell, text) in enumerate(zip(cells, row, strict=True)):
            _fill(cell, middle if c in numeric else left, text)
    _para(document, "", indent=False, after=Pt(0), size=6)
    return table


def _rate(value) -> str:
    return format_number(value, PERCENT, show_unit=True) if value is not None else "—"


def _status_table(document, facts: dict) -> None:
    statuses = compose.dashboard.STATUSES
    head = ["Trụ cột", "Tổng số", *[compose.dashboard.status_label(s) for s in statuses]]
    rows = [[g["label"], str(g["total"]), *[str(g["counts"].get(s, 0)) for s in statuses]] for g in facts["pillars"]]
    rows.append(["Tổng cộng", str(len(facts["targets"])), *[str(facts["counts"].get(s, 0)) for s in statuses]])
    # One column per status (missed included), the widths summing to the others' 165 mm.
    widths = [33, *[16] * (len(statuses) + 1)]
    widths[0] += 165 - sum(widths)
    _table(document, head, rows, widths, numeric=set(range(1, len(statuses) + 2)))


def _task_table(document, facts: dict) -> None:
    states = compose.dashboard.TASK_STATES
    head = ["Văn bản", "Tổng số", *[compose.p.TASK_LABELS[s] for s in states]]
    rows = [
        [g["document"], str(g["total"]), *[str(g["counts"].get(s, 0)) for s in states]] for g in facts["task_groups"]
    ]
    rows.append(["Tổng cộng", str(len(facts["tasks"])), *[str(facts["task_counts"].get(s, 0)) for s in states]])
    _table(document, head, rows, [45, 20, 20, 20, 20, 20, 20], numeric=set(range(1, 7)))


def _reporting_table(document, facts: dict) -> None:
    r = facts["reporting"]
    head = ["Biểu báo cáo", "Phải gửi", "Đã gửi", "Đúng hạn", "Tỷ lệ đã gửi", "Tỷ lệ đúng hạn"]
    rows = [
        [
            f["label"],
            str(f["expected"]),
            str(f["reported"]),
            str(f["on_time"]),
            _rate(f["reporting_rate"]),
            _rate(f["on_time_rate"]),
        ]
        for f in [*r["forms"], r["total"]]
    ]
    _table(document, head, rows, [55, 20, 20, 20, 25, 25], numeric={1, 2, 3, 4, 5})


def _closing(document, sections: dict) -> None:
    """'Nơi nhận' on the left (12 pt bold italic, the list 11 pt); the signature on the right."""
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [80, TEXT_WIDTH_MM - 80])
    left, right = table.cell(0, 0), table.cell(0, 1)
    _cell_text(left, "Nơi nhận:", size=12, bold=True, italic=True)
    for line in (sections.get("recipients") or "").splitlines():
        if line.strip():
            paragraph = left.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
            _run(paragraph, line.strip(), size=11)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _cell_text(right, (sections.get("sign_authority") or "").upper(), size=14, bold=True, align=centre)
    for text, bold, after in (
        (sections.get("sign_title") or "", True, 0),
        ("", False, 0),
        ("", False, 0),
        ("", False, 0),
    ):
        paragraph = right.add_paragraph()
        paragraph.paragraph_format.alignment = centre
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.space_after = Pt(after)
        _run(paragraph, text.upper(), size=14, bold=bold)
    paragraph = right.add_paragraph()
    paragraph.paragraph_format.alignment = centre
    paragraph.paragraph_format.first_line_indent = Pt(0)
    _run(paragraph, sections.get("sign_name") or "", size=14, bold=True)


def _appendix_head(document, number: str, title: str, attached: str) -> None:
    paragraph = _para(document, "", indent=False)
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, f"Phụ lục {number}", align=centre, indent=False, after=Pt(0), bold=True)
    _para(document, title.upper(), align=centre, indent=False, after=Pt(0), bold=True)
    _para(document, attached, align=centre, indent=False, italic=True)


def _appendices(document, facts: dict, attached: str) -> None:
    _appendix_head(document, "I", "Tình hình thực hiện các chỉ tiêu", attached)
    if facts.get("as_of"):
        _para(
            document,
            f"Tình trạng đánh giá tính đến năm {facts['as_of']}; mốc trước năm này là mốc đã qua "
            "(đạt đúng hạn, đạt muộn hoặc không đạt), không có dự báo.",
            indent=False,
            italic=True,
        )
    rows = [
        [str(i), t["label"], t["document"], t["milestone"], t["latest"], t["status_label"], t["projection"]]
        for i, t in enumerate(facts["targets"], start=1)
    ]
    _table(
        document,
        ["STT", "Chỉ tiêu", "Văn bản", "Mốc kế hoạch", "Giá trị mới nhất", "Tình trạng", "Dự báo năm mục tiêu"],
        rows or [["", "Không có chỉ tiêu.", "", "", "", "", ""]],
        [12, 49, 20, 21, 21, 21, 21],
        numeric={0, 3, 4, 6},
    )
    _appendix_head(document, "II", "Tình hình thực hiện các nhiệm vụ", attached)
    # Titles whole (Word wraps them in the cell), with the body that leads each task.
    rows = [
        [
            str(i),
            t["title"],
            t.get("lead", ""),  # facts frozen before the column existed have none
            t["document"],
            t["deadline"],
            t["state_label"] + (f" ({_rate(t['percent'])})" if t["percent"] is not None else ""),
        ]
        for i, t in enumerate(facts["tasks"], start=1)
    ]
    _table(
        document,
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Văn bản", "Thời hạn", "Tình trạng"],
        rows or [["", "Không có nhiệm vụ.", "", "", "", ""]],
        [10, 62, 30, 21, 20, 22],
        numeric={0},
    )
    _appendix_head(document, "III", "Các đơn vị chưa gửi hoặc gửi muộn báo cáo", attached)
    late = facts["reporting"]["late"]
    rows = [[str(i), x["unit"], x["due"], x["status_label"], str(x["days_late"])] for i, x in enumerate(late, start=1)]
    _table(
        document,
        ["STT", "Đơn vị", "Hạn gửi", "Tình trạng", "Số ngày chậm"],
        rows or [["", "Không có đơn vị chậm báo cáo.", "", "", ""]],
        [12, 68, 25, 40, 20],
        numeric={0, 2, 4},
    )


def render(
    *,
    facts: dict,
    sections: dict,
    title: str,
    number: int | None = None,
    issued_on: datetime.date | None = None,
    year: int | None = None,
) -> bytes:
    """The DOCX bytes. A draft (no number) leaves the number and the day blank."""
    # Text stored before the services cleaned it may hold characters XML refuses; every run is
    # cleaned again in _run, and the title also goes into the document's properties.
    title = xml_safe(title)
    sections = {k: xml_safe(v) if isinstance(v, str) else v for k, v in sections.items()}
    who = compose.issuer()
    year = year or (issued_on.year if issued_on else datetime.date.fromisoformat(facts["at"]).year)
    document = Document()
    _setup(document)
    props = document.core_properties
    props.title = f"Báo cáo {title}"[:255]
    props.author = who["name_text"]
    # Fixed, so that rendering the same report twice gives the same document properties: the
    # day's start on the province's clock, written as the UTC the format requires ("…Z"; a naive
    # local midnight would read as 07:00 here, hours after an issue made at dawn).
    day = issued_on or datetime.date.fromisoformat(facts["at"])
    stamp = at_local(day).astimezone(datetime.UTC).replace(tzinfo=None)
    props.created = props.modified = stamp
    props.last_modified_by = who["name_text"]
    props.revision = 1
    body = document.paragraphs[0]._p if document.paragraphs else None
    if body is not None:  # the template's empty first paragraph would push the header block down
        body.getparent().remove(body)
    _header_block(document, who, number, issued_on, year)
    _title(document, title)
    _text(document, sections.get("intro", ""))
    _heading(document, "I. KẾT QUẢ THỰC HIỆN")
    _heading(document, compose.SECTION_TITLES["overview"])
    _text(document, sections.get("overview", ""))
    if facts["pillars"]:  # the overview's numbers at a glance, per pillar
        _status_table(document, facts)
    _heading(document, compose.SECTION_TITLES["pillars"])
    _text(document, sections.get("pillars", ""))
    _heading(document, compose.SECTION_TITLES["targets"])
    _text(document, sections.get("targets", ""))
    _heading(document, compose.SECTION_TITLES["tasks"])
    _text(document, sections.get("tasks", ""))
    if facts["tasks"]:
        _task_table(document, facts)
    _heading(document, compose.SECTION_TITLES["reporting"])
    _text(document, sections.get("reporting", ""))
    if facts["reporting"]["total"]["expected"]:
        _reporting_table(document, facts)
    for key in ("difficulties", "proposals", "next"):
        _heading(document, compose.SECTION_TITLES[key])
        _text(document, sections.get(key, ""))
    _para(document, "", indent=False, after=Pt(0))
    _closing(document, sections)
    when = issued_on.strftime("%d/%m/%Y") if issued_on else f"      /      /{year}"
    ref = number_line(number, who["symbol"]).removeprefix("Số: ")
    attached = f"(Kèm theo Báo cáo số {ref} ngày {when} của {who['name_text']})"
    _appendices(document, facts, attached)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
