"""The periodic reports' long work, run on the task queue (core.jobs): LibreOffice takes seconds
to a minute per conversion, more than a request should hold a server's thread for.

Both handlers are safe to run twice: a draft's PDF is only a conversion, and issuing refuses a
report already issued — a second run after a worker died just after the commit hands back the
PDF kept at issue instead of failing."""

from dxtrack.accounts.access import Access
from dxtrack.core import jobs
from dxtrack.core.errors import DomainError
from dxtrack.core.models import Job

from . import pdf, selectors, services
from .models import IssuedReport

DRAFT_PDF = "publishing.draft_pdf"
ISSUE = "publishing.issue"
CONVERTING = "Đang chuyển sang PDF…"


def subject(report: IssuedReport | int) -> str:
    return f"publishing.report:{getattr(report, 'pk', report)}"


def filename(report: IssuedReport, ext: str) -> str:
    from django.utils.text import slugify

    if report.number:
        stem = f"bao-cao-{report.number:02d}-bc-{report.issuer_symbol}-{report.year}".lower()
    else:
        stem = f"du-thao-bao-cao-{slugify(report.period.label)}-{report.pk}"
    return f"{stem}.{ext}"


GONE = "Không tìm thấy báo cáo này, hoặc bạn không còn quyền xem nó."


def _report(access: Access, pk: int, *, files: bool) -> IssuedReport:
    try:
        return selectors.report_get(actor=access, pk=pk, files=files)  # NotAllowed is final too
    except IssuedReport.DoesNotExist as exc:
        raise DomainError(GONE) from exc


@jobs.register(DRAFT_PDF, waiting=CONVERTING)
def draft_pdf(job: Job, progress: jobs.Progress) -> jobs.Result:
    access = Access.for_user(job.user)
    report = _report(access, job.params["report"], files=True)
    progress(10)
    data = services.render_docx(report) if report.is_draft else bytes(report.docx)
    progress(30)
    converted = pdf.docx_to_pdf(data) if report.is_draft else bytes(report.pdf)
    return jobs.Result(data=converted, filename=filename(report, "pdf"), content_type="application/pdf")


@jobs.register(ISSUE, waiting=CONVERTING)
def issue(job: Job, progress: jobs.Progress) -> jobs.Result:
    access = Access.for_user(job.user)
    report = _report(access, job.params["report"], files=False)
    if report.is_draft:
        progress(10)
        report = services.report_issue(actor=access, report=report)
    issued = IssuedReport.objects.get(pk=report.pk)
    return jobs.Result(data=bytes(issued.pdf), filename=filename(issued, "pdf"), content_type="application/pdf")
