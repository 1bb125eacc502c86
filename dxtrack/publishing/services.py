"""Every write to the periodic reports. Only the secretariat composes, edits and issues; each write
records an audit event in its own transaction. A report moves draft → issued only (TRANSITIONS);
issuing numbers it, dates it, renders the DOCX and the PDF once and keeps those bytes, which are
then what every download returns."""

import datetime
import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.numbers import format_number
from dxtrack.core.text import clean_text
from dxtrack.obligations.models import Period

from . import compose, facts, pdf
from .models import IssuedReport, IssuedStatus

TRANSITIONS = {
    IssuedStatus.DRAFT: {IssuedStatus.ISSUED},
    IssuedStatus.ISSUED: set(),  # an issued report is a sent document: never changed, never withdrawn here
}
EDITABLE = [*compose.TEXT_SECTIONS, "recipients", "sign_authority", "sign_title", "sign_name"]
MAX_SECTION = 20_000  # characters of one section: a long narrative, far below what breaks Word
MAX_SHORT = 200  # the signature lines
MAX_TITLE = 500


def _require_secretariat(access: Access) -> None:
    if not access.is_secretariat:
        raise NotAllowed("Chỉ Tổ giúp việc được lập, sửa và ban hành báo cáo định kỳ.")


def _transition(report: IssuedReport, to: str) -> None:
    if to not in TRANSITIONS.get(report.status, set()):
        raise DomainError(
            f"Báo cáo đang ở trạng thái “{report.get_status_display()}”, không chuyển sang "
            f"“{IssuedStatus(to).label}” được."
        )
    report.status = to


def report_compose(
    *, actor: Access, period: Period, scope_kind: str, scope_key: str = "", at: datetime.date | None = None
):
    """A new draft for the period and scope: the facts gathered now and the generated text."""
    access = Access.of(actor)
    _require_secretariat(access)
    if not isinstance(period, Period):
        raise InvalidData("Kỳ báo cáo không có trong lịch báo cáo.")
    scope = facts.scope_of(scope_kind, scope_key)
    at = at or timezone.localdate()
    gathered = facts.gather(period=period, scope=scope, actor=access, at=at)
    with transaction.atomic():
        report = IssuedReport.objects.create(
            period=period,
            scope_kind=scope.kind,
            scope_key=scope.key,
            scope_label=scope.label[:500],
            title=compose.title_of(gathered)[:MAX_TITLE],
            summary=compose.summary_of(gathered)[:500],
            sections=compose.sections(gathered),
            facts=gathered,
            issuer_symbol=compose.issuer()["symbol"],
            created_by=access.user,
        )
        audit.record(
            actor=access.audit_actor,
            action="publishing.report.compose",
            target=report,
            changes={"period": [None, period.label], "scope": [None, scope.label], "status": [None, report.status]},
        )
    return report


def _n(number: int) -> str:
    return format_number(number)  # 20.000, as Vietnamese writes thousands


def clean_sections(data) -> tuple[str, dict[str, str]]:
    """The title and the editable sections from a form's data; InvalidData listing every field
    that is too long."""
    problems = []
    title = clean_text(data.get("title", "") or "")
    if not title:
        problems.append("Trích yếu của báo cáo không được để trống.")
    elif len(title) > MAX_TITLE:
        problems.append(f"Trích yếu dài {_n(len(title))} ký tự; tối đa {MAX_TITLE} ký tự.")
    out = {}
    for key in EDITABLE:
        text = clean_text(data.get(key, "") or "")
        limit = MAX_SECTION if key in compose.TEXT_SECTIONS or key == "recipients" else MAX_SHORT
        if len(text) > limit:
            problems.append(
                f"Phần “{compose.SECTION_TITLES[key]}” dài {_n(len(text))} ký tự; tối đa {_n(limit)} ký tự."
            )
        out[key] = text
    if problems:
        raise InvalidData("Nội dung báo cáo chưa lưu được.", details=problems)
    return title, out


def report_update(*, actor: Access, report: IssuedReport, data, version: int | None = None) -> IssuedReport:
    """Saves the edited title and sections of a draft."""
    access = Access.of(actor)
    _require_secretariat(access)
    title, sections = clean_sections(data)
    with transaction.atomic():
        locked = IssuedReport.objects.select_for_update().defer("docx", "pdf").get(pk=report.pk)
        if locked.status != IssuedStatus.DRAFT:
            raise DomainError("Báo cáo đã ban hành, không sửa được nội dung.")
        if version is not None and version != locked.version:
            raise DomainError("Báo cáo vừa được người khác sửa; hãy tải lại trang rồi sửa tiếp.", code="conflict")
        before = {"title": locked.title, **{f"sections.{k}": v for k, v in locked.sections.items()}}
        locked.title = title
        locked.sections = {**locked.sections, **sections}
        after = {"title": locked.title, **{f"sections.{k}": v for k, v in locked.sections.items()}}
        changes = audit.diff(before, after)
        if not changes:
            return locked
        locked.version += 1
        locked.updated_at = timezone.now()
        locked.save(update_fields=["title", "sections", "version", "updated_at"])
        audit.record(actor=access.audit_actor, action="publishing.report.update", target=locked, changes=changes)
    return locked


