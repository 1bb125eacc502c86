"""Every read of the reporting cycle, scoped to what the caller may see.

A report's form is fixed by its obligation: the plan whose rule demands the report asks about its
own targets and tasks. A commune or district reports every indicator of that plan that rolls up
over units, and an update on every task of the plan it leads or coordinates (named itself, or
through "UBND cấp huyện"/"UBND cấp xã"); an agency reports the indicators assigned to it (or to the
agency that took over its duties) and the plan's tasks it leads or coordinates.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxtrack.accounts.access import Access
from dxtrack.core import generations
from dxtrack.core.errors import NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.obligations.models import Obligation, Period
from dxtrack.obligations.selectors import may_read, obligations
from dxtrack.org.models import AdminUnitChange, AgencyGroup
from dxtrack.org.selectors import agency_predecessor_ids, agency_successor_ids
from dxtrack.plans.models import (
    Aggregation,
    Document,
    DocumentType,
    Indicator,
    PartyRole,
    ReportingRule,
    Task,
    TaskParty,
)
from dxtrack.reports import hooks
from dxtrack.reports import validation as v
from dxtrack.reports.models import REPORTED_STATUSES, DataValue, Report, ReportStatus, TaskUpdate, ValidationRule

# ---- scope ---------------------------------------------------------------------------------------


def report_get(*, actor: Access, pk: int) -> Report:
    access = Access.of(actor)
    report = Report.objects.select_related(
        "obligation__period", "obligation__rule__document", "obligation__agency", "obligation__admin_unit"
    ).get(pk=pk)
    if not may_read(access, report.obligation):
        raise Report.DoesNotExist  # as obligation_get: not found, not forbidden
    return report


# ---- what a form asks ----------------------------------------------------------------------------


def form_indicators(obligation: Obligation) -> list[Indicator]:
    planned = Indicator.objects.filter(targets__document_id=obligation.rule.document_id).distinct()
    if obligation.admin_unit_id:
        qs = planned.exclude(aggregation=Aggregation.NONE)
    else:
        qs = planned.filter(reporters__agency_id__in=agency_successor_ids(obligation.agency_id))
    return list(qs.distinct().order_by("pillar", "name"))


def _groups_for_unit_level(level: str) -> set[int]:
    """Collective names that reach a unit of `level`: its own level's, and those whose duties
    passed to it (UBND cấp huyện → UBND cấp xã)."""
    groups = {g.pk: g for g in AgencyGroup.objects.all()}
    reach = {pk for pk, g in groups.items() if g.member_level == level}
    changed = True
    while changed:
        more = {pk for pk, g in groups.items() if g.successor_id in reach} - reach
        reach |= more
        changed = bool(more)
    return reach


def _groups_for_agency(agency) -> set[int]:
    """Collective names that reach an agency: by its kind, or by name in their list of members.
    (Two reads of ids and kinds: every group's members, built as agencies, cost a report form
    more than the rest of its tasks' query.)"""
    by_kind = {pk for pk, kinds in AgencyGroup.objects.values_list("pk", "member_kinds") if agency.kind in kinds}
    by_name = AgencyGroup.members.through.objects.filter(agency_id=agency.pk).values_list("agencygroup_id", flat=True)
    return by_kind | set(by_name)


def _unit_predecessor_ids(unit_id: int) -> set[int]:
    """The unit and every former unit that became (part of) it, in any number of steps."""
    found, frontier = {unit_id}, [unit_id]
    while frontier:
        nxt = set(AdminUnitChange.objects.filter(new_id__in=frontier).values_list("old_id", flat=True)) - found
        found |= nxt
        frontier = list(nxt)
    return found


def conclusions_of(document_id: int) -> list[int]:
    """The conclusions notices (thông báo kết luận) that implement a plan: their directives are
    reported in that plan's reports (steering, ADR 0035)."""
    return list(
        Document.objects.filter(implements_id=document_id, doc_type=DocumentType.CONCLUSIONS).values_list(
            "pk", flat=True
        )
    )


def form_tasks(obligation: Obligation) -> list[tuple[Task, str]]:
    """(task, lead|coordinating) for the plan's tasks that are the reporting body's own.

    A task is a body's own when one of its parties names
    - a commune: the commune itself or a former unit merged into it, the group of its level
      ("UBND cấp xã") or a group whose duties passed to that group ("UBND cấp huyện" after 30/6/2025);
    - an agency: the agency or an agency whose duties passed to it, or a group it belongs to.
    The clauses that set the plan's reporting duties ("Tổ chức thực hiện": report quarterly, each
    body to carry out its part) are not tasks of one body: the report itself answers them, so
    what a rule's clause says is never asked as a task to update. Nor is a task a layer above
    settled before the form's window opened (reports.hooks: a directive the committee closed).
    """
    return form_tasks_in_window(obligation, form_task_roles(obligation))


def form_task_roles(obligation: Obligation) -> dict[int, str]:
    """The part of form_tasks that does not depend on the form's window: task id → lead or
    coordinating, before the tasks out of force or excluded in that window are taken out."""
    if obligation.admin_unit_id:
        match = Q(admin_unit_id__in=_unit_predecessor_ids(obligation.admin_unit_id)) | Q(
            group_id__in=_groups_for_unit_level(obligation.admin_unit.level)
        )
    else:
        match = Q(agency_id__in=agency_predecessor_ids(obligation.agency_id)) | Q(
            group_id__in=_groups_for_agency(obligation.agency)
        )
    document_id = obligation.rule.document_id
    duty_clauses = ReportingRule.objects.filter(document_id=document_id, clause__isnull=False).values("clause_id")
    # A conclusions notice implementing the rule's plan carries directives asked like its tasks.
    documents = [document_id, *conclusions_of(document_id)]
    parties = TaskParty.objects.filter(match, task__document_id__in=documents).exclude(task__clause_id__in=duty_clauses)
    roles: dict[int, str] = {}
    for task_id, role in parties.values_list("task_id", "role"):
        if roles.get(task_id) != PartyRole.LEAD:
            roles[task_id] = role
    return roles


def form_tasks_in_window(obligation: Obligation, roles: dict[int, str]) -> list[tuple[Task, str]]:
    """form_tasks from the body's form_task_roles: those asked in the obligation's window."""
    if not roles:
        return []  # a body with no task of the plan is asked none, whatever the window
    # A task a revision retired is asked for only in the periods it was still in force; one an
    # upper layer settled before the window opened (a directive the committee closed) no more.
    asked = set(roles) - hooks.excluded_form_tasks(list(roles), obligation.window_from)
    tasks = (
        Task.objects.in_force(obligation.window_from).filter(pk__in=asked).select_related("clause").order_by("position")
    )
    return [(task, roles[task.pk]) for task in tasks]


def indicator_spec(indicator: Indicator) -> v.IndicatorSpec:
    return v.IndicatorSpec(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        is_ratio=indicator.aggregation == Aggregation.RATIO,
        scale=Decimal(100) if indicator.unit == "%" else Decimal(1),
    )


def rule_specs(codes: set[str]) -> list[v.RuleSpec]:
    rules = ValidationRule.objects.filter(left__code__in=codes, right__code__in=codes).select_related("left", "right")
    return [
        v.RuleSpec(r.name, r.message, r.left.code, r.left_part, r.operator, r.right.code, r.right_part, r.importance)
        for r in rules
    ]


def history(obligation: Obligation, indicator_ids: list[int]) -> dict[int, list[Decimal]]:
    """Approved values of the same body for earlier periods of the same kind, per indicator."""
    body = Q(admin_unit_id=obligation.admin_unit_id) if obligation.admin_unit_id else Q(agency_id=obligation.agency_id)
    rows = (
        DataValue.objects.filter(
            body,
            indicator_id__in=indicator_ids,
            period__period_type=obligation.period.period_type,
            period__start__lt=obligation.period.start,
            report__status__in=[ReportStatus.APPROVED, ReportStatus.LOCKED],
            value__isnull=False,
        )
        .order_by("period__start")
        .values_list("indicator_id", "value")
    )
    out: dict[int, list[Decimal]] = {}
    for indicator_id, value in rows:
        out.setdefault(indicator_id, []).append(value)
    return out


def form_key(obligation: Obligation) -> tuple[int, int | None]:
    """What fixes a form's indicators (see `form_indicators`): the plan, and the agency when the
    body is an agency (every commune or district of a plan answers the same indicators)."""
    return (obligation.rule.document_id, None if obligation.admin_unit_id else obligation.agency_id)


def history_many(obligations: list[Obligation], indicator_ids: dict[int, set[int]]) -> dict[int, dict[int, list]]:
    """`history` of many obligations in one query: obligation pk → what `history(obligation,
    indicator_ids[obligation.pk])` returns. The rows are read once for every body, kind of period
    and indicator concerned, then given to each obligation they belong to with `history`'s own
    conditions (same body, same kind of period, an earlier start, one of its indicators)."""
    out: dict[int, dict[int, list]] = {o.pk: {} for o in obligations}
    if not obligations:
        return out
    by_unit: dict[int, list[Obligation]] = {}
    by_agency: dict[int, list[Obligation]] = {}
    for o in obligations:
        if o.admin_unit_id:
            by_unit.setdefault(o.admin_unit_id, []).append(o)
        else:
            by_agency.setdefault(o.agency_id, []).append(o)
    rows = (
        DataValue.objects.filter(
            Q(admin_unit_id__in=list(by_unit)) | Q(agency_id__in=list(by_agency)),
            indicator_id__in=sorted(set().union(*indicator_ids.values())),
            period__period_type__in={o.period.period_type for o in obligations},
            period__start__lt=max(o.period.start for o in obligations),
            report__status__in=[ReportStatus.APPROVED, ReportStatus.LOCKED],
            value__isnull=False,
        )
        .order_by("period__start")
        .values_list("admin_unit_id", "agency_id", "period__period_type", "period__start", "indicator_id", "value")
    )
    for unit_id, agency_id, period_type, start, indicator_id, value in rows:
        for o in (*by_unit.get(unit_id, ()), *by_agency.get(agency_id, ())):
            if o.period.period_type == period_type and start < o.period.start and indicator_id in indicator_ids[o.pk]:
                out[o.pk].setdefault(indicator_id, []).append(value)
    return out


def entry_of(value: DataValue | None) -> v.Entry:
    if value is None:
        return v.Entry()
    return v.Entry(value=value.value, numerator=value.numerator, denominator=value.denominator, comment=value.comment)


def findings_for(
    obligation: Obligation,
    indicators: list[Indicator],
    entries: dict[str, v.Entry],
    *,
    hist: dict[int, list[Decimal]] | None = None,
    rules: list[v.RuleSpec] | None = None,
    specs: dict[str, v.IndicatorSpec] | None = None,
) -> dict[str, list[v.Finding]]:
    """Every finding of every entered value: unit checks, rules between values, outliers.
    `hist`, `rules` and `specs` are what `history`, `rule_specs` and `indicator_spec` would
    return, when the caller already read them for many reports at once."""
    if specs is None:
        specs = {i.code: indicator_spec(i) for i in indicators}
    if hist is None:
        hist = history(obligation, [i.pk for i in indicators])
    out: dict[str, list[v.Finding]] = {code: [] for code in specs}
    for indicator in indicators:
        entry = entries.get(indicator.code)
        if entry is None or entry.is_empty:
            continue
        spec = specs[indicator.code]
        out[indicator.code] += v.check_unit(spec, entry)
        out[indicator.code] += v.check_outlier(spec, entry, hist.get(indicator.pk, []))
    given = {code: e for code, e in entries.items() if code in specs and not e.is_empty}
    if rules is None:
        rules = rule_specs(set(specs))
    for code, finding in v.check_rules(rules, given, specs):
        out[code].append(finding)
    return out


def previous_values(obligation: Obligation, indicator_ids: list[int]) -> dict[int, DataValue]:
    """The body's latest approved value of each indicator in an earlier period of the same kind
    (last quarter's, beside this quarter's field), with its period for the label."""
    body = Q(admin_unit_id=obligation.admin_unit_id) if obligation.admin_unit_id else Q(agency_id=obligation.agency_id)
    rows = (
        DataValue.objects.approved()
        .filter(
            body,
            indicator_id__in=indicator_ids,
            period__period_type=obligation.period.period_type,
            period__start__lt=obligation.period.start,
        )
        .exclude(value__isnull=True, numerator__isnull=True)
        .select_related("period")
        .order_by("indicator_id", "-period__start", "-pk")
    )
    out: dict[int, DataValue] = {}
    for value in rows:
        out.setdefault(value.indicator_id, value)
    return out


@dataclass(frozen=True)
class Flag:
    """A row of the form to jump to: its anchor, its name, and the worst of its findings."""

    anchor: str
    name: str
    level: str  # error | warning
    messages: tuple[str, ...]


@dataclass
class FormRow:
    indicator: Indicator
    spec: v.IndicatorSpec
    value: DataValue | None
    findings: list[v.Finding] = field(default_factory=list)
    previous: DataValue | None = None  # last period's approved value, shown beside the field

    @property
    def errors(self) -> list[v.Finding]:
        return [f for f in self.findings if f.level == v.ERROR]

    @property
    def warnings(self) -> list[v.Finding]:
        return [f for f in self.findings if f.level == v.WARNING]


@dataclass
class TaskRow:
    task: Task
    role: str
    update: TaskUpdate | None


@dataclass
class Form:
    report: Report
    rows: list[FormRow]
    tasks: list[TaskRow]

    @property
    def flags(self) -> list[Flag]:
        """The rows with errors or warnings, in the form's order: the jump list's entries."""
        out = []
        for row in self.rows:
            if not row.findings:
                continue
            level = v.ERROR if row.errors else v.WARNING
            out.append(
                Flag(f"ct-{row.indicator.code}", row.indicator.name, level, tuple(f.message for f in row.findings))
            )
        return out

    @property
    def problems(self) -> list[str]:
        """What stops the report from being submitted, each a sentence for the user."""
        out = []
        for row in self.rows:
            comment = row.value.comment if row.value else ""
            if row.value is None or (row.value.value is None and row.value.numerator is None):
                out.append(f"{row.indicator.name}: chưa nhập số liệu.")
                continue
            for finding in v.blocking(row.findings, comment):
                suffix = "" if finding.level == v.ERROR else " (cần ghi giải trình)"
                out.append(f"{row.indicator.name}: {finding.message}{suffix}")
        for row in self.tasks:
            if row.role == PartyRole.LEAD and row.update is None:
                # the whole title: a task's title is never shown cut short (the page walk checks it)
                out.append(f"Nhiệm vụ chủ trì chưa cập nhật: {row.task.title}")
        return out


def report_form(report: Report) -> Form:
    obligation = report.obligation
    indicators = form_indicators(obligation)
    values = {dv.indicator_id: dv for dv in report.values.all()}
    entries = {i.code: entry_of(values.get(i.pk)) for i in indicators}
    findings = findings_for(obligation, indicators, entries)
    previous = previous_values(obligation, [i.pk for i in indicators])
    rows = [
        FormRow(i, indicator_spec(i), values.get(i.pk), findings.get(i.code, []), previous.get(i.pk))
        for i in indicators
    ]
    updates = {u.task_id: u for u in report.task_updates.all()}
    tasks = [TaskRow(task, role, updates.get(task.pk)) for task, role in form_tasks(obligation)]
    return Form(report, rows, tasks)


def value_history(*, actor: Access, value: DataValue) -> list[AuditEvent]:
    access = Access.of(actor)
    if not may_read(access, value.report.obligation):
        raise NotAllowed("Bạn không xem được báo cáo của đơn vị khác.")
    return list(
        AuditEvent.objects.filter(target_type="reports.datavalue", target_id=str(value.pk))
        .select_related("actor")
        .order_by("at", "id")
    )


def report_events(*, actor: Access, report: Report) -> list[AuditEvent]:
    access = Access.of(actor)
    if not may_read(access, report.obligation):
        raise NotAllowed("Bạn không xem được báo cáo của đơn vị khác.")
    return list(
        AuditEvent.objects.filter(target_type="reports.report", target_id=str(report.pk))
        .select_related("actor")
        .order_by("at", "id")
    )


# ---- completeness and timeliness ---------------------------------------------------------------------


@dataclass(frozen=True)
class Rates:
    expected: int
    reported: int
    on_time: int

    @property
    def reporting_rate(self) -> float | None:
        return round(100 * self.reported / self.expected, 1) if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None


def rate_counts() -> dict:
    """The three counts of a reporting rate over obligations (as DHIS2 counts them): expected,
    reported (submitted or further) and on time (first submitted by the due date). For
    `aggregate` or `annotate`; every rate of the project is counted with these."""
    reported = Q(report__status__in=sorted(REPORTED_STATUSES))
    return {
        "expected": Count("pk"),
        "reported": Count("pk", filter=reported),
        "on_time": Count("pk", filter=reported & Q(report__first_submitted_at__date__lte=F("due"))),
    }


def rates_of(qs: QuerySet[Obligation]) -> Rates:
    agg = qs.aggregate(**rate_counts())
    return Rates(agg["expected"], agg["reported"], agg["on_time"])


def rates(*, actor: Access, period: Period | None = None, rule_id: int | None = None) -> Rates:
    access = Access.of(actor)
    qs = obligations(actor=access)
    if period is not None:
        qs = qs.filter(period=period)
    if rule_id is not None:
        qs = qs.filter(rule_id=rule_id)
    return rates_of(qs)


@dataclass(frozen=True)
class CompletenessRow:
    period: Period
    rule_id: int
    rule_label: str
    rates: Rates


def completeness(*, actor: Access, year: int | None = None, period_type: str = "") -> list[CompletenessRow]:
    """Per period and form: expected, reported, on time, and the two rates."""
    access = Access.of(actor)
    qs = obligations(actor=access)
    if year:
        qs = qs.filter(period__year=year)
    if period_type:
        qs = qs.filter(period__period_type=period_type)
    grouped = qs.values("period_id", "rule_id").annotate(**rate_counts()).order_by()
    periods = {p.pk: p for p in Period.objects.filter(pk__in={g["period_id"] for g in grouped})}
    rules = ReportingRule.objects.filter(pk__in={g["rule_id"] for g in grouped}).select_related("document")
    rules = {r.pk: r for r in rules}
    rows = [
        CompletenessRow(
            periods[g["period_id"]],
            g["rule_id"],
            f"{rules[g['rule_id']].get_period_type_display()} — {rules[g['rule_id']].document.reference}",
            Rates(g["expected"], g["reported"], g["on_time"]),
        )
        for g in grouped
    ]
    return sorted(rows, key=lambda r: (r.period.start, r.period.period_type, r.rule_label), reverse=True)


LATE_LABELS = {
    "missing": _("Chưa lập báo cáo"),
    "late_submitted": _("Gửi muộn"),
    ReportStatus.DRAFT: _("Đang soạn, chưa gửi"),
    ReportStatus.RETURNED: _("Bị trả lại, chưa gửi lại"),
}


@dataclass(frozen=True)
class LateRow:
    obligation: Obligation
    status: str  # missing | late_submitted | draft | returned
    days_late: int

    @property
    def status_label(self) -> str:
        return str(LATE_LABELS.get(self.status, self.status))


def _late_qs(*, actor: Access, today: datetime.date, period: Period | None) -> QuerySet[Obligation]:
    """Obligations past their due date with nothing submitted, or first submitted after it."""
    access = Access.of(actor)
    reported = Q(report__status__in=sorted(REPORTED_STATUSES))
    late = Q(report__isnull=True) | ~reported | Q(report__first_submitted_at__date__gt=F("due"))
    qs = obligations(actor=access).filter(late, due__lt=today)
    return qs.filter(period=period) if period is not None else qs


def late_count(*, actor: Access, today: datetime.date | None = None, period: Period | None = None) -> int:
    access = Access.of(actor)
    return _late_qs(actor=access, today=today or timezone.localdate(), period=period).count()


def late_reports(
    *, actor: Access, today: datetime.date | None = None, period: Period | None = None, limit: int | None = None
) -> list[LateRow]:
    """Late and missing reports, most recent first: what a reader can still act on comes before
    years-old gaps. Filtered and ordered in the database, so a national register stays quick."""
    access = Access.of(actor)
    today = today or timezone.localdate()
    qs = _late_qs(actor=access, today=today, period=period).select_related("report").order_by("-due", "pk")
    out = []
    for obligation in qs[:limit] if limit is not None else qs:
        report = getattr(obligation, "report", None)
        if report is None or report.status not in REPORTED_STATUSES:
            status = "missing" if report is None else report.status
            out.append(LateRow(obligation, status, (today - obligation.due).days))
        else:
            sent = timezone.localdate(report.first_submitted_at)
            out.append(LateRow(obligation, "late_submitted", (sent - obligation.due).days))
    return out


# The province-wide late list scans every obligation joined to its report: at national scale
# (190 thousand obligations) 0,2 s of database time on every view of the overview. It is kept in
# the cache for this long; a report or obligation written drops it at once (see
# late_summary_forget): in every process with a shared cache (Redis), else in the writing one
# while the others see the change within this time. Lateness itself moves
# by the day (the cache key holds it) or when a report is submitted.
LATE_SUMMARY_SECONDS = 60


@dataclass(frozen=True)
class LateSummary:
    rows: list[LateRow]
    total: int
    computed_at: datetime.datetime


def _late_forget_now() -> None:
    generations.bump("reports:late")  # in the shared cache, when there is one: every process


def late_summary_forget(**_kwargs) -> None:
    """Drops this process's kept late summaries (a signal receiver, or called after bulk writes):
    at once, and again when the write commits — another thread of this process may read the
    summary in between and keep what it saw before the commit."""
    _late_forget_now()
    transaction.on_commit(_late_forget_now)


def _late_key(today: datetime.date, limit: int) -> str:
    return f"reports:late:{today.isoformat()}:{limit}:{generations.current('reports:late')}"


def late_summary(*, actor: Access, limit: int = 10, today: datetime.date | None = None) -> LateSummary:
    """The most recent late reports and their number, for a dashboard's box. A unit's own list
    is read from its few obligations every time; the province's is kept (LATE_SUMMARY_SECONDS)."""
    access = Access.of(actor)
    today = today or timezone.localdate()

    def compute() -> LateSummary:
        rows = late_reports(actor=access, today=today, limit=limit)
        return LateSummary(rows, late_count(actor=access, today=today), timezone.now())

    if not access.scope.everything:
        return compute()
    key = _late_key(today, limit)
    summary = cache.get(key)
    if summary is None:
        summary = compute()
        # Its stamp beside it, read alone without unpickling the rows (late_summary_stamp).
        cache.set_many({key: summary, f"{key}:at": summary.computed_at.isoformat()}, LATE_SUMMARY_SECONDS)
    return summary


def late_summary_stamp(*, actor: Access, limit: int = 10, today: datetime.date | None = None) -> str | None:
    """What the summary `late_summary` gives this actor is known by, so that a page may keep what
    it drew from it (the box's HTML) under the same name: a new stamp whenever the summary is read
    afresh (a report or obligation written, a new day, its LATE_SUMMARY_SECONDS up). None for a
    unit's own list, which is never kept. Costs two small cache reads while the summary is kept."""
    access = Access.of(actor)
    if not access.scope.everything:
        return None
    today = today or timezone.localdate()
    key = _late_key(today, limit)
    if (at := cache.get(f"{key}:at")) is None:
        at = late_summary(actor=access, limit=limit, today=today).computed_at.isoformat()
    return f"{key}:{at}"


# ---- the long lists: obligations and the approval queue (ADR 0030) -------------------------------

NO_REPORT = "none"
LATE = "late"


def obligation_list(*, actor: Access, filters: dict, today: datetime.date | None = None) -> QuerySet[Obligation]:
    """The obligations `actor` may read, filtered as the list's URL says: `don-vi` (a unit's or
    agency's name, with or without diacritics), `trang-thai` (a report status, `none` for no
    report yet, `late` for overdue and not sent), `ky` (a period id), `ke-hoach` (a plan id),
    `nam`, `loai`. One query for the rows, whatever the page holds."""
    from dxtrack.core.lists import folded_match

    today = today or timezone.localdate()
    qs = obligations(actor=actor).select_related("report", "report__submitted_by")
    if name := filters.get("don-vi"):
        qs = qs.filter(folded_match(["agency__search_name", "admin_unit__search_name"], name))
    status = filters.get("trang-thai")
    if status == NO_REPORT:
        qs = qs.filter(report__isnull=True)
    elif status == LATE:
        qs = qs.filter(due__lt=today).exclude(report__status__in=REPORTED_STATUSES)
    elif status:
        qs = qs.filter(report__status=status)
    if period_id := filters.get("ky"):
        qs = qs.filter(period_id=period_id)
    if document_id := filters.get("ke-hoach"):
        qs = qs.filter(rule__document_id=document_id)
    if year := filters.get("nam"):
        qs = qs.filter(period__year=year)
    if period_type := filters.get("loai"):
        qs = qs.filter(period__period_type=period_type)
    return qs


def list_choices() -> dict:
    """The periods and plans the lists' filters offer (two small queries)."""
    from dxtrack.plans.models import Document

    return {
        "periods": list(Period.objects.filter(obligations__isnull=False).distinct().order_by("-start", "period_type")),
        "documents": list(Document.objects.filter(reporting_rules__isnull=False).distinct().order_by("-year", "code")),
    }


def reports_to_approve(*, actor: Access, ids) -> list[Report]:
    """The submitted reports among `ids` that `actor` may read, in the queue's order: what a bulk
    approval would approve. Reports no longer submitted are left out (the page says how many)."""
    qs = Report.objects.filter(pk__in=list(ids)[:MAX_BULK], status=ReportStatus.SUBMITTED)
    qs = Access.of(actor).scope.filter(qs, agency_field="obligation__agency", unit_field="obligation__admin_unit")
    return list(
        qs.select_related("obligation__period", "obligation__rule__document", "obligation__agency")
        .select_related("obligation__admin_unit", "submitted_by")
        .order_by("submitted_at", "pk")
    )


MAX_BULK = 200
