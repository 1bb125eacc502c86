"""Approved values rolled up over units and turned into yearly observations. Reads only.

A value is the state at the end of its period's data window (a count is the running total, a ratio
its numerator and denominator then). A year's observation of an indicator is taken from the latest
period of that year with approved data; where two kinds of period end together (Quý IV, 6 tháng
cuối năm, Năm) the one with more reporting units wins.

The province's figure is either reported directly (by the agency assigned to the indicator) or
rolled up from the units' values by the indicator's rule: sum; ratio of summed numerators and
denominators; mean; mean weighted by the denominator. Every observation says which it is and how
many units it covers. Units that ceased on 1/7/2025 keep their values: the province sums whatever
units reported in the period, and a current commune's earlier years come from the former units it
was formed from (see `unit_series`).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum

from dxtrack.assessments import measures
from dxtrack.obligations.models import Period
from dxtrack.org.models import AdminUnit, AdminUnitChange
from dxtrack.plans.models import Aggregation, Indicator
from dxtrack.reports.models import DataValue

DIRECT = "direct"
ROLLUP = "rollup"
RECOGNITIONS = measures.FROM_RECOGNITIONS  # counted from recognition decisions; ≤ 10 characters, as stored
ENTERPRISES = measures.FROM_ENTERPRISES  # counted from enterprises' answers to the enterprise index
PUBLISHED_RESULT = "published"  # the province's rank as the national publication gives it (assessments.measures)
SELF_RESULT = "self"  # the province's rank given with its own DTI self-assessment
SOURCE_LABELS = {
    DIRECT: "Cơ quan báo cáo trực tiếp",
    ROLLUP: "Tổng hợp từ các đơn vị",
    RECOGNITIONS: "Đếm từ các quyết định công nhận",
    PUBLISHED_RESULT: "Kết quả xếp hạng do Bộ công bố",
    SELF_RESULT: "Tính từ đợt tự đánh giá của tỉnh",
    ENTERPRISES: "Đếm từ kết quả tự đánh giá của doanh nghiệp (bộ chỉ số 1970/QĐ-BTTTT)",
}


@dataclass(frozen=True)
class Observation:
    year: int
    value: float
    source: str  # direct | rollup | recognitions
    period_id: int | None  # None for a figure counted from recognitions
    period_label: str
    units: int  # how many reporting bodies the figure covers

    def as_pair(self) -> tuple[int, float]:
        return (self.year, self.value)


def combine(indicator: Indicator, row: dict) -> float | None:
    """One figure from the sums of a group of values (`row`: total, num, den, mean), by the
    indicator's rule."""
    aggregation, unit = indicator.aggregation, indicator.unit
    total, num, den, mean = row["total"], row["num"], row["den"], row["mean"]
    if aggregation == Aggregation.RATIO:
        if not den:
            return None
        scale = 100 if unit == "%" else 1
        return float(Decimal(num) / Decimal(den) * scale)
    if aggregation == Aggregation.SUM:
        return None if total is None else float(total)
    if aggregation == Aggregation.WEIGHTED_MEAN:
        return None if not den else float(Decimal(num) / Decimal(den))
    if aggregation == Aggregation.MEAN:
        return None if mean is None else float(mean)
    return None


def _latest_per_year(rows: list[dict], periods: dict[int, Period]) -> dict[int, dict]:
    """The row of each year's latest period, among the periods that cover at least half as many
    units as the year's best-covered one: a period only a few prompt units have reported yet
    (a half-year not due) must not stand for the year in place of a quarter everyone reported."""
    by_year: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_year[periods[row["period_id"]].year].append(row)
    best: dict[int, dict] = {}
    for year, group in by_year.items():
        floor = max(r.get("n", 1) for r in group) / 2
        eligible = [r for r in group if r.get("n", 1) >= floor]
        best[year] = max(eligible, key=lambda r: (periods[r["period_id"]].end, r.get("n", 1), r["period_id"]))
    return best


def _unit_sums(values):
    return values.values("indicator_id", "period_id").annotate(
        n=Count("pk"),
        total=Sum("value"),
        num=Sum("numerator"),
        den=Sum("denominator"),
        mean=Avg("value"),
    )


AGGREGATE_FIELDS = ("indicator_id", "period_id", "kind", "n", "total", "num", "den", "mean")


def aggregates(indicator_ids=None, period_ids=None) -> list[dict]:
    """Per indicator, period and source (an agency's own figure, or the units'), the count, sums
    and mean of the approved values. Everything the province's series and the scorecards need
    comes from this (kept in PeriodAggregate).

    One GROUP BY per source, each on the floor's own key with the floor's sums: the units' pass
    reads nearly every value, the agencies' pass the few with an agency. Grouping by the source
    as well made PostgreSQL expect a million groups and sort 10 million rows on disk; telling
    the sources apart with FILTER doubled the sums' state, which spilled the hash to disk."""
    values = DataValue.objects.approved()
    if indicator_ids is not None:
        values = values.filter(indicator_id__in=list(indicator_ids))
    if period_ids is not None:
        values = values.filter(period_id__in=list(period_ids))
    out = []
    for kind, own in ((ROLLUP, True), (DIRECT, False)):
        grouped = (
            values.filter(agency_id__isnull=own)
            .values("indicator_id", "period_id")
            .annotate(
                n=Count("pk"),
                total=Sum("value"),
                num=Sum("numerator"),
                den=Sum("denominator"),
                known=Count("value"),
            )
            .order_by()
        )
        for row in grouped:
            known = row.pop("known")
            # The mean of the values given (AVG's), from the sum the row carries already.
            row["mean"] = row["total"] / known if known else None
            out.append({**row, "kind": kind})
    return out


