"""The values of a demo report, drawn from each indicator's trend and each unit's size."""

import math
import random
from decimal import Decimal

from dxtrack.obligations.models import Obligation, Period
from dxtrack.org.models import AdminUnitChange
from dxtrack.plans.models import Indicator, Task, TaskParty
from dxtrack.reports import selectors
from dxtrack.reports import validation as v

from .profiles import (
    BASES,
    DERIVED,
    LEVELS,
    NOISE_COMMENTS,
    OUTLIER_COMMENTS,
    OUTLIER_RATE,
    PROFILES,
    SIZES,
    SUM_OF,
    IndicatorPlan,
    S,
    _body_key,
    _frac,
    _rng,
)


class _Forms:
    """The form of each obligation, computed once per kind of body (the same for all communes)
    and, for its tasks, per set of roles and window: a task retired or settled before a window opens is not asked
    in it (reports.selectors.form_tasks)."""

    def __init__(self):
        self.indicators: dict[tuple, list[Indicator]] = {}
        self.roles: dict[tuple, dict[int, str]] = {}
        self.tasks: dict[tuple, list[tuple[Task, str]]] = {}
        named = set(TaskParty.objects.filter(admin_unit__isnull=False).values_list("admin_unit_id", flat=True))
        # A unit named on a task, or one it became part of: form_tasks takes in a unit's former units.
        frontier = named
        while frontier:
            frontier = set(AdminUnitChange.objects.filter(old_id__in=frontier).values_list("new_id", flat=True)) - named
            named |= frontier
        self.named_units = named

    def of(self, obligation: Obligation) -> tuple[list[Indicator], list[tuple[Task, str]]]:
        doc = obligation.rule.document_id
        if obligation.admin_unit_id:
            ind_key = (doc, "unit")
            unit = obligation.admin_unit_id if obligation.admin_unit_id in self.named_units else None
            body_key = (doc, "unit", obligation.admin_unit.level, unit)
        else:
            ind_key = body_key = (doc, "agency", obligation.agency_id)
        if ind_key not in self.indicators:
            self.indicators[ind_key] = selectors.form_indicators(obligation)
        if body_key not in self.roles:
            self.roles[body_key] = selectors.form_task_roles(obligation)
        # form_tasks_in_window reads only the roles and the window: bodies whose roles are the same
        # (most agencies lead or coordinate the same few tasks, or none) share one read per window.
        roles = self.roles[body_key]
        task_key = (frozenset(roles.items()), obligation.window_from)
        if task_key not in self.tasks:
            self.tasks[task_key] = selectors.form_tasks_in_window(obligation, roles)
        return self.indicators[ind_key], self.tasks[task_key]


