"""Every read of the plan register. The register is public: plans are public documents."""

import datetime

from django.db.models import F, Prefetch, Q, QuerySet

from dxtrack.accounts.access import Access
from dxtrack.core.audit import shown
from dxtrack.core.errors import NotAllowed
from dxtrack.org.models import Agency, AgencyGroup
from dxtrack.org.selectors import agency_predecessor_ids

from .models import (
    Document,
    ImportItem,
    ImportStatus,
    Indicator,
    ItemKind,
    PartyRole,
    PlanImport,
    ReportingRule,
    Target,
    Task,
    TaskParty,
)


def _reader(actor: Access) -> Access:
    """The register is public: every party reads it, the public included. The actor is still
    required (None is refused) so that a rule on who reads what has one place to go."""
    return Access.of(actor)


def documents(*, actor: Access) -> QuerySet[Document]:
    _reader(actor)
    return Document.objects.order_by("issued_on", "code")


def targets(
    *, actor: Access, document: str = "", pillar: str = "", sector: str = "", year: int | None = None, text: str = ""
) -> QuerySet[Target]:
    _reader(actor)
    qs = Target.objects.in_force().select_related("document", "clause", "indicator")
    qs = _containing(qs, text, "label")
    if document:
        qs = qs.filter(document__code=document)
    if pillar:
        qs = qs.filter(pillar=pillar)
    if sector:
        qs = qs.filter(sector=sector)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("document__issued_on", "document__code", "position")


def _containing(qs: QuerySet, text: str, field: str) -> QuerySet:
    """Rows whose `field` holds every word of `text`, with or without diacritics (ADR 0030)."""
    from dxtrack.core.lists import Folded
    from dxtrack.core.text import fold

    words = fold(text or "").split()
    if not words:
        return qs
    qs = qs.annotate(f_text=Folded(F(field)))
    for word in words:
        qs = qs.filter(f_text__contains=word)
    return qs


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
    actor: Access,
    document: str = "",
    agency: Agency | None = None,
    role: str = "",
    year: int | None = None,
    pillar: str = "",
    sector: str = "",
    group_members: bool = True,
    text: str = "",
) -> QuerySet[Task]:
    _reader(actor)
    qs = Task.objects.in_force().select_related("document", "clause").prefetch_related(_parties_prefetch())
    qs = _containing(qs, text, "title")
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


def agency_tasks(agency: Agency, *, actor: Access) -> dict[str, list[Task]]:
    """What an agency leads and coordinates: named itself, through a predecessor whose duties it
    took over, or through a collective name it belongs to."""
    out = {}
    for role in (PartyRole.LEAD, PartyRole.COORDINATING):
        out[role] = list(tasks(actor=actor, agency=agency, role=role))
    return out


def clause_items(document: Document, path: str, *, actor: Access) -> dict:
    _reader(actor)
    clause = document.clauses.filter(path=path).first()
    prefix = Q(clause__path=path) | Q(clause__path__startswith=f"{path}.")
    return {
        "clause": clause,
        "targets": list(
            document.targets.in_force().filter(prefix).select_related("clause", "indicator").order_by("position")
        ),
        "tasks": list(
            document.tasks.in_force()
            .filter(prefix)
            .select_related("clause")
            .prefetch_related(_parties_prefetch())
            .order_by("position")
        ),
    }


def document_ended(document: Document, *, actor: Access) -> list[tuple[str, str, datetime.date]]:
    """(kind, name, last day in force) of the items a revision of `document` retired: kept,
    because reports, values or task updates refer to them."""
    _reader(actor)
    rows = [("chỉ tiêu", t.label, t.valid_to) for t in document.targets.filter(valid_to__isnull=False)]
    rows += [("nhiệm vụ", t.title, t.valid_to) for t in document.tasks.filter(valid_to__isnull=False)]
    rows += [
        ("quy định báo cáo", f"{r.get_period_type_display()} — {r.reporters_text}", r.valid_to)
        for r in document.reporting_rules.filter(valid_to__isnull=False)
    ]
    return sorted(rows, key=lambda row: (row[2], row[0]))


