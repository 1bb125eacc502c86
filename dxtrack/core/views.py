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