def stored_aggregates(indicator_ids=None) -> list[dict]:
    """The kept aggregates (analytics.PeriodAggregate), in the shape `aggregates` returns."""
    from .models import PeriodAggregate

    qs = PeriodAggregate.objects.all()
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=list(indicator_ids))
    return list(qs.values(*AGGREGATE_FIELDS))


def periods_of(rows: list[dict]) -> dict[int, Period]:
    return {p.pk: p for p in Period.objects.filter(pk__in={r["period_id"] for r in rows})}


def province_series(
    indicators: list[Indicator] | None = None, *, rows: list[dict] | None = None, periods=None
) -> dict[int, list[Observation]]:
    """Yearly observations of the province's figure, per indicator id."""
    by_id = {i.pk: i for i in (indicators if indicators is not None else Indicator.objects.all())}
    if rows is None:
        rows = aggregates(None if indicators is None else list(by_id))
    periods = periods if periods is not None else periods_of(rows)
    grouped: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for row in rows:
        grouped[(row["kind"], row["indicator_id"])].append(row)
    out: dict[int, list[Observation]] = {}
    for indicator_id, indicator in by_id.items():
        years: dict[int, Observation] = {}
        for source in (ROLLUP, DIRECT):  # a directly reported figure takes precedence
            if source == ROLLUP and indicator.aggregation == Aggregation.NONE:
                continue
            for year, row in _latest_per_year(grouped.get((source, indicator_id), []), periods).items():
                value = (
                    (None if row["mean"] is None else float(row["mean"]))
                    if source == DIRECT
                    else combine(indicator, row)
                )
                if value is None:
                    continue
                period = periods[row["period_id"]]
                years[year] = Observation(year, round(value, 4), source, period.pk, period.label, row["n"])
        if measures.is_measured(indicator.code):
            # Recognition decisions (or enterprises' answers to the index) are the fact the
            # indicator counts: they replace reported figures. A province's published rank (DTI)
            # fills the years it covers.
            figures = {
                f.year: Observation(f.year, round(f.value, 4), f.source, None, f.label, f.units)
                for f in measures.yearly_figures(indicator.code)
            }
            years = figures if measures.replaces_reports(indicator.code) else years | figures
        out[indicator_id] = [years[y] for y in sorted(years)]
    return out


def year_end_periods(rows: list[dict], periods: dict[int, Period]) -> dict[int, dict[int, int]]:
    """Per indicator, the period each year's observation of the units is taken from."""
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        if row["kind"] == ROLLUP:
            grouped[row["indicator_id"]].append(row)
    return {
        indicator_id: {year: row["period_id"] for year, row in _latest_per_year(group, periods).items()}
        for indicator_id, group in grouped.items()
    }


def _former_units(unit: AdminUnit) -> list[int]:
    """The former communes a current unit was formed from (fully or in part)."""
    return list(AdminUnitChange.objects.filter(new=unit).values_list("old_id", flat=True))


def unit_series(unit: AdminUnit, indicators: list[Indicator]) -> dict[int, list[Observation]]:
    """Yearly observations of one unit: its own values, and before it existed those of the units
    it was formed from, combined by the indicator's rule (a partly merged commune counts whole:
    the figure is an approximation and says how many units it covers)."""
    bodies = [unit.pk, *_former_units(unit)]
    values = DataValue.objects.approved().filter(admin_unit_id__in=bodies, indicator__in=indicators)
    rows = list(_unit_sums(values))
    periods = {p.pk: p for p in Period.objects.filter(pk__in={r["period_id"] for r in rows})}
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["indicator_id"]].append(row)
    out = {}
    for indicator in indicators:
        years = []
        for year, row in sorted(_latest_per_year(grouped.get(indicator.pk, []), periods).items()):
            value = combine(indicator, row)
            if value is not None:
                period = periods[row["period_id"]]
                years.append(Observation(year, round(value, 4), ROLLUP, period.pk, period.label, row["n"]))
        out[indicator.pk] = years
    return out


def points(indicator: Indicator, year: int, *, limit: int = 500) -> list[DataValue]:
    """The approved values behind the province's figure of `indicator` in `year` (for the table
    under a chart): the values of the period the observation was taken from."""
    series = province_series([indicator]).get(indicator.pk, [])
    obs = next((o for o in series if o.year == year), None)
    if obs is None or obs.period_id is None:
        return []  # (a figure counted from recognitions has no reported values behind it)
    qs = DataValue.objects.approved().filter(indicator=indicator, period_id=obs.period_id)
    qs = qs.filter(Q(agency__isnull=False) if obs.source == DIRECT else Q(admin_unit__isnull=False))
    return list(qs.select_related("agency", "admin_unit").order_by("admin_unit__name", "agency__name")[:limit])
