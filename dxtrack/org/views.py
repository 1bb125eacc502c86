"""Registry pages. Parse, call a selector or a service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.exports import export_response
from dxtrack.core.text import sort_key

from . import selectors, services, tables
from .forms import AtDateForm, ContactPointForm
from .models import AdminLevel, AdminUnit, Agency, AgencyGroup, AgencyKind


def _at(request):
    form = AtDateForm(request.GET)
    at = form.cleaned_data["ngay"] if form.is_valid() else None
    return form, at or timezone.localdate()


def index(request):
    form, at = _at(request)
    province = selectors.province(settings.DXTRACK_PROVINCE_CODE)
    by_kind: dict[str, list[Agency]] = {kind.label: [] for kind in AgencyKind}
    for agency in selectors.agencies_by_kind(at=at):
        by_kind[AgencyKind(agency.kind).label].append(agency)
    by_kind = {label: sorted(items, key=lambda a: sort_key(a.name)) for label, items in by_kind.items() if items}
    return render(
        request,
        "org/index.html",
        {
            "form": form,
            "at": at,
            "province": province,
            "agencies_by_kind": by_kind,
            "tree": selectors.province_tree(province, at=at),
            "former": selectors.province_tree(province, at=selectors.LAST_DAY_BEFORE_REFORM),
            "groups": AgencyGroup.objects.order_by("name"),
        },
    )


def search(request):
    query = request.GET.get("q", "")[:100]
    results = selectors.search(query)
    template = "org/_search_results.html" if request.headers.get("HX-Request") else "org/search.html"
    return render(request, template, {"q": query, "results": results})


def _contact_context(request, *, agency=None, admin_unit=None):
    try:
        contact = selectors.contact_point_get(actor=request.access, agency=agency, admin_unit=admin_unit)
    except NotAllowed:
        return {"contact_visible": False}
    can_edit = services.may_edit_contact(request.access, agency=agency, admin_unit=admin_unit)
    return {
        "contact_visible": True,
        "contact": contact,
        "contact_can_edit": can_edit,
        "contact_form": ContactPointForm(instance=contact) if can_edit else None,
    }


def agency_detail(request, code: str):
    form, at = _at(request)
    agency = get_object_or_404(Agency, code=code)
    return render(
        request,
        "org/agency.html",
        {
            "agency": agency,
            "form": form,
            "at": at,
            "history": selectors.agency_history(agency),
            "carried_by": selectors.agency_at(agency, at),
            "groups": agency.groups.order_by("name"),
            **_contact_context(request, agency=agency),
        },
    )


def group_detail(request, code: str):
    form, at = _at(request)
    group = get_object_or_404(AgencyGroup, code=code)
    return render(
        request,
        "org/group.html",
        {
            "group": group,
            "form": form,
            "at": at,
            "members": selectors.group_members_at(group, at),
        },
    )


def unit_detail(request, pk: int):
    form, at = _at(request)
    unit = get_object_or_404(AdminUnit.objects.select_related("parent"), pk=pk)
    children = selectors.unit_children(unit).order_by("valid_to", "name") if unit.level != AdminLevel.COMMUNE else []
    history = selectors.unit_history(unit)
    table = tables.unit_predecessors(unit, history["came_from"])
    if (response := export_response(request, table, f"hinh-thanh-{unit.name}")) is not None:
        return response
    return render(
        request,
        "org/unit.html",
        {
            "unit": unit,
            "form": form,
            "at": at,
            "children": children,
            "history": history,
            "lives_on": selectors.unit_successors_at(unit, at),
            **_contact_context(request, admin_unit=unit),
        },
    )


def _save_contact(request, *, agency=None, admin_unit=None, back: str):
    try:
        services.contact_point_update(actor=request.access, agency=agency, admin_unit=admin_unit, data=request.POST)
    except InvalidData as exc:
        messages.error(request, " ".join([exc.message, *exc.details]))
    else:
        messages.success(request, "Đã lưu thông tin đầu mối.")
    return redirect(back)


@login_required
@require_POST
def agency_contact(request, code: str):
    agency = get_object_or_404(Agency, code=code)
    return _save_contact(request, agency=agency, back=reverse("org:agency", args=[agency.code]) + "#dau-moi")


@login_required
@require_POST
def unit_contact(request, pk: int):
    unit = get_object_or_404(AdminUnit, pk=pk)
    return _save_contact(request, admin_unit=unit, back=reverse("org:unit", args=[unit.pk]) + "#dau-moi")
