"""Every read of the plan register. The register is public: plans are public documents."""

from django.db.models import Prefetch, Q, QuerySet

from dxtrack.accounts.models import Role
from dxtrack.core.errors import NotAllowed
from dxtrack.org.models import Agency, AgencyGroup
from dxtrack.org.selectors import agency_predecessor_ids

from .models import Document, ImportItem, ImportStatus, Indicator, PartyRole, PlanImport, Target, Task, TaskParty


def documents() -> QuerySet[Document]:
    return Document.objects.order_by("issued_on", "code")


def targets(*, document: str = "", pillar: str = "", sector: str = "", year: int | None = None) -> QuerySet[Target]:
    qs = Target.objects.select_related("document", "clause", "indicator")
    if document:
        qs = qs.filter(document__code=document)
    if pillar:
        qs = qs.filter(pillar=pillar)
    if sector:
        qs = qs.filter(sector=sector)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("document__issued_on", "document__code", "position")


def _parties_prefetch() -> Prefetch:
    return Prefetch("parties", queryset=TaskParty.objects.select_related("agency", "group", "admin_unit"))


def _bodies_for(agency: Agency) -> tuple[set[int], set[int]]:
    """The agency itself and every agency whose duties passed to it; the groups it belongs to."""
    agencies = agency_predecessor_ids(agency.pk)
    # Groups are few and JSON containment differs across databases: decide in Python.
    groups = {
        g.pk
        for g in AgencyGroup.objects.prefetch_related("members")
        if agency.kind in g.member_kinds or any(m.pk == agency.pk for m in g.members.all())
    }
    return agencies, groups


def tasks(
    *,
    document: str = "",
    agency: Agency | None = None,
    role: str = "",
    year: int | None = None,
    pillar: str = "",
    sector: str = "",
    group_members: bool = True,
) -> QuerySet[Task]:
    qs = Task.objects.select_related("document", "clause").prefetch_related(_parties_prefetch())
    if document:
        qs = qs.filter(document__code=document)
    if agency is not None:
        agencies, groups = _bodies_for(agency)
        match = Q(parties__agency_id__in=agencies)
        if group_members:
            match |= Q(parties__group_id__in=groups)
        if role in PartyRole.values:
            match &= Q(parties__role=role)
        qs = qs.filter(match).distinct()
    if year:
        qs = qs.filter(Q(deadline__year=year) | Q(deadline__isnull=True, document__year=year))
    if pillar:
        qs = qs.filter(pillar=pillar)
    if sector:
        qs = qs.filter(sector=sector)
    return qs.order_by("document__issued_on", "document__code", "position")


def agency_tasks(agency: Agency) -> dict[str, list[Task]]:
    """What an agency leads and coordinates: named itself, through a predecessor whose duties it
    took over, or through a collective name it belongs to."""
    out = {}
    for role in (PartyRole.LEAD, PartyRole.COORDINATING):
        out[role] = list(tasks(agency=agency, role=role))
    return out


def clause_items(document: Document, path: str) -> dict:
    clause = document.clauses.filter(path=path).first()
    prefix = Q(clause__path=path) | Q(clause__path__startswith=f"{path}.")
    return {
        "clause": clause,
        "targets": list(document.targets.filter(prefix).select_related("clause").order_by("position")),
        "tasks": list(
            document.tasks.filter(prefix)
            .select_related("clause")
            .prefetch_related(_parties_prefetch())
            .order_by("position")
        ),
    }


def filter_choices() -> dict:
    return {
        "documents": list(Document.objects.order_by("issued_on", "code").values_list("code", "number", "title")),
        "sectors": sorted(
            {s for s in Target.objects.values_list("sector", flat=True).distinct() if s}
            | {s for s in Task.objects.values_list("sector", flat=True).distinct() if s}
        ),
        "years": sorted(y for y in Target.objects.values_list("year", flat=True).distinct() if y),
    }


# ---- imports (private to the secretariat) ----------------------------------------------------------------


def _require_secretariat(actor) -> None:
    if not (actor.is_authenticated and actor.is_active and (actor.is_superuser or actor.role == Role.SECRETARIAT)):
        raise NotAllowed("Chỉ Tổ giúp việc được xem các lần nhập kế hoạch.")


def imports(*, actor) -> QuerySet[PlanImport]:
    _require_secretariat(actor)
    return PlanImport.objects.select_related("document", "created_by").order_by("-created_at")


def import_get(*, actor, pk: int) -> PlanImport:
    _require_secretariat(actor)
    return PlanImport.objects.select_related("document").get(pk=pk)


def import_items(plan_import: PlanImport) -> dict[str, list[ImportItem]]:
    """Items by kind, each with `span` = the first and last source line of its clause, so the
    review page can highlight the clause beside the item."""
    spans = {c["path"]: (c["line"], c.get("end", c["line"])) for c in plan_import.meta.get("clauses", [])}
    out: dict[str, list[ImportItem]] = {"target": [], "task": [], "reporting": []}
    for item in plan_import.items.order_by("kind", "position"):
        item.span = spans.get(item.clause, (item.line, item.line))
        out[item.kind].append(item)
    return out


def import_counts(plan_import: PlanImport) -> dict[str, int]:
    items = list(plan_import.items.values_list("decision", "change"))
    return {
        "total": len(items),
        "pending": sum(1 for d, _ in items if d == "pending"),
        "accepted": sum(1 for d, _ in items if d == "accepted"),
        "rejected": sum(1 for d, _ in items if d == "rejected"),
        "new": sum(1 for _, c in items if c == "new"),
        "changed": sum(1 for _, c in items if c == "changed"),
        "removed": sum(1 for _, c in items if c == "removed"),
        "unchanged": sum(1 for _, c in items if c == "unchanged"),
    }


def is_open(plan_import: PlanImport) -> bool:
    return plan_import.status == ImportStatus.DRAFT


def indicator_choices() -> list[tuple[str, str]]:
    return list(Indicator.objects.order_by("code").values_list("code", "name"))
