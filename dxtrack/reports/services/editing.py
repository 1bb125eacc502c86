"""What every edit of a report shares: who may change it now, the refusal when someone else
changed it first, the check of a free text, and where a change came from."""

from django.db import IntegrityError, transaction

from dxtrack.accounts.access import Access
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.text import clean_text
from dxtrack.obligations.models import Obligation
from dxtrack.reports.models import Report


class Conflict(DomainError):
    """Someone else changed the same thing since the caller read it; `current` is what is there now."""

    def __init__(self, message: str, *, current: dict | None = None, details: list[str] | None = None):
        super().__init__(message, code="conflict", details=details)
        self.current = current or {}


def may_fill(access: Access, obligation: Obligation) -> bool:
    """Whether `access` fills the reports of the obligation's agency or unit (its reporter or
    approver)."""
    return access.reports_for(agency_id=obligation.agency_id, admin_unit_id=obligation.admin_unit_id)


def require_open(report: Report) -> None:
    if not report.period_allows_changes:
        raise InvalidData(f"Kỳ {report.obligation.period.label} đã khóa sổ; không thay đổi được báo cáo.")
    if not report.is_editable:
        raise InvalidData(
            f"Báo cáo đang ở trạng thái “{report.get_status_display()}”; chỉ sửa được khi đang soạn hoặc bị trả lại."
        )


def may_edit(actor: Access, report: Report) -> bool:
    """Whether `actor` may change `report` now: a reporter or approver of its unit, the report
    open for editing and its period not closed. For pages deciding what to show; writes check
    again under lock."""
    access = Access.of(actor)
    return may_fill(access, report.obligation) and report.is_editable and report.period_allows_changes


def require_editable(*, actor: Access, report: Report) -> None:
    """Refuses with the reason when `actor` may not change `report` now."""
    access = Access.of(actor)
    if not may_fill(access, report.obligation):
        raise NotAllowed("Chỉ cán bộ của đơn vị được nhập số liệu của đơn vị mình.")
    require_open(report)


SOURCES = {"web": "Nhập trên web", "excel": "Tải lên tệp Excel", "api": "Nhập qua API", "demo": "Dữ liệu trình diễn"}
MAX_TEXT = 4000


def create_once(model, key: dict, *, conflict: Conflict, **fields):
    """Creates the row of `key` or, where a concurrent writer created it first, raises `conflict`.

    Only that race is reported as someone else's edit: an IntegrityError with no row under the key
    afterwards is another fault and goes on as it is, rather than being told to the user as a race."""
    try:
        with transaction.atomic():
            return model.objects.create(**key, **fields)
    except IntegrityError:
        if model.objects.filter(**key).exists():
            raise conflict from None
        raise


def text_field(value, label: str, limit: int = MAX_TEXT) -> tuple[str, str]:
    if value is None:
        return "", ""
    if not isinstance(value, str):
        return "", f"{label} phải là văn bản."
    value = clean_text(value)
    if len(value) > limit:
        return "", f"{label} dài quá {limit} ký tự."
    return value, ""
