"""Re-running a plan import from the commands page: the text read from the file is extracted
again, with today's extractor and today's names of agencies, into a fresh draft to review."""

from dxtrack.accounts.access import Access
from dxtrack.core.errors import InvalidData
from dxtrack.plans.extract.model import SourceText
from dxtrack.plans.models import PlanImport
from dxtrack.plans.services.uploads import plan_import_create


def plan_import_rerun(*, actor: Access, plan_import: PlanImport) -> PlanImport:
    """A new draft import from the stored text of `plan_import` (the original stays as it is).
    Through the upload's own service, which checks the right, writes the audit event and leaves
    nothing behind when the text yields nothing. The file itself is not kept, only its text:
    the positions of table cells and OCR confidences of the first reading are not carried over."""
    access = Access.of(actor)
    if not plan_import.source_text.strip():
        raise InvalidData("Lần nhập này không có nội dung văn bản để đọc lại.")
    source = SourceText(text=plan_import.source_text, filename=plan_import.filename)
    # Compared against the register's document the first reading was tied to (the one it
    # revised, found, or published into); without one, found again by its number as on upload.
    revises = plan_import.document
    return plan_import_create(
        actor=access,
        data=plan_import.source_text.encode("utf-8"),
        filename=plan_import.filename,
        year_context=plan_import.year_context,
        revises=revises,
        source=source,
    )
