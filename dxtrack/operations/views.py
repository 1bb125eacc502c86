"""Readiness for load balancers and monitors (liveness is core's /healthz); the schedule page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.ids import parse_id
from dxtrack.core.models import Job, JobState
from dxtrack.obligations.models import Period
from dxtrack.plans import selectors as plan_selectors
from dxtrack.plans.models import PlanImport
from dxtrack.reports import reminders
from dxtrack.reports.models import Report
from dxtrack.reports.services.periods import period_close
from dxtrack.reports.services.workflow import report_transition

from . import health, selectors
from .services import imports as import_service
from .services import recompute as recompute_service


@never_cache
def readyz(request):
    """Readiness: 200 while the database answers, 503 otherwise; the cache, the queue's depth and
    the scheduler's last beat are reported beside it."""
    state = health.readiness()
    return JsonResponse(state, status=200 if state["ready"] else 503, json_dumps_params={"ensure_ascii": False})


@login_required
@never_cache
def schedule(request):
    try:
        rows = selectors.schedule_rows(actor=request.access)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    return render(request, "operations/schedule.html", {"rows": rows, "health": health.readiness()})


# ---- every command on a page (issue 16, item 4) ---------------------------------------------------
# Each command: a page that shows what it will do (the confirmation), a POST that calls the very
# service its management command calls, and a page with the result. Refusals of the services
# (NotAllowed) are answered 403 by core.middleware.DomainErrorPages; other refusals are shown.


def _require_programme(request) -> None:
    if not request.access.runs_programme:
        raise PermissionDenied(_("Chỉ Tổ giúp việc dùng được các lệnh vận hành."))


def _result(request, *, title: str, lines: list[str], links: list[tuple[str, str]] = (), failed: bool = False):
    context = {"title": title, "lines": lines, "links": list(links), "failed": failed}
    return render(request, "operations/command_result.html", context, status=400 if failed else 200)


