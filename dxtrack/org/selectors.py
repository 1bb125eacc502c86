"""Every read of the organisation registry.

The registry itself (names, codes, history) is public; contact points are private and go
through the caller's Scope.
"""

import datetime
from collections import deque
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from dxtrack.core.actors import Actor, access_of
from dxtrack.core.errors import NotAllowed
from dxtrack.core.text import fold, sort_key

from .models import (
    AdminLevel,
    AdminUnit,
    AdminUnitChange,
    Agency,
    AgencyChange,
    AgencyGroup,
    ContactPoint,
    Dated,
)
from .reference import (
    LAST_DAY_BEFORE_REFORM,  # noqa: F401  (views show the former units at this date)
    this_province,
)


@dataclass(frozen=True)
class Successor:
    unit: AdminUnit | Agency
    share: str  # "full" when every step on the way was full, else "partial"
    via: tuple[str, ...]  # names passed through, oldest first


def province(code: str) -> AdminUnit:
    return AdminUnit.objects.get(level=AdminLevel.PROVINCE, code=code, valid_to__isnull=True)


def units_valid_at(at: datetime.date) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(Dated.valid_at_q(at))


def unit_children(unit: AdminUnit, *, at: datetime.date | None = None) -> QuerySet[AdminUnit]:
    children = unit.children.all()
    return children.filter(Dated.valid_at_q(at)) if at else children


def _follow(start, at: datetime.date, edges_from, valid_at) -> list[Successor]:
    """Walks change edges forward from `start` until it reaches nodes valid at `at`."""
    if valid_at(start, at):
        return [Successor(start, "full", ())]
    found: dict[int, Successor] = {}
    queue = deque([(start, "full", ())])
    seen = {start.pk}
    while queue:
        node, share, via = queue.popleft()
        for change in edges_from(node, at):
            nxt = change.new
            step_share = "full" if share == "full" and change.share == "full" else "partial"
            if valid_at(nxt, at):
                prior = found.get(nxt.pk)
                # Reached along several paths: full wins, since one full path carries it all.
                if prior is None or (prior.share == "partial" and step_share == "full"):
                    found[nxt.pk] = Successor(nxt, step_share, (*via, node.name))
            elif nxt.pk not in seen:
                seen.add(nxt.pk)
                queue.append((nxt, step_share, (*via, node.name)))
    return sorted(found.values(), key=lambda s: sort_key(s.unit.name))


def _unit_edges(node: AdminUnit, at: datetime.date):
    return AdminUnitChange.objects.filter(old=node, date__lte=at).select_related("new")


def unit_successors_at(unit: AdminUnit, at: datetime.date) -> list[Successor]:
    """Which unit(s) a (former) unit lives on in at `at`. A former district, which no change
    record names, lives on where its communes do: partially in each."""
    direct = _follow(unit, at, _unit_edges, lambda u, d: u.valid_at(d))
    if direct or unit.level != AdminLevel.DISTRICT:
        return direct
    merged: dict[int, Successor] = {}
    for child in unit.children.all():
        for succ in _follow(child, at, _unit_edges, lambda u, d: u.valid_at(d)):
            merged.setdefault(succ.unit.pk, Successor(succ.unit, "partial", (unit.name, *succ.via)))
    return sorted(merged.values(), key=lambda s: sort_key(s.unit.name))


def unit_predecessors(unit: AdminUnit) -> list[AdminUnitChange]:
    """The former units that made up `unit`, each with its share (full or partial)."""
    changes = AdminUnitChange.objects.filter(new=unit).select_related("old", "old__parent")
    return sorted(changes, key=lambda c: sort_key(c.old.name))


def unit_history(unit: AdminUnit) -> dict[str, list[AdminUnitChange]]:
    return {
        "came_from": unit_predecessors(unit),
        "became": sorted(
            AdminUnitChange.objects.filter(old=unit).select_related("new"), key=lambda c: sort_key(c.new.name)
        ),
    }


def _agency_edges(node: Agency, at: datetime.date):
    return AgencyChange.objects.filter(old=node, date__lte=at).select_related("new")


def agency_at(agency: Agency, at: datetime.date) -> list[Successor]:
    """The agency or agencies carrying `agency`'s duties at `at` (itself while it exists)."""
    return _follow(agency, at, _agency_edges, lambda a, d: a.valid_at(d))


def agency_history(agency: Agency) -> dict[str, list[AgencyChange]]:
    return {
        "came_from": list(agency.changes_in.select_related("old").order_by("date", "old__name")),
        "became": list(agency.changes_out.select_related("new").order_by("date", "new__name")),
    }


