"""Reporting pages: a unit's reports, the form, the secretariat's queue and rates.

Views parse the request, call a selector or a service, and render. The services decide who may
do what; the views only choose between inputs and plain text, and map refusals to statuses:
NotAllowed → 403, other DomainErrors → the message on the page (400), unknown ids → 404.
Autosave endpoints answer htmx with the re-rendered row (400 on bad input, 409 on a conflict;
the page tells htmx to swap those too, so the message lands next to the field).
"""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from dxtrack.accounts.access import Access
from dxtrack.core import audit, lists
from dxtrack.core.errors import DomainError, NotAllowed
from dxtrack.core.exports import export_response
from dxtrack.core.ids import parse_id
from dxtrack.core.lists import ListQuery, Order
from dxtrack.core.numbers import EXACT, format_number
from dxtrack.obligations import selectors as obligation_selectors
from dxtrack.obligations.models import Obligation, Period, PeriodType
from dxtrack.plans.models import PartyRole
from dxtrack.reports import selectors, tables
from dxtrack.reports import validation as v
from dxtrack.reports.forms import EvidenceForm, ExcelUploadForm, ReportFilterForm
from dxtrack.reports.models import REPORTED_STATUSES, Report, ReportStatus, TaskState
from dxtrack.reports.services import opening
from dxtrack.reports.services.bulk_approval import MAX_BULK, Confirmed, reports_approve
from dxtrack.reports.services.editing import Conflict, may_edit
from dxtrack.reports.services.evidence import task_evidence_attach, task_evidence_remove
from dxtrack.reports.services.narrative import NARRATIVE_FIELDS, narrative_save
from dxtrack.reports.services.signature import may_request_signature, signature_request
from dxtrack.reports.services.task_updates import TaskInput, task_updates_apply
from dxtrack.reports.services.values import ValueInput, values_apply
from dxtrack.reports.services.workflow import allowed_actions, report_transition

VALUE_FIELDS = ("value", "numerator", "denominator", "comment")
TASK_FIELDS = ("state", "percent", "output", "evidence_url", "note")
PART_LABELS = {
    "value": gettext_lazy("Giá trị"),
    "numerator": gettext_lazy("Tử số"),
    "denominator": gettext_lazy("Mẫu số"),
}
DONE_MESSAGES = {
    "submit": gettext_lazy("Đã gửi báo cáo."),
    "approve": gettext_lazy("Đã duyệt báo cáo."),
    "return": gettext_lazy("Đã trả lại báo cáo cho đơn vị."),
    "lock": gettext_lazy("Đã khóa báo cáo."),
    "unlock": gettext_lazy("Đã mở khóa báo cáo; đơn vị có thể sửa lại."),
}


# ---- helpers ---------------------------------------------------------------------------------------


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _report(request, pk: int) -> Report:
    return selectors.report_get(actor=request.access, pk=pk)


def _require_overview(access: Access) -> None:
    """The province-wide pages: the secretariat acts on them, province leaders read them."""
    if not (access.is_secretariat or access.is_leader):
        raise PermissionDenied(_("Chỉ Tổ giúp việc và lãnh đạo tỉnh xem được trang này."))


def _status(obligation: Obligation, today) -> dict:
    """The badge and the late marker of an obligation's row in the lists."""
    report = getattr(obligation, "report", None)
    status = report.status if report else "none"
    reported = report is not None and report.status in REPORTED_STATUSES
    first = report.first_submitted_at if report else None
    return {
        "obligation": obligation,
        "report": report,
        "status": status,
        "status_label": report.get_status_display() if report else _("Chưa lập"),
        "late_days": (today - obligation.due).days if not reported and obligation.due < today else 0,
        "sent_late": bool(first and timezone.localdate(first) > obligation.due),
    }


def _entry_texts(value) -> dict:
    """A stored value as the inputs show it: numbers with the decimal comma."""
    if value is None:
        return dict.fromkeys(VALUE_FIELDS, "")
    return {
        "value": format_number(value.value, decimals=EXACT),
        "numerator": format_number(value.numerator, decimals=EXACT),
        "denominator": format_number(value.denominator, decimals=EXACT),
        "comment": value.comment,
    }


