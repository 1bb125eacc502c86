"""Dashboards: the province overview, a target, an agency, a commune, the public dashboard.
Parse, call a selector, render. Filters that cannot be read are ignored (defaults), never a 500."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from dxtrack.core import lists
from dxtrack.core.exports import export_response
from dxtrack.core.lists import ListQuery, Order
from dxtrack.org.models import Agency
from dxtrack.plans import selectors as plan_selectors
from dxtrack.plans.models import Pillar

from . import selectors, tables


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
    # Lazy: the filter form is part of the kept blocks, read only when they are rendered again.
    choices = SimpleLazyObject(selectors.filter_choices)
    return {
        "year": _year(request),
        "pillar": _pillar(request),
        "years": SimpleLazyObject(lambda: choices["years"]),
        "pillars": SimpleLazyObject(lambda: choices["pillars"]),
    }


def _kept(request, f: dict) -> dict:
    """What the template's cache tags key the progress blocks on (selectors.progress_stamp)."""
    seconds = selectors.fragment_seconds(request.GET, year=f["year"], pillar=f["pillar"])
    return {"seconds": seconds, "stamp": selectors.progress_stamp()}


@login_required
def overview(request):
    f = _filters(request)
    year, pillar = f["year"], f["pillar"]
    # Each download reads only its own table, with the selector and arguments the page uses.
    exports = {
        "tru-cot": lambda: tables.pillars(selectors.summary(year=year, pillar=pillar)),
        "nguy-co": lambda: tables.targets(
            "Chỉ tiêu có nguy cơ không đạt", selectors.at_risk(year=year, pillar=pillar), projected=True
        ),
        "bao-cao-cham": lambda: tables.late(selectors.late(actor=request.access)),
        "xep-hang-xa": lambda: tables.ranking("Xếp hạng xã, phường", selectors.ranking("commune")),
        "xep-hang-co-quan": lambda: tables.ranking("Xếp hạng cơ quan", selectors.ranking("agency")),
    }
    if (response := export_response(request, exports, "tien-do")) is not None:
        return response
    kept = _kept(request, f)
    return render(
        request,
        "analytics/overview.html",
        {
            **f,
            "kept": kept,
            # Lazy: read only when the kept blocks must be rendered afresh.
            "summary": SimpleLazyObject(lambda: selectors.summary(year=year, pillar=pillar)),
            "at_risk": SimpleLazyObject(lambda: selectors.at_risk(year=year, pillar=pillar)),
            # The late box is kept rendered under the kept summary's stamp (a unit's own: never).
            "late": SimpleLazyObject(lambda: selectors.late(actor=request.access)),
            "late_kept": selectors.late_kept(actor=request.access, seconds=kept["seconds"]),
            "communes": SimpleLazyObject(lambda: selectors.ranking("commune")),
            "agencies": SimpleLazyObject(lambda: selectors.ranking("agency")),
        },
    )


def public(request):
    """Anonymous: approved aggregates only (stored progress is computed from approved data)."""
    f = _filters(request)
    year, pillar = f["year"], f["pillar"]
    exports = {
        "tru-cot": lambda: tables.pillars(selectors.summary(year=year, pillar=pillar)),
        "chi-tieu": lambda: tables.targets("Các chỉ tiêu", selectors.target_rows(year=year, pillar=pillar)),
    }
    if (response := export_response(request, exports, "tien-do-cong-khai")) is not None:
        return response
    return render(
        request,
        "analytics/public.html",
        {
            **f,
            "kept": _kept(request, f),
            "summary": SimpleLazyObject(lambda: selectors.summary(year=year, pillar=pillar)),
            "targets": SimpleLazyObject(lambda: selectors.target_rows(year=year, pillar=pillar)),
        },
    )


@login_required
def target_detail(request, pk: int):
    target = selectors.target_get(pk)
    page = selectors.target_page(target, year=_year(request))
    exports = {
        "so-lieu": lambda: tables.observations(page),
        "moc": lambda: tables.milestones(page),
        "diem": lambda: tables.points(page),
    }
    if (response := export_response(request, exports, f"chi-tieu-{target.pk}")) is not None:
        return response
    revisions = plan_selectors.target_revisions(target, actor=request.access)
    return render(request, "analytics/target.html", {"page": page, "revisions": revisions})


@login_required
def agency_detail(request, code: str):
    agency = get_object_or_404(Agency, code=code)
    page = selectors.agency_page(agency)
    exports = {
        "tinh-trang": lambda: tables.status_counts(agency.name, page),
        "nhiem-vu-tinh-trang": lambda: tables.task_counts(agency.name, page),
        "chi-tieu": lambda: tables.targets(f"Chỉ tiêu cơ quan báo cáo: {agency.name}", page.extra["targets"]),
        "nhiem-vu": lambda: tables.agency_tasks(agency.name, page),
    }
    if (response := export_response(request, exports, f"tien-do-{agency.code}")) is not None:
        return response
    return render(request, "analytics/agency.html", {"agency": agency, "page": page})


@login_required
def commune_detail(request, pk: int):
    unit = selectors.unit_get(pk)
    page = selectors.commune_page(unit)
    exports = {
        "tinh-trang": lambda: tables.status_counts(unit.name, page),
        "nhiem-vu-tinh-trang": lambda: tables.task_counts(unit.name, page),
        "so-lieu": lambda: tables.commune_series(unit.name, page),
    }
    if (response := export_response(request, exports, f"tien-do-{unit.name}")) is not None:
        return response
    return render(request, "analytics/commune.html", {"unit": unit, "page": page})


@login_required
def ranking(request, kind: str):
    """The whole ranking of communes or of agencies, searchable by name, sorted, paged."""
    card_kind = selectors.RANKING_KINDS.get(kind)
    if card_kind is None:
        raise Http404
    lq = ListQuery(
        request.GET,
        filters={"q": lists.text},
        orders={
            "hang": Order(_("Hạng"), ("rank",)),
            "ten": Order(_("Tên"), ("label",)),
            "diem": Order(_("Điểm"), ("-score",)),
        },
        default_order="hang",
    )
    qs = lq.order(selectors.ranking_list(card_kind, query=lq.get("q", "")))
    title = _("Xếp hạng xã, phường") if card_kind == "commune" else _("Xếp hạng cơ quan")

    def export():
        # The download holds every place of the filtered ranking, not the page shown.
        cards = selectors.with_status_labels(qs)
        return tables.ranking(str(title), selectors.Ranking(card_kind, cards, [], len(cards)))

    if (response := export_response(request, export, f"xep-hang-{kind}")) is not None:
        return response
    page = lq.page(qs)
    return render(
        request,
        "analytics/ranking.html",
        {
            "lq": lq,
            "page": page,
            "cards": selectors.with_status_labels(page),
            "kind": kind,
            "card_kind": card_kind,
            "title": title,
            "url_name": "analytics:commune" if card_kind == "commune" else "analytics:agency",
        },
    )
