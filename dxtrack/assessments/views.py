"""Pages of the yearly round: parse, call a service or a selector, render (ADR 0032)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxtrack.core.dates import read_date
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed, NotFound
from dxtrack.core.exports import export_response
from dxtrack.core.ids import parse_id
from dxtrack.core.lists import ListQuery
from dxtrack.core.text import clean_text
from dxtrack.org.models import AdminLevel

from . import selectors, tables
from .models import Answer, CouncilMember, Framework, Round, SubmissionStatus
from .services import appraisal, recognition, rounds, workflow
from .services.answers import AnswerInput, answer_save

RANKING_PAGE = 100

DONE = {
    "submit": _("Đã gửi hồ sơ tự đánh giá."),
    "reopen": _("Đã mở lại thẩm định."),
}


def _answer(submission, answer_id) -> Answer:
    found = submission.answers.select_related("criterion__group").filter(pk=parse_id(answer_id)).first()
    if found is None:
        raise NotFound()
    return found


def _row_context(request, submission, answer, *, error: str = "") -> dict:
    access = request.access
    return {
        "submission": submission,
        "a": answer,
        "c": answer.criterion,
        "editable": submission.status == SubmissionStatus.DRAFT and workflow.may_fill(access, submission),
        "explainable": submission.status in appraisal.UNDER_APPRAISAL and workflow.may_fill(access, submission),
        "appraiser": submission.status in appraisal.UNDER_APPRAISAL
        and (access.runs_programme or workflow.is_council(access, submission.round_id)),
        "error": error,
    }


@login_required
def index(request):
    access = request.access
    visible = selectors.submissions_visible(access)
    mine = visible.filter(admin_unit_id=access.admin_unit_id) if access.admin_unit_id else visible.none()
    if access.agency_id:
        mine = visible.filter(agency_id=access.agency_id)
    council_rounds = Round.objects.filter(council__user=access.user).select_related("framework")
    rounds_ = Round.objects.select_related("framework") if access.is_province_wide else council_rounds
    frameworks = Framework.objects.exclude(scoring="enterprise_1970") if access.runs_programme else []
    if (response := export_response(request, lambda: tables.own_submissions(mine), "ho-so-cua-don-vi")) is not None:
        return response
    return render(
        request,
        "assessments/index.html",
        {"rounds": rounds_, "mine": mine, "frameworks": frameworks},
    )


@login_required
@require_POST
def round_open(request):
    """The secretariat opens a round for every commune in force (the form's one choice)."""
    framework = Framework.objects.filter(pk=parse_id(request.POST.get("framework"))).first()
    if framework is None:
        raise NotFound()
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Năm đánh giá phải là một số, ví dụ 2026."))
        return redirect("assessments:index")
    units = selectors.province_units(AdminLevel.COMMUNE).filter(valid_to__isnull=True)
    try:
        round_ = rounds.round_open(actor=request.access, framework=framework, year=year, units=units)
    except NotAllowed:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("assessments:index")
    messages.success(request, _("Đã mở đợt đánh giá."))
    return redirect("assessments:round", pk=round_.pk)


def _round(request, pk) -> Round:
    round_ = Round.objects.select_related("framework").filter(pk=parse_id(pk)).first()
    access = request.access
    if round_ is None or not (
        access.is_province_wide or CouncilMember.objects.filter(round=round_, user=access.user).exists()
    ):
        raise NotFound()
    return round_


@login_required
def round_detail(request, pk: int):
    round_ = _round(request, pk)
    submissions = round_.submissions.select_related("admin_unit", "agency", "tier").order_by(
        "-final_total", "-self_total", "admin_unit__name"
    )
    response = export_response(
        request, lambda: tables.round_submissions(round_, submissions), f"ho-so-danh-gia-{round_.year}"
    )
    if response is not None:
        return response
    return render(
        request,
        "assessments/round.html",
        {
            "round": round_,
            "submissions": submissions[:500],
            "count": submissions.count(),
            "tiers": selectors.tier_lists(request.access, round_),
            "decisions": round_.decisions.all(),
            "steps": round_.steps.all(),
        },
    )


@login_required
@require_POST
def round_action(request, pk: int):
    round_ = _round(request, pk)
    action = request.POST.get("action")
    try:
        if action == "close":
            rounds.round_close(actor=request.access, round_=round_)
            messages.success(request, _("Đã kết thúc thẩm định."))
        elif action == "decision":
            try:
                signed_on = read_date(request.POST.get("signed_on", ""), what=_("Ngày ký"))
            except ValueError as exc:
                raise InvalidData(str(exc)) from None
            recognition.decision_issue(
                actor=request.access,
                round_=round_,
                number=request.POST.get("number", ""),
                signed_on=signed_on,
                signer=request.POST.get("signer", ""),
            )
            messages.success(request, _("Đã ban hành quyết định công nhận."))
        else:
            raise InvalidData(_("Thao tác không hợp lệ."))
    except NotAllowed:
        raise
    except DomainError as exc:
        messages.error(request, " ".join([exc.message, *exc.details]))
    return redirect("assessments:round", pk=round_.pk)


@login_required
def decision_file(request, pk: int):
    """The kept DOCX of a recognition decision (for those who see the round)."""
    from django.http import FileResponse

    from .models import RecognitionDecision

    decision = RecognitionDecision.objects.filter(pk=parse_id(pk)).first()
    if decision is None or not decision.file:
        raise NotFound()
    _round(request, decision.round_id)
    return FileResponse(decision.file.open("rb"), as_attachment=True, filename=decision.file.name.rsplit("/", 1)[-1])


@login_required
def round_ranking(request, pk: int):
    """Subjects ranked with each criterion's contribution; the same table in Excel or CSV."""
    round_ = _round(request, pk)
    response = export_response(
        request, lambda: tables.ranking(round_, *selectors.ranking(request.access, round_)), f"xep-hang-{round_.year}"
    )
    if response is not None:
        return response
    # A page at a time: the national round has 3,321 communes × 40 criteria (issue 17's 300 ms).
    lq = ListQuery(request.GET, filters={}, per_page=RANKING_PAGE)

    def table() -> dict:
        page = lq.page(selectors.ranked(request.access, round_))
        criteria, rows = selectors.ranking(request.access, round_, page.object_list)
        return {"criteria": criteria, "rows": rows}

    # Read only when the kept page is missing or stale (the template's cache tag).
    context = {"round": round_, "table": SimpleLazyObject(table), "lq": lq}
    context["kept"] = selectors.ranking_kept(round_, request.GET)
    return render(request, "assessments/ranking.html", context)


def _render_submission(request, submission, *, status: int = 200, error: str = "", details=()):
    answers = selectors.submission_answers(submission)
    if status == 200:
        response = export_response(
            request, lambda: tables.submission_scores(submission, answers), f"diem-tieu-chi-{submission.pk}"
        )
        if response is not None:
            return response
    return render(
        request,
        "assessments/submission.html",
        {
            "submission": submission,
            "rows": [_row_context(request, submission, a) for a in answers],
            "actions": workflow.allowed_actions(request.access, submission),
            "steps": submission.round.steps.all(),
            "error": error,
            "details": details,
        },
        status=status,
    )


@login_required
def submission_detail(request, pk: int):
    submission = selectors.submission_get(request.access, parse_id(pk))
    return _render_submission(request, submission)


@login_required
@require_POST
def answer_row(request, pk: int, answer_id: int):
    """Saves one criterion as the focal point types (htmx), and answers the row with its score
    and the new total (out of band)."""
    submission = selectors.submission_get(request.access, parse_id(pk))
    answer = _answer(submission, answer_id)
    post = request.POST
    data = AnswerInput(
        flag=post.get("flag"),
        value=post.get("value"),
        numerator=post.get("numerator"),
        denominator=post.get("denominator"),
        note=post.get("note"),
        evidence_url=post.get("evidence_url"),
    )
    error, status = "", 200
    try:
        answer = answer_save(actor=request.access, answer=answer, data=data)
        if request.FILES.get("evidence_file"):
            from .services.answers import answer_evidence_attach

            answer = answer_evidence_attach(actor=request.access, answer=answer, upload=request.FILES["evidence_file"])
    except NotAllowed:
        raise
    except DomainError as exc:
        error, status = exc.message, 400
        answer = _answer(submission, answer_id)
    submission.refresh_from_db()
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect("assessments:submission", pk=submission.pk)
    context = _row_context(request, submission, answer, error=error)
    context["oob"] = True
    return render(request, "assessments/_answer_row.html", context, status=status)


@login_required
@require_POST
def answer_thread(request, pk: int, answer_id: int):
    """A council member's opinion, or the subject's explanation, on one criterion."""
    submission = selectors.submission_get(request.access, parse_id(pk))
    answer = _answer(submission, answer_id)
    try:
        if request.POST.get("kind") == "explanation":
            appraisal.explanation_add(actor=request.access, answer=answer, text=request.POST.get("text", ""))
        else:
            appraisal.opinion_give(
                actor=request.access,
                answer=answer,
                verdict=request.POST.get("verdict", ""),
                text=request.POST.get("text", ""),
                proposed_score=request.POST.get("proposed_score"),
            )
    except NotAllowed:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{submission_url(submission)}#tc-{answer.pk}")


def submission_url(submission) -> str:
    from django.urls import reverse

    return reverse("assessments:submission", args=[submission.pk])


@login_required
@require_POST
def submission_action(request, pk: int):
    submission = selectors.submission_get(request.access, parse_id(pk))
    action = request.POST.get("action", "")
    try:
        if action == "finalise":
            scores = {
                key.removeprefix("final_"): clean_text(value)
                for key, value in request.POST.items()
                if key.startswith("final_") and clean_text(value)
            }
            appraisal.final_fix(actor=request.access, submission=submission, scores=scores)
            messages.success(request, _("Đã chốt điểm."))
        else:
            submission = workflow.submission_transition(
                actor=request.access, submission=submission, action=action, reason=request.POST.get("reason", "")
            )
            messages.success(request, DONE.get(action, _("Đã cập nhật.")))
            if action == "submit" and submission.late:
                messages.warning(request, _("Hồ sơ gửi sau hạn: đã nhận và được đánh dấu gửi muộn."))
    except NotAllowed:
        raise
    except DomainError as exc:
        return _render_submission(
            request,
            selectors.submission_get(request.access, submission.pk),
            status=400,
            error=exc.message,
            details=exc.details,
        )
    return redirect("assessments:submission", pk=submission.pk)


# ---- the public results (issue 17 item 8): anyone, closed rounds only -----------------------------


def public_results(request):
    """Per framework and year, the subjects recognised (tier, final score, decision) and the
    ranking of a closed round; never a score of a round still open. No log-in. `?dot=<id>`
    chooses among the closed rounds (the newest by default); each table downloads as Excel."""
    rounds = list(selectors.public_rounds())
    chosen, status, problem = (rounds[0] if rounds else None), 200, ""
    if "dot" in request.GET:
        wanted = parse_id(request.GET.get("dot"))
        chosen = next((r for r in rounds if r.pk == wanted), None)
        if chosen is None:
            status = 404
            problem = _(
                "Không có đợt đánh giá đã kết thúc nào như vậy: chỉ công bố kết quả của các đợt đã kết thúc "
                "thẩm định. Hãy chọn một đợt trong danh sách."
            )
    rows = selectors.public_results(chosen) if chosen is not None else []
    if chosen is not None:
        exports = {
            "cong-nhan": lambda: tables.public_recognised(chosen, rows),
            "xep-hang": lambda: tables.public_ranking(chosen, rows),
        }
        response = export_response(request, exports, f"ket-qua-danh-gia-{chosen.year}")
        if response is not None:
            return response
    return render(
        request,
        "assessments/public.html",
        {
            "rounds": rounds,
            "chosen": chosen,
            "rows": rows,
            "recognised": [r for r in rows if r.recognition is not None],
            "problem": problem,
        },
        status=status,
    )