def filter_choices(*, actor: Access) -> dict:
    _reader(actor)
    return {
        "documents": list(Document.objects.order_by("issued_on", "code").values_list("code", "number", "title")),
        "sectors": sorted(
            {s for s in Target.objects.values_list("sector", flat=True).distinct() if s}
            | {s for s in Task.objects.values_list("sector", flat=True).distinct() if s}
        ),
        "years": sorted(y for y in Target.objects.values_list("year", flat=True).distinct() if y),
    }


# ---- imports (private to the secretariat) ----------------------------------------------------------------


def _require_programme(access: Access) -> None:
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được xem các lần nhập kế hoạch.")


def imports(*, actor: Access) -> QuerySet[PlanImport]:
    _require_programme(Access.of(actor))
    return PlanImport.objects.select_related("document", "created_by").order_by("-created_at")


def import_get(*, actor: Access, pk: int) -> PlanImport:
    _require_programme(Access.of(actor))
    return PlanImport.objects.select_related("document").get(pk=pk)


def import_items(plan_import: PlanImport) -> dict[str, list[ImportItem]]:
    """Items by kind, each with `span` = the first and last source line of its clause, so the
    review page can highlight the clause beside the item."""
    spans = {c["path"]: (c["line"], c.get("end", c["line"])) for c in plan_import.meta.get("clauses", [])}
    out: dict[str, list[ImportItem]] = {"target": [], "task": [], "reporting": []}
    for item in plan_import.items.order_by("kind", "position"):
        out[item.kind].append(annotate_item(plan_import, item, spans))
    return out


def annotate_item(plan_import: PlanImport, item: ImportItem, spans: dict | None = None) -> ImportItem:
    """`span` (see import_items); and for a register item the revision no longer lists, `fate`:
    what publishing would do to it in words, and `retires`: kept and retired, not deleted."""
    if spans is None:
        spans = {c["path"]: (c["line"], c.get("end", c["line"])) for c in plan_import.meta.get("clauses", [])}
    item.span = spans.get(item.clause, (item.line, item.line))
    removal = plan_import.status == ImportStatus.DRAFT and item.change == "removed" and item.matched_id
    item.fate, item.retires = _removal_fate(item) if removal else ("", False)
    return item


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


def indicator_choices(*, actor: Access) -> list[tuple[str, str]]:
    _reader(actor)
    return list(Indicator.objects.order_by("code").values_list("code", "name"))


# ---- revisions: what refers to a register item, what a publication did -----------------------------


def item_history(kind: str, obj: Target | Task | ReportingRule) -> str:
    """What refers to a register item, in words ("37 báo cáo"), or "" when nothing does and a
    revision that drops it may delete it. A rule: its reports, else its obligations; a task: its
    updates; a target: the values reported for the indicator it measures."""
    if kind == ItemKind.REPORTING:
        reports = obj.obligations.filter(report__isnull=False).count()
        if reports:
            return f"{reports} báo cáo"
        obligations = obj.obligations.count()
        return f"{obligations} nghĩa vụ báo cáo" if obligations else ""
    if kind == ItemKind.TASK:
        updates = obj.updates.count()
        return f"{updates} cập nhật nhiệm vụ" if updates else ""
    values = obj.indicator.values.count() if obj.indicator_id else 0
    return f"{values} số liệu" if values else ""


def _removal_fate(item: ImportItem) -> tuple[str, bool]:
    """What accepting a removal would do, in words, and whether it retires (True) or deletes."""
    model = {ItemKind.TARGET: Target, ItemKind.TASK: Task, ItemKind.REPORTING: ReportingRule}[ItemKind(item.kind)]
    obj = model.objects.filter(pk=item.matched_id).first()
    if obj is None:
        return "", False
    history = item_history(item.kind, obj)
    if history:
        return f"Không còn trong văn bản; giữ lại vì có {history}: sẽ thôi áp dụng, không xóa.", True
    return "Không còn trong văn bản; chưa có báo cáo, số liệu hay cập nhật nào: sẽ xóa khỏi danh mục.", False