class _Values:
    """The numbers of a report: each unit's size and profile, each indicator's trend, the rules
    between values and the explained outliers. Mixed into the generator, whose state it reads."""

    # -- units

    def profile(self, body: str) -> str:
        if body not in self.profiles:
            self.profiles[body] = self._profile(body)
        return self.profiles[body]

    def _profile(self, body: str) -> str:
        draw = _rng(self.seed, "profile", body).random()
        for name, (share, _weights, _late) in PROFILES.items():
            if draw < share:
                return name
            draw -= share
        return "ordinary"

    def size(self, obligation: Obligation, base: str, period: Period) -> int:
        # The body (its unit's code and start fix its level and kind too), the base and the period
        # fix the size: kept, as each report asks it again for every indicator of the same base.
        key = (_body_key(obligation), base, period.pk)
        if key not in self.sizes:
            self.sizes[key] = self._size(obligation, base, period)
        return self.sizes[key]

    def _size(self, obligation: Obligation, base: str, period: Period) -> int:
        if base in DERIVED:
            parent, share = DERIVED[base]
            return max(1, round(self.size(obligation, parent, period) * share))
        commune, district, province = SIZES[base]
        if obligation.agency_id:
            low = high = province
        elif obligation.admin_unit.level == "district":
            low, high = district
        else:
            low, high = commune
            if obligation.admin_unit.kind == "Phường" and base in ("population", "enterprises", "dossiers"):
                low, high = low * 2, high * 2  # wards are denser
        body = _body_key(obligation)
        size = _rng(self.seed, "size", body, base).randint(low, high)
        if base in ("population", "enterprises"):
            size = round(size * (1.008 ** (period.year - 2021)))  # slow growth
        elif base in ("dossiers", "documents", "inspections", "respondents"):
            # flows of a period: vary from one period to the next
            flow = _rng(self.seed, "flow", body, base, period.label).uniform(0.85, 1.15)
            size = round(size * flow * {"quarterly": 1, "semiannual": 2, "yearly": 4}[period.period_type])
        return max(1, size)

    # -- values

    def values(self, obligation: Obligation, indicators: list[Indicator], rng: random.Random) -> dict[str, v.Entry]:
        body, period = _body_key(obligation), obligation.period
        day = min(period.data_to, self.today)
        entries: dict[str, v.Entry] = {}
        index = (period.year - 2021) * {"quarterly": 4, "semiannual": 2, "yearly": 1}[period.period_type]
        for indicator in indicators:
            plan = self.plans[indicator.pk]
            draws = self.unit_draws.get((body, indicator.code))
            if draws is None:  # the same in each of the body's reports: drawn once
                unit_rng = _rng(self.seed, "unit", body, indicator.code)
                spread = 0.06 if obligation.agency_id else 0.25
                factor = 1 + unit_rng.uniform(-spread, spread)
                rounding = unit_rng.random()  # the same per unit, so small bases move steadily
                draws = self.unit_draws[(body, indicator.code)] = (factor, rounding)
            factor, rounding = draws
            comment = ""
            if plan.spec.is_ratio:
                level = plan.level(day) * factor + rng.gauss(0, 1.2)
                # A few jumps far from the unit's history (only where it has one to compare).
                if index >= 5 and rng.random() < OUTLIER_RATE:
                    level = level * 1.6 + 25
                    comment = rng.choice(OUTLIER_COMMENTS)
                level = max(0.0, min(100.0, level))
                base = next((b for fragment, b in BASES if fragment in indicator.code), "items")
                den = self.size(obligation, base, period)
                num = min(den, math.floor(den * level / 100 + rounding))
                entry = v.Entry(numerator=Decimal(num), denominator=Decimal(den), comment=comment)
                entry.value = v.derived_value(plan.spec, entry)
            else:
                entry = v.Entry(value=self._scalar(obligation, plan, day, factor, rng))
            entries[indicator.code] = entry
        for code, parts in SUM_OF.items():
            if code in entries and all(p in entries for p in parts):
                entries[code].value = sum(entries[p].value for p in parts)
        self._obey_rules(entries)
        return entries

    def _scalar(self, obligation, plan: IndicatorPlan, day, factor, rng) -> Decimal:
        code, spec = plan.indicator.code, plan.spec
        if code in LEVELS:
            start, end, decimals = LEVELS[code]
            frac = min(_frac(day, plan.target_year), 1.4)
            number = (start + (end - start) * frac) * factor
            if decimals:
                number += rng.gauss(0, 0.04 * abs(number))
        elif spec.unit == "%":
            number = plan.level(day) * factor + rng.gauss(0, 1.0)
            decimals = 2
        elif spec.unit in v.RANK_UNITS:
            number, decimals = max(1, 30 - 4 * (day.year - 2021)) + rng.randint(-2, 2), 0
        else:
            target = plan.target or 20
            number, decimals = target * min(1.1, 0.3 + 0.7 * _frac(day, plan.target_year)) * factor, 0
        if obligation.admin_unit_id and not plan.spec.is_ratio and spec.unit in v.COUNT_UNITS:
            # A commune's or district's share of a provincial count: a handful at most.
            number = rng.choices([0, 0, 0, 1, 1, 2], k=1)[0] * (3 if obligation.admin_unit.level == "district" else 1)
        if spec.unit == "%":
            number = max(0.0, min(100.0, number))
        elif spec.unit in v.RANK_UNITS:
            number = max(1, number)
        else:
            number = max(0.0, number)
        quantum = Decimal(1).scaleb(-decimals)
        return Decimal(str(round(number, decimals))).quantize(quantum)

    def _obey_rules(self, entries: dict[str, v.Entry]) -> None:
        """Adjusts the left-hand side of every rule between two values the report breaks, as a
        careful unit would before sending."""
        specs = {code: self.plans_by_code[code].spec for code in entries}
        for code, _finding in v.check_rules(self.rules, entries, specs):
            for rule in self.rules:
                if rule.left != code:
                    continue
                left, right = entries[rule.left], entries[rule.right]
                target = (
                    v.derived_value(specs[rule.right], right)
                    if rule.right_part == "value"
                    else getattr(right, rule.right_part)
                )
                if target is None:
                    continue
                if rule.left_part == "value" and specs[rule.left].is_ratio:
                    num = math.floor(target * left.denominator / specs[rule.left].scale)
                    left.numerator = Decimal(min(num, int(left.denominator)))
                elif rule.left_part == "denominator":
                    share = left.numerator / left.denominator if left.denominator else 0
                    left.denominator = target
                    left.numerator = Decimal(math.floor(share * target))
                else:
                    setattr(left, rule.left_part, target)
                left.value = v.derived_value(specs[rule.left], left)

    def _explain_outliers(self, obligation, entries: dict[str, v.Entry], status: str, rng: random.Random) -> None:
        """Gives every value the outlier check flags a comment, as submission requires, and keeps
        the approved values as history for the periods after."""
        body, period_type = _body_key(obligation), obligation.period.period_type
        for code, entry in entries.items():
            history = self.history.setdefault((body, code, period_type), [])
            if not entry.comment and v.check_outlier(self.plans_by_code[code].spec, entry, history):
                entry.comment = rng.choice(NOISE_COMMENTS)
            if status in (S.APPROVED, S.LOCKED) and entry.value is not None:
                history.append(entry.value)

    @property
    def plans_by_code(self) -> dict[str, IndicatorPlan]:
        if not hasattr(self, "_by_code"):
            self._by_code = {p.indicator.code: p for p in self.plans.values()}
        return self._by_code
