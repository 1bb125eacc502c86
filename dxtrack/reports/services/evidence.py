"""Evidence of a task update: the link (checked wherever it is entered) and the kept file."""

import os

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit, files
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.reports.models import Report, TaskUpdate

from .editing import may_fill, require_open, text_field

EVIDENCE_URL_MAX = 500  # TaskUpdate.evidence_url's max_length
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".docx", ".xlsx", ".png", ".jpg", ".jpeg")


def check_evidence_file(upload) -> str:
    """The one check of an evidence file, wherever one is attached (a report's task, an
    assessment's criterion): its type by name and by content, not empty, at most 10 MB. Returns
    the file's own name; refuses in Vietnamese."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in EVIDENCE_TYPES:
        raise InvalidData("Tệp minh chứng phải là PDF, DOCX, XLSX, PNG hoặc JPEG.")
    if not upload.size:
        raise InvalidData("Tệp minh chứng rỗng.")
    if upload.size > EVIDENCE_MAX_BYTES:
        raise InvalidData("Tệp minh chứng lớn quá 10 MB.")
    data = upload.read(EVIDENCE_MAX_BYTES + 1)
    upload.seek(0)
    files.check_content(data, ext)
    return name


def check_evidence_url(value) -> tuple[str, str]:
    """(the link, "") or ("", why it is refused). Only web addresses a reader can open are kept: a
    link is shown to the secretariat and leaders, so javascript:, data: and the like never are."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    text, problem = text_field(value, "Đường dẫn minh chứng", EVIDENCE_URL_MAX)
    if problem or not text:
        return "", problem
    if not text.lower().startswith(("https://", "http://")):
        return (
            "",
            "Đường dẫn minh chứng phải bắt đầu bằng http:// hoặc https://, ví dụ https://example.gov.vn/tai-lieu.",
        )
    try:
        URLValidator(schemes=["http", "https"])(text)
        # Characters a real address carries percent-encoded only (RFC 3986): here, they are markup.
        if any(c in text for c in '<>"`{}|\\^'):
            raise ValidationError("unsafe characters")
    except ValidationError:
        return "", "Đường dẫn minh chứng không phải một địa chỉ web hợp lệ (có khoảng trắng hoặc thiếu tên miền?)."
    return text, ""


@transaction.atomic
def task_evidence_attach(*, actor: Access, update: TaskUpdate, upload) -> TaskUpdate:
    """Keeps an evidence file of a task update, after checking its size and that its content is
    what its name says (PDF, DOCX, XLSX, PNG, JPEG)."""

    access = Access.of(actor)
    report = (
        Report.objects.select_for_update(of=("self",)).select_related("obligation__period").get(pk=update.report_id)
    )
    if not may_fill(access, report.obligation):
        raise NotAllowed("Chỉ cán bộ của đơn vị được gửi minh chứng của đơn vị mình.")
    require_open(report)
    name = check_evidence_file(upload)
    before = update.evidence_file.name or None
    update.evidence_file.save(name, upload, save=False)
    if before:
        # The replaced file goes once the new one is kept; a rollback keeps the old one.
        storage = update.evidence_file.storage
        transaction.on_commit(lambda: storage.delete(before))
    update.version += 1
    update.updated_by = access.audit_actor
    update.updated_at = timezone.now()
    update.save(update_fields=["evidence_file", "version", "updated_by", "updated_at"])
    audit.record(
        actor=access,
        action="reporting.task_update.evidence",
        target=update,
        changes={"evidence_file": [before, update.evidence_file.name]},
    )
    return update


@transaction.atomic
def task_evidence_remove(*, actor: Access, update: TaskUpdate) -> TaskUpdate:
    """Takes the evidence file off a task update (the file itself goes once that commits)."""
    access = Access.of(actor)
    report = (
        Report.objects.select_for_update(of=("self",)).select_related("obligation__period").get(pk=update.report_id)
    )
    if not may_fill(access, report.obligation):
        raise NotAllowed("Chỉ cán bộ của đơn vị được xóa minh chứng của đơn vị mình.")
    require_open(report)
    update = TaskUpdate.objects.select_for_update().get(pk=update.pk)
    before = update.evidence_file.name or None
    if not before:
        raise InvalidData("Nhiệm vụ này không có tệp minh chứng để xóa.")
    storage = update.evidence_file.storage
    transaction.on_commit(lambda: storage.delete(before))
    update.evidence_file = ""
    update.version += 1
    update.updated_by = access.audit_actor
    update.updated_at = timezone.now()
    update.save(update_fields=["evidence_file", "version", "updated_by", "updated_at"])
    audit.record(
        actor=access,
        action="reporting.task_update.evidence_remove",
        target=update,
        changes={"evidence_file": [before, None]},
    )
    return update
