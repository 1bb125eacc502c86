"""Rules the layers above plans add to a publication, without plans importing them (ADR 0018).

An app that owns the rules of a document type (steering, for conclusions notices) registers a
check for that type in its AppConfig.ready. Every publication of a draft of that type calls it,
whichever page it comes from (the session's or the plan review's), inside the publication's
transaction and before anything is written. A check refuses by raising a `core.errors`
DomainError: its message is what the reviewer reads, and nothing is published.
"""

from collections.abc import Callable

from .models import DOCUMENT_TYPE_BY_NAME, Document, DocumentType, ImportItem, PlanImport

PublicationCheck = Callable[[PlanImport, list[ImportItem]], None]
AfterPublication = Callable[[PlanImport, Document], None]

_publication_checks: dict[str, list[PublicationCheck]] = {}
_after_publication: dict[str, list[AfterPublication]] = {}


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


def after_publication(doc_type: str, step: AfterPublication) -> None:
    """Registers `step(plan_import, document)`, run inside the publication's transaction once a
    draft of `doc_type` is written (once, however often called): what the owning app keeps beside
    the document (steering: the session it concludes) follows whichever page published it."""
    steps = _after_publication.setdefault(str(doc_type), [])
    if step not in steps:
        steps.append(step)


def run_after_publication(plan_import: PlanImport, document: Document) -> None:
    for step in _after_publication.get(str(document_type(plan_import.meta)), []):
        step(plan_import, document)
