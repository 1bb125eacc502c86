"""The bell, the list, marking read, the preferences page. Views parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxtrack.core.errors import DomainError

from . import selectors
from .models import Delivery
from .services.preferences import preferences_set
from .services.reading import notification_read, notifications_read_all


def bell(request):
    """The header's bell with the unread count (htmx polls it). Signed out meanwhile (the session
    ended): 286 tells htmx to stop polling and leave the header as it is, rather than swapping
    the log-in page into it."""
    if not request.user.is_authenticated:
        return HttpResponse(status=286)
    return render(request, "notifications/_bell.html", {"unread": selectors.unread_count(actor=request.access)})


@login_required
def index(request):
    qs = selectors.notifications(actor=request.access)
    if request.GET.get("chua-doc"):
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 30).get_page(request.GET.get("trang"))
    return render(
        request,
        "notifications/index.html",
        {
            "page": page,
            "unread_only": bool(request.GET.get("chua-doc")),
            "unread": selectors.unread_count(actor=request.access),
        },
    )


@require_POST
@login_required
def read(request, pk: int):
    """Marks one read and goes where it points (or back to the list)."""
    note = notification_read(actor=request.access, pk=pk)
    if request.POST.get("mo") and note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts=None):
        return redirect(note.url)
    return redirect("notifications:index")


@require_POST
@login_required
def read_all(request):
    count = notifications_read_all(actor=request.access)
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    return redirect("notifications:index")


@login_required
def preferences(request):
    rows = selectors.preferences(actor=request.access)
    error, details = "", []
    if request.method == "POST":
        choices = {kind: request.POST.get(kind, current) for kind, _label, current in rows}
        try:
            preferences_set(actor=request.access, choices=choices)
        except DomainError as exc:
            error, details = exc.message, exc.details
        else:
            messages.success(request, _("Đã lưu cách nhận thông báo."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"rows": rows, "deliveries": Delivery.choices, "error": error, "details": details},
        status=400 if error else 200,
    )
