"""A unit's own periodic report as a document to sign (issue 16, item 6): the values, task updates
and narrative of one report of the reporting cycle, laid out by the same Nghị định 30/2020 helpers
as the secretariat's report (docx.py), the unit as the issuing body; its PDF converted by the same
LibreOffice step (pdf.py) on the task queue.

Read through the reports' own selector, so a person gets exactly the reports they may read: the
unit's people their unit's, the secretariat and leaders any; another unit's is not found."""

import io

from django.conf import settings
from django.utils.text import slugify

from dxtrack.accounts.access import Access
from dxtrack.core import jobs
from dxtrack.core.errors import DomainError
from dxtrack.core.models import Job
from dxtrack.core.numbers import EXACT, format_number
from dxtrack.core.text import xml_safe
from dxtrack.plans.models import PartyRole
from dxtrack.reports import selectors as report_selectors
from dxtrack.reports.models import Report

from . import pdf

UNIT_PDF = "publishing.unit_report_pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
GONE = "Không tìm thấy báo cáo này, hoặc bạn không còn quyền xem nó."


def subject(report: Report | int) -> str:
    return f"reports.report:{getattr(report, 'pk', report)}"


def filename(report: Report, ext: str) -> str:
    ob = report.obligation
    unit = ob.agency or ob.admin_unit
    return f"bao-cao-{slugify(ob.period.label.replace('/', ' '))}-{slugify(str(unit))}-{report.pk}.{ext}"


def report_for(*, actor, pk: int) -> Report:
    """The report, if `actor` may read it (Report.DoesNotExist otherwise, as for its page)."""
    return report_selectors.report_get(actor=Access.of(actor), pk=pk)


def _number(value, unit: str = "") -> str:
    if value is None:
        return ""
    return format_number(value, decimals=EXACT) + (f" {unit}" if unit and unit != "%" else unit)


def _value_rows(form) -> list[list[str]]:
    rows = []
    for i, row in enumerate(form.rows, start=1):
        value = row.value
        shown = _number(value.value if value else None, row.spec.unit) or "Chưa nhập"
        if row.spec.is_ratio and value and value.numerator is not None:
            shown += f" ({_number(value.numerator)}/{_number(value.denominator)})"
        before = row.previous
        previous = f"{_number(before.value, row.spec.unit)} ({before.period.label})" if before else ""
        rows.append([str(i), row.indicator.name, shown, previous, value.comment if value else ""])
    return rows


def _task_rows(form) -> list[list[str]]:
    ordered = sorted(form.tasks, key=lambda t: t.role != PartyRole.LEAD)
    rows = []
    for i, t in enumerate(ordered, start=1):
        role = "Chủ trì" if t.role == PartyRole.LEAD else "Phối hợp"
        u = t.update
        state = f"{u.get_state_display()}, {u.percent}%" if u else "Chưa cập nhật"
        output = " ".join(x for x in ((u.output, u.evidence_url) if u else ()) if x)
        rows.append([str(i), t.task.title, role, state, output])
    return rows


def render_docx(report: Report) -> bytes:
    """The DOCX of one unit's report, with blank number and day for the unit's clerk to fill."""
    # Imported here: python-docx (and lxml) only where a document is written, not at the start
    # of every process (the app's ready() imports this module to register its job).
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from . import docx as layout

    form = report_selectors.report_form(report)
    ob = report.obligation
    unit = str(ob.agency or ob.admin_unit)
    province = settings.DXTRACK_PROVINCE_NAME
    who = {"parent": f"UBND tỉnh {province}", "name": unit, "symbol": "", "place": province}
    document = Document()
    layout._setup(document)
    props = document.core_properties
    props.title = xml_safe(f"Báo cáo {ob.period.label} — {unit}")[:255]
    props.author = xml_safe(unit)[:255]
    body = document.paragraphs[0]._p if document.paragraphs else None
    if body is not None:
        body.getparent().remove(body)
    layout._header_block(document, who, None, None, ob.period.end.year)
    layout._title(document, f"Kết quả thực hiện {ob.rule.document.reference} {ob.period.label}")
    layout._heading(document, "I. SỐ LIỆU CHỈ TIÊU")
    if form.rows:
        layout._table(
            document,
            ["STT", "Chỉ tiêu", "Kỳ này", "Kỳ trước", "Giải trình"],
            _value_rows(form),
            [12, 55, 30, 28, 40],
            numeric={0, 2, 3},
        )
    else:
        layout._text(document, "Biểu này không có chỉ tiêu nào.")
    layout._heading(document, "II. NHIỆM VỤ")
    if form.tasks:
        layout._table(
            document,
            ["STT", "Nhiệm vụ", "Vai trò", "Tình trạng", "Sản phẩm, minh chứng"],
            _task_rows(form),
            [12, 63, 20, 30, 40],
            numeric={0},
        )
    else:
        layout._text(document, "Đơn vị không có nhiệm vụ nào trong kế hoạch này.")
    for title, text in (
        ("III. KẾT QUẢ ĐẠT ĐƯỢC", report.results),
        ("IV. KHÓ KHĂN, VƯỚNG MẮC", report.difficulties),
        ("V. ĐỀ XUẤT, KIẾN NGHỊ", report.proposals),
    ):
        layout._heading(document, title)
        layout._text(document, xml_safe(text or "") or "Không có.")
    layout._para(document, "", indent=False, after=Pt(0))
    layout._closing(
        document,
        {
            "recipients": f"- Tổ giúp việc Ban Chỉ đạo chuyển đổi số tỉnh {province};\n- Lưu: VT.",
            "sign_authority": "",
            "sign_title": "THỦ TRƯỞNG ĐƠN VỊ",
            "sign_name": "",
        },
    )
    layout._para(document, "(Ký, ghi rõ họ tên, đóng dấu)", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, italic=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@jobs.register(UNIT_PDF, waiting="Đang chuyển sang PDF…")
def unit_pdf(job: Job, progress: jobs.Progress) -> jobs.Result:
    """Safe to run twice: it only renders and converts. The right to read is checked again, as
    the job may run after the person lost it."""
    try:
        report = report_for(actor=Access.for_user(job.user), pk=job.params["report"])
    except Report.DoesNotExist as exc:
        raise DomainError(GONE) from exc
    progress(10)
    data = render_docx(report)
    progress(30)
    return jobs.Result(data=pdf.docx_to_pdf(data), filename=filename(report, "pdf"), content_type="application/pdf")
