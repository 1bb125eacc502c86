"""The demo's reports, task updates and workflow, written in bulk one year per transaction."""

import datetime
import random
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role, User
from dxtrack.core.bulk import insert_rows
from dxtrack.core.dates import at_local, end_of_day, format_vn_date
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.core.numbers import PERCENT, format_number
from dxtrack.obligations.models import Obligation, Period
from dxtrack.plans.models import Document, PartyRole, Task
from dxtrack.reports import selectors
from dxtrack.reports.models import DataValue, Report, TaskState, TaskUpdate

from .profiles import (
    DEMO_FORM_UNITS,
    DEMO_REASON,
    DIFFICULTIES,
    DIFFICULTY_AFTER_MERGER,
    MERGER,
    MISSING,
    OUTLIER_COMMENTS,
    PROFILES,
    PROPOSALS,
    RECURRING,
    RESULTS,
    RETURN_REASONS,
    S,
    _body_key,
    _plans,
    _rng,
)
from .values import _Forms, _Values


class _Generator(_Values):
    def __init__(self, *, today: datetime.date, seed: int):
        self.today = today
        self.seed = seed
        self.now = timezone.now()
        # Nothing generated happens after the run itself, nor after the day it is run "as of".
        self.cutoff = min(self.now, end_of_day(today))
        self.plans = _plans(seed)
        self.forms = _Forms()
        self.documents = {d.pk: d for d in Document.objects.all()}
        self.rules = selectors.rule_specs({p.indicator.code for p in self.plans.values()})
        quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        # Periods ending before the last two quarters are closed.
        months = quarter_start.year * 12 + quarter_start.month - 1 - 6
        self.close_before = datetime.date(months // 12, months % 12 + 1, 1)
        approvers = User.objects.filter(is_active=True, role=Role.APPROVER).order_by("pk")
        self.approvers = {}
        for user in approvers:
            self.approvers.setdefault(
                ("agency", user.agency_id) if user.agency_id else ("unit", user.admin_unit_id), user
            )
        # Approved values so far, per body, indicator and kind of period: the outlier check's history.
        self.history: dict[tuple, list[Decimal]] = {}
        # Draws that depend on the body and one thing of it only, kept rather than drawn again for
        # each report (the same seed gives the same draws): task spans, unit factors, sizes, profiles.
        self.spans: dict[tuple, tuple[datetime.date, datetime.date | None]] = {}
        self.unit_draws: dict[tuple, tuple[float, float]] = {}
        self.sizes: dict[tuple, int] = {}
        self.profiles: dict[str, str] = {}
        self.secretariat = User.objects.filter(is_active=True, role=Role.SECRETARIAT).order_by("pk").first()

    # -- tasks

    def task_span(self, obligation: Obligation, task: Task) -> tuple[datetime.date, datetime.date | None]:
        """When the body started and finishes the task: drawn from the body and the task alone,
        so the same in each of its reports (kept: a body updates a task in many reports)."""
        body = _body_key(obligation)  # the unit's code and start: fixes obligation.admin_unit.valid_from too
        span = self.spans.get((body, task.pk))
        if span is not None:
            return span
        document = self.documents[task.document_id]
        rng = _rng(self.seed, "task", body, document.code, task.position)
        begin = document.issued_on or datetime.date(document.year or 2021, 1, 1)
        start = begin + datetime.timedelta(days=rng.randint(0, 240))
        if obligation.admin_unit_id and obligation.admin_unit.valid_from:
            start = max(start, obligation.admin_unit.valid_from + datetime.timedelta(days=rng.randint(0, 60)))
        if task.recurrence in RECURRING:
            finish = None
        elif task.deadline:
            on_time = rng.random() < 0.8
            shift = -rng.randint(0, 150) if on_time else rng.randint(20, 500)
            finish = task.deadline + datetime.timedelta(days=shift)
        else:
            finish = start + datetime.timedelta(days=rng.randint(200, 1200))
        if finish is not None:
            finish = max(finish, start + datetime.timedelta(days=30))
        self.spans[(body, task.pk)] = (start, finish)
        return start, finish

    def task_state(self, obligation: Obligation, task: Task, day: datetime.date) -> tuple[str, int, datetime.date]:
        start, finish = self.task_span(obligation, task)
        if day < start:
            return TaskState.NOT_STARTED, 0, finish
        if finish is None:  # a recurring duty never ends
            years = (day - start).days / 365
            return TaskState.IN_PROGRESS, min(90, 5 * round((30 + 20 * years) / 5)), finish
        if day >= finish:
            return TaskState.DONE, 100, finish
        percent = 5 * round(20 * (day - start).days / (finish - start).days)
        return TaskState.IN_PROGRESS, max(5, min(95, percent)), finish

    # -- one report

    def status(self, obligation: Obligation, rng: random.Random) -> tuple[str, bool]:
        """The report's status and whether it was (first) submitted after the due date."""
        body, period = _body_key(obligation), obligation.period
        if obligation.admin_unit_id and obligation.admin_unit.code in DEMO_FORM_UNITS and obligation.due >= self.today:
            return (MISSING if period.period_type == "quarterly" else S.DRAFT), False
        _share, weights, late_p = PROFILES[self.profile(body)]
        phase = "closed" if period.end < self.close_before else "open" if obligation.due < self.today else "not_due"
        table = dict(weights[phase])
        if phase == "closed" and period.year < 2023:  # reporting took a while to become routine
            table[MISSING] = table.get(MISSING, 0) + 3 * (2023 - period.year)
        status = rng.choices(list(table), weights=list(table.values()), k=1)[0]
        late = phase != "not_due" and rng.random() < late_p
        return status, late

    def at(self, day: datetime.date, rng: random.Random) -> datetime.datetime:
        """A moment of office hours (07:00–17:59) of `day` on the province's clock. An hour of the
        run's own day not yet lived is taken on the day before, in office hours still: a report
        generated at 03:18 was neither sent at 15:34 nor in the night."""
        hour, minute = rng.randint(7, 17), rng.randint(0, 59)
        moment = at_local(day, datetime.time(hour, minute))
        if moment <= self.cutoff:
            return moment
        # Only the run's own day gets here (cutoff is past every earlier day's end), and the
        # day before is over by then.
        return at_local(day - datetime.timedelta(days=1), datetime.time(hour, minute))

    def build(self, obligation: Obligation) -> tuple[Report | None, list, list, dict]:
        rule = obligation.rule
        rng = _rng(
            self.seed, rule.document.code, rule.period_type, rule.due, obligation.period.label, _body_key(obligation)
        )
        status, late = self.status(obligation, rng)
        if status == MISSING:
            return None, [], [], {"status": MISSING, "late": False, "outliers": 0}
        period, due = obligation.period, obligation.due
        indicators, tasks = self.forms.of(obligation)
        complete = status != S.DRAFT
        # when things happened
        opened = max(period.data_to - datetime.timedelta(days=rng.randint(5, 25)), period.start)
        opened = min(opened, self.today)
        submitted = decided = None
        if complete:
            day = (
                due + datetime.timedelta(days=rng.randint(1, 45))
                if late
                else due - datetime.timedelta(days=rng.randint(0, 8))
            )
            day = max(opened, min(day, self.today))
            submitted = self.at(day, rng)
            if status in (S.APPROVED, S.LOCKED, S.RETURNED):
                decided_day = min(day + datetime.timedelta(days=rng.randint(1, 10)), self.today)
                decided = max(self.at(decided_day, rng), submitted)
        report = Report(
            obligation=obligation,
            status=status,
            created_at=self.at(opened, rng),
            updated_at=decided or submitted or self.at(opened, rng),
        )
        if submitted:
            report.first_submitted_at = report.submitted_at = submitted
            report.submitted_by = self.approvers.get(
                ("agency", obligation.agency_id) if obligation.agency_id else ("unit", obligation.admin_unit_id)
            )
            report.version = 2
        if decided:
            report.decided_at, report.decided_by = decided, self.secretariat
            report.version = 3
        if status == S.RETURNED or (status in (S.APPROVED, S.LOCKED) and rng.random() < 0.06):
            # returned; the approved ones among these were corrected and sent again before approval
            report.return_reason = rng.choice(RETURN_REASONS)
            if status != S.RETURNED:
                report.first_submitted_at = submitted - datetime.timedelta(days=rng.randint(3, 12))
                report.version = 5
        # values
        entries = self.values(obligation, indicators, rng)
        if complete:
            self._explain_outliers(obligation, entries, status, rng)
        else:
            keep = rng.uniform(0.3, 0.9)
            entries = {code: e for code, e in entries.items() if rng.random() < keep}
        when = report.created_at
        # (rows as field values, not model instances: core.bulk writes them a column at a time;
        # "report" is the unsaved report, whose key `generate` puts in once it is written)
        values = [
            {
                "report": report,
                "indicator_id": indicator.pk,
                "period_id": obligation.period_id,
                "agency_id": obligation.agency_id,
                "admin_unit_id": obligation.admin_unit_id,
                "value": entries[indicator.code].value,
                "numerator": entries[indicator.code].numerator,
                "denominator": entries[indicator.code].denominator,
                "comment": entries[indicator.code].comment,
                "updated_at": when,
            }
            for indicator in indicators
            if indicator.code in entries
        ]
        # task updates
        updates, done = [], 0
        day = min(period.data_to, self.today)
        for task, role in tasks:
            if not complete and (role != PartyRole.LEAD or rng.random() < 0.5):
                continue
            state, percent, finish = self.task_state(obligation, task, day)
            done += state == TaskState.DONE
            output = note = ""
            if state == TaskState.DONE:
                output = (task.output or "Đã hoàn thành theo kế hoạch.")[:1000]
            elif state == TaskState.IN_PROGRESS and finish and rng.random() < 0.5:
                note = f"Dự kiến hoàn thành trong tháng {finish:%m/%Y}."
            elif state == TaskState.NOT_STARTED:
                note = "Chưa triển khai do chưa được bố trí kinh phí." if rng.random() < 0.3 else ""
            updates.append(
                {
                    "report": report,
                    "task_id": task.pk,
                    "state": state,
                    "percent": percent,
                    "output": output,
                    "note": note,
                    "updated_at": when,
                }
            )
        # narrative
        if complete or rng.random() < 0.5:
            self.narrate(report, obligation, entries, done, len(tasks), rng, complete)
        outliers = sum(1 for e in entries.values() if e.comment in OUTLIER_COMMENTS)
        return report, values, updates, {"status": status, "late": late and complete, "outliers": outliers}

    def narrate(self, report, obligation, entries, done, tasks, rng, complete) -> None:
        ratios = [
            (self.plans_by_code[code].indicator.name, e.value)
            for code, e in entries.items()
            if self.plans_by_code[code].spec.is_ratio and e.value is not None
        ]
        sentences = []
        for template in rng.sample(RESULTS, k=3):
            if "{indicator}" in template:
                if not ratios:
                    continue
                name, value = rng.choice(ratios)
                sentences.append(template.format(indicator=name, value=format_number(value, PERCENT)))
            elif "{done}" in template:
                if tasks:
                    sentences.append(template.format(done=done, tasks=tasks))
            else:
                sentences.append(template.format(n=rng.randint(1, 6)))
        report.results = " ".join(sentences)
        if not complete:
            return
        hard = rng.sample(DIFFICULTIES, k=rng.randint(1, 2))
        if obligation.period.end >= MERGER and obligation.admin_unit_id and rng.random() < 0.5:
            hard.append(DIFFICULTY_AFTER_MERGER)
        report.difficulties = " ".join(hard)
        report.proposals = rng.choice(PROPOSALS)


def generate(
    *,
    actor: Access,
    today: datetime.date,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Fills every obligation whose period has started by `today` and has no report yet; closes
    the periods older than the last two quarters. Returns the counts of what it wrote.
    `today` may lie in the past (the demo as seen on that day), never in the future: every
    moment written is at or before the run. Only the system generates (`actor` is `SYSTEM`): it
    writes past the services, so no person may run it."""
    if not actor.is_system:
        raise NotAllowed("Chỉ hệ thống được tạo dữ liệu trình diễn.")
    if today > timezone.localdate():
        raise InvalidData(
            f"Ngày {format_vn_date(today)} chưa đến: dữ liệu trình diễn chỉ được tạo đến hôm nay "
            f"({format_vn_date(timezone.localdate())})."
        )
    gen = _Generator(today=today, seed=seed)
    pending = list(
        Obligation.objects.filter(report__isnull=True, period__start__lte=today)
        .select_related("period", "rule__document", "agency", "admin_unit")
        .order_by("period__year", "period__start", "period__period_type", "rule_id", "pk")
    )
    counts: Counter = Counter()
    total, done = len(pending), 0
    if progress:
        progress(0, total)
    years = sorted({o.period.year for o in pending})
    for year in years:
        batch = [o for o in pending if o.period.year == year]
        with transaction.atomic():
            reports, values, updates = [], [], []
            for obligation in batch:
                report, vals, ups, info = gen.build(obligation)
                counts[str(info["status"])] += 1
                counts["late"] += info["late"]
                counts["outliers"] += info["outliers"]
                if report is not None:
                    reports.append(report)
                    values += vals
                    updates += ups
                done += 1
                if progress and done % 250 == 0:
                    progress(done, total)
            Report.objects.bulk_create(reports, batch_size=500)
            for row in (*values, *updates):
                row["report_id"] = row.pop("report").pk  # the report has its key now
            # (rows nothing reads back the keys of: written as prepared columns, core.bulk)
            insert_rows(DataValue, values)
            insert_rows(TaskUpdate, updates)
            per_report_values = Counter(dv["report_id"] for dv in values)
            per_report_updates = Counter(up["report_id"] for up in updates)
            insert_rows(
                AuditEvent,
                [
                    AuditEvent(
                        action="reporting.demo.generate",
                        target_type=Report._meta.label_lower,
                        target_id=str(r.pk),
                        target_repr=str(r)[:255],
                        changes={
                            "status": [None, r.status],
                            "values": [0, per_report_values[r.pk]],
                            "task_updates": [0, per_report_updates[r.pk]],
                        },
                        reason=DEMO_REASON,
                    )
                    for r in reports
                ],
            )
            counts["reports"] += len(reports)
            counts["values"] += len(values)
            counts["task_updates"] += len(updates)
            counts["periods_closed"] += _close(gen.close_before, year, gen.now)
        if progress:
            progress(done, total)
    counts["obligations"] = total
    return dict(sorted(counts.items()))


def _close(before: datetime.date, year: int, now: datetime.datetime) -> int:
    """Closes the year's periods that ended before `before`, as period_close would (their
    approved reports were generated locked already), with its audit event."""
    periods = list(Period.objects.filter(year=year, end__lt=before, closed_at__isnull=True))
    Period.objects.filter(pk__in=[p.pk for p in periods]).update(closed_at=now)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                action="reporting.period.close",
                target_type=Period._meta.label_lower,
                target_id=str(p.pk),
                target_repr=str(p)[:255],
                changes={"closed": [False, True]},
                reason=DEMO_REASON,
            )
            for p in periods
        ]
    )
    return len(periods)
