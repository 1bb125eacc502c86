"""Register pages and the import review. Parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dxtrack.core import lists
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.exports import export_response
from dxtrack.core.lists import ListQuery, Order
from dxtrack.org.models import Agency

from . import search as search_selectors
from . import selectors, tables
from .forms import RegisterFilterForm, UploadForm
from .models import Document, ImportItem, Indicator, ItemKind, Pillar, PlanImport
from .services import links as review_links
from .services import review, uploads


def _filters(request) -> dict:
    form = RegisterFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    return {
        "form": form,
        "document": data.get("van_ban") or "",
        "pillar": data.get("tru_cot") or "",
        "sector": data.get("linh_vuc") or "",
        "year": data.get("nam"),
        "agency": data.get("co_quan") or "",
    }


def index(request):
    docs = selectors.documents(actor=request.access)
    return render(request, "plans/index.html", {"documents": docs})


def search(request):
    """The register's search box: targets, tasks, indicators, agencies, units (plans.search)."""
    query = request.GET.get("q", "")[: search_selectors.MAX_QUERY]
    kind = request.GET.get("loai", "")
    kinds = [kind] if kind in search_selectors.KINDS else None
    results = search_selectors.register_search(query, kinds=kinds, limit=50 if kinds else 10)
    return render(
        request,
        "plans/search.html",
        {"q": query, "kind": kind if kinds else "", "results": results, "kinds": search_selectors.KINDS.values()},
    )


REGISTER_ORDER = ("document__issued_on", "document__code", "position")


def _register_list(request, orders: dict) -> ListQuery:
    """The register's lists keep their filters, text and sort in the URL (core.lists); the
    filter form still checks the values (RegisterFilterForm)."""
    names = ("van_ban", "tru_cot", "linh_vuc", "nam", "co_quan", "q")
    return ListQuery(
        request.GET,
        filters=dict.fromkeys(names, lists.text),
        orders={"van-ban": Order(_("Văn bản"), REGISTER_ORDER), **orders},
        default_order="van-ban",
        per_page=100,
    )


def target_list(request):
    f = _filters(request)
    lq = _register_list(request, {"chi-tieu": Order(_("Chỉ tiêu"), ("label",)), "nam": Order(_("Năm"), ("year",))})
    qs = selectors.targets(
        actor=request.access,
        document=f["document"],
        pillar=f["pillar"],
        sector=f["sector"],
        year=f["year"],
        text=lq.get("q", ""),
    )
    qs = lq.order(qs)
    if (response := export_response(request, lambda: tables.targets("Chỉ tiêu", qs), "chi-tieu")) is not None:
        return response
    page = lq.page(qs)
    return render(
        request,
        "plans/targets.html",
        {"page": page, "lq": lq, **f, **selectors.filter_choices(actor=request.access), "pillars": Pillar.choices},
    )


def task_list(request):
    f = _filters(request)
    lq = _register_list(
        request, {"nhiem-vu": Order(_("Nhiệm vụ"), ("title",)), "han": Order(_("Thời hạn"), ("deadline",))}
    )
    agency = Agency.objects.filter(code=f["agency"]).first() if f["agency"] else None
    qs = selectors.tasks(
        actor=request.access,
        document=f["document"],
        agency=agency,
        year=f["year"],
        pillar=f["pillar"],
        sector=f["sector"],
        text=lq.get("q", ""),
    )
    qs = lq.order(qs)
    if (response := export_response(request, lambda: tables.tasks("Nhiệm vụ", qs), "nhiem-vu")) is not None:
        return response
    page = lq.page(qs)
    return render(
        request,
        "plans/tasks.html",
        {
            "page": page,
            "lq": lq,
            **f,
            **selectors.filter_choices(actor=request.access),
            "agency_obj": agency,
            "agencies": Agency.objects.order_by("name"),
            "pillars": Pillar.choices,
        },
    )


def indicator_detail(request, code: str):
    indicator = get_object_or_404(Indicator, code=code)
    targets = list(
        indicator.targets.select_related("document", "clause", "indicator").order_by("year", "document__issued_on")
    )
    table = tables.targets(f"Mục tiêu: {indicator.name}", targets)
    if (response := export_response(request, table, f"muc-tieu-{indicator.code}")) is not None:
        return response
    return render(request, "plans/indicator.html", {"indicator": indicator, "targets": targets})


def document_detail(request, code: str):
    document = get_object_or_404(Document, code=code)
    return render(
        request,
        "plans/document.html",
        {
            "document": document,
            "clauses": document.clauses.order_by("line", "path"),
            "target_count": document.targets.in_force().count(),
            "task_count": document.tasks.in_force().count(),
            "rules": document.reporting_rules.in_force()
            .select_related("recipient")
            .prefetch_related("reporter_groups"),
            "ended": selectors.document_ended(document, actor=request.access),
        },
    )


