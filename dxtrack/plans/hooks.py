"""Rules the layers above plans add to a publication, without plans importing them (ADR 0018).

An app that owns the rules of a document type (steering, for conclusions notices) registers a
check for that type in its AppConfig.ready. Every publication of a draft of that type calls it,
whichever page it comes from (the session's or the plan review's), inside the publication's
transaction and before anything is written. A check refuses by raising a `core.errors`
DomainError: its message is what the reviewer reads, and nothing is published.
"""

from collections.abc import Callable

from .models import DOCUMENT_TYPE_BY_NAME, DocumentType, ImportItem, PlanImport

PublicationCheck = Callable[[PlanImport, list[ImportItem]], None]

_publication_checks: dict[str, list[PublicationCheck]] = {}


def document_type(meta: dict) -> str:
    """The register's type of a draft, from the type name its metadata carries."""
    return DOCUMENT_TYPE_BY_NAME.get(meta.get("type") or "", DocumentType.OTHER)


def publication_check(doc_type: str, check: PublicationCheck) -> None:
    """Registers `check(plan_import, items)` for drafts of `doc_type` (once, however often called)."""
    checks = _publication_checks.setdefault(str(doc_type), [])
    if check not in checks:
        checks.append(check)


def run_publication_checks(plan_import: PlanImport, items: list[ImportItem]) -> None:
    for check in _publication_checks.get(str(document_type(plan_import.meta)), []):
        check(plan_import, items)