def _value_ctx(request, report, row, *, editable, entered=None, reason="", conflict=False, saved=None) -> dict:
    parts = ("numerator", "denominator") if row.spec.is_ratio else ("value",)
    # Findings describe the stored value; after a refused post they would describe something else.
    findings = [] if (reason or conflict) else row.findings
    inputs = [
        {
            "name": name,
            "label": PART_LABELS[name],
            "text": (entered or _entry_texts(row.value))[name],
            "findings": [f for f in findings if f.field == name],
        }
        for name in parts
    ]
    for item in inputs:
        item["invalid"] = bool(reason) or any(f.level == v.ERROR for f in item["findings"])
        # Last period's approved number beside the field, as the inputs write numbers.
        item["previous"] = format_number(getattr(row.previous, item["name"]), decimals=EXACT) if row.previous else ""
    return {
        "report": report,
        "row": row,
        "code": row.indicator.code,
        "editable": editable,
        "inputs": inputs,
        "comment": (entered or _entry_texts(row.value))["comment"],
        "version": row.value.version if row.value else 0,
        "other_findings": [f for f in findings if f.field not in parts],
        "reason": reason,
        "conflict": conflict,
        "mine": entered if conflict else None,
        "theirs": _entry_texts(row.value) if conflict else None,
        "saved": saved,
        "history": selectors.value_history(actor=request.access, value=row.value) if row.value else [],
    }


def _task_texts(update) -> dict:
    if update is None:
        return {"state": TaskState.NOT_STARTED, "percent": "", "output": "", "evidence_url": "", "note": ""}
    return {
        "state": update.state,
        "percent": str(update.percent),
        "output": update.output,
        "evidence_url": update.evidence_url,
        "note": update.note,
    }


def _task_ctx(
    report, trow, *, editable, entered=None, reason="", conflict=False, saved=None, field_errors=None
) -> dict:
    return {
        "field_errors": field_errors or {},
        "report": report,
        "trow": trow,
        "editable": editable,
        "entered": entered or _task_texts(trow.update),
        "version": trow.update.version if trow.update else 0,
        "states": TaskState.choices,
        "reason": reason,
        "conflict": conflict,
        "theirs": trow.update if conflict else None,
        "saved": saved,
        "evidence_form": EvidenceForm(auto_id=f"nv-{trow.task.pk}-%s"),
        "evidence_name": os.path.basename(trow.update.evidence_file.name)
        if trow.update and trow.update.evidence_file
        else "",
    }


def _narrative_ctx(report, *, editable, entered=None, reason="", theirs=None, saved=None) -> dict:
    stored = {name: getattr(report, name) for name in NARRATIVE_FIELDS}
    return {
        "report": report,
        "editable": editable,
        "entered": entered or stored,
        "reason": reason,
        "theirs": theirs,
        "saved": saved,
    }


def _actions_ctx(request, report) -> dict:
    return {
        "report": report,
        "actions": allowed_actions(request.access, report),
        "may_request_signature": may_request_signature(request.access, report),
    }


def _render_report(request, report: Report, *, status: int = 200, error: str = "", details=(), excel_form=None):
    form = selectors.report_form(report)
    editable = may_edit(request.access, report)

    # Rows are rendered by the same partials the autosave endpoints answer with.
    def task_html(role_is_lead: bool) -> list[str]:
        return [
            render_to_string("reports/_task_row.html", _task_ctx(report, trow, editable=editable), request)
            for trow in form.tasks
            if (trow.role == PartyRole.LEAD) == role_is_lead
        ]

    context = {
        "report": report,
        "obligation": report.obligation,
        "form": form,
        "editable": editable,
        "rows": [
            render_to_string("reports/_value_row.html", _value_ctx(request, report, row, editable=editable), request)
            for row in form.rows
        ],
        "lead_tasks": task_html(True),
        "other_tasks": task_html(False),
        "narrative": render_to_string("reports/_narrative.html", _narrative_ctx(report, editable=editable), request),
        "events": [
            (ev, audit.action_label(ev.action)) for ev in selectors.report_events(actor=request.access, report=report)
        ],
        "error": error,
        "details": list(details),
        "excel_form": excel_form or ExcelUploadForm(auto_id="excel-%s"),
        **_actions_ctx(request, report),
    }
    return render(request, "reports/report.html", context, status=status)