def clause_detail(request, code: str, path: str):
    document = get_object_or_404(Document, code=code)
    items = selectors.clause_items(document, path[:60], actor=request.access)
    if items["clause"] is None:
        raise Http404
    where = f"{document.reference}, {items['clause'].path}"
    exports = {
        "chi-tieu": lambda: tables.targets(f"Chỉ tiêu — {where}", items["targets"]),
        "nhiem-vu": lambda: tables.tasks(f"Nhiệm vụ — {where}", items["tasks"]),
    }
    if (response := export_response(request, exports, f"{document.code}-{items['clause'].path}")) is not None:
        return response
    return render(request, "plans/clause.html", {"document": document, **items})


def agency_tasks(request, code: str):
    agency = get_object_or_404(Agency, code=code)
    roles = selectors.agency_tasks(agency, actor=request.access)
    exports = {
        "chu-tri": lambda: tables.tasks(f"Nhiệm vụ chủ trì: {agency.name}", roles["lead"]),
        "phoi-hop": lambda: tables.tasks(f"Nhiệm vụ phối hợp: {agency.name}", roles["coordinating"]),
    }
    if (response := export_response(request, exports, f"nhiem-vu-{agency.code}")) is not None:
        return response
    return render(request, "plans/agency.html", {"agency": agency, "roles": roles})


# ---- import review (secretariat) ----------------------------------------------------------------------


def _secretariat_import(request, pk: int) -> PlanImport:
    return selectors.import_get(actor=request.access, pk=pk)


@login_required
def import_list(request):
    imports = list(selectors.imports(actor=request.access)[:50])
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            plan_import = uploads.plan_import_create(
                actor=request.access,
                data=upload.read(),
                filename=upload.name,
                year_context=form.cleaned_data["year_context"],
                revises=form.cleaned_data["revises"],
            )
        except review_links.ScanUpload:
            return _scan_upload(request, form, upload)
        except InvalidData as exc:
            form.add_error("file", " ".join([exc.message, *exc.details]))
        else:
            messages.success(request, "Đã đọc văn bản. Hãy duyệt từng chỉ tiêu, nhiệm vụ bên dưới.")
            return redirect("plans:import", pk=plan_import.pk)
    return render(request, "plans/imports.html", {"form": form, "imports": imports}, status=400 if form.errors else 200)


def _scan_upload(request, form, upload):
    """A scan: kept, and read by OCR in the background; the review page says it is being read."""
    from .extract import ocr

    if not ocr.available():
        form.add_error(
            "file",
            f"Tệp PDF “{upload.name}” là bản quét nhưng máy chủ chưa cài Tesseract tiếng Việt (make ocr). "
            "Hãy tải lên bản PDF xuất từ Word hoặc tệp .docx.",
        )
        imports = list(selectors.imports(actor=request.access)[:50])
        return render(request, "plans/imports.html", {"form": form, "imports": imports}, status=400)
    upload.seek(0)
    plan_import = review_links.plan_import_from_scan(
        actor=request.access,
        data=upload.read(),
        filename=upload.name,
        year_context=form.cleaned_data["year_context"],
        revises=form.cleaned_data["revises"],
    )
    messages.info(request, "Tệp là bản quét: hệ thống đang đọc chữ (OCR); trang sẽ tự cập nhật khi đọc xong.")
    return redirect("plans:import", pk=plan_import.pk)


@login_required
def import_review(request, pk: int):
    plan_import = _secretariat_import(request, pk)
    scan = review_links.scan_state(plan_import)
    if scan.get("state") == "done":
        return redirect("plans:import", pk=scan["import"])
    if scan:
        return render(request, "plans/scan_reading.html", {"imp": plan_import, "scan": scan})
    focus = request.GET.get("dong", "")
    return render(
        request,
        "plans/review.html",
        {
            "imp": plan_import,
            "items": selectors.import_items(plan_import),
            "counts": selectors.import_counts(plan_import),
            "outcome": selectors.outcome_lines(plan_import.outcome),
            "open": selectors.is_open(plan_import),
            "lines": list(enumerate(plan_import.source_text.split("\n"), start=1)),
            "focus": int(focus) if focus.isdigit() else 0,
            "pillars": Pillar.choices,
            "indicator_choices": selectors.indicator_choices(actor=request.access),
            "unlinked": len(review_links.unlinked(plan_import)),
            "unlinked_choices": review_links.UNLINKED_CHOICES,
            "ocr_low": set(plan_import.meta.get("ocr_low") or []),
        },
    )


