"""steering's pages under /ban-chi-dao/: sessions (schedule, record, briefing pack, conclusions),
the follow-up of directives and corrective actions (and its Excel), inspections. Views parse,
call a selector or a service, render; domain errors become a Vietnamese message on the page (a
refusal of permission is answered 403 by core.middleware.DomainErrorPages)."""

import contextlib
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dxtrack.core import jobs as core_jobs
from dxtrack.core.errors import DomainError, NotAllowed, NotFound
from dxtrack.publishing import pdf

from . import excel, jobs, selectors
from .forms import (
    AnswerForm,
    DirectiveForm,
    DoneForm,
    FindingForm,
    FollowUpFilter,
    InspectionPlanForm,
    PackForm,
    ReasonForm,
    RecordForm,
    ScheduleForm,
    UploadForm,
    VisitForm,
)
from .models import Attendance, SessionStatus
from .services import briefing, conclusions, directives, inspections, sessions

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(request, exc: DomainError) -> None:
    messages.error(request, " ".join([exc.message, *exc.details]))


@contextlib.contextmanager
def _shown(request):
    """Runs a service's call and what follows it in the block: a refusal of the person's right
    goes on to the error pages (403/404); any other domain error ends the block and is shown as
    a message on the page the view redirects to."""
    try:
        yield
    except NotAllowed:
        raise
    except DomainError as exc:
        _errors(request, exc)


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# ---- sessions -------------------------------------------------------------------------------------


@login_required
def index(request):
    if not request.access.is_province_wide:
        return redirect("steering:follow_up")  # an agency follows its own directives
    rows = list(selectors.sessions(actor=request.access)[:200])
    return render(
        request,
        "steering/index.html",
        {"sessions": rows, "may_edit": request.access.is_secretariat, "today": timezone.localdate()},
    )


@login_required
def schedule(request):
    if not request.access.is_secretariat:
        raise NotAllowed("Chỉ Tổ giúp việc Ban Chỉ đạo được lên lịch phiên họp.")
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            session = sessions.session_schedule(
                actor=request.access,
                kind=d["kind"],
                date=d["date"],
                title=d["title"],
                venue=d["venue"],
                chair=d["chair"],
                plan=d["plan"],
            )
        except NotAllowed:
            raise
        except DomainError as exc:
            form.add_error(None, " ".join([exc.message, *exc.details]))
        else:
            messages.success(request, "Đã lên lịch phiên họp và mời các thành viên Ban Chỉ đạo.")
            return redirect("steering:session", pk=session.pk)
    return render(request, "steering/schedule.html", {"form": form}, status=400 if form.errors else 200)


def _session_context(request, session, **extra) -> dict:
    pack = selectors.pack_latest(actor=request.access, session=session)
    draft = session.conclusions_import
    return {
        "session": session,
        "invited": list(session.members.select_related("member__agency")),
        "attendance_choices": [c for c in Attendance.choices if c[0] != Attendance.INVITED],
        "pack": pack,
        "draft": draft if draft is not None and draft.status == "draft" else None,
        "document": selectors.conclusions_document(session),
        "directives": selectors.directive_rows(actor=request.access, session=session),
        "may_edit": request.access.is_secretariat and session.status != SessionStatus.CANCELLED,
        "record_form": extra.pop("record_form", RecordForm(initial={"minutes": session.minutes})),
        "pack_form": extra.pop("pack_form", PackForm(initial={"as_of": f"{timezone.localdate():%d/%m/%Y}"})),
        "upload_form": extra.pop("upload_form", UploadForm()),
        "directive_form": extra.pop("directive_form", DirectiveForm()),
        "reason_form": ReasonForm(),
        **extra,
    }


@login_required
def session_detail(request, pk: int):
    session = selectors.session_get(actor=request.access, pk=pk)
    return render(request, "steering/session.html", _session_context(request, session))


