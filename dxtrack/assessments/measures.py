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

from .models import ProvinceResult, Recognition, ResultComponent, ResultOrigin
from .selectors import province_units, recognised_units

COUNT = "count"
SHARE = "share"

# Where a figure comes from (analytics.rollup shows it; ≤ 10 characters, as stored).
FROM_RECOGNITIONS = "decisions"
FROM_ENTERPRISES = "dbi"

# indicator code → (level of the units recognised, what the figure is)
MEASURED: dict[str, tuple[str, str]] = {
    "so-xa-hoan-thanh-chuyen-doi-so": (AdminLevel.COMMUNE, COUNT),
    "ty-le-xa-hoan-thanh-chuyen-doi-so": (AdminLevel.COMMUNE, SHARE),
    "so-huyen-hoan-thanh-chuyen-doi-so": (AdminLevel.DISTRICT, COUNT),
    "ty-le-huyen-hoan-thanh-chuyen-doi-so": (AdminLevel.DISTRICT, SHARE),
}


# indicator code → the province result's component whose rank it is (issue 17 item 6): seed 001's
# "trong nhóm 10 tỉnh dẫn đầu" (rank <= 10) and "nhóm 5 về chính quyền số".
RESULT_MEASURED: dict[str, str] = {
    "xep-hang-dti": ResultComponent.OVERALL,
    "xep-hang-dti-chinh-quyen-so": ResultComponent.DIGITAL_GOVERNMENT,
}


@dataclass(frozen=True)
class YearFigure:
    year: int
    value: float
    as_of: datetime.date
    units: int  # the units of that level in force on `as_of` (enterprises: those assessed)
    source: str = FROM_RECOGNITIONS  # or FROM_ENTERPRISES, or a ResultOrigin: "published", "self"
    text: str = ""  # where the figure comes from, when not a count to a day

    @property
    def label(self) -> str:
        return self.text or f"đến {format_vn_date(self.as_of)}"


# Seed 004's targets on enterprises measured by the enterprise index (ADR 0040): indicator code →
# (lowest level that counts, what the figure is). "Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng
# số" is read as the share of the enterprises that answered the index in the year whose level is
# at least 2 ("Bắt đầu"): under 1970 every complete answer is at least level 1 (the lowest answer
# of each criterion already gives 20% of its pillar), so level 1 would count everyone.
ENTERPRISE_MEASURED: dict[str, tuple[int, str]] = {
    "dnnvv-su-dung-nen-tang-so": (2, SHARE),
}


def is_measured(code: str) -> bool:
    return code in MEASURED or code in RESULT_MEASURED or code in ENTERPRISE_MEASURED


def replaces_reports(code: str) -> bool:
    """Recognitions (and enterprises' answers to the index) are the whole fact of their
    indicators: they replace any reported figure. A rank result fills the years it covers; a
    year without one keeps what was reported."""
    return code in MEASURED or code in ENTERPRISE_MEASURED


def enterprise_figures(code: str, *, today: datetime.date | None = None) -> list[YearFigure]:
    """Per year with complete enterprise answers: how many reached the level (COUNT) or their
    share in percent of the enterprises assessed that year (SHARE)."""
    from django.db.models import Count, Q

    from .models import EnterpriseResult

    at_least, kind = ENTERPRISE_MEASURED[code]
    today = today or timezone.localdate()
    rows = (
        EnterpriseResult.objects.filter(level__isnull=False, year__lte=today.year, completed_at__date__lte=today)
        .values("year")
        .annotate(assessed=Count("pk"), reached=Count("pk", filter=Q(level__gte=at_least)))
        .order_by("year")
    )
    out = []
    for row in rows:
        value = row["reached"] if kind == COUNT else round(100 * row["reached"] / row["assessed"], 2)
        as_of = min(datetime.date(row["year"], 12, 31), today)
        out.append(YearFigure(row["year"], float(value), as_of, row["assessed"], FROM_ENTERPRISES))
    return out


def codes_for(component: str) -> list[str]:
    """The indicators a province result of `component` measures."""
    return [code for code, c in RESULT_MEASURED.items() if c == component]


def result_figures(code: str) -> list[YearFigure]:
    """The province's yearly rank for a result-measured indicator: the published rank of each
    year, else the rank given with its own self-assessment."""
    component = RESULT_MEASURED[code]
    chosen: dict[int, ProvinceResult] = {}
    for result in ProvinceResult.objects.filter(component=component, rank__isnull=False).order_by("year", "origin"):
        if result.year not in chosen or result.origin == ResultOrigin.PUBLISHED:
            chosen[result.year] = result
    out = []
    for year, r in sorted(chosen.items()):
        of = f"/{r.ranked_of}" if r.ranked_of else ""
        text = f"hạng {r.rank}{of} — {r.reference}" if r.reference else f"hạng {r.rank}{of}"
        out.append(YearFigure(year, float(r.rank), datetime.date(year, 12, 31), 1, r.origin, text[:120]))
    return out


def yearly_figures(code: str, *, today: datetime.date | None = None) -> list[YearFigure]:
    """The indicator's yearly figures from the recognitions ([] for an indicator not measured
    so, or before any recognition of its level)."""
    if code in RESULT_MEASURED:
        return result_figures(code)
    if code in ENTERPRISE_MEASURED:
        return enterprise_figures(code, today=today)
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
