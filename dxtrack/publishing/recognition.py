"""The recognition decision of an assessment round as an official DOCX (Nghị định 30/2020
layout, with the machinery of the periodic report: docx.py): "Quyết định công nhận … đạt chuẩn
chuyển đổi số năm N", the list of recognised units as its appendix (ADR 0032).

Rendered when the decision is recorded (`assessments.signals.decision_issued`) and kept on the
decision, so the numbered document is the one that was issued. Its PDF is that kept DOCX converted
by LibreOffice (pdf.py) on the task queue, as the periodic report's is (jobs.py), and kept on the
decision the first time (`services.recognition.decision_pdf_keep`)."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.core.files.base import ContentFile

from dxtrack.accounts.access import Access
from dxtrack.core import jobs
from dxtrack.core.dates import at_local
from dxtrack.core.errors import DomainError, NotFound
from dxtrack.core.models import Job
from dxtrack.core.numbers import format_number
from dxtrack.core.text import xml_safe

from . import pdf

DECISION_PDF = "publishing.recognition_pdf"
GONE = "Không tìm thấy quyết định này, hoặc bạn không còn quyền xem nó."


def _header(document, who: dict, number: str, signed_on: datetime.date) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from . import docx as layout

    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    layout._no_borders(table)
    layout._widths(table, [layout.LEFT_MM, layout.RIGHT_MM])
    centre = WD_ALIGN_PARAGRAPH.CENTER
    left, right = table.cell(0, 0), table.cell(0, 1)
    layout._cell_text(left, who["name"].upper(), size=12.5, bold=True, align=centre)
    layout._rule(left, 24, layout.LEFT_MM)
    layout._cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12.5, bold=True, align=centre)
    paragraph = right.add_paragraph()
    paragraph.paragraph_format.alignment = centre
    paragraph.paragraph_format.first_line_indent = Pt(0)
    layout._run(paragraph, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True)
    layout._rule(right, 66, layout.RIGHT_MM)
    layout._cell_text(table.cell(1, 0), f"Số: {number}", size=13, align=centre)
    layout._cell_text(
        table.cell(1, 1),
        layout.date_line(who["place"], signed_on, signed_on.year),
        size=13.5,
        italic=True,
        align=centre,
    )


def title_of(facts: dict) -> str:
    return f"Công nhận các đơn vị đạt chuẩn chuyển đổi số năm {facts['year']}"


def render(facts: dict) -> bytes:
    """The DOCX bytes of a recognition decision from `assessments.selectors.decision_facts`."""
    # Imported here: python-docx (and lxml) only where a document is written, not at the start
    # of every process (the app's ready() imports this module for its signal's receiver).
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from . import docx as layout

    province = settings.DXTRACK_PROVINCE_NAME
    who = {"name": f"ỦY BAN NHÂN DÂN\nTỈNH {province.upper()}", "place": province}
    signed_on = facts["signed_on"]
    document = Document()
    layout._setup(document)
    props = document.core_properties
    props.title = xml_safe(f"Quyết định {facts['number']}")[:255]
    props.created = props.modified = at_local(signed_on).astimezone(datetime.UTC).replace(tzinfo=None)
    props.revision = 1
    first = document.paragraphs[0]._p if document.paragraphs else None
    if first is not None:
        first.getparent().remove(first)
    _header(document, who, xml_safe(facts["number"]), signed_on)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    layout._para(document, "QUYẾT ĐỊNH", align=centre, indent=False, before=18, after=Pt(0), bold=True)
    layout._para(document, xml_safe(title_of(facts)), align=centre, indent=False, after=Pt(0), bold=True)
    layout._rule(document, 50, layout.TEXT_WIDTH_MM)
    layout._para(document, f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}", align=centre, indent=False, bold=True)
    basis = facts["framework"] + (f" ({facts['framework_number']})" if facts["framework_number"] else "")
    layout._para(document, xml_safe(f"Căn cứ Bộ tiêu chí: {basis};"), italic=True)
    layout._para(document, "Căn cứ kết quả thẩm định của Hội đồng thẩm định;", italic=True)
    layout._para(document, "QUYẾT ĐỊNH:", align=centre, indent=False, bold=True)
    count = len(facts["rows"])
    layout._para(
        document,
        f"Điều 1. Công nhận {count} đơn vị đạt chuẩn chuyển đổi số năm {facts['year']} (có danh sách kèm theo).",
    )
    layout._para(document, "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.")
    if facts.get("demonstration"):
        layout._para(document, "(Văn bản minh họa, không có giá trị pháp lý.)", italic=True)
    layout._closing(
        document,
        {
            "recipients": "- Như Điều 1;\n- Lưu: VT.",
            "sign_authority": "TM. ỦY BAN NHÂN DÂN",
            "sign_title": "CHỦ TỊCH",
            "sign_name": xml_safe(facts.get("signer") or ""),
        },
    )
    attached = f"(Kèm theo Quyết định số {xml_safe(facts['number'])} ngày {signed_on:%d/%m/%Y})"
    layout._appendix_head(document, "", "Danh sách đơn vị được công nhận", attached)
    rows = [
        [str(i), xml_safe(r["name"]), xml_safe(r["tier"]), format_number(r["points"])]
        for i, r in enumerate(facts["rows"], start=1)
    ]
    layout._table(document, ["STT", "Đơn vị", "Mức công nhận", "Điểm đạt được"], rows, [12, 83, 45, 25], numeric={0, 3})
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def keep_decision_document(sender, *, decision_id: int, **kwargs) -> None:
    """Receiver of `decision_issued`: renders the decision and keeps the file on it."""
    from dxtrack.assessments.models import RecognitionDecision
    from dxtrack.assessments.selectors import decision_facts
    from dxtrack.assessments.services.recognition import decision_stem

    decision = RecognitionDecision.objects.select_related("round__framework").get(pk=decision_id)
    data = render(decision_facts(decision))
    decision.file.save(decision_stem(decision) + ".docx", ContentFile(data), save=True)


def subject(decision) -> str:
    """The jobs about one decision (what its PDF button finds again)."""
    return f"assessments.decision:{getattr(decision, 'pk', decision)}"


@jobs.register(DECISION_PDF, waiting="Đang chuyển sang PDF…")
def decision_pdf(job: Job, progress: jobs.Progress) -> jobs.Result:
    """The decision's kept DOCX converted to PDF and kept on the decision; once kept, handed back
    as it is. Safe to run twice: keeping refuses nothing but writes only the first file. The right
    to read is checked again, as the job may run after the person lost it."""
    from dxtrack.assessments.selectors import decision_get
    from dxtrack.assessments.services.recognition import decision_pdf_keep, decision_stem

    access = Access.for_user(job.user)
    try:
        decision = decision_get(access, job.params["decision"])
    except NotFound as exc:
        raise DomainError(GONE) from exc
    if not decision.pdf:
        if not decision.file:
            raise DomainError("Quyết định này chưa có bản DOCX để chuyển sang PDF.")
        progress(10)
        with decision.file.open("rb") as kept:
            data = kept.read()
        progress(30)
        converted = pdf.docx_to_pdf(data)
        progress(90)
        decision = decision_pdf_keep(actor=access, decision=decision, data=converted)
    with decision.pdf.open("rb") as kept:
        data = kept.read()
    return jobs.Result(data=data, filename=decision_stem(decision) + ".pdf", content_type="application/pdf")