def group_members_at(
    group: AgencyGroup, at: datetime.date, *, province_code: str | None = ""
) -> list[Agency | AdminUnit]:
    """The members a collective name stands for at `at`; a group that has ceased hands over to
    its successor (UBND cấp huyện → UBND cấp xã after 1/7/2025). A group of units reaches the
    province's own units (`province_code`, empty: this installation's), or every unit of its level
    in the country when `province_code` is None."""
    seen = set()
    while not group.valid_at(at) and group.successor_id and group.pk not in seen:
        seen.add(group.pk)
        group = group.successor
    if group.member_level:
        units = units_valid_at(at).filter(level=group.member_level)
        if province_code is None:
            return sorted(units, key=lambda u: sort_key(u.name))
        root = AdminUnit.objects.get(level=AdminLevel.PROVINCE, code=this_province(province_code))
        if group.member_level == AdminLevel.DISTRICT:
            return sorted(units.filter(parent=root), key=lambda u: sort_key(u.name))
        return sorted(units.filter(Q(parent=root) | Q(parent__parent=root)), key=lambda u: sort_key(u.name))
    agencies = Agency.objects.filter(Dated.valid_at_q(at))
    if group.member_kinds:
        return sorted(agencies.filter(kind__in=group.member_kinds), key=lambda a: sort_key(a.name))
    return sorted(agencies.filter(groups=group), key=lambda a: sort_key(a.name))


def search(query: str, *, limit: int = 50) -> dict[str, list]:
    """Agencies, groups and units whose name or alias contains the query, with or without
    diacritics."""
    key = fold(query)[:100]
    if not key:
        return {"agencies": [], "groups": [], "units": []}
    return {
        "agencies": list(Agency.objects.filter(search_name__contains=key).order_by("name")[:limit]),
        "groups": list(AgencyGroup.objects.filter(search_name__contains=key).order_by("name")[:limit]),
        "units": list(
            AdminUnit.objects.filter(search_name__contains=key)
            .select_related("parent")
            .order_by("level", "valid_to", "name")[:limit]
        ),
    }


def agencies_by_kind(*, at: datetime.date | None = None) -> QuerySet[Agency]:
    agencies = Agency.objects.all()
    if at:
        agencies = agencies.filter(Dated.valid_at_q(at))
    return agencies.order_by("kind", "name")


def province_tree(province_unit: AdminUnit, *, at: datetime.date) -> list[AdminUnit]:
    """The units under the province at `at`, each with `valid_children` (one level down)."""
    units = list(AdminUnit.objects.filter(Dated.valid_at_q(at), parent=province_unit))
    children: dict[int, list[AdminUnit]] = {}
    for child in AdminUnit.objects.filter(Dated.valid_at_q(at), parent__in=units):
        children.setdefault(child.parent_id, []).append(child)
    for unit in units:
        unit.valid_children = sorted(children.get(unit.pk, []), key=lambda u: sort_key(u.name))
    return sorted(units, key=lambda u: sort_key(u.name))


def contact_point_get(
    *, actor: Actor, agency: Agency | None = None, admin_unit: AdminUnit | None = None
) -> ContactPoint | None:
    """The focal point of an organisation, for those who may see it; NotAllowed otherwise."""
    access = access_of(actor)
    if not access.covers(agency_id=agency.pk if agency else None, admin_unit_id=admin_unit.pk if admin_unit else None):
        raise NotAllowed("Thông tin đầu mối chỉ dành cho đơn vị, Tổ giúp việc và lãnh đạo tỉnh.")
    return ContactPoint.objects.filter(agency=agency, admin_unit=admin_unit).first()


def contact_points_visible(*, actor: Actor) -> QuerySet[ContactPoint]:
    return access_of(actor).scope.filter(ContactPoint.objects.select_related("agency", "admin_unit"))


def registry_counts(*, at: datetime.date | None = None) -> dict[str, int]:
    from django.utils import timezone

    at = at or timezone.localdate()
    units = units_valid_at(at)
    return {
        "agencies": Agency.objects.filter(Dated.valid_at_q(at)).count(),
        "provinces": units.filter(level=AdminLevel.PROVINCE).count(),
        "communes": units.filter(level=AdminLevel.COMMUNE).count(),
        "former_units": AdminUnit.objects.filter(valid_to__lt=at).count(),
    }


def _agency_closure(agency_id: int, *, forward: bool) -> set[int]:
    found, frontier = {agency_id}, [agency_id]
    src, dst = ("old_id", "new_id") if forward else ("new_id", "old_id")
    while frontier:
        nxt = set(AgencyChange.objects.filter(**{f"{src}__in": frontier}).values_list(dst, flat=True)) - found
        found |= nxt
        frontier = list(nxt)
    return found


def agency_successor_ids(agency_id: int) -> set[int]:
    """The agency and every agency its duties passed to, in any number of steps."""
    return _agency_closure(agency_id, forward=True)


def agency_predecessor_ids(agency_id: int) -> set[int]:
    """The agency and every agency whose duties passed to it, in any number of steps."""
    return _agency_closure(agency_id, forward=False)


def current_communes() -> QuerySet[AdminUnit]:
    """The province's commune-level units in force today (under the province, or under one of its
    districts where districts still exist), by name: where an enterprise says it is (ADR 0040)."""
    from django.conf import settings

    found = AdminUnit.objects.filter(
        level=AdminLevel.PROVINCE, code=this_province(settings.DXTRACK_PROVINCE_CODE), valid_to__isnull=True
    ).first()
    if found is None:
        return AdminUnit.objects.none()
    return (
        AdminUnit.objects.filter(level=AdminLevel.COMMUNE, valid_to__isnull=True)
        .filter(Q(parent=found) | Q(parent__parent=found))
        .order_by("name", "code")
    )
