"""The briefing pack as a Word document in the official layout (Nghị định 30/2020/NĐ-CP), built
with publishing's own page set-up, header block, paragraphs and tables, so that the pack and the
periodic report look alike; LibreOffice converts this very file to PDF (publishing.pdf)."""

import datetime
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from dxtrack.core.dates import at_local
from dxtrack.core.text import xml_safe
from dxtrack.publishing import compose
from dxtrack.publishing import docx as official

MOVED_LISTED = 60
TASKS_LISTED = 100
# The pack is the committee's working paper, prepared again as often as the secretariat wishes:
# it takes no number of its own. The number line is left dotted for the clerk to fill in by hand
# if the pack is ever sent under a number, as official drafts are (ADR 0035).
NUMBER_PLACEHOLDER = "........"


def number_line(symbol: str) -> str:
    """'Số: ......../BC-TGV'."""
    return f"Số: {NUMBER_PLACEHOLDER}/BC-{symbol}"


def _number(document, symbol: str) -> None:
    """The header block's number line (its first table, second row, left), dotted."""
    runs = document.tables[0].cell(1, 0).paragraphs[0].runs
    runs[0].text = number_line(symbol)
    for run in runs[1:]:
        run.text = ""


def _title(document, session: dict) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    official._para(
        document, "TÀI LIỆU PHỤC VỤ PHIÊN HỌP", align=centre, indent=False, before=18, after=Pt(0), bold=True
    )
    official._para(document, xml_safe(session["title"]), align=centre, indent=False, after=Pt(0), bold=True)
    official._rule(document, 50, official.TEXT_WIDTH_MM)
    official._para(document, "", indent=False, after=Pt(6), size=6)


def _targets(document, facts: dict) -> None:
    t = facts["targets"]
    official._heading(document, "I. TÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU")
    official._text(
        document,
        f"Số liệu đến ngày {_day(facts['at'])}, đánh giá theo năm {facts['as_of_year']}: "
        f"tổng số {t['total']} chỉ tiêu; đánh giá chung: {t['status']}.",
    )
    rows = [[c["label"], str(c["count"])] for c in t["cards"]] + [["Tổng cộng", str(t["total"])]]
    official._table(document, ["Tình trạng", "Số chỉ tiêu"], rows, [125, 40], numeric={1})
    if not facts["moved_compared"]:
        official._text(document, "Chưa có tài liệu của phiên họp trước để so sánh chỉ tiêu thay đổi tình trạng.")
        return
    moved = facts["moved"]
    official._text(document, f"Số chỉ tiêu thay đổi tình trạng so với phiên họp trước: {len(moved)}.")
    if moved:
        rows = [[m["label"], m["document"], m["before_label"], m["status_label"]] for m in moved[:MOVED_LISTED]]
        official._table(document, ["Chỉ tiêu", "Văn bản", "Phiên trước", "Hiện nay"], rows, [70, 30, 32, 33])


def _reports(document, facts: dict) -> None:
    late = facts["late"]
    official._heading(document, "II. BÁO CÁO CHẬM, CHƯA GỬI")
    parts = "; ".join(f"{b['label'].lower()}: {b['count']}" for b in late["by_status"])
    official._text(
        document, f"Tổng số báo cáo chậm hoặc chưa gửi: {late['total']}" + (f" ({parts})." if parts else ".")
    )
    if late["rows"]:
        rows = [[r["unit"], r["period"], r["due"], r["status_label"], str(r["days_late"])] for r in late["rows"]]
        official._table(
            document, ["Đơn vị", "Kỳ", "Hạn gửi", "Tình trạng", "Số ngày chậm"], rows, [55, 30, 25, 35, 20], numeric={4}
        )


def _task_list(document, rows: list[dict]) -> None:
    if rows:
        table = [[r["title"], r["lead"], r["document"], r["deadline"]] for r in rows[:TASKS_LISTED]]
        official._table(document, ["Nội dung", "Cơ quan chủ trì", "Văn bản", "Thời hạn"], table, [75, 40, 25, 25])


def _tasks(document, facts: dict) -> None:
    t = facts["tasks"]
    official._heading(document, "III. NHIỆM VỤ VÀ CHỈ ĐẠO QUÁ HẠN")
    counts = "; ".join(f"{c['label'].lower()}: {c['count']}" for c in t["counts"])
    official._text(document, f"Tổng số nhiệm vụ, chỉ đạo đang theo dõi: {t['total']} ({counts}).")
    official._text(document, f"1. Nhiệm vụ quá hạn: {len(t['overdue_tasks'])}.")
    _task_list(document, t["overdue_tasks"])
    official._text(document, f"2. Chỉ đạo của Ban Chỉ đạo quá hạn: {len(t['overdue_directives'])}.")
    _task_list(document, t["overdue_directives"])
    last = facts.get("last_directives")
    if last:
        states = "; ".join(f"{s['label'].lower()}: {s['count']}" for s in last["by_state"])
        official._text(
            document,
            f"3. Chỉ đạo tại {last['session']}: {last['total']} chỉ đạo ({states}); "
            f"đã đóng {last['closed']}; quá hạn chưa đóng {last['late']}.",
        )


def _day(iso: str) -> str:
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y")


def render(facts: dict) -> bytes:
    """The DOCX bytes of a pack (the same facts give the same document)."""
    who = compose.issuer()
    at = datetime.date.fromisoformat(facts["at"])
    document = Document()
    official._setup(document)
    props = document.core_properties
    props.title = xml_safe(f"Tài liệu phục vụ {facts['session']['title']}")[:255]
    props.author = who["name_text"]
    props.created = props.modified = at_local(at).astimezone(datetime.UTC).replace(tzinfo=None)
    props.revision = 1
    first = document.paragraphs[0]._p if document.paragraphs else None
    if first is not None:
        first.getparent().remove(first)
    official._header_block(document, who, None, at, at.year)
    _number(document, who["symbol"])
    _title(document, facts["session"])
    _targets(document, facts)
    _reports(document, facts)
    _tasks(document, facts)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
