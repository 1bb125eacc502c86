"""Exporting dataValueSets: the approved values an actor may read, in DHIS2's JSON or CSV."""

import csv
import datetime
import io

from django.db.models import Q

from dxtrack.accounts.access import Access
from dxtrack.core.errors import InvalidData
from dxtrack.core.numbers import format_number
from dxtrack.obligations import selectors as obligation_selectors
from dxtrack.obligations.models import Period
from dxtrack.plans.models import Aggregation
from dxtrack.reports.models import DataValue, ReportStatus

from .wire import (
    CSV_COLUMNS,
    MAX_EXPORT,
    PARTS,
    _unit_q,
    period_id,
    require_unit,
    wire_number,
)


def data_values_export(
    *,
    actor: Access,
    data_set: str = "",
    periods: list[Period] | None = None,
    org_unit: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[dict]:
    """The values the caller may read, as DHIS2 data values: approved (or locked) values of every
    unit in the caller's scope, and every value of the caller's own unit whatever its report's
    status (a unit's system reads back its draft). Ratios travel as numerator and denominator."""
    if org_unit:
        require_unit(actor, org_unit)
    visible = obligation_selectors.obligations(actor=actor)
    approved = Q(report__status__in=[ReportStatus.APPROVED, ReportStatus.LOCKED])
    own = Q(pk__in=[])
    if actor.agency_id:
        own = Q(agency_id=actor.agency_id)
    elif actor.admin_unit_id:
        own = Q(admin_unit_id=actor.admin_unit_id)
    qs = DataValue.objects.filter(report__obligation__in=visible.values("pk")).filter(approved | own)
    if data_set:
        qs = qs.filter(report__obligation__rule__document__code=data_set)
    if periods is not None:
        qs = qs.filter(period__in=periods)
    if org_unit:
        qs = qs.filter(_unit_q(org_unit))
    if start:
        qs = qs.filter(period__start__gte=start)
    if end:
        qs = qs.filter(period__end__lte=end)
    count = qs.count()
    if count > MAX_EXPORT:
        shown, limit = format_number(count), format_number(MAX_EXPORT)
        raise InvalidData(
            f"Có {shown} số liệu, quá {limit} số liệu mỗi lần; hãy lọc theo dataSet, period hoặc orgUnit."
        )
    qs = qs.select_related("indicator", "period", "agency", "admin_unit", "updated_by").order_by(
        "period__start", "period__period_type", "agency__code", "admin_unit__code", "indicator__code"
    )
    out = []
    for dv in qs:
        base = {
            "dataElement": dv.indicator.code,
            "period": period_id(dv.period),
            "orgUnit": (dv.agency or dv.admin_unit).code,
            "attributeOptionCombo": "default",
            "storedBy": dv.updated_by.username if dv.updated_by else "",
            "lastUpdated": dv.updated_at.isoformat(),
            "followup": False,
        }
        if dv.indicator.aggregation == Aggregation.RATIO:
            parts = [(p, getattr(dv, p)) for p in PARTS if getattr(dv, p) is not None]
        else:
            parts = [("default", dv.value)] if dv.value is not None else []
        for i, (combo, number) in enumerate(parts):
            out.append(
                {
                    **base,
                    "categoryOptionCombo": combo,
                    "value": wire_number(number),
                    "comment": dv.comment if i == 0 else "",
                }
            )
    return out


def to_csv(values: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for v in values:
        writer.writerow(
            [
                v["dataElement"],
                v["period"],
                v["orgUnit"],
                v["categoryOptionCombo"],
                v["attributeOptionCombo"],
                v["value"],
                v["storedBy"],
                v["lastUpdated"],
                v["comment"],
                "true" if v["followup"] else "false",
            ]
        )
    return buffer.getvalue()
