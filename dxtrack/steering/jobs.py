"""A briefing pack's PDF, converted by LibreOffice on the task queue (core.jobs): seconds to a
minute, more than a request should hold. Safe to run twice: it only converts."""

from django.utils.text import slugify

from dxtrack.accounts.access import Access
from dxtrack.core import jobs
from dxtrack.core.errors import DomainError
from dxtrack.core.models import Job
from dxtrack.publishing import pdf

from . import selectors

PACK_PDF = "steering.pack_pdf"
CONVERTING = "Đang chuyển sang PDF…"


def subject(pack_id: int) -> str:
    return f"steering.pack:{pack_id}"


def filename(pack, ext: str) -> str:
    return f"tai-lieu-{slugify(pack.session.title)[:60]}-{pack.as_of:%Y%m%d}.{ext}"


@jobs.register(PACK_PDF, waiting=CONVERTING)
def pack_pdf(job: Job, progress: jobs.Progress) -> jobs.Result:
    access = Access.for_user(job.user)
    try:
        session = selectors.session_get(actor=access, pk=job.params["session"])
        pack = selectors.pack_get(actor=access, session=session, pk=job.params["pack"])
    except DomainError:
        raise
    progress(10)
    # Imported here: python-docx (and lxml) only where a document is written, not at the start
    # of every process (the app's ready() imports this module to register its job).
    from . import docx

    data = docx.render(pack.facts)
    progress(30)
    return jobs.Result(data=pdf.docx_to_pdf(data), filename=filename(pack, "pdf"), content_type="application/pdf")
