"""Writes of the calendar: periods and obligations from the register's rules."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.org.models import AdminUnit, AdminUnitChange, Agency, AgencyChange
from dxtrack.org.selectors import group_members_at
from dxtrack.plans.models import ReportingRule

from .calendar import PeriodSpec, clip, due_date, in_force_from, periods
from .models import Obligation, Period
from .signals import obligations_created

PERIODIC = ("quarterly", "semiannual", "yearly")


@dataclass(frozen=True)
class CalendarResult:
    periods: int
    obligations_created: int
    obligations_kept: int


def require_programme(access: Access, message: str = "Chỉ Tổ giúp việc được lập lịch báo cáo.") -> None:
    """Refuses anyone but the secretariat and the system (the work of running the programme)."""
    if not access.runs_programme:
        raise NotAllowed(message)


def _successors(agency: Agency) -> list[tuple[Agency, datetime.date | None]]:
    """The agency, and every agency its duties passed to in any number of steps, each with the
    day from which it carries them (None: the agency itself, always)."""
    found: dict[int, tuple[Agency, datetime.date | None]] = {agency.pk: (agency, None)}
    frontier = [(agency, None)]
    while frontier:
        nxt = []
        for body, since in frontier:
            for change in AgencyChange.objects.filter(old=body).select_related("new"):
                day = max(d for d in (since, change.date) if d is not None)
                if change.new.pk not in found:
                    found[change.new.pk] = (change.new, day)
                    nxt.append((change.new, day))
        frontier = nxt
    return list(found.values())


def _sample_dates(spec: PeriodSpec) -> list[datetime.date]:
    """The window's ends and every reorganisation inside it, with the day before each: the
    membership of a collective name can change only on those days."""
    dates = {spec.data_from, spec.data_to}
    for model in (AdminUnitChange, AgencyChange):
        for day in model.objects.filter(date__gt=spec.data_from, date__lte=spec.data_to).values_list("date", flat=True):
            dates |= {day, day - datetime.timedelta(days=1)}
    return sorted(dates)


def reporters_for(
    rule: ReportingRule,
    spec: PeriodSpec,
    *,
    province_code: str | None = "",
    members: dict[tuple[int, datetime.date], list[Agency | AdminUnit]] | None = None,
) -> list[tuple[Agency | AdminUnit, datetime.date, datetime.date]]:
    """Each body that must report under `rule` for the period, with the part of the data window
    in which both the rule's plan was in force and the body existed (a plan issued or a body
    created mid-period asks for its part only; none before the plan). Groups of units reach the
    province's units (`province_code`, empty: this installation's), or the whole country's when it is None.
    `members`, when given, keeps each group's members on each day for the caller's next rules
    (for one `province_code`: the rules of one calendar share their groups and sample dates)."""
    document = rule.document
    plan_from = in_force_from(document.issued_on, document.year)
    if plan_from and plan_from > spec.data_to:
        return []
    # body, and the day from which the rule reaches it (a successor: from the change)
    bodies: dict[tuple[str, int], tuple[Agency | AdminUnit, datetime.date | None]] = {}
    for agency in rule.reporters.all():
        for successor, since in _successors(agency):
            bodies[("agency", successor.pk)] = (successor, since)
    groups = list(rule.reporter_groups.all())
    members = {} if members is None else members
    for day in _sample_dates(spec) if groups else []:
        for group in groups:
            if (group.pk, day) not in members:
                members[(group.pk, day)] = group_members_at(group, day, province_code=province_code)
            for member in members[(group.pk, day)]:
                kind = "unit" if isinstance(member, AdminUnit) else "agency"
                bodies.setdefault((kind, member.pk), (member, None))
    out = []
    for body, since in bodies.values():
        starts = [d for d in (body.valid_from, since, plan_from) if d is not None]
        window = clip(spec.data_from, spec.data_to, max(starts) if starts else None, body.valid_to)
        if window:
            out.append((body, *window))
    return out


@transaction.atomic
def calendar_generate(
    *, actor: Access, year: int, rules: list[ReportingRule] | None = None, province_code: str | None = ""
) -> CalendarResult:
    """Creates the year's periods and, for each periodic rule, the obligation of every body that
    existed in each period. Safe to run again: existing obligations are kept as they are.
    `province_code` None lets a group of units reach the whole country (the national benchmark)."""
    access = Access.of(actor)
    require_programme(access)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidData("Năm lập lịch phải trong khoảng 2000–2100.")
    rules = list(
        rules
        if rules is not None
        else ReportingRule.objects.filter(period_type__in=PERIODIC).select_related("document")
    )
    touched: dict[tuple, Period] = {}
    # A group's members on a day, read once for all the rules naming it (the rules of a kind of
    # period share their sample dates); only periods and obligations are written meanwhile.
    members: dict[tuple[int, datetime.date], list[Agency | AdminUnit]] = {}
    created = kept = 0
    for rule in rules:
        if rule.period_type not in PERIODIC:
            continue
        made = 0
        for spec in periods(rule.period_type, year):
            if rule.valid_to is not None and spec.data_from > rule.valid_to:
                continue  # a revision retired the rule before this period's data begin
            reporters = reporters_for(rule, spec, province_code=province_code, members=members)
            if not reporters:
                continue  # no period is made for a rule not yet in force, or with nobody to report
            key = (spec.period_type, spec.year, spec.number)
            if key not in touched:
                fields = spec.fields()
                identity = {name: fields.pop(name) for name in ("period_type", "year", "number")}
                touched[key], _ = Period.objects.get_or_create(**identity, defaults=fields)
            period = touched[key]
            due = due_date(spec, rule.due)
            have = set(Obligation.objects.filter(rule=rule, period=period).values_list("agency_id", "admin_unit_id"))
            fresh = []
            for body, window_from, window_to in reporters:
                is_unit = isinstance(body, AdminUnit)
                ident = (None, body.pk) if is_unit else (body.pk, None)
                if ident in have:
                    kept += 1
                    continue
                fresh.append(
                    Obligation(
                        rule=rule,
                        period=period,
                        due=due,
                        window_from=window_from,
                        window_to=window_to,
                        admin_unit=body if is_unit else None,
                        agency=None if is_unit else body,
                    )
                )
            Obligation.objects.bulk_create(fresh, batch_size=1000)
            if fresh:
                # bulk_create sends no post_save: the layers above (late reports) are told here.
                obligations_created.send(sender=Obligation, period_id=period.pk)
            made += len(fresh)
        created += made
        audit.record(
            actor=access,
            action="reporting.calendar.generate",
            target=rule,
            changes={"year": [None, year], "obligations": [0, made]},
        )
    return CalendarResult(len(touched), created, kept)
