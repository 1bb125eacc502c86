"""The start page ("Việc của tôi"): what waits for each person, read from every app's selectors
and always within what the person may see (ADR 0028). site is the top layer: it reads them all."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.analytics.models import TargetProgress
from dxtrack.analytics.progress import LABELS as STATUS_LABELS
from dxtrack.assessments import selectors as assessment_selectors
from dxtrack.core.models import AuditEvent
from dxtrack.obligations import selectors as obligation_selectors
from dxtrack.operations import selectors as operation_selectors
from dxtrack.plans import selectors as plan_selectors
from dxtrack.plans.models import ImportStatus
from dxtrack.reports import selectors as report_selectors
from dxtrack.reports.models import Report, ReportStatus
from dxtrack.reports.reminders import UNSENT

from .models import LastSeen

# How far ahead a reporter's list looks: a quarter's report shows from six weeks before its due date.
AHEAD_DAYS = 45
SHOWN = 20


@dataclass
class DueRow:
    obligation: object
    report: Report | None
    days_left: int

    @property
    def days_late(self) -> int:
        return -self.days_left

    @property
    def returned(self) -> bool:
        return self.report is not None and self.report.status == ReportStatus.RETURNED


@dataclass
class SignRow:
    report: Report
    requested_at: datetime.datetime | None


@dataclass
class ChangedTarget:
    progress: TargetProgress
    before: str
    after: str

    @property
    def before_label(self) -> str:
        return gettext(STATUS_LABELS[self.before]) if self.before in STATUS_LABELS else (self.before or "—")

    @property
    def after_label(self) -> str:
        return gettext(STATUS_LABELS[self.after]) if self.after in STATUS_LABELS else self.after


@dataclass
class MyWork:
    role: str | None
    due: list[DueRow] = field(default_factory=list)
    to_sign: list[SignRow] = field(default_factory=list)
    to_approve: list[Report] = field(default_factory=list)
    to_approve_total: int = 0
    late: object = None  # reports.selectors.LateSummary
    imports: list = field(default_factory=list)
    failed_runs: list = field(default_factory=list)
    changed: list[ChangedTarget] = field(default_factory=list)
    assessments: object = None  # assessments.selectors.AssessmentWork
    since: datetime.datetime | None = None
    first_visit: bool = False


def due(*, actor: Access, today: datetime.date) -> list[DueRow]:
    """The unit's reports not yet sent (none, draft, returned) of open periods due within
    AHEAD_DAYS or already past, returned ones first, then by due date."""
    qs = (
        obligation_selectors.obligations(actor=actor)
        .filter(UNSENT, due__lte=today + datetime.timedelta(days=AHEAD_DAYS))
        # open periods, and a report of a closed one the secretariat reopened for a correction
        .filter(Q(period__closed_at__isnull=True) | Q(report__correction_open=True))
        .select_related("period", "rule__document", "agency", "admin_unit", "report")
        .order_by("due", "pk")
    )
    rows = [DueRow(o, getattr(o, "report", None), (o.due - today).days) for o in qs[:100]]
    rows.sort(key=lambda r: (not r.returned, r.obligation.due, r.obligation.pk))
    return rows[:SHOWN]


def to_sign(*, actor: Access) -> list[SignRow]:
    """The unit's reports an approver may sign and send: drafts and returned ones of open periods,
    those a reporter asked them to sign first (newest request first)."""
    reports = list(
        Report.objects.filter(
            # open periods, and a report of a closed one reopened for a correction
            Q(obligation__period__closed_at__isnull=True) | Q(correction_open=True),
            obligation__in=obligation_selectors.obligations(actor=actor),
            status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED],
        ).select_related("obligation__period", "obligation__agency", "obligation__admin_unit")[:200]
    )
    asked = dict(
        AuditEvent.objects.filter(
            action="reporting.report.request_signature",
            target_type="reports.report",
            target_id__in=[str(r.pk) for r in reports],
        )
        .values("target_id")
        .annotate(last=Max("at"))
        .values_list("target_id", "last")
    )
    rows = []
    for report in reports:
        at = asked.get(str(report.pk))
        # A request made before the report was last returned was answered already.
        if at is not None and report.decided_at is not None and at < report.decided_at:
            at = None
        rows.append(SignRow(report, at))
    rows.sort(key=lambda r: (r.requested_at is None, -(r.requested_at.timestamp() if r.requested_at else 0)))
    return rows[:SHOWN]


def changed_targets(*, actor: Access, mark: bool = True) -> tuple[list[ChangedTarget], datetime.datetime | None, bool]:
    """The targets whose status changed since the person's last visit, the time of that visit,
    and whether this is the first; with `mark`, this visit becomes the new mark."""
    access = Access.of(actor)
    now_statuses = dict(TargetProgress.objects.values_list("target_id", "status"))
    with transaction.atomic():
        seen = LastSeen.objects.select_for_update().filter(user=access.user).first()
        before = {int(k): v for k, v in (seen.statuses if seen else {}).items()}
        since = seen.seen_at if seen else None
        changed_ids = [pk for pk, status in now_statuses.items() if seen is not None and before.get(pk) != status]
        if mark:
            LastSeen.objects.update_or_create(
                user=access.user,
                defaults={"seen_at": timezone.now(), "statuses": {str(k): v for k, v in now_statuses.items()}},
            )
    progresses = TargetProgress.objects.filter(target_id__in=changed_ids).select_related("target__indicator")
    rows = [ChangedTarget(p, before.get(p.target_id, ""), p.status) for p in progresses]
    rows.sort(key=lambda r: r.progress.target_id)
    return rows, since, seen is None


def my_work(*, actor: Access, today: datetime.date | None = None) -> MyWork:
    access = Access.of(actor)
    today = today or timezone.localdate()
    work = MyWork(role=access.role)
    if access.user is None:
        return work
    if access.role == Role.REPORTER:
        work.due = due(actor=access, today=today)
    elif access.role == Role.APPROVER:
        work.to_sign = to_sign(actor=access)
        work.due = due(actor=access, today=today)
    if access.is_secretariat:
        submitted = (
            Report.objects.filter(
                obligation__in=obligation_selectors.obligations(actor=access), status=ReportStatus.SUBMITTED
            )
            .select_related("obligation__period", "obligation__agency", "obligation__admin_unit")
            .order_by("submitted_at", "pk")
        )
        work.to_approve_total = submitted.count()
        work.to_approve = list(submitted[:10])
        work.imports = list(plan_selectors.imports(actor=access).filter(status=ImportStatus.DRAFT)[:10])
        work.failed_runs = operation_selectors.failed_runs(actor=access)
    if access.is_secretariat or access.is_leader:
        work.late = report_selectors.late_summary(actor=access, limit=10, today=today)
    if access.is_leader:
        work.changed, work.since, work.first_visit = changed_targets(actor=access)
    # a commune's or agency's self-assessment and answers to the council; a council member's files
    work.assessments = assessment_selectors.assessment_work(access)
    return work