@login_required
@require_POST
def session_record(request, pk: int):
    session = selectors.session_get(actor=request.access, pk=pk)
    form = RecordForm(request.POST)
    attendance = {}
    for sm in session.members.all():
        attendance[sm.pk] = (request.POST.get(f"att-{sm.pk}", ""), request.POST.get(f"note-{sm.pk}", ""))
    if form.is_valid():
        try:
            sessions.session_record(
                actor=request.access, session=session, minutes=form.cleaned_data["minutes"], attendance=attendance
            )
        except NotAllowed:
            raise
        except DomainError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "Đã ghi biên bản và danh sách tham dự.")
            return redirect("steering:session", pk=pk)
    ctx = _session_context(request, session, record_form=form)
    return render(request, "steering/session.html", ctx, status=400)


@login_required
@require_POST
def session_cancel(request, pk: int):
    session = selectors.session_get(actor=request.access, pk=pk)
    with _shown(request):
        sessions.session_cancel(actor=request.access, session=session, reason=request.POST.get("reason", ""))
        messages.success(request, "Đã hủy phiên họp.")
    return redirect("steering:session", pk=pk)


@login_required
@require_POST
def pack_prepare(request, pk: int):
    session = selectors.session_get(actor=request.access, pk=pk)
    form = PackForm(request.POST)
    if not form.is_valid():
        return render(request, "steering/session.html", _session_context(request, session, pack_form=form), status=400)
    try:
        pack = briefing.pack_prepare(actor=request.access, session=session, as_of=form.cleaned_data["as_of"])
    except NotAllowed:
        raise
    except DomainError as exc:
        _errors(request, exc)
        return redirect("steering:session", pk=pk)
    messages.success(request, "Đã chuẩn bị tài liệu phục vụ phiên họp.")
    return redirect("steering:pack", pk=pk, pack=pack.pk)


def _recent_job(request, pack_id: int):
    job = core_jobs.latest(actor=request.access, subject=jobs.subject(pack_id))
    if job is None or (job.finished and job.created_at < timezone.now() - datetime.timedelta(hours=1)):
        return None
    return job


@login_required
def pack_detail(request, pk: int, pack: int):
    session = selectors.session_get(actor=request.access, pk=pk)
    pack = selectors.pack_get(actor=request.access, session=session, pk=pack)
    return render(
        request,
        "steering/pack.html",
        {
            "session": session,
            "pack": pack,
            "f": pack.facts,
            "office": pdf.available(),
            "job": _recent_job(request, pack.pk),
            "waiting": jobs.CONVERTING,
        },
    )


@login_required
def pack_docx(request, pk: int, pack: int):
    session = selectors.session_get(actor=request.access, pk=pk)
    pack = selectors.pack_get(actor=request.access, session=session, pk=pack)
    from . import docx  # python-docx only for this download, not at every process's start

    return _attachment(docx.render(pack.facts), DOCX_TYPE, jobs.filename(pack, "docx"))


@login_required
@require_POST
def pack_pdf(request, pk: int, pack: int):
    session = selectors.session_get(actor=request.access, pk=pk)
    pack = selectors.pack_get(actor=request.access, session=session, pk=pack)
    if not pdf.available():
        messages.error(request, pdf.UNAVAILABLE)
        return redirect("steering:pack", pk=pk, pack=pack.pk)
    running = core_jobs.latest(actor=request.access, subject=jobs.subject(pack.pk), kind=jobs.PACK_PDF)
    if running is None or running.finished:
        core_jobs.job_start(
            actor=request.access,
            kind=jobs.PACK_PDF,
            label="Chuyển tài liệu phiên họp sang PDF",
            subject=jobs.subject(pack.pk),
            params={"session": session.pk, "pack": pack.pk},
        )
    return redirect("steering:pack", pk=pk, pack=pack.pk)


# ---- conclusions and directives -----------------------------------------------------------------