def _item_response(request, plan_import, item, error: str = ""):
    if request.headers.get("HX-Request"):
        return render(
            request,
            "plans/_review_item.html",
            {
                "imp": plan_import,
                "item": selectors.annotate_item(plan_import, item),
                "open": selectors.is_open(plan_import),
                "error": error,
                "pillars": Pillar.choices,
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect(reverse("plans:import", args=[plan_import.pk]) + f"#muc-{item.pk}")


@login_required
@require_POST
def import_item(request, pk: int, item: int):
    plan_import = _secretariat_import(request, pk)
    obj = get_object_or_404(ImportItem, pk=item, plan_import=plan_import)
    action = request.POST.get("action", "")
    try:
        if action in ("accepted", "rejected", "pending"):
            obj = review.import_item_decide(actor=request.access, item=obj, decision=action)
        elif action == "save" and obj.kind in (ItemKind.TARGET, ItemKind.TASK):
            obj = review.import_item_update(actor=request.access, item=obj, data=request.POST)
        else:
            return _item_response(request, plan_import, obj, "Thao tác không hợp lệ.")
    except NotAllowed:
        raise  # answered 403 by core.middleware.DomainErrorPages, not as an item error
    except DomainError as exc:
        obj.refresh_from_db()
        return _item_response(request, plan_import, obj, " ".join([exc.message, *exc.details]))
    return _item_response(request, plan_import, obj)


def _attempt(request, action, success: str):
    """Runs a service call for a button: its result, or None after telling the user why not.
    Refusals of permission stay 403s."""
    try:
        result = action()
    except NotAllowed:
        raise  # answered 403 by core.middleware.DomainErrorPages
    except DomainError as exc:
        messages.error(request, " ".join([exc.message, *exc.details]))
        return None
    messages.success(request, success.format(result=result))
    return result if result is not None else True


@login_required
@require_POST
def import_meta(request, pk: int):
    plan_import = _secretariat_import(request, pk)
    _attempt(
        request,
        lambda: review.import_meta_update(actor=request.access, plan_import=plan_import, data=request.POST),
        "Đã lưu thông tin văn bản.",
    )
    return redirect("plans:import", pk=pk)


@login_required
@require_POST
def import_accept_all(request, pk: int):
    plan_import = _secretariat_import(request, pk)
    _attempt(
        request,
        lambda: review.import_accept_all(actor=request.access, plan_import=plan_import),
        "Đã chấp nhận {result} mục.",
    )
    return redirect("plans:import", pk=pk)


@login_required
@require_POST
def import_publish(request, pk: int):
    plan_import = _secretariat_import(request, pk)
    _attempt(
        request,
        lambda: review_links.plan_import_publish_checked(
            actor=request.access, plan_import=plan_import, unlinked_choice=request.POST.get("unlinked", "")
        ),
        "Đã đưa văn bản vào danh mục kế hoạch; bên dưới là những gì đã thay đổi.",
    )
    # The review page then shows what publishing did (added, changed, kept, retired, deleted).
    return redirect("plans:import", pk=pk)


@login_required
@require_POST
def import_discard(request, pk: int):
    plan_import = _secretariat_import(request, pk)
    done = _attempt(
        request,
        lambda: review.plan_import_discard(actor=request.access, plan_import=plan_import),
        "Đã hủy lần nhập; danh mục không thay đổi.",
    )
    return redirect("plans:imports") if done else redirect("plans:import", pk=pk)


# ---- indicators of proposed targets: search by name, link, create in place ------------------------


@login_required
def import_indicator_search(request, pk: int, item: int):
    plan_import = _secretariat_import(request, pk)
    obj = get_object_or_404(ImportItem, pk=item, plan_import=plan_import, kind=ItemKind.TARGET)
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "plans/_indicator_search.html",
        {"imp": plan_import, "item": obj, "q": query, "found": review_links.search_indicators(query)},
    )


@login_required
@require_POST
def import_indicator_link(request, pk: int, item: int):
    plan_import = _secretariat_import(request, pk)
    obj = get_object_or_404(ImportItem, pk=item, plan_import=plan_import)
    try:
        if request.POST.get("action") == "create":
            review_links.import_target_create_indicator(
                actor=request.access, item=obj, name=request.POST.get("name", ""), unit=request.POST.get("unit", "")
            )
        else:
            review_links.import_target_link(actor=request.access, item=obj, code=request.POST.get("code", ""))
    except NotAllowed:
        raise  # answered 403 by core.middleware.DomainErrorPages, not as an item error
    except DomainError as exc:
        obj.refresh_from_db()
        return _item_response(request, plan_import, obj, " ".join([exc.message, *exc.details]))
    obj.refresh_from_db()
    return _item_response(request, plan_import, obj)