def render_docx(report: IssuedReport) -> bytes:
    """The DOCX of a draft as it stands (no number, no day), or of an issued report as issued."""
    # Imported here: python-docx (and lxml) only where a document is written, not at the start
    # of every process (the app's ready() imports this module through its jobs).
    from . import docx

    return docx.render(
        facts=report.facts,
        sections=report.sections,
        title=report.title,
        number=report.number,
        issued_on=report.issued_on,
        year=report.year,
    )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def report_issue(
    *,
    actor: Access,
    report: IssuedReport,
    today: datetime.date | None = None,
    convert: Callable[[bytes], bytes] | None = None,
) -> IssuedReport:
    """Numbers the draft (the next number of the year for its issuing body), dates it, renders
    the DOCX and the PDF with that number and date and keeps them. Rendering and converting take
    seconds, so they happen outside the transaction; the transaction then checks that the number
    is still free (and the draft unchanged) before writing, and the whole is retried otherwise."""
    access = Access.of(actor)
    _require_secretariat(access)
    convert = convert or pdf.docx_to_pdf
    today = today or timezone.localdate()
    for _attempt in range(3):
        current = IssuedReport.objects.defer("docx", "pdf").get(pk=report.pk)
        if IssuedStatus.ISSUED not in TRANSITIONS.get(current.status, set()):
            raise DomainError("Báo cáo này đã được ban hành.")
        number = _next_number(current.issuer_symbol, today.year)
        current.number, current.issued_on, current.year = number, today, today.year
        docx_bytes = render_docx(current)
        pdf_bytes = convert(docx_bytes)  # OfficeUnavailable (a DomainError) before anything is written
        try:
            with transaction.atomic():
                locked = IssuedReport.objects.select_for_update().defer("docx", "pdf").get(pk=report.pk)
                if locked.version != current.version or _next_number(locked.issuer_symbol, today.year) != number:
                    continue  # edited or another report took the number meanwhile: render again
                _transition(locked, IssuedStatus.ISSUED)
                locked.number, locked.year, locked.issued_on = number, today.year, today
                locked.docx, locked.docx_sha256 = docx_bytes, _sha(docx_bytes)
                locked.pdf, locked.pdf_sha256 = pdf_bytes, _sha(pdf_bytes)
                locked.issued_at = locked.updated_at = timezone.now()
                locked.issued_by = access.user
                locked.save()
                audit.record(
                    actor=access.audit_actor,
                    action="publishing.report.issue",
                    target=locked,
                    changes={
                        "status": [IssuedStatus.DRAFT.value, IssuedStatus.ISSUED.value],
                        "number": [None, locked.reference],
                        "issued_on": [None, today.isoformat()],
                        "docx_sha256": [None, locked.docx_sha256],
                        "pdf_sha256": [None, locked.pdf_sha256],
                    },
                )
                return locked
        except IntegrityError:
            continue  # the number was taken between the check and the write (PostgreSQL): again
    raise DomainError("Không cấp được số cho báo cáo vì nhiều người đang ban hành cùng lúc; hãy thử lại.")


def _next_number(symbol: str, year: int) -> int:
    top = IssuedReport.objects.filter(issuer_symbol=symbol, year=year, number__isnull=False).aggregate(n=Max("number"))
    return (top["n"] or 0) + 1


def report_discard(*, actor: Access, report: IssuedReport) -> None:
    """Deletes a draft (an issued report is kept for ever)."""
    access = Access.of(actor)
    _require_secretariat(access)
    with transaction.atomic():
        locked = IssuedReport.objects.select_for_update().defer("docx", "pdf").get(pk=report.pk)
        if locked.status != IssuedStatus.DRAFT:
            raise DomainError("Báo cáo đã ban hành được lưu giữ, không xóa được.")
        audit.record(
            actor=access.audit_actor,
            action="publishing.report.discard",
            target=locked,
            changes={"status": [locked.status, None], "title": [locked.title, None]},
        )
        locked.delete()