@login_required
@require_POST
def conclusions_upload(request, pk: int):
    session = selectors.session_get(actor=request.access, pk=pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        ctx = _session_context(request, session, upload_form=form)
        return render(request, "steering/session.html", ctx, status=400)
    upload = form.cleaned_data["file"]
    try:
        draft = conclusions.conclusions_import(
            actor=request.access, session=session, data=upload.read(), filename=upload.name
        )
    except NotAllowed:
        raise
    except DomainError as exc:
        ctx = _session_context(request, session, import_errors=[exc.message, *exc.details])
        return render(request, "steering/session.html", ctx, status=400)
    n = draft.items.filter(kind="task").count()
    messages.success(request, f"Đã đọc {n} chỉ đạo từ thông báo. Hãy duyệt từng chỉ đạo rồi đưa vào danh mục.")
    return redirect("steering:session", pk=pk)


@login_required
@require_POST
def directive_add(request, pk: int):
    session = selectors.session_get(actor=request.access, pk=pk)
    form = DirectiveForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            conclusions.directive_add(
                actor=request.access,
                session=session,
                title=d["title"],
                lead=d["lead"],
                coordinating=list(d["coordinating"]),
                deadline=d["deadline"],
                clause=d["clause"],
            )
        except NotAllowed:
            raise
        except DomainError as exc:
            form.add_error(None, " ".join([exc.message, *exc.details]))
        else:
            messages.success(request, "Đã thêm chỉ đạo vào kết luận đang soạn.")
            return redirect("steering:session", pk=pk)
    return render(request, "steering/session.html", _session_context(request, session, directive_form=form), status=400)


@login_required
@require_POST
def conclusions_publish(request, pk: int):
    session = selectors.session_get(actor=request.access, pk=pk)
    try:
        document = conclusions.conclusions_publish(actor=request.access, session=session)
    except NotAllowed:
        raise
    except DomainError as exc:
        ctx = _session_context(request, session, import_errors=[exc.message, *exc.details])
        return render(request, "steering/session.html", ctx, status=400)
    messages.success(request, f"Đã đưa {document.tasks.count()} chỉ đạo vào danh mục; các cơ quan sẽ báo cáo kỳ tới.")
    return redirect("steering:session", pk=pk)


@login_required
@require_POST
def directive_close(request, task: int):
    form = ReasonForm(request.POST)
    back = request.POST.get("next") or ""
    try:
        directive = directives.directive_of(task)
        if not form.is_valid():
            messages.error(request, "Hãy ghi lý do đóng chỉ đạo.")
        else:
            directives.directive_close(actor=request.access, task=directive, reason=form.cleaned_data["reason"])
            messages.success(request, "Đã đóng chỉ đạo.")
    except NotAllowed:
        raise
    except NotFound:
        raise
    except DomainError as exc:
        _errors(request, exc)
    return redirect(back if back.startswith("/ban-chi-dao/") else "steering:follow_up")


# ---- follow-up ------------------------------------------------------------------------------------


def _follow_rows(request):
    form = FollowUpFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    agency = filters.get("co_quan")
    rows = selectors.follow_up(
        actor=request.access,
        state=filters.get("trang_thai") or "",
        agency=agency.pk if agency else None,
        session=filters.get("phien"),
        late_only=bool(filters.get("cham")),
    )
    return form, rows


@login_required
def follow_up(request):
    form, rows = _follow_rows(request)
    session_choices = []
    if request.access.is_province_wide:
        session_choices = [(s.pk, str(s)) for s in selectors.sessions(actor=request.access)]
    form.fields["phien"].widget.choices = [("", "Mọi phiên họp"), *session_choices]
    return render(
        request,
        "steering/follow_up.html",
        {
            "form": form,
            "rows": rows,
            "late": sum(1 for r in rows if r.late),
            "may_close": request.access.is_secretariat,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def follow_up_excel(request):
    _form, rows = _follow_rows(request)
    return _attachment(excel.follow_up(rows), XLSX_TYPE, f"theo-doi-chi-dao-{timezone.localdate():%Y%m%d}.xlsx")


# ---- inspections ----------------------------------------------------------------------------------


@login_required
def inspections_index(request):
    if not request.access.is_province_wide:
        return redirect("steering:my_findings")
    form = InspectionPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = inspections.inspection_plan_create(
                actor=request.access,
                year=d["year"],
                title=d["title"],
                number=d["number"],
                teams=[(d["team"], d["leader"], d["members"])],
            )
        except NotAllowed:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("steering:inspection", pk=plan.pk)
    return render(
        request,
        "steering/inspections.html",
        {
            "plans": selectors.inspection_plans(actor=request.access),
            "by_unit": selectors.open_findings_by_unit(actor=request.access),
            "form": form,
            "may_edit": request.access.is_secretariat,
        },
        status=400 if form.errors else 200,
    )


@login_required
def inspection_detail(request, pk: int):
    plan = selectors.inspection_plan_get(actor=request.access, pk=pk)
    form = VisitForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            inspections.visit_schedule(
                actor=request.access, plan=plan, team=d["team"], date=d["date"], agency=d["agency"]
            )
        except NotAllowed:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Đã thêm cuộc kiểm tra.")
            return redirect("steering:inspection", pk=pk)
    visits = list(
        plan.visits.select_related("team", "agency", "admin_unit").prefetch_related(
            "findings__actions", "findings__task", "findings__report__obligation__period"
        )
    )
    if request.access.is_secretariat:
        for v in visits:
            v.subjects = selectors.visit_subjects(v)
    return render(
        request,
        "steering/inspection.html",
        {
            "plan": plan,
            "visits": visits,
            "form": form,
            "reason_form": ReasonForm(),
            "may_edit": request.access.is_secretariat,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def finding_add(request, visit: int):
    visit = selectors.visit_get(actor=request.access, pk=visit)
    form = FindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("steering:inspection", pk=visit.plan_id)
    d = form.cleaned_data
    subjects = selectors.visit_subjects(visit)
    task = next((t for t in subjects["tasks"] if t.pk == d["task"]), None)
    report = next((r for r in subjects["reports"] if r.pk == d["report"]), None)
    with _shown(request):
        inspections.finding_add(
            actor=request.access,
            visit=visit,
            text=d["text"],
            task=task,
            report=report,
            actions=[(d["action"], d["deadline"])],
        )
        messages.success(request, "Đã ghi phát hiện và biện pháp khắc phục.")
    return redirect("steering:inspection", pk=visit.plan_id)


@login_required
@require_POST
def finding_close(request, pk: int):
    finding = selectors.finding_get(actor=request.access, pk=pk)
    with _shown(request):
        inspections.finding_close(actor=request.access, finding=finding, reason=request.POST.get("reason", ""))
        messages.success(request, "Đã đóng phát hiện.")
    return redirect("steering:inspection", pk=finding.visit.plan_id)


@login_required
def my_findings(request):
    return render(
        request,
        "steering/my_findings.html",
        {
            "findings": selectors.findings(actor=request.access),
            "answer_form": AnswerForm(),
            "done_form": DoneForm(),
        },
    )


@login_required
@require_POST
def finding_answer(request, pk: int):
    finding = selectors.finding_get(actor=request.access, pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Hãy ghi nội dung trả lời.")
    else:
        with _shown(request):
            inspections.finding_answer(actor=request.access, finding=finding, answer=form.cleaned_data["answer"])
            messages.success(request, "Đã gửi trả lời.")
    return redirect("steering:my_findings")


@login_required
@require_POST
def action_done(request, pk: int):
    action = selectors.action_get(actor=request.access, pk=pk)
    form = DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Hãy ghi kết quả khắc phục.")
    else:
        with _shown(request):
            inspections.action_done(actor=request.access, action=action, note=form.cleaned_data["note"])
            messages.success(request, "Đã báo hoàn thành biện pháp khắc phục.")
    return redirect("steering:my_findings")
