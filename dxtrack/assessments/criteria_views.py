"""Pages of a criteria set read from its decision (upload, review, publish) and of the province's
DTI rank (issue 17 items 3 and 6): parse, call a service or a selector, render."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxtrack.core.errors import DomainError, InvalidData, NotAllowed, NotFound
from dxtrack.core.ids import parse_id
from dxtrack.core.numbers import NumberError, parse_number

from . import selectors
from .forms import DecisionUploadForm
from .models import Framework, ImportStatus, ResultComponent
from .services import criteria_import as review
from .services import results


def _message(exc: DomainError) -> str:
    return " ".join([exc.message, *exc.details])


@login_required
def imports(request):
    listed = list(selectors.criteria_imports(request.access)[:50])
    form = DecisionUploadForm(request.POST, request.FILES) if request.method == "POST" else DecisionUploadForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imp = review.criteria_import_create(actor=request.access, data=upload.read(), filename=upload.name)
        except NotAllowed:
            raise
        except DomainError as exc:
            form.add_error("file", _message(exc))
        else:
            messages.success(
                request, _("Đã đọc quyết định. Hãy duyệt thông tin, từng tiêu chí và mức công nhận bên dưới.")
            )
            return redirect("assessments:criteria_import", pk=imp.pk)
    return render(
        request,
        "assessments/criteria_imports.html",
        {"form": form, "imports": listed},
        status=400 if form.errors else 200,
    )


def _rows(imp) -> list[dict]:
    return [
        {"index": n, "c": c, "problems": review.criterion_problems(c) if c.get("decision") != review.REJECTED else []}
        for n, c in enumerate(imp.criteria)
    ]


def _checks(imp) -> dict:
    is_open = imp.status == ImportStatus.DRAFT
    return {
        "blocking": review.blocking(imp) if is_open else [],
        "mismatches": review.mismatches(imp) if is_open else [],
        "counts": {
            k: sum(1 for c in imp.criteria if c.get("decision") == k)
            for k in (review.PENDING, review.ACCEPTED, review.REJECTED)
        },
    }


def _tier_row(tier: dict) -> dict:
    """A tier with its shares as the percentages the form shows (0.3 → 30)."""

    def pct(share):
        return None if share is None else round(float(share) * 100, 2)

    return {**tier, "mandatory_pct": pct(tier.get("mandatory_share")), "extended_pct": pct(tier.get("extended_share"))}


def _padded(rows: list, extra: int) -> list:
    return [*rows, *([{}] * extra)]


@login_required
def import_review(request, pk: int):
    imp = selectors.criteria_import_get(request.access, parse_id(pk))
    return render(
        request,
        "assessments/criteria_review.html",
        {
            "imp": imp,
            "open": imp.status == ImportStatus.DRAFT,
            "rows": _rows(imp),
            "groups": sorted({c.get("group") or "" for c in imp.criteria} | {g["name"] for g in imp.groups}),
            "lines": list(enumerate(imp.source_text.split("\n"), start=1)),
            "subjects": review.SUBJECTS,
            "comparators": review.COMPARATORS,
            "replaceable": Framework.objects.order_by("subject_kind", "-issued_on", "code"),
            "tiers": _padded([_tier_row(t) for t in imp.recognition], 2),
            "steps": _padded(
                [{**s, "step": "self_assessment" if s.get("step") == "self" else s.get("step")} for s in imp.cycle], 2
            ),
            "step_labels": review.STEP_CHOICES,
            **_checks(imp),
        },
    )


@login_required
@require_POST
def import_item(request, pk: int, index: int):
    """Accept, reject or edit one criterion (htmx: answers the criterion and, out of band, the
    checks that publishing waits on)."""
    imp = selectors.criteria_import_get(request.access, parse_id(pk))
    action = request.POST.get("action", "")
    error, status = "", 200
    try:
        if action in (review.ACCEPTED, review.REJECTED, review.PENDING):
            imp = review.criterion_decide(actor=request.access, imp=imp, index=index, decision=action)
        elif action == "save":
            imp = review.criterion_update(actor=request.access, imp=imp, index=index, data=request.POST)
        else:
            raise InvalidData(_("Thao tác không hợp lệ."))
    except NotAllowed:
        raise
    except DomainError as exc:
        error, status = _message(exc), 400
        imp.refresh_from_db()
    if not 0 <= index < len(imp.criteria):
        raise NotFound()
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect(f"{request.path.rsplit('/tieu-chi/', 1)[0]}/#tc-{index}")
    row = {"index": index, "c": imp.criteria[index], "problems": review.criterion_problems(imp.criteria[index])}
    return render(
        request,
        "assessments/_criteria_item.html",
        {
            "imp": imp,
            "open": imp.status == ImportStatus.DRAFT,
            "row": row,
            "error": error,
            "oob": True,
            "comparators": review.COMPARATORS,
            "groups": sorted({c.get("group") or "" for c in imp.criteria} | {g["name"] for g in imp.groups}),
            **_checks(imp),
        },
        status=status,
    )


def _attempt(request, action, success: str) -> bool:
    try:
        action()
    except NotAllowed:
        raise
    except DomainError as exc:
        messages.error(request, _message(exc))
        return False
    messages.success(request, success)
    return True


def _review_step(request, pk, step, success: str):
    """One POSTed step of the review: the draft read for this person, the service called with the
    request, its outcome said on the review page. Returns whether the service took it."""
    imp = selectors.criteria_import_get(request.access, parse_id(pk))
    done = _attempt(request, lambda: step(request, imp), success)
    return imp, done


def _back(imp):
    return redirect("assessments:criteria_import", pk=imp.pk)


@login_required
@require_POST
def import_facts(request, pk: int):
    imp, _done = _review_step(
        request,
        pk,
        lambda r, imp: review.facts_update(actor=r.access, imp=imp, data=r.POST),
        _("Đã lưu thông tin bộ tiêu chí."),
    )
    return _back(imp)


@login_required
@require_POST
def import_rules(request, pk: int):
    imp, _done = _review_step(
        request,
        pk,
        lambda r, imp: review.rules_update(actor=r.access, imp=imp, data=r.POST),
        _("Đã lưu mức công nhận và lịch đánh giá."),
    )
    return _back(imp)


@login_required
@require_POST
def import_accept_all(request, pk: int):
    imp, _done = _review_step(
        request,
        pk,
        lambda r, imp: review.criteria_accept_all(actor=r.access, imp=imp),
        _("Đã chấp nhận các tiêu chí chưa duyệt."),
    )
    return _back(imp)


@login_required
@require_POST
def import_publish(request, pk: int):
    imp, _done = _review_step(
        request,
        pk,
        lambda r, imp: review.criteria_import_publish(
            actor=r.access, imp=imp, accept_mismatch=r.POST.get("accept_mismatch") == "1"
        ),
        _("Đã ban hành bộ tiêu chí; bên dưới là kết quả."),
    )
    return _back(imp)


@login_required
@require_POST
def import_discard(request, pk: int):
    imp, done = _review_step(
        request,
        pk,
        lambda r, imp: review.criteria_import_discard(actor=r.access, imp=imp),
        _("Đã hủy lần nhập; chưa có bộ tiêu chí nào được tạo."),
    )
    return redirect("assessments:criteria_imports") if done else _back(imp)


# ---- the province's DTI rank ---------------------------------------------------------------------


def _int(raw, what: str, problems: list[str]) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        problems.append(f"{what}: “{raw[:20]}” phải là số nguyên dương.")
        return None
    return int(raw)


def _score(raw, problems: list[str]) -> Decimal | None:
    try:
        value = parse_number((raw or "").strip(), places=4)
    except NumberError as exc:
        problems.append(f"Điểm chỉ số: {exc.message}")
        return None
    return value


def _results_page(request, *, status: int = 200, posted=None):
    # The province's leaders read the ranks (a published fact); only the secretariat enters them.
    if not request.access.is_province_wide:
        raise NotAllowed("Chỉ Tổ giúp việc và lãnh đạo tỉnh xem kết quả xếp hạng của tỉnh.")
    return render(
        request,
        "assessments/province_results.html",
        {
            "results": selectors.province_results(),
            "frameworks": results.national_frameworks(),
            "components": ResultComponent.choices,
            "submissions": selectors.province_submissions(),
            "posted": posted or {},
            "can_enter": request.access.runs_programme,
        },
        status=status,
    )


@login_required
def province_results(request):
    if request.method != "POST":
        return _results_page(request)
    if not request.access.runs_programme:  # before any form error: a reader learns nothing of it
        raise NotAllowed("Chỉ Tổ giúp việc được nhập kết quả xếp hạng của tỉnh.")
    post = request.POST
    problems: list[str] = []
    year = _int(post.get("year"), "Năm đánh giá", problems)
    rank = _int(post.get("rank"), "Xếp hạng", problems)
    ranked_of = _int(post.get("ranked_of"), "Tổng số tỉnh, thành phố", problems)
    score = _score(post.get("score"), problems)
    framework = Framework.objects.filter(pk=parse_id(post.get("framework")) or 0).first()
    try:
        if problems:
            raise InvalidData("Chưa lưu được kết quả xếp hạng.", details=problems)
        results.result_enter(
            actor=request.access,
            framework=framework,
            year=year or 0,
            rank=rank,
            ranked_of=ranked_of,
            score=score,
            reference=post.get("reference", ""),
            source_url=post.get("source_url", "").strip(),
            component=post.get("component", ""),
        )
    except NotAllowed:
        raise
    except DomainError as exc:
        messages.error(request, _message(exc))
        return _results_page(request, status=400, posted=post)
    messages.success(
        request, _("Đã lưu xếp hạng năm %(year)s; tiến độ các chỉ tiêu xếp hạng DTI được tính lại.") % {"year": year}
    )
    return redirect("assessments:province_results")


@login_required
@require_POST
def province_result_compute(request):
    submission = selectors.province_submissions().filter(pk=parse_id(request.POST.get("submission")) or 0).first()
    if submission is None:
        raise NotFound()
    problems: list[str] = []
    rank = _int(request.POST.get("rank"), "Xếp hạng ước tính", problems)
    ranked_of = _int(request.POST.get("ranked_of"), "Tổng số tỉnh, thành phố", problems)
    try:
        if problems:
            raise InvalidData("Chưa tính được kết quả.", details=problems)
        results.result_compute(actor=request.access, submission=submission, rank=rank, ranked_of=ranked_of)
    except NotAllowed:
        raise
    except DomainError as exc:
        messages.error(request, _message(exc))
        return _results_page(request, status=400)
    messages.success(request, _("Đã tính điểm chỉ số từ đợt tự đánh giá của tỉnh."))
    return redirect("assessments:province_results")
