"""The periodic reports' pages: the list, "Lập báo cáo", the draft's editor, the issued report,
and the downloads. Parse, call a selector or a service, render; refusals of permission are 403,
domain errors a Vietnamese message, never a 500."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dxtrack.core import jobs as core_jobs
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed

from . import compose, jobs, pdf, recognition, selectors, services, unit_report
from .forms import ComposeForm
from .models import IssuedReport

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _get(request, pk: int, *, files: bool = False) -> IssuedReport:
    return selectors.report_get(actor=request.access, pk=pk, files=files)


def _require_secretariat(request) -> None:
    if not request.access.is_secretariat:
        raise PermissionDenied("Chỉ Tổ giúp việc được lập, sửa và ban hành báo cáo định kỳ.")


@login_required
def index(request):
    rows = list(selectors.reports(actor=request.access)[:200])
    return render(
        request,
        "publishing/index.html",
        {"reports": rows, "may_compose": request.access.is_secretariat, "office": pdf.available()},
    )


@login_required
def create(request):
    _require_secretariat(request)
    form = ComposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_compose(
                actor=request.access,
                period=form.cleaned_data["period"],
                scope_kind=form.cleaned_data["scope_kind"],
                scope_key=form.scope_key,
            )
        except NotAllowed:
            raise  # answered 403 by core.middleware.DomainErrorPages
        except DomainError as exc:
            form.add_error(None, " ".join([exc.message, *exc.details]))
        else:
            messages.success(request, "Đã lập bản nháp báo cáo. Hãy rà soát, sửa nội dung rồi ban hành.")
            return redirect("publishing:detail", pk=report.pk)
    return render(
        request,
        "publishing/create.html",
        {"form": form, **selectors.scope_choices()},
        status=400 if form.errors else 200,
    )


def _fields(report: IssuedReport, data=None) -> list[dict]:
    """The editable parts in order, each with its title, text and size of box."""
    source = data if data is not None else report.sections
    rows = []
    for key in services.EDITABLE:
        rows.append(
            {
                "key": key,
                "label": compose.SECTION_TITLES[key],
                "value": source.get(key, ""),
                "short": key.startswith("sign_"),
                "limit": services.MAX_SHORT if key.startswith("sign_") else services.MAX_SECTION,
            }
        )
    return rows


@login_required
def detail(request, pk: int):
    report = _get(request, pk)
    return _detail(request, report)


def _detail(request, report, *, data=None, errors=None, status=200):
    return render(
        request,
        "publishing/detail.html",
        {
            "report": report,
            "facts": report.facts,
            "fields": _fields(report, data),
            "title_value": (data or {}).get("title", report.title),
            "errors": errors or [],
            "may_compose": request.access.is_secretariat,
            "office": pdf.available(),
            "job": _recent_job(request, report),
            "waiting": jobs.CONVERTING,
            "status_heads": [compose.dashboard.status_label(s) for s in compose.dashboard.STATUSES],
            "pillar_rows": [
                (g["label"], g["total"], [g["counts"].get(s, 0) for s in compose.dashboard.STATUSES])
                for g in report.facts.get("pillars", [])
            ],
            "narratives": [
                ("Khó khăn, vướng mắc", report.facts.get("narratives", {}).get("difficulties", [])),
                ("Đề xuất, kiến nghị", report.facts.get("narratives", {}).get("proposals", [])),
            ],
        },
        status=status,
    )


@login_required
@require_POST
def save(request, pk: int):
    _require_secretariat(request)
    report = _get(request, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.report_update(actor=request.access, report=report, data=request.POST, version=version)
    except NotAllowed:
        raise  # answered 403 by core.middleware.DomainErrorPages
    except InvalidData as exc:
        return _detail(request, report, data=request.POST, errors=[exc.message, *exc.details], status=400)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("publishing:detail", pk=pk)
    messages.success(request, "Đã lưu nội dung báo cáo.")
    return redirect("publishing:detail", pk=pk)


RECENT_JOB = datetime.timedelta(hours=1)


def _recent_job(request, report: IssuedReport):
    """The person's PDF work on this report still running or finished within the hour."""
    job = core_jobs.latest(actor=request.access, subject=jobs.subject(report))
    if job is None or (job.finished and job.created_at < timezone.now() - RECENT_JOB):
        return None
    return job


def _start(request, report: IssuedReport, kind: str, label: str):
    """Starts the conversion on the task queue (or finds the one already running) and goes back
    to the report's page, which shows its progress."""
    running = core_jobs.latest(actor=request.access, subject=jobs.subject(report), kind=kind)
    if running is None or running.finished:
        try:
            core_jobs.job_start(
                actor=request.access, kind=kind, label=label, subject=jobs.subject(report), params={"report": report.pk}
            )
        except NotAllowed:
            raise  # answered 403 by core.middleware.DomainErrorPages
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("publishing:detail", pk=report.pk)


