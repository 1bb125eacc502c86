from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render


def healthz(request):
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def audit_log(request):
    """Who did what, when, and how they authenticated: the secretariat's page of the audit log."""
    from . import selectors
    from .forms import AuditFilterForm

    if not selectors.may_read_audit(request.user):
        raise PermissionDenied("Chỉ Tổ giúp việc xem được nhật ký thay đổi.")
    actions, types = selectors.audit_choices()
    form = AuditFilterForm(request.GET or None, actions=actions, types=types)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.AuditFilters(
        who=data.get("nguoi") or "",
        action=data.get("thao_tac") or "",
        target_type=data.get("doi_tuong") or "",
        via=data.get("qua") or "",
        since=data.get("tu_ngay"),
        until=data.get("den_ngay"),
    )
    events = selectors.audit_events(actor=request.access, filters=filters)
    page = Paginator(events, 50).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()})


def _job(request, pk: int, *, with_file: bool = False):
    from django.http import Http404

    from .jobs import job_get
    from .models import Job

    try:
        return job_get(actor=request.access, pk=pk, with_file=with_file)
    except Job.DoesNotExist:
        raise Http404 from None


@login_required
def job_status(request, pk: int):
    """A job's state: the fragment the starting page polls (htmx), or a page of its own."""
    from .jobs import waiting_text

    job = _job(request, pk)
    context = {"job": job, "waiting": waiting_text(job.kind)}
    if request.headers.get("HX-Request") == "true":
        response = render(request, "core/_job.html", context)
    else:
        response = render(request, "core/job.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def job_file(request, pk: int):
    from django.http import HttpResponse
    from django.shortcuts import redirect

    from .exports import content_disposition_for

    job = _job(request, pk, with_file=True)
    if job.state != "done" or job.file is None:
        return redirect("core:job", pk=pk)
    response = HttpResponse(bytes(job.file), content_type=job.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_for(job.filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
