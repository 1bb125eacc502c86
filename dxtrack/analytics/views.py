"""Dashboards: the province overview, a target, an agency, a commune, the public dashboard.
Parse, call a selector, render. Filters that cannot be read are ignored (defaults), never a 500."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from dxtrack.org.models import AdminUnit, Agency
from dxtrack.plans.models import Pillar, Target

from . import selectors


def _year(request, name: str = "nam") -> int | None:
    try:
        year = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return year if year in selectors.YEARS else None


def _pillar(request) -> str:
    pillar = request.GET.get("tru_cot", "")
    return pillar if pillar in Pillar.values else ""


def _filters(request) -> dict:
    return {"year": _year(request), "pillar": _pillar(request), **selectors.filter_choices()}


@login_required
def overview(request):
    f = _filters(request)
    return render(
        request,
        "analytics/overview.html",
        {
            **f,
            "summary": selectors.summary(year=f["year"], pillar=f["pillar"]),
            "at_risk": selectors.at_risk(year=f["year"], pillar=f["pillar"]),
            "late": selectors.late(actor=request.user),
            "communes": selectors.ranking("commune"),
            "agencies": selectors.ranking("agency"),
        },
    )


def public(request):
    """Anonymous: approved aggregates only (stored progress is computed from approved data)."""
    f = _filters(request)
    return render(
        request,
        "analytics/public.html",
        {
            **f,
            "summary": selectors.summary(year=f["year"], pillar=f["pillar"]),
            "targets": selectors.target_rows(year=f["year"], pillar=f["pillar"]),
        },
    )


@login_required
def target_detail(request, pk: int):
    try:
        target = selectors.target_get(pk)
    except Target.DoesNotExist:
        raise Http404 from None
    return render(request, "analytics/target.html", {"page": selectors.target_page(target, year=_year(request))})


@login_required
def agency_detail(request, code: str):
    agency = get_object_or_404(Agency, code=code)
    return render(request, "analytics/agency.html", {"agency": agency, "page": selectors.agency_page(agency)})


@login_required
def commune_detail(request, pk: int):
    try:
        unit = selectors.unit_get(pk)
    except AdminUnit.DoesNotExist:
        raise Http404 from None
    return render(request, "analytics/commune.html", {"unit": unit, "page": selectors.commune_page(unit)})