@login_required
@require_POST
def issue(request, pk: int):
    _require_secretariat(request)
    report = _get(request, pk)
    if not report.is_draft:
        messages.error(request, "Báo cáo này đã được ban hành.")
        return redirect("publishing:detail", pk=pk)
    if not pdf.available():
        # Said at once: queuing a conversion that cannot run would only delay the same message.
        messages.error(request, pdf.UNAVAILABLE)
        return redirect("publishing:detail", pk=pk)
    return _start(request, report, jobs.ISSUE, "Ban hành báo cáo và chuyển sang PDF")


@login_required
@require_POST
def discard(request, pk: int):
    _require_secretariat(request)
    report = _get(request, pk)
    try:
        services.report_discard(actor=request.access, report=report)
    except NotAllowed:
        raise  # answered 403 by core.middleware.DomainErrorPages
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("publishing:detail", pk=pk)
    messages.success(request, "Đã xóa bản nháp.")
    return redirect("publishing:index")


_filename = jobs.filename  # one naming for the page's downloads and the queued PDFs


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def download_docx(request, pk: int):
    report = _get(request, pk, files=True)
    # An issued report answers with the bytes kept at issue; a draft is rendered as it stands.
    data = report.docx if not report.is_draft else services.render_docx(report)
    return _attachment(data, DOCX_TYPE, _filename(report, "docx"))


@login_required
def download_pdf(request, pk: int):
    """An issued report's kept PDF at once; a draft's is converted on the task queue (POST from
    the page's button; a GET from an old link does the same)."""
    report = _get(request, pk)
    if not report.is_draft:
        report = _get(request, pk, files=True)
        return _attachment(report.pdf, "application/pdf", _filename(report, "pdf"))
    if not pdf.available():
        messages.error(request, pdf.UNAVAILABLE)
        return redirect("publishing:detail", pk=pk)
    return _start(request, report, jobs.DRAFT_PDF, "Chuyển bản nháp báo cáo sang PDF")


# ---- a unit's own report, to sign (issue 16, item 6) ------------------------------------------------


def _unit_report(request, pk: int):
    """The report if the person may read it; another unit's answers 404, like its page."""
    from django.http import Http404

    from dxtrack.reports.models import Report

    try:
        return unit_report.report_for(actor=request.access, pk=pk)
    except Report.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def unit_docx(request, pk: int):
    report = _unit_report(request, pk)
    data = unit_report.render_docx(report)
    return _attachment(data, DOCX_TYPE, unit_report.filename(report, "docx"))


@login_required
@require_POST
def unit_pdf(request, pk: int):
    """The PDF is converted on the task queue; the job's page shows its progress, then the file."""
    report = _unit_report(request, pk)
    if not pdf.available():
        messages.error(request, pdf.UNAVAILABLE)
        return redirect("reports:report", pk=pk)
    try:
        job = core_jobs.job_start(
            actor=request.access,
            kind=unit_report.UNIT_PDF,
            label="Chuyển báo cáo của đơn vị sang PDF",
            subject=unit_report.subject(report),
            params={"report": report.pk},
        )
    except NotAllowed:
        raise  # answered 403 by core.middleware.DomainErrorPages
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reports:report", pk=pk)
    return redirect("core:job", pk=job.pk)


# ---- the recognition decision of an assessment round (issue 17, item 5) ------------------------------


@login_required
def recognition_pdf(request, pk: int):
    """The decision's kept PDF at once; before it is kept, a POST (the round page's button)
    converts the numbered DOCX on the task queue and the job's page shows its progress, then the
    file. For those who see the round (the secretariat, the leaders, its council); others 404."""
    from dxtrack.assessments.selectors import decision_get
    from dxtrack.assessments.services.recognition import decision_stem

    decision = decision_get(request.access, pk)  # NotFound: answered 404 by the middleware
    if decision.pdf:
        with decision.pdf.open("rb") as kept:
            return _attachment(kept.read(), "application/pdf", decision_stem(decision) + ".pdf")
    back = redirect("assessments:round", pk=decision.round_id)
    if request.method != "POST":
        messages.info(request, "Bản PDF của quyết định chưa được tạo: bấm “Tạo bản PDF” để tạo.")
        return back
    if not pdf.available():
        messages.error(request, pdf.UNAVAILABLE)
        return back
    subject = recognition.subject(decision)
    running = core_jobs.latest(actor=request.access, subject=subject, kind=recognition.DECISION_PDF)
    if running is not None and not running.finished:
        return redirect("core:job", pk=running.pk)
    try:
        job = core_jobs.job_start(
            actor=request.access,
            kind=recognition.DECISION_PDF,
            label=f"Chuyển quyết định {decision.number} sang PDF",
            subject=subject,
            params={"decision": decision.pk},
        )
    except NotAllowed:
        raise  # answered 403 by core.middleware.DomainErrorPages
    except DomainError as exc:
        messages.error(request, exc.message)
        return back
    return redirect("core:job", pk=job.pk)