def _form_row(report: Report, code: str):
    form = selectors.report_form(report)
    for row in form.rows:
        if row.indicator.code == code:
            return form, row
    raise Http404


def _task_row(report: Report, task_id: int):
    form = selectors.report_form(report)
    for trow in form.tasks:
        if trow.task.pk == task_id:
            return form, trow
    raise Http404


# What an autosave needs before it saves: the form's indicator (or task) it names, or a 404. The
# whole form (every row's findings, the previous values, every task) is built once, after the save:
# building it before too doubled the cost of each autosave.
def _form_indicator(report: Report, code: str):
    for indicator in selectors.form_indicators(report.obligation):
        if indicator.code == code:
            return indicator
    raise Http404


def _form_task(report: Report, task_id: int):
    for task, _role in selectors.form_tasks(report.obligation):
        if task.pk == task_id:
            return task
    raise Http404


# ---- a unit's reports ------------------------------------------------------------------------------


def _obligation_list(request, *, queue: bool = False) -> ListQuery:
    """The shared filters of the obligations and the queue (core.lists): unit, status, period,
    plan, year, kind of period; sorts; 50 a page."""
    statuses = [selectors.NO_REPORT, selectors.LATE, *ReportStatus.values]
    orders = {
        "ky": Order(_("Kỳ báo cáo"), ("period__start", "period__period_type")),
        "don-vi": Order(_("Đơn vị"), (Coalesce("agency__search_name", "admin_unit__search_name"),)),
        "han": Order(_("Hạn gửi"), ("due",)),
        "trang-thai": Order(_("Trạng thái"), ("report__status",)),
        "gui-luc": Order(_("Gửi lúc"), ("report__submitted_at",)),
    }
    # The year keeps its form: a wrong one is explained on the page, then ignored.
    year = ReportFilterForm(request.GET)
    lq = ListQuery(
        request.GET,
        filters={
            "don-vi": lists.text,
            "trang-thai": lists.one_of(statuses),
            "ky": lists.integer,
            "ke-hoach": lists.integer,
            "nam": lists.text,
            "loai": lists.one_of(PeriodType.values),
        },
        orders=orders,
        default_order="gui-luc" if queue else "-ky",
    )
    lq.form = year
    if year.is_valid() and year.cleaned_data.get("nam"):
        lq.values["nam"] = year.cleaned_data["nam"]
    else:
        lq.values.pop("nam", None)
        lq.raw.pop("nam", None)
    return lq


STATUS_CHOICES = [
    (selectors.NO_REPORT, gettext_lazy("Chưa lập")),
    (selectors.LATE, gettext_lazy("Quá hạn, chưa gửi")),
    *ReportStatus.choices,
]


def _list_context(lq: ListQuery, *, statuses=True) -> dict:
    return {
        "lq": lq,
        "choices": selectors.list_choices(),
        "statuses": STATUS_CHOICES if statuses else [],
        "period_types": PeriodType.choices,
    }


