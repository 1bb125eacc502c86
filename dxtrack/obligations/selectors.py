"""Reads of the calendar: periods as typed, and obligations scoped to what the caller may see."""

from django.db.models import QuerySet

from dxtrack.accounts.access import Access
from dxtrack.core.errors import InvalidData, NotFound

from .calendar import periods, read_period
from .models import Obligation, Period

# ---- scope ---------------------------------------------------------------------------------------


def period_typed(text) -> Period:
    """The calendar's period a user typed ("Quý III/2025", "quý 3/2025", "2025Q3", "Năm 2025"…);
    InvalidData with a Vietnamese message when it is no period or not in the calendar yet."""
    try:
        period_type, year, number = read_period(text)
    except ValueError as exc:
        raise InvalidData(str(exc)) from None
    found = Period.objects.filter(period_type=period_type, year=year, number=number).first()
    if found is None:
        label = periods(period_type, year)[number - 1].label
        raise InvalidData(f"Kỳ {label} chưa có trong lịch báo cáo; lập lịch trước: dxtrack calendar --year {year}.")
    return found


def obligations(*, actor: Access) -> QuerySet[Obligation]:
    """The obligations whose reports `actor` may read (the public: none, they are private)."""
    qs = Obligation.objects.select_related("period", "rule__document", "agency", "admin_unit")
    return Access.of(actor).scope.filter(qs)


def may_read(actor: Access, obligation: Obligation) -> bool:
    return Access.of(actor).covers(agency_id=obligation.agency_id, admin_unit_id=obligation.admin_unit_id)


def obligations_get(*, actor: Access, pks: list[int]) -> dict[int, Obligation]:
    """The obligations `pks`, read together: pk → obligation. Refused as `obligation_get` refuses
    one, naming the ids that are not there or not the caller's (answered alike)."""
    access = Access.of(actor)
    wanted = set(pks)
    found = {
        o.pk: o
        for o in Obligation.objects.select_related("period", "rule__document", "agency", "admin_unit").filter(
            pk__in=wanted
        )
        if may_read(access, o)
    }
    missing = sorted(wanted - set(found))
    if missing:
        raise NotFound("Không tìm thấy nghĩa vụ báo cáo: " + ", ".join(map(str, missing[:20])) + ".")
    return found


def obligation_get(*, actor: Access, pk: int) -> Obligation:
    access = Access.of(actor)
    obligation = Obligation.objects.select_related("period", "rule__document", "agency", "admin_unit").get(pk=pk)
    if not may_read(access, obligation):
        # Another unit's object is answered exactly as one that does not exist (web and API alike),
        # so that its ids cannot be confirmed by trying them.
        raise Obligation.DoesNotExist
    return obligation