@login_required
@never_cache
def commands(request):
    _require_programme(request)
    return render(
        request,
        "operations/commands.html",
        {
            "recompute": selectors.recompute_job(actor=request.access),
            "periods": selectors.open_periods(actor=request.access)[:5],
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def command_remind(request):
    """GET: who would get which reminder now. POST: sends them (the service records each, so a
    second press sends nothing again)."""
    _require_programme(request)
    if request.method == "GET":
        planned = reminders.reminders_preview(actor=request.access)
        context = {
            "planned": [p for p in planned if p.recipients],
            "nobody": [p for p in planned if not p.recipients],
        }
        return render(request, "operations/command_remind.html", context)
    result = reminders.reminders_send(actor=request.access)
    return _result(
        request,
        title=_("Đã gửi nhắc báo cáo"),
        lines=[
            _("Đã gửi %(n)s thư: %(soon)s thư sắp đến hạn, %(late)s thư quá hạn.")
            % {"n": result.sent, "soon": result.due_soon, "late": result.overdue},
            _("%(n)s nghĩa vụ chưa có người nhận (đơn vị chưa có tài khoản có thư điện tử).")
            % {"n": result.no_addressee},
        ],
        links=[(reverse("operations:command_remind"), _("Xem lại danh sách nhắc"))],
    )


@login_required
@never_cache
def command_periods(request):
    _require_programme(request)
    return render(request, "operations/command_periods.html", {"periods": selectors.open_periods(actor=request.access)})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def command_close(request, pk: int):
    """GET: what closing the period would lock and leave out. POST: closes it."""
    _require_programme(request)
    period = get_object_or_404(Period, pk=pk)
    if request.method == "GET":
        counts = selectors.period_status_counts(actor=request.access, period=period)
        return render(request, "operations/command_close.html", {"period": period, "counts": counts})
    try:
        locked = period_close(actor=request.access, period=period)
    except InvalidData as exc:
        return _result(request, title=_("Không khóa sổ được"), lines=[exc.message, *exc.details], failed=True)
    return _result(
        request,
        title=_("Đã khóa sổ kỳ %(p)s") % {"p": period.label},
        lines=[_("Đã khóa %(n)s báo cáo đã duyệt; từ nay số liệu của kỳ không thay đổi được.") % {"n": locked}],
        links=[(reverse("reports:period", args=[period.pk]), _("Xem tình hình báo cáo của kỳ"))],
    )


@login_required
@never_cache
def command_unlocks(request):
    _require_programme(request)
    query = request.GET.get("q", "").strip()[:100]
    period_id = parse_id(request.GET.get("ky"))
    found = selectors.unlockable_reports(actor=request.access, query=query, period_id=period_id)
    page = Paginator(found, 50).get_page(request.GET.get("trang"))
    return render(request, "operations/command_unlocks.html", {"page": page, "q": query, "period_id": period_id})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def command_unlock(request, pk: int):
    """GET: the report and the reason to give. POST: unlocks it through the workflow's table
    (approved or locked → returned, with the reason, audited)."""
    _require_programme(request)
    report = get_object_or_404(
        Report.objects.select_related("obligation__period", "obligation__agency", "obligation__admin_unit"), pk=pk
    )
    reason = ""
    error = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            report_transition(
                actor=request.access,
                report=report,
                action="unlock",
                reason=reason,
                expected_version=parse_id(request.POST.get("version")),
            )
        except NotAllowed:
            raise
        except DomainError as exc:
            error = " ".join([exc.message, *exc.details])
        else:
            unit = report.obligation.agency or report.obligation.admin_unit
            return _result(
                request,
                title=_("Đã mở khóa báo cáo"),
                lines=[
                    _("Báo cáo %(p)s của %(u)s đã được mở khóa và trả lại đơn vị để sửa.")
                    % {"p": report.obligation.period.label, "u": unit},
                    _("Lý do: %(r)s") % {"r": reason.strip()},
                ],
                links=[(reverse("reports:report", args=[report.pk]), _("Mở báo cáo"))],
            )
    context = {"report": report, "reason": reason, "error": error}
    return render(request, "operations/command_unlock.html", context, status=400 if error else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def command_recompute(request):
    """GET: the latest recomputation and its state. POST: queues one (or shows the one running)."""
    _require_programme(request)
    if request.method == "POST":
        job = recompute_service.recompute_start(actor=request.access)
        return redirect("operations:command_recompute_job", pk=job.pk)
    job = selectors.recompute_job(actor=request.access)
    summary = selectors.recompute_summary(job) if job is not None and job.state == JobState.DONE else ""
    return render(request, "operations/command_recompute.html", {"job": job, "summary": summary})


@login_required
@never_cache
def command_recompute_job(request, pk: int):
    """A recomputation's state: the page, or the fragment it polls (htmx) until the job is done."""
    _require_programme(request)
    try:
        job = selectors.recompute_job(actor=request.access, pk=pk)
    except Job.DoesNotExist as exc:
        raise Http404 from exc
    context = {"job": job, "summary": selectors.recompute_summary(job) if job.state == JobState.DONE else ""}
    if request.headers.get("HX-Request") == "true":
        return render(request, "operations/_recompute_job.html", context)
    return render(request, "operations/command_recompute.html", context)


@login_required
@never_cache
def command_imports(request):
    _require_programme(request)
    imports = plan_selectors.imports(actor=request.access)[:50]
    return render(request, "operations/command_imports.html", {"imports": imports})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def command_import(request, pk: int):
    """GET: the import to read again. POST: a fresh draft from its text, to review."""
    _require_programme(request)
    try:
        plan_import = plan_selectors.import_get(actor=request.access, pk=pk)
    except PlanImport.DoesNotExist as exc:
        raise Http404 from exc
    if request.method == "GET":
        return render(request, "operations/command_import.html", {"imp": plan_import})
    try:
        fresh = import_service.plan_import_rerun(actor=request.access, plan_import=plan_import)
    except NotAllowed:
        raise
    except DomainError as exc:
        return _result(request, title=_("Không đọc lại được văn bản"), lines=[exc.message, *exc.details], failed=True)
    kinds = list(fresh.items.values_list("kind", flat=True))
    return _result(
        request,
        title=_("Đã đọc lại văn bản"),
        lines=[
            _("Lần nhập mới số %(pk)s từ “%(f)s”: %(t)s chỉ tiêu, %(k)s nhiệm vụ, %(r)s quy định báo cáo.")
            % {
                "pk": fresh.pk,
                "f": fresh.filename,
                "t": kinds.count("target"),
                "k": kinds.count("task"),
                "r": kinds.count("reporting"),
            },
            _("Lần nhập cũ số %(pk)s giữ nguyên.") % {"pk": plan_import.pk},
        ],
        links=[(reverse("plans:import", args=[fresh.pk]), _("Duyệt lần nhập mới"))],
    )
