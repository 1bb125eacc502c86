"""The life of a draft import: who may touch it and the states it moves through. Imports are
drafts until the secretariat publishes them."""

from dxtrack.accounts.access import Access
from dxtrack.core.errors import DomainError, NotAllowed

from ..models import ImportStatus, PlanImport

# draft → published | discarded; nothing leaves published or discarded.
IMPORT_TRANSITIONS = {
    ImportStatus.DRAFT: {ImportStatus.PUBLISHED, ImportStatus.DISCARDED},
    ImportStatus.PUBLISHED: set(),
    ImportStatus.DISCARDED: set(),
}


def require_programme(access: Access) -> None:
    """Imports are the secretariat's work (and the command line's, as the system)."""
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được nhập và duyệt kế hoạch.")


def transition(plan_import: PlanImport, to: str) -> None:
    if to not in IMPORT_TRANSITIONS[ImportStatus(plan_import.status)]:
        raise DomainError(
            f"Lần nhập đang ở trạng thái “{plan_import.get_status_display()}”, không thể chuyển sang "
            f"“{ImportStatus(to).label}”."
        )
    plan_import.status = to


def check_draft(plan_import: PlanImport) -> None:
    if plan_import.status != ImportStatus.DRAFT:
        raise DomainError("Lần nhập này đã đóng; không sửa được nữa.")
