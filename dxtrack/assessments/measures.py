"""Register indicators measured by recognitions, not by reports (issue 17, item 6).

Seed 001 sets targets on the number and share of communes and districts that complete digital
transformation by the provincial criteria set. That number is a fact of signed recognition
decisions, so the province's yearly figure of those indicators is read from the recognitions:
each year's figure is the count (or share) of the province's units recognised by 31/12 of that
year (by today for the current year), from the year of the first recognition on. Analytics uses
these figures in place of reported values (analytics.rollup.province_series)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from dxtrack.core.dates import format_vn_date
from dxtrack.org.models import AdminLevel

from .models import Recognition
from .selectors import province_units, recognised_units

COUNT = "count"
SHARE = "share"

# indicator code → (level of the units recognised, what the figure is)
MEASURED: dict[str, tuple[str, str]] = {
    "so-xa-hoan-thanh-chuyen-doi-so": (AdminLevel.COMMUNE, COUNT),
    "ty-le-xa-hoan-thanh-chuyen-doi-so": (AdminLevel.COMMUNE, SHARE),
    "so-huyen-hoan-thanh-chuyen-doi-so": (AdminLevel.DISTRICT, COUNT),
    "ty-le-huyen-hoan-thanh-chuyen-doi-so": (AdminLevel.DISTRICT, SHARE),
}


@dataclass(frozen=True)
class YearFigure:
    year: int
    value: float
    as_of: datetime.date
    units: int  # the units of that level in force on `as_of`

    @property
    def label(self) -> str:
        return f"đến {format_vn_date(self.as_of)}"


def is_measured(code: str) -> bool:
    return code in MEASURED


def yearly_figures(code: str, *, today: datetime.date | None = None) -> list[YearFigure]:
    """The indicator's yearly figures from the recognitions ([] for an indicator not measured
    so, or before any recognition of its level)."""
    if code not in MEASURED:
        return []
    level, kind = MEASURED[code]
    today = today or timezone.localdate()
    first = (
        Recognition.objects.filter(admin_unit__in=province_units(level), recognised_on__lte=today)
        .order_by("recognised_on")
        .values_list("recognised_on", flat=True)
        .first()
    )
    if first is None:
        return []
    out = []
    for year in range(first.year, today.year + 1):
        as_of = min(datetime.date(year, 12, 31), today)
        measure = recognised_units(level=level, as_of=as_of)
        value = measure.recognised if kind == COUNT else measure.share
        if value is not None:
            out.append(YearFigure(year, float(value), as_of, measure.units))
    return out