_KIND_NOUN = {"target": "chỉ tiêu", "task": "nhiệm vụ", "reporting": "quy định báo cáo"}
# Fields whose old → new a reader needs; the others are named only (long texts, links).
_FIELD_NAMES = {
    "value": "giá trị",
    "value_max": "giá trị trên",
    "year": "năm",
    "unit": "đơn vị tính",
    "comparator": "so sánh",
    "deadline": "thời hạn",
    "deadline_text": "thời hạn (như văn bản)",
    "recurrence": "lặp lại",
    "due": "hạn gửi",
    "period_type": "kỳ báo cáo",
    "valid_to": "áp dụng đến",
    "label": "nội dung",
    "title": "tên nhiệm vụ",
    "output": "sản phẩm",
    "group": "nhóm nhiệm vụ",
    "indicator": "chỉ tiêu theo dõi",
    "clause": "điều khoản",
    "pillar": "trụ cột",
    "sector": "lĩnh vực",
    "reporters_text": "đơn vị báo cáo",
    "recipient": "nơi nhận báo cáo",
    "lead": "cơ quan chủ trì",
    "coordinating": "cơ quan phối hợp",
}
_NAMED_ONLY = {
    "label",
    "title",
    "output",
    "group",
    "indicator",
    "clause",
    "pillar",
    "sector",
    "reporters_text",
    "recipient",
}


def _change_words(changes: dict) -> str:
    parts = []
    for field, pair in changes.items():
        name = _FIELD_NAMES.get(field, field)
        if field == "valid_to" and pair[1] is None:
            parts.append(f"áp dụng lại (đã thôi áp dụng sau ngày {shown(pair[0])})")
        elif field in _NAMED_ONLY:
            parts.append(name)
        else:
            parts.append(f"{name} {shown(pair[0])} → {shown(pair[1])}")
    return "; ".join(parts)


def outcome_lines(outcome: dict) -> list[str]:
    """What a publication did to the register, in Vietnamese, for the command line and the page:
    what it added, changed, kept, retired and deleted."""
    if not outcome:
        return []
    from dxtrack.core.dates import format_vn_date

    def named(entry: dict) -> str:
        return f"{_KIND_NOUN.get(entry['kind'], entry['kind'])} “{entry['label']}”"

    day = format_vn_date(datetime.date.fromisoformat(outcome["date"]))
    order = {"target": 0, "task": 1, "reporting": 2}
    outcome = {
        k: sorted(v, key=lambda e: order.get(e["kind"], 3)) if isinstance(v, list) else v for k, v in outcome.items()
    }
    lines = []
    if outcome["created"]:
        lines.append(f"Thêm mới {len(outcome['created'])} mục:")
        lines += [f"  + {named(e)}" for e in outcome["created"]]
    if outcome["updated"]:
        lines.append(f"Thay đổi {len(outcome['updated'])} mục (sửa tại chỗ; báo cáo, số liệu đã có giữ nguyên):")
        lines += [f"  ~ {named(e)}: {_change_words(e['changes'])}" for e in outcome["updated"]]
    if outcome["unchanged"]:
        lines.append(f"Giữ nguyên {outcome['unchanged']} mục không đổi.")
    if outcome["retired"]:
        lines.append(f"Thôi áp dụng từ ngày {day} {len(outcome['retired'])} mục (không xóa):")
        for e in outcome["retired"]:
            dropped = f"; bỏ {e['dropped']} nghĩa vụ chưa có báo cáo của các kỳ sau" if e.get("dropped") else ""
            lines.append(f"  − {named(e)}: {e['reason']}{dropped}")
    if outcome["deleted"]:
        lines.append(
            f"Xóa {len(outcome['deleted'])} mục không còn trong văn bản, chưa có báo cáo, số liệu hay cập nhật:"
        )
        lines += [f"  × {named(e)}" for e in outcome["deleted"]]
    if outcome["kept"]:
        lines.append(f"Giữ lại theo quyết định của người duyệt {len(outcome['kept'])} mục không còn trong văn bản:")
        lines += [f"  = {named(e)}" for e in outcome["kept"]]
    return lines


def target_revisions(target: Target, *, actor: Access) -> list[dict]:
    """A target's history in the register: every revision that changed or retired it, with the
    old and new values, newest first."""
    _reader(actor)
    from dxtrack.core.models import AuditEvent

    events = AuditEvent.objects.filter(
        target_type="plans.target", target_id=str(target.pk), action__in=["plans.target.revise", "plans.target.retire"]
    ).order_by("-at", "-id")
    return [
        {
            "at": e.at,
            "retired": e.action == "plans.target.retire",
            "text": e.reason if e.action == "plans.target.retire" else _change_words(e.changes),
            "changes": e.changes,
        }
        for e in events
    ]