@login_required
def index(request):
    lq = _obligation_list(request)
    today = timezone.localdate()
    qs = lq.order(selectors.obligation_list(actor=request.access, filters=lq.values, today=today))

    def export():
        # The download holds every obligation of the filtered list, not the page shown.
        return tables.obligations("Báo cáo của đơn vị", (_status(o, today) for o in qs), total=qs.count())

    if (response := export_response(request, export, "bao-cao-cua-don-vi")) is not None:
        return response
    page = lq.page(qs)
    return render(
        request,
        "reports/index.html",
        {
            **_list_context(lq),
            "page": page,
            "rows": [_status(o, today) for o in page],
            "province_wide": request.access.is_province_wide,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def obligation_open(request, pk: int):
    """GET shows the obligation (or goes to its report); POST creates the draft report."""
    obligation = obligation_selectors.obligation_get(actor=request.access, pk=pk)
    report = getattr(obligation, "report", None)
    if request.method == "GET":
        if report is not None:
            return redirect("reports:report", pk=report.pk)
        may_open = opening.may_open(request.access, obligation)
        return render(
            request,
            "reports/obligation.html",
            {"row": _status(obligation, timezone.localdate()), "may_open": may_open},
        )
    report = opening.report_open(actor=request.access, obligation=obligation)
    return redirect("reports:report", pk=report.pk)


# ---- the form --------------------------------------------------------------------------------------


@login_required
def report_detail(request, pk: int):
    return _render_report(request, _report(request, pk))


def _outcome(apply) -> tuple[str, bool]:
    """(reason, conflict) of an autosave of one row: the service's answer for that row, or the
    refusal it raised. A stranger's attempt is a 403, as everywhere."""
    try:
        summary = apply()
    except NotAllowed:
        raise  # answered 403 by core.middleware.DomainErrorPages
    except Conflict:
        return "", True
    except DomainError as exc:
        return " ".join([exc.message, *exc.details]), False
    result = summary.rows[0]
    return (result.reason if result.result == "error" else ""), result.result == "conflict"


def _answer(entered: dict, reason: str, conflict: bool) -> dict:
    """How a row answers its autosave: what the user typed back beside the message when it was
    refused, or the time it was saved."""
    refused = bool(reason or conflict)
    return {
        "entered": entered if refused else None,
        "reason": reason,
        "conflict": conflict,
        "saved": None if refused else timezone.localtime(),
    }


def _http_status(reason: str, conflict: bool) -> int:
    return 409 if conflict else 400 if reason else 200


@login_required
@require_http_methods(["GET", "POST"])
def value_row(request, pk: int, code: str):
    """GET: the row as stored (also "take theirs" after a conflict). POST: autosave of one value."""
    report = _report(request, pk)
    if request.method == "GET":
        _form, row = _form_row(report, code)
        editable = may_edit(request.access, report)
        return render(request, "reports/_value_row.html", _value_ctx(request, report, row, editable=editable))
    indicator = _form_indicator(report, code)
    editable = may_edit(request.access, report)
    entered = {name: request.POST.get(name, "") for name in VALUE_FIELDS}
    posted = ValueInput(code, **entered, version=parse_id(request.POST.get("version")), where=indicator.name)
    reason, conflict = _outcome(lambda: values_apply(actor=request.access, report=report, rows=[posted], strict=False))
    form, row = _form_row(report, code)
    if not _is_htmx(request):
        if reason or conflict:
            messages.error(request, f"{row.indicator.name}: {reason or _('Người khác vừa sửa số liệu này.')}")
        return redirect(reverse("reports:report", args=[report.pk]) + f"#ct-{code}")
    context = _value_ctx(request, report, row, editable=editable, **_answer(entered, reason, conflict))
    context["problems"] = form.problems
    context["flags"] = form.flags
    return render(request, "reports/_value_row.html", context, status=_http_status(reason, conflict))


@login_required
@require_http_methods(["GET", "POST"])
def task_row(request, pk: int, task_id: int):
    """GET: the task's row as stored. POST: autosave of one task update."""
    report = _report(request, pk)
    if request.method == "GET":
        _form, trow = _task_row(report, task_id)
        editable = may_edit(request.access, report)
        return render(request, "reports/_task_row.html", _task_ctx(report, trow, editable=editable))
    task = _form_task(report, task_id)
    editable = may_edit(request.access, report)
    entered = {name: request.POST.get(name, "") for name in TASK_FIELDS}
    posted = TaskInput(
        task_id,
        **{**entered, "percent": entered["percent"] or None},
        version=parse_id(request.POST.get("version")),
        where=task.title[:80],
    )
    answered = []

    def apply():
        answered.append(task_updates_apply(actor=request.access, report=report, rows=[posted], keep_rest_of_row=True))
        return answered[0]

    reason, conflict = _outcome(apply)
    # A refused evidence link: the rest of the row is saved; the message goes beside the link.
    field_errors = {f.field: f.message for f in answered[0].rows[0].findings} if answered and not reason else {}
    form, trow = _task_row(report, task_id)
    if not _is_htmx(request):
        for message in [reason or (conflict and _("Người khác vừa cập nhật nhiệm vụ này.")), *field_errors.values()]:
            if message:
                messages.error(request, message)
        return redirect(reverse("reports:report", args=[report.pk]) + f"#nv-{task_id}")
    answer = _answer(entered, reason, conflict)
    if field_errors:  # what was typed stays in the form, so the link can be corrected
        answer["entered"] = entered
    context = _task_ctx(report, trow, editable=editable, field_errors=field_errors, **answer)
    context["problems"] = form.problems
    context["flags"] = form.flags
    return render(request, "reports/_task_row.html", context, status=_http_status(reason, conflict))


@login_required
@require_http_methods(["GET", "POST"])
def task_evidence(request, pk: int, task_id: int):
    """GET: the evidence file, to those who may read the report (files are not public media).
    POST: attaches a file to the task's update."""
    report = _report(request, pk)
    _form, trow = _task_row(report, task_id)
    update = trow.update
    if request.method == "GET":
        if update is None or not update.evidence_file:
            raise Http404
        return FileResponse(
            update.evidence_file.open("rb"), as_attachment=True, filename=os.path.basename(update.evidence_file.name)
        )
    upload = EvidenceForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _render_report(request, report, status=400, error=_("Chọn tệp minh chứng để tải lên."))
    if update is None:
        return _render_report(
            request, report, status=400, error=_("Hãy cập nhật tình trạng nhiệm vụ trước khi gửi minh chứng.")
        )
    try:
        task_evidence_attach(actor=request.access, update=update, upload=upload.cleaned_data["file"])
    except NotAllowed:
        raise  # answered 403 by core.middleware.DomainErrorPages
    except DomainError as exc:
        return _render_report(request, report, status=400, error=exc.message, details=exc.details)
    messages.success(request, _("Đã lưu tệp minh chứng."))
    return redirect(reverse("reports:report", args=[report.pk]) + f"#nv-{task_id}")


@login_required
@require_POST
def task_evidence_remove_view(request, pk: int, task_id: int):
    """Takes the evidence file off the task's update (the page asks to confirm first)."""
    report = _report(request, pk)
    _form, trow = _task_row(report, task_id)
    if trow.update is None or not trow.update.evidence_file:
        raise Http404
    try:
        task_evidence_remove(actor=request.access, update=trow.update)
    except NotAllowed:
        raise  # answered 403 by core.middleware.DomainErrorPages
    except DomainError as exc:
        return _render_report(request, report, status=400, error=exc.message, details=exc.details)
    messages.success(request, _("Đã xóa tệp minh chứng."))
    return redirect(reverse("reports:report", args=[report.pk]) + f"#nv-{task_id}")


@login_required
def report_print(request, pk: int):
    """The report as it stands, laid out for paper (print CSS), with the unit's signature block."""
    report = _report(request, pk)
    form = selectors.report_form(report)
    return render(
        request,
        "reports/print.html",
        {
            "report": report,
            "obligation": report.obligation,
            "form": form,
            "lead_tasks": [t for t in form.tasks if t.role == PartyRole.LEAD],
            "other_tasks": [t for t in form.tasks if t.role != PartyRole.LEAD],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def narrative(request, pk: int):
    """GET: the narrative as stored. POST: autosave of the three texts with the report's version."""
    report = _report(request, pk)
    editable = may_edit(request.access, report)
    if request.method == "GET":
        context = {**_narrative_ctx(report, editable=editable), **_actions_ctx(request, report)}
        return render(request, "reports/_narrative.html", context)
    entered = {name: request.POST.get(name, "") for name in NARRATIVE_FIELDS}
    reason, theirs, saved = "", None, None
    try:
        narrative_save(
            actor=request.access, report=report, expected_version=parse_id(request.POST.get("version")), **entered
        )
    except NotAllowed:
        raise  # answered 403 by core.middleware.DomainErrorPages
    except Conflict as exc:
        theirs = exc.current
    except DomainError as exc:
        reason = exc.message
    else:
        saved = timezone.localtime()
    report = _report(request, pk)
    if not _is_htmx(request):
        if reason or theirs:
            messages.error(request, reason or _("Người khác vừa sửa phần thuyết minh của báo cáo này."))
        return redirect(reverse("reports:report", args=[report.pk]) + "#thuyet-minh")
    context = {
        **_narrative_ctx(
            report, editable=editable, entered=entered if (reason or theirs) else None, reason=reason, theirs=theirs
        ),
        "saved": saved,
        # The workflow buttons carry the report's version, which this save has just moved on.
        "actions_oob": True,
        **_actions_ctx(request, report),
    }
    return render(request, "reports/_narrative.html", context, status=409 if theirs else 400 if reason else 200)


@login_required
@require_POST
def transition(request, pk: int):
    report = _report(request, pk)
    action = request.POST.get("action", "")
    try:
        report_transition(
            actor=request.access,
            report=report,
            action=action,
            reason=request.POST.get("reason", ""),
            expected_version=parse_id(request.POST.get("version")),
        )
    except NotAllowed:
        raise  # answered 403 by core.middleware.DomainErrorPages
    except DomainError as exc:
        return _render_report(request, _report(request, pk), status=400, error=exc.message, details=exc.details)
    messages.success(request, DONE_MESSAGES[action])
    return redirect("reports:report", pk=report.pk)


@login_required
@require_POST
def signature(request, pk: int):
    """The reporter asks the unit's approver to sign and send the report (ADR 0028)."""
    report = _report(request, pk)
    try:
        signature_request(actor=request.access, report=report)
    except NotAllowed:
        raise
    except DomainError as exc:
        return _render_report(request, _report(request, pk), status=400, error=exc.message, details=exc.details)
    messages.success(request, _("Đã đề nghị lãnh đạo đơn vị ký gửi báo cáo."))
    return redirect("reports:report", pk=report.pk)


@login_required
def completeness(request):
    _require_overview(request.access)
    filters = ReportFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.completeness(actor=request.access, year=data.get("nam"), period_type=data.get("loai") or "")
    if (response := export_response(request, tables.completeness(rows), "tong-hop-bao-cao")) is not None:
        return response
    return render(request, "reports/completeness.html", {"filters": filters, "rows": rows})


@login_required
def period_detail(request, period_id: int):
    _require_overview(request.access)
    period = get_object_or_404(Period, pk=period_id)
    rule_id = parse_id(request.GET.get("quy-dinh"))
    # Every unit of the period, filtered by name and status, sorted, 300 a page (core.lists).
    lq = ListQuery(
        request.GET,
        filters={
            "quy-dinh": lists.integer,
            "don-vi": lists.text,
            "trang-thai": lists.one_of([selectors.NO_REPORT, selectors.LATE, *ReportStatus.values]),
        },
        orders={
            "don-vi": Order(_("Đơn vị"), (Coalesce("agency__search_name", "admin_unit__search_name"),)),
            "han": Order(_("Hạn gửi"), ("due",)),
            "trang-thai": Order(_("Trạng thái"), ("report__status",)),
            "gui-luc": Order(_("Gửi lúc"), ("report__first_submitted_at",)),
        },
        default_order="don-vi",
        per_page=300,  # a province reports from about 210 bodies: one page, as before, unless it grows
    )
    today = timezone.localdate()
    qs = selectors.obligation_list(actor=request.access, filters=lq.values, today=today).filter(period=period)
    if rule_id is not None:
        qs = qs.filter(rule_id=rule_id)
    qs = lq.order(qs)
    late = [
        row
        for row in selectors.late_reports(actor=request.access, today=today, period=period)
        if rule_id is None or row.obligation.rule_id == rule_id
    ]
    exports = {
        "cham-thieu": lambda: tables.late(f"Chậm, thiếu báo cáo {period.label}", late),
        "don-vi": lambda: tables.period_units(f"Tình hình báo cáo {period.label}", [_status(o, today) for o in qs]),
    }
    if (response := export_response(request, exports, f"bao-cao-{period.label}")) is not None:
        return response
    page = lq.page(qs)
    return render(
        request,
        "reports/period.html",
        {
            "period": period,
            "rule_id": rule_id,
            "rates": selectors.rates(actor=request.access, period=period, rule_id=rule_id),
            "rows": [_status(o, today) for o in page],
            "page": page,
            "lq": lq,
            "statuses": STATUS_CHOICES,
            "late": late,
        },
    )


@login_required
def queue(request):
    _require_overview(request.access)
    lq = _obligation_list(request, queue=True)
    today = timezone.localdate()
    filters = {**lq.values, "trang-thai": ReportStatus.SUBMITTED}
    qs = lq.order(selectors.obligation_list(actor=request.access, filters=filters, today=today))
    if (
        response := export_response(request, lambda: tables.queue([_status(o, today) for o in qs]), "bao-cao-cho-duyet")
    ) is not None:
        return response
    page = lq.page(qs)
    return render(
        request,
        "reports/queue.html",
        {
            **_list_context(lq, statuses=False),
            "page": page,
            "rows": [_status(o, today) for o in page],
            "may_approve": request.access.runs_programme,
        },
    )


def _queue_back(request) -> str:
    """The queue with the filters it was left with (a query string only: never another site)."""
    kept = request.GET.get("quay-lai", "")[:500]
    return reverse("reports:queue") + (kept if kept.startswith("?") else "")


def _confirmed(request) -> list[Confirmed]:
    """The `bao-cao` values of the confirmation form: "id:version" each; others are dropped."""
    out = []
    for raw in request.POST.getlist("bao-cao")[: MAX_BULK + 1]:
        report_id, _sep, version = raw.partition(":")
        if (rid := parse_id(report_id)) is not None and (ver := parse_id(version)) is not None:
            out.append(Confirmed(rid, ver))
    return out


@login_required
@require_http_methods(["GET", "POST"])
def queue_approve(request):
    """GET: the confirmation, listing exactly the reports that will be approved (the ticked ones
    still waiting). POST: approves them all, or none (services.bulk_approval)."""
    _require_overview(request.access)
    if not request.access.runs_programme:
        raise PermissionDenied(_("Chỉ Tổ giúp việc được duyệt báo cáo."))
    back = _queue_back(request)
    error, details = "", []
    if request.method == "POST":
        confirmed = _confirmed(request)
        try:
            approved = reports_approve(actor=request.access, confirmed=confirmed)
        except NotAllowed:
            raise  # answered 403 by core.middleware.DomainErrorPages
        except DomainError as exc:
            error, details = exc.message, exc.details
            ids = [c.report_id for c in confirmed]
        else:
            messages.success(
                request,
                ngettext("Đã duyệt %(n)d báo cáo.", "Đã duyệt %(n)d báo cáo.", len(approved)) % {"n": len(approved)},
            )
            return redirect(back)
    else:
        ids = [i for i in (parse_id(v) for v in request.GET.getlist("bao-cao")[: MAX_BULK + 1]) if i is not None]
    reports = selectors.reports_to_approve(actor=request.access, ids=ids)
    return render(
        request,
        "reports/queue_approve.html",
        {
            "reports": reports,
            "asked": len(set(ids)),
            "too_many": len(set(ids)) > MAX_BULK,
            "back": back,
            "kept": back.partition("?")[1] + back.partition("?")[2],
            "error": error,
            "details": details,
        },
        status=400 if error else 200,
    )
