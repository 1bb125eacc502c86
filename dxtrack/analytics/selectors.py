"""Every read the progress dashboards make. Pages show the stored progress (TargetProgress,
Scorecard), which is derived from approved data only; the few live reads (a target's values
behind a point, a commune's series, late reports) go through `rollup` and the reporting
selectors, which also read approved data only (late reports are scoped to the caller)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext

from dxtrack.accounts.access import Access
from dxtrack.core.numbers import decimals_for
from dxtrack.obligations.models import IndicatorReporter
from dxtrack.org.models import AdminLevel, AdminUnit, Agency
from dxtrack.plans.models import Aggregation, Pillar, Target, Task

from . import progress as p
from . import rollup
from .models import Scorecard, TargetProgress
from .services.cards import group_summary, latest_updates, predecessors
from .services.communes import UnitTarget, commune_targets
from .services.targets import STATUSES, assessment_year, progress_label, status_label

# STATUSES (services.targets), best first: the order of cards, table columns and stacked bars.
AT_RISK = [p.REGRESSING, p.OFF_TRACK, p.NEEDS_ACCELERATION]
# A past milestone's outcome is drawn in its target's colour: met and met late as achieved.
# One colour per status on every page and chart; the label is always written next to it.
COLOURS = {
    p.ACHIEVED: "#1a7f37",
    p.ON_TRACK: "#0f766e",
    p.NEEDS_ACCELERATION: "#b7791f",
    p.OFF_TRACK: "#dd6b20",
    p.REGRESSING: "#c53030",
    p.MISSED: "#7b1f2b",
    p.NOT_AVAILABLE: "#6b7280",
}
TASK_STATES = [p.DONE, p.CONTINUOUS, p.IN_PROGRESS, p.NOT_STARTED, p.OVERDUE]
YEARS = range(1990, 2101)


def assessed_as_of() -> int:
    """The year the stored statuses are assessed as of (every row is recomputed together when
    it changes: services.recompute.recompute_for_report); the current year before any recomputation."""
    stored = TargetProgress.objects.order_by("-as_of").values_list("as_of", flat=True).first()
    return stored or assessment_year()


def _round(x: float | None, digits: int = 2) -> float | None:
    return None if x is None else round(x, digits)


# ---- filters -------------------------------------------------------------------------------------


def filter_choices() -> dict:
    """The years that have targets with stored progress, and the pillars."""
    years = sorted(
        set(TargetProgress.objects.values_list("target__year", flat=True).distinct()) - {None},
    )
    return {"years": years, "pillars": Pillar.choices}


def _pillar_q(pillar: str, prefix: str = "") -> Q:
    """A target's pillar is its own, or its indicator's where the plan left it blank."""
    return Q(**{f"{prefix}pillar": pillar}) | Q(**{f"{prefix}pillar": "", f"{prefix}indicator__pillar": pillar})


def _progress(year: int | None = None, pillar: str = ""):
    # Lists and counts never show a target's kept observations: not decoding them per row keeps a
    # national register's overview quick (they are most of each row).
    qs = TargetProgress.objects.select_related("target__document", "target__clause", "target__indicator").defer(
        "detail"
    )
    if year:
        qs = qs.filter(target__year=year)
    if pillar:
        qs = qs.filter(_pillar_q(pillar, "target__"))
    return qs


# ---- kept page parts --------------------------------------------------------------------------------

# The overview's and public dashboard's progress blocks are kept rendered (the template's cache
# tag) under this stamp: any recomputation rewrites the stored progress and scorecards, so the
# stamp moves and the next view renders them afresh. The time only bounds what a plan's edit
# without recomputation (a target's label) leaves visible.
FRAGMENT_SECONDS = 60


def progress_stamp() -> str:
    """Changes whenever progress is recomputed: every recomputation, an approval's included,
    inserts stored progress and scorecard rows, so their highest ids move (read from the primary
    key's index: a view pays next to nothing for it)."""
    highest = [
        model.objects.order_by("-pk").values_list("pk", flat=True).first() for model in (TargetProgress, Scorecard)
    ]
    return "-".join(str(pk or 0) for pk in highest)


def fragment_seconds(query, *, year: int | None, pillar: str) -> int:
    """Kept only when the query is exactly the filters as read (`year`, `pillar`): the kept
    blocks' download links carry the query along, so anything else — another parameter, a value
    that was ignored, a repeated one — would show one visitor's query to the next."""
    canonical = {"nam": [str(year)]} if year else {}
    if pillar:
        canonical["tru_cot"] = [pillar]
    return FRAGMENT_SECONDS if dict(query.lists()) == canonical else 0


# ---- status counts and the per-pillar chart -------------------------------------------------------


@dataclass
class StatusCount:
    status: str
    label: str
    count: int
    colour: str


@dataclass
class GroupRow:
    key: str
    label: str
    counts: list[int]
    total: int
    score: float | None
    status: str
    status_label: str


def status_counts(counts: dict) -> list[StatusCount]:
    return [StatusCount(s, status_label(s), counts.get(s, 0), COLOURS[s]) for s in STATUSES]


def _group_row(key: str, label: str, counts: dict, score: float | None, status: str) -> GroupRow:
    numbers = [counts.get(s, 0) for s in STATUSES]
    return GroupRow(key, label, numbers, sum(numbers), _round(score), status, status_label(status))


def _summary(progresses: list[TargetProgress]) -> tuple[dict, float | None, str]:
    """Counts, mean score and status of a group, as a scorecard has them."""
    counts, score = group_summary(progresses)
    return counts, score, p.status_of_score(score)


def pillar_of(target: Target) -> str:
    return target.pillar or (target.indicator.pillar if target.indicator else "")


def stacked_chart(rows: list[GroupRow], *, title: str) -> dict:
    """The stacked bar chart's data for charts.js: one bar per group, one stack per status."""
    return {
        "type": "stacked",
        "title": title,
        "categories": [r.label for r in rows],
        "series": [
            {"name": status_label(s), "color": COLOURS[s], "data": [r.counts[i] for r in rows]}
            for i, s in enumerate(STATUSES)
        ],
    }


@dataclass
class Summary:
    """The province's status cards and the per-pillar breakdown (filtered or whole)."""

    total: int
    score: float | None
    status: str
    status_label: str
    cards: list[StatusCount]
    pillars: list[GroupRow]
    chart: dict


def summary(*, year: int | None = None, pillar: str = "") -> Summary:
    """Unfiltered, the stored province and pillar scorecards; filtered, the same figures computed
    from the stored progress of the targets kept (the scorecards cover the whole programme)."""
    if not year and not pillar:
        province = Scorecard.objects.filter(kind="province").first()
        counts = province.counts if province else {}
        score, status = (province.score, province.status) if province else (None, p.NOT_AVAILABLE)
        labels = dict(Pillar.choices)
        cards = Scorecard.objects.filter(kind="pillar")
        by_key = {c.key: c for c in cards}
        rows = [
            _group_row(k, str(labels[k]), by_key[k].counts, by_key[k].score, by_key[k].status)
            for k in labels
            if k in by_key
        ]
    else:
        progresses = list(_progress(year, pillar))
        counts, score, status = _summary(progresses)
        groups = defaultdict(list)
        for tp in progresses:
            groups[pillar_of(tp.target)].append(tp)
        rows = [_group_row(k, str(label), *_summary(groups[k])) for k, label in Pillar.choices if groups.get(k)]
    cards = status_counts(counts)
    return Summary(
        total=sum(c.count for c in cards),
        score=_round(score),
        status=status,
        status_label=status_label(status),
        cards=cards,
        pillars=rows,
        chart=stacked_chart(rows, title="Chỉ tiêu theo tình trạng, theo trụ cột"),
    )


# ---- lists of targets ------------------------------------------------------------------------------


@dataclass
class TargetRow:
    progress: TargetProgress
    target: Target
    status_label: str
    colour: str
    projected: float | None
    ratio: float | None
    score: float | None


def _row(tp: TargetProgress) -> TargetRow:
    return TargetRow(
        progress=tp,
        target=tp.target,
        status_label=progress_label(tp),
        colour=COLOURS.get(tp.status, ""),
        projected=_round(tp.projected, 1),
        ratio=_round(tp.ratio),
        score=_round(tp.score),
    )


def at_risk(*, year: int | None = None, pillar: str = "", limit: int = 10) -> list[TargetRow]:
    """Regressing, off-track and slow targets whose milestone is still ahead, the lowest score
    first (a passed milestone can no longer be rescued, so it is not "at risk")."""
    qs = _progress(year, pillar).filter(status__in=AT_RISK).exclude(detail__passed=True)
    qs = qs.order_by(Coalesce("score", 0.0), Coalesce("target__year", 0), "pk")
    return [_row(tp) for tp in qs[:limit]]


def target_rows(*, year: int | None = None, pillar: str = "") -> list[TargetRow]:
    """Every target with stored progress, the worst first and those not assessable last."""
    order = [p.REGRESSING, p.MISSED, p.OFF_TRACK, p.NEEDS_ACCELERATION, p.ON_TRACK, p.ACHIEVED, p.NOT_AVAILABLE]
    rows = sorted(
        _progress(year, pillar),
        key=lambda tp: (
            order.index(tp.status) if tp.status in order else len(order),
            tp.target.year or 0,
            tp.target.document_id,
            tp.target.position,
        ),
    )
    return [_row(tp) for tp in rows]


# ---- rankings and late reports ---------------------------------------------------------------------


@dataclass
class Ranking:
    kind: str
    top: list[Scorecard]
    bottom: list[Scorecard]
    total: int


def ranking(kind: str, *, n: int = 10) -> Ranking:
    """The best and the worst ranked places of a kind; the bottom list leaves out those already
    in the top one (a short list would show them twice)."""
    ranked = Scorecard.objects.filter(kind=kind, rank__isnull=False)
    # Read the two ends only: a national register holds thousands of cards.
    top = list(ranked.order_by("rank", "label")[:n])
    bottom = list(ranked.order_by("-rank", "-label")[:n])[::-1]
    bottom = [c for c in bottom if c not in top]
    for card in top + bottom:
        card.status_label = status_label(card.status)
    return Ranking(kind, top, bottom, ranked.count())


@dataclass
class LateItem:
    obligation: object
    label: str
    days_late: int


@dataclass
class LateList:
    rows: list[LateItem]
    total: int
    link: str
    computed_at: object = None


def late(*, actor: Access, limit: int = 10) -> LateList:
    """The first late reports the caller may see (the reporting selector scopes them)."""
    from dxtrack.reports.selectors import late_summary

    # The reporting selectors still take the person (they move to Access with the reports layer).
    summary = late_summary(actor=Access.of(actor).user, limit=limit)
    items = [LateItem(r.obligation, r.status_label, r.days_late) for r in summary.rows]
    try:
        link = reverse("reports:completeness")
    except NoReverseMatch:
        link = ""
    return LateList(items, summary.total, link, summary.computed_at)


def late_kept(*, actor: Access, seconds: int, limit: int = 10) -> dict:
    """How the overview keeps its late box rendered (the template's cache tag): under the stamp
    of the kept summary `late` reads, as long as that summary is kept; never for a unit's own list
    (read afresh on every view) nor where the page keeps nothing (`seconds`, fragment_seconds: 0
    for a query that is not the filters as read, whose download links the box would carry)."""
    from dxtrack.reports.selectors import LATE_SUMMARY_SECONDS, late_summary_stamp

    stamp = late_summary_stamp(actor=Access.of(actor), limit=limit)
    return {"stamp": stamp, "seconds": LATE_SUMMARY_SECONDS if stamp is not None and seconds > 0 else 0}


# ---- one target ----------------------------------------------------------------------------------


@dataclass
class TargetPage:
    target: Target
    progress: TargetProgress | None
    status: str
    status_label: str
    # The whole target over its plan's milestones (PROGRESS.md): the worst ahead, or the last
    # one's outcome where every milestone is past.
    group_status: str
    group_label: str
    ratio: float | None
    score: float | None
    projected: float | None
    milestones: list[dict]
    observations: list[dict]
    reporters: list[Agency]
    years: list[int]
    year: int | None
    points: list
    chart: dict


def target_get(pk: int) -> Target:
    """A target that is tracked (has an indicator); raises Target.DoesNotExist otherwise."""
    return Target.objects.select_related("document", "clause", "indicator").get(pk=pk, indicator__isnull=False)


def _observations(target: Target, tp: TargetProgress | None) -> list[dict]:
    if tp is not None:
        stored = tp.detail.get("observations") or []
    else:
        series = rollup.province_series([target.indicator]).get(target.indicator_id, [])
        stored = [
            {"year": o.year, "value": o.value, "source": o.source, "period": o.period_label, "units": o.units}
            for o in series
        ]
    return [{**o, "source_label": rollup.SOURCE_LABELS.get(o.get("source"), "")} for o in stored]


def target_page(target: Target, *, year: int | None = None) -> TargetPage:
    tp = TargetProgress.objects.filter(target=target).first()
    observations = _observations(target, tp)
    siblings = Target.objects.filter(
        document_id=target.document_id, indicator_id=target.indicator_id, year__isnull=False, value__isnull=False
    ).order_by("year")
    # Each milestone as its own stored row shows it (the same label as on every other page).
    stored = {row.target_id: row for row in TargetProgress.objects.filter(target__in=siblings).defer("detail")}
    milestones = []
    for t in siblings:
        row = stored.get(t.pk)
        milestones.append(
            {
                "target": t,
                "year": t.year,
                "value": t.value,
                "status": row.status if row else "",
                "status_label": progress_label(row) if row else "",
                "met_year": row.met_year if row else None,
                "passed": bool(row and row.outcome),
                "current": t.pk == target.pk,
            }
        )
    years = [o["year"] for o in observations]
    chosen = year if year in years else (years[-1] if years else None)
    points = rollup.points(target.indicator, chosen) if chosen else []
    status = tp.status if tp else p.NOT_AVAILABLE
    group = ((tp.detail.get("group") or {}).get("status") if tp else None) or p.NOT_AVAILABLE
    reporters = list(
        Agency.objects.filter(indicators_reported__indicator_id=target.indicator_id).order_by("name").distinct()
    )
    return TargetPage(
        target=target,
        progress=tp,
        status=status,
        status_label=progress_label(tp) if tp else status_label(status),
        group_status=group,
        group_label=status_label(group),
        ratio=_round(tp.ratio) if tp else None,
        score=_round(tp.score) if tp else None,
        projected=_round(tp.projected, 1) if tp else None,
        milestones=milestones,
        observations=observations,
        reporters=reporters,
        years=years,
        year=chosen,
        points=points,
        chart=_target_chart(target, tp, observations, milestones),
    )


def _target_chart(target, tp, observations, milestones) -> dict:
    """Observed line, a dashed projection from the latest observation to the target year, and
    the plan's milestones as markers."""
    observed = [[o["year"], o["value"]] for o in observations]
    projection = []  # never for a past year: a milestone before the assessment year has none
    if (
        tp is not None
        and tp.projected is not None
        and observed
        and target.year
        and target.year > observed[-1][0]
        and target.year >= (tp.as_of or target.year)
    ):
        projection = [observed[-1], [target.year, round(tp.projected, 2)]]
    return {
        "type": "line",
        "title": target.indicator.name,
        "unit": target.indicator.unit,
        "decimals": decimals_for(target.indicator.unit),
        "observed": observed,
        "projection": projection,
        "milestones": [{"year": m["year"], "value": m["value"]} for m in milestones],
        "labels": {"observed": "Số liệu đã duyệt", "projection": "Dự báo", "milestone": "Mốc kế hoạch"},
    }


# ---- one agency ----------------------------------------------------------------------------------


@dataclass
class TaskRow:
    task: Task
    state: str
    label: str
    percent: int | None
    period: str


@dataclass
class BodyPage:
    scorecard: Scorecard | None
    cards: list[StatusCount]
    task_counts: list[tuple[str, str, int]]
    chart: dict
    status_label: str
    extra: dict = field(default_factory=dict)


def _task_counts(tasks: dict) -> list[tuple[str, str, int]]:
    return [(s, p.TASK_LABELS[s], tasks.get(s, 0)) for s in TASK_STATES]


def _bars(cards: list[StatusCount], title: str) -> dict:
    return {
        "type": "bars",
        "title": title,
        "categories": [c.label for c in cards],
        "colors": [c.colour for c in cards],
        "data": [c.count for c in cards],
    }


def _body(scorecard: Scorecard | None, title: str) -> BodyPage:
    cards = status_counts(scorecard.counts if scorecard else {})
    return BodyPage(
        scorecard=scorecard,
        cards=cards,
        task_counts=_task_counts(scorecard.tasks if scorecard else {}),
        chart=_bars(cards, title),
        status_label=status_label(scorecard.status) if scorecard else status_label(p.NOT_AVAILABLE),
    )


def agency_page(agency: Agency, *, at: datetime.date | None = None) -> BodyPage:
    """Its scorecard, the targets whose figure it reports, and its led tasks one by one (the
    states services.cards.task_states counts)."""
    at = at or timezone.localdate()
    page = _body(Scorecard.objects.filter(kind="agency", key=agency.code).first(), "Chỉ tiêu theo tình trạng")
    page.extra["ranked"] = Scorecard.objects.filter(kind="agency").count()
    indicator_ids = IndicatorReporter.objects.filter(agency=agency).values_list("indicator_id", flat=True)
    targets = _progress().filter(target__indicator_id__in=indicator_ids)
    page.extra["targets"] = [_row(tp) for tp in sorted(targets, key=lambda tp: (tp.target.year or 0, tp.target_id))]
    bodies = predecessors(agency)
    led = list(
        Task.objects.in_force(at)
        .filter(parties__role="lead", parties__agency_id__in=bodies)
        .select_related("document", "clause")
        .distinct()
        .order_by("deadline", "document_id", "position")
    )
    updates = latest_updates(Q(report__obligation__agency_id__in=bodies))
    page.extra["tasks"] = [task_row(task, updates.get(task.pk), at) for task in led]
    return page


def task_row(task: Task, update, at: datetime.date) -> TaskRow:
    recurring = task.recurrence in ("continuous", "quarterly", "semiannual", "yearly")
    state = p.task_state(
        recurrence=task.recurrence,
        deadline=task.deadline,
        reported_state=update.state if update else None,
        at=at,
        updated_in_period=update is not None if recurring else True,
    )
    return TaskRow(
        task,
        state,
        p.TASK_LABELS[state],
        update.percent if update else None,
        update.report.obligation.period.label if update else "",
    )


# ---- one commune ---------------------------------------------------------------------------------


def unit_get(pk: int) -> AdminUnit:
    """A commune-level unit (current or former); raises AdminUnit.DoesNotExist otherwise."""
    return AdminUnit.objects.select_related("parent").get(pk=pk, level=AdminLevel.COMMUNE)


def commune_page(unit: AdminUnit) -> BodyPage:
    """Its scorecard and rank, and its own series of the indicators that roll up over units (with
    its former communes' values before 1/7/2025)."""
    scorecard = Scorecard.objects.filter(kind="commune", key=str(unit.pk)).first()
    page = _body(scorecard, "Chỉ tiêu theo tình trạng")
    page.extra["ranked"] = Scorecard.objects.filter(kind="commune").count()
    indicators = list(
        {
            t.indicator_id: t.indicator
            for t in Target.objects.filter(indicator__isnull=False)
            .exclude(indicator__aggregation=Aggregation.NONE)
            .select_related("indicator")
            .order_by("indicator__pillar", "indicator__name")
        }.values()
    )
    _commune_targets(page, unit)
    series = rollup.unit_series(unit, indicators)
    rows = [(i, series[i.pk]) for i in indicators if series.get(i.pk)]
    years = sorted({o.year for _, obs in rows for o in obs})
    page.extra["years"] = years
    page.extra["series"] = [
        {"indicator": i, "values": [next((o for o in obs if o.year == y), None) for y in years]} for i, obs in rows
    ]
    page.extra["multi"] = {
        "type": "multi",
        "title": unit.name,
        "labels": {"observed": "Số liệu đã duyệt"},
        "indicators": [
            {
                "name": i.name,
                "unit": i.unit,
                "decimals": decimals_for(i.unit),
                "points": [[o.year, o.value] for o in obs],
            }
            for i, obs in rows
        ],
    }
    return page


def _commune_reason(row: UnitTarget) -> str:
    if row.status == p.NOT_AVAILABLE and row.reason == "Cần ít nhất hai quan sát.":
        return gettext("Xã mới có số liệu của một năm: cần thêm số liệu năm sau để tính tỷ số R cho mốc sắp tới.")
    return str(row.reason)


def _commune_targets(page: BodyPage, unit: AdminUnit) -> None:
    """The targets the commune reports, each with its status (the scorecard counts exactly
    these), and the others, grouped by indicator, with the plain reason they have none."""
    rows = commune_targets(unit.pk)
    judged = [r for r in rows if r.status]
    page.extra["targets"] = [
        {
            "target": r.target,
            "status": r.status,
            "status_label": status_label(r.outcome or r.status, r.met_year),
            "latest": r.latest,
            "reason": _commune_reason(r) if r.status == p.NOT_AVAILABLE else "",
        }
        for r in judged
    ]
    page.extra["reported"] = len({r.target.indicator_id for r in judged})
    others: dict[tuple[int, str], dict] = {}
    for r in rows:
        if not r.status:
            group = others.setdefault(
                (r.target.indicator_id, str(r.reason)), {"indicator": r.target.indicator, "reason": r.reason, "n": 0}
            )
            group["n"] += 1
    page.extra["unjudged"] = list(others.values())
    page.extra["unjudged_targets"] = sum(g["n"] for g in others.values())
    page.extra["as_of"] = assessment_year()


# ---- the full rankings (ADR 0030) ----------------------------------------------------------------

RANKING_KINDS = {"xa": "commune", "co-quan": "agency"}


def ranking_list(kind: str, *, query: str = ""):
    """Every ranked place of a kind (not only the ends), those whose name holds every word of
    `query` with or without diacritics; ordered by the caller (core.lists)."""
    from dxtrack.core.lists import Folded
    from dxtrack.core.text import fold

    qs = Scorecard.objects.filter(kind=kind, rank__isnull=False)
    words = fold(query).split()
    if words:
        qs = qs.annotate(f_label=Folded(F("label")))
        for word in words:
            qs = qs.filter(f_label__contains=word)
    return qs


def with_status_labels(cards):
    cards = list(cards)
    for card in cards:
        card.status_label = status_label(card.status)
    return cards
