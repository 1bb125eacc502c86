"""steering's reads, each scoped to what the actor may see.

Sessions, members and briefing packs are the committee's papers: the secretariat and the
province's leaders read them (the system too). An agency's people read the directives and the
inspection findings addressed to their own agency (or a body it took over), nothing else.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.analytics import progress as p
from dxtrack.analytics import selectors as dashboard
from dxtrack.analytics.services.cards import latest_updates
from dxtrack.core.errors import NotAllowed, NotFound
from dxtrack.org.models import Agency
from dxtrack.org.selectors import agency_predecessor_ids
from dxtrack.plans.models import Document, DocumentType, ImportStatus, PartyRole, Task, TaskParty

from .models import (
    ActionState,
    BriefingPack,
    CommitteeMember,
    CorrectiveAction,
    DirectiveClosure,
    Finding,
    FindingState,
    InspectionPlan,
    InspectionVisit,
    Session,
)


def closed_before(task_ids, day: datetime.date) -> set[int]:
    """The directives among `task_ids` the secretariat closed before `day` (local time): report
    forms whose window opens on `day` no longer ask them (registered with reports.hooks in
    SteeringConfig.ready). A form that opened before the closing still asks it; a reopened
    directive has no closing and is asked again."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return set(
        DirectiveClosure.objects.filter(task_id__in=task_ids, closed_at__lt=start).values_list("task_id", flat=True)
    )


def _committee_reader(access: Access) -> None:
    if not access.is_province_wide:
        raise NotAllowed("Chỉ Tổ giúp việc và lãnh đạo tỉnh được xem hồ sơ phiên họp Ban Chỉ đạo.")


# ---- sessions ---------------------------------------------------------------------------------------


def sessions(*, actor: Access) -> QuerySet[Session]:
    _committee_reader(Access.of(actor))
    return Session.objects.select_related("chair", "conclusions", "conclusions_import", "plan")


def sessions_of(rows: list) -> QuerySet[Session]:
    """The sessions whose conclusions gave `rows` — directive rows the actor was allowed to read
    (`directive_rows`): a unit learns of a session only through a directive it may see."""
    return Session.objects.filter(pk__in={r.session_id for r in rows if r.session_id})


def session_get(*, actor: Access, pk: int) -> Session:
    try:
        return sessions(actor=actor).get(pk=pk)
    except Session.DoesNotExist as exc:
        raise NotFound("Không tìm thấy phiên họp này.") from exc


def members(*, actor: Access, on: datetime.date | None = None) -> list[CommitteeMember]:
    _committee_reader(Access.of(actor))
    rows = list(CommitteeMember.objects.select_related("agency"))
    return [m for m in rows if on is None or m.serves_on(on)]


def previous_session(session: Session) -> Session | None:
    """The last session held before this one (the briefing pack's "since the last session")."""
    return (
        Session.objects.filter(date__lt=session.date, status__in=["held", "scheduled"])
        .exclude(pk=session.pk)
        .order_by("-date", "-pk")
        .first()
    )


def conclusions_document(session: Session) -> Document | None:
    """The session's published notice, also when its draft was published from the plan pages."""
    if session.conclusions_id:
        return session.conclusions
    draft = session.conclusions_import
    if draft is not None and draft.status == ImportStatus.PUBLISHED:
        return draft.document
    return None


def pack_latest(*, actor: Access, session: Session) -> BriefingPack | None:
    _committee_reader(Access.of(actor))
    return session.packs.first()


def pack_get(*, actor: Access, session: Session, pk: int) -> BriefingPack:
    _committee_reader(Access.of(actor))
    pack = session.packs.filter(pk=pk).first()
    if pack is None:
        raise NotFound("Không tìm thấy tài liệu phiên họp này.")
    return pack


# ---- directives and corrective actions: the follow-up ---------------------------------------------


@dataclass
class FollowUpRow:
    kind: str  # directive | action
    pk: int
    title: str
    agency: str
    agency_ids: tuple[int, ...]
    source: str  # the session, or the inspection visit
    session_id: int | None
    deadline: datetime.date | None
    deadline_label: str
    state: str
    state_label: str
    percent: int | None
    closed: bool
    closing_reason: str
    late: bool
    unit_id: int | None = None  # the commune owning a corrective action (agency_ids are empty then)


def _agency_filter(access: Access) -> set[int] | None:
    """None: every agency; else the ids of the agency's own body and those it took over."""
    if access.is_province_wide:
        return None
    if access.agency_id is None:
        return set()
    return agency_predecessor_ids(access.agency_id)


def _sessions_by_document() -> dict[int, Session]:
    out = {}
    for s in Session.objects.select_related("conclusions_import").filter(
        Q(conclusions__isnull=False) | Q(conclusions_import__status=ImportStatus.PUBLISHED)
    ):
        doc_id = s.conclusions_id or s.conclusions_import.document_id
        if doc_id:
            out[doc_id] = s
    return out


def _leads(task_ids: list[int]) -> dict[int, list[Agency]]:
    out: dict[int, list[Agency]] = {}
    parties = TaskParty.objects.filter(task_id__in=task_ids, role=PartyRole.LEAD, agency__isnull=False)
    for party in parties.select_related("agency").order_by("task_id", "position"):
        out.setdefault(party.task_id, []).append(party.agency)
    return out


def directive_rows(
    *, actor: Access, at: datetime.date | None = None, session: Session | None = None
) -> list[FollowUpRow]:
    """Every directive the actor may see, with the state the dashboards give it on `at` (its
    latest approved update against its deadline: analytics' task_row), and its closing."""
    access = Access.of(actor)
    at = at or timezone.localdate()
    tasks = Task.objects.in_force(at).filter(document__doc_type=DocumentType.CONCLUSIONS)
    if session is not None:
        doc = conclusions_document(session)
        tasks = tasks.filter(document=doc) if doc else tasks.none()
    mine = _agency_filter(access)
    if mine is not None:
        tasks = tasks.filter(parties__agency_id__in=mine).distinct()
    tasks = list(tasks.select_related("document").order_by("document__issued_on", "document_id", "position"))
    ids = [t.pk for t in tasks]
    updates = latest_updates(Q(task_id__in=ids))
    leads = _leads(ids)
    closures = {c.task_id: c for c in DirectiveClosure.objects.filter(task_id__in=ids)}
    by_doc = _sessions_by_document()
    rows = []
    for task in tasks:
        tr = dashboard.task_row(task, updates.get(task.pk), at)
        closure = closures.get(task.pk)
        s = by_doc.get(task.document_id)
        agencies = leads.get(task.pk, [])
        rows.append(
            FollowUpRow(
                kind="directive",
                pk=task.pk,
                title=task.title,
                agency="; ".join(a.name for a in agencies),
                agency_ids=tuple(a.pk for a in agencies),
                source=str(s) if s else task.document.reference,
                session_id=s.pk if s else None,
                deadline=task.deadline,
                deadline_label=task.deadline_label,
                state=tr.state,
                state_label=tr.label,
                percent=tr.percent,
                closed=closure is not None,
                closing_reason=closure.reason if closure else "",
                late=tr.state == p.OVERDUE and closure is None,
            )
        )
    return rows


def _actions(access: Access) -> QuerySet[CorrectiveAction]:
    qs = CorrectiveAction.objects.select_related(
        "finding__visit__agency", "finding__visit__admin_unit", "finding__visit__plan", "owner", "owner_unit"
    )
    if access.is_province_wide:
        return qs
    if access.agency_id is not None:
        return qs.filter(owner_id__in=agency_predecessor_ids(access.agency_id))
    if access.admin_unit_id is not None:
        return qs.filter(owner_unit_id=access.admin_unit_id)
    return qs.none()


def action_rows(*, actor: Access, at: datetime.date | None = None) -> list[FollowUpRow]:
    access = Access.of(actor)
    at = at or timezone.localdate()
    rows = []
    for a in _actions(access):
        done = a.state == ActionState.DONE
        rows.append(
            FollowUpRow(
                kind="action",
                pk=a.pk,
                title=a.text,
                agency=a.owner_name,
                agency_ids=(a.owner_id,) if a.owner_id else (),
                source=f"{a.finding.visit.plan.title} — {a.finding.visit}",
                session_id=None,
                deadline=a.deadline,
                deadline_label=f"{a.deadline:%d/%m/%Y}",
                state=a.state,
                state_label=a.get_state_display(),
                percent=100 if done else None,
                closed=done,
                closing_reason=a.done_note,
                late=not done and a.deadline < at,
                unit_id=a.owner_unit_id,
            )
        )
    return rows


def follow_up(
    *,
    actor: Access,
    at: datetime.date | None = None,
    state: str = "",
    agency: int | None = None,
    session: int | None = None,
    late_only: bool = False,
) -> list[FollowUpRow]:
    """Directives and corrective actions in one list, filtered; the late first, then by deadline."""
    rows = directive_rows(actor=actor, at=at) + action_rows(actor=actor, at=at)
    if state == "open":
        rows = [r for r in rows if not r.closed]
    elif state == "closed":
        rows = [r for r in rows if r.closed]
    elif state:
        rows = [r for r in rows if r.state == state]
    if agency:
        rows = [r for r in rows if agency in r.agency_ids]
    if session:
        rows = [r for r in rows if r.session_id == session]
    if late_only:
        rows = [r for r in rows if r.late]
    return sorted(rows, key=lambda r: (not r.late, r.deadline or datetime.date.max, r.kind, r.pk))


# ---- inspections ----------------------------------------------------------------------------------


def inspection_plans(*, actor: Access) -> QuerySet[InspectionPlan]:
    _committee_reader(Access.of(actor))
    return InspectionPlan.objects.prefetch_related("teams")


def inspection_plan_get(*, actor: Access, pk: int) -> InspectionPlan:
    plan = inspection_plans(actor=actor).filter(pk=pk).first()
    if plan is None:
        raise NotFound("Không tìm thấy kế hoạch kiểm tra này.")
    return plan


def _own_visits(access: Access) -> QuerySet[InspectionVisit]:
    qs = InspectionVisit.objects.select_related("plan", "team", "agency", "admin_unit")
    if access.is_province_wide:
        return qs
    if access.agency_id is not None:
        return qs.filter(agency_id__in=agency_predecessor_ids(access.agency_id))
    if access.admin_unit_id is not None:
        return qs.filter(admin_unit_id=access.admin_unit_id)
    return qs.none()


def visit_get(*, actor: Access, pk: int) -> InspectionVisit:
    visit = _own_visits(Access.of(actor)).filter(pk=pk).first()
    if visit is None:
        raise NotFound("Không tìm thấy cuộc kiểm tra này.")
    return visit


def findings(*, actor: Access, open_only: bool = False) -> QuerySet[Finding]:
    """The findings the actor may see: all for the secretariat, a unit's own for that unit."""
    access = Access.of(actor)
    visits = _own_visits(access)
    qs = Finding.objects.filter(visit__in=visits).select_related(
        "visit__agency", "visit__admin_unit", "visit__plan", "task", "report__obligation__period"
    )
    if open_only:
        qs = qs.exclude(state=FindingState.CLOSED)
    return qs.prefetch_related("actions").order_by("visit__date", "pk")


def open_findings_by_unit(*, actor: Access) -> list[tuple[str, list[Finding]]]:
    _committee_reader(Access.of(actor))
    groups: dict[str, list[Finding]] = {}
    for f in findings(actor=actor, open_only=True):
        groups.setdefault(str(f.visit.unit), []).append(f)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def finding_get(*, actor: Access, pk: int) -> Finding:
    f = findings(actor=actor).filter(pk=pk).first()
    if f is None:
        raise NotFound("Không tìm thấy phát hiện kiểm tra này.")
    return f


def action_get(*, actor: Access, pk: int) -> CorrectiveAction:
    """A corrective action of a finding the actor may see (404 otherwise)."""
    action = CorrectiveAction.objects.filter(pk=pk, finding__in=findings(actor=actor)).first()
    if action is None:
        raise NotFound("Không tìm thấy biện pháp khắc phục này.")
    return action


def visit_subjects(visit: InspectionVisit) -> dict:
    """What a finding of `visit` may be held against: the unit's led tasks in force on the day
    and its reports (latest first)."""
    from dxtrack.reports.models import Report

    if visit.agency_id is not None:
        bodies = agency_predecessor_ids(visit.agency_id)
        tasks = Task.objects.in_force(visit.date).filter(parties__role=PartyRole.LEAD, parties__agency_id__in=bodies)
        reports = Report.objects.filter(obligation__agency_id__in=bodies)
    else:
        tasks = Task.objects.in_force(visit.date).filter(
            parties__role=PartyRole.LEAD, parties__admin_unit_id=visit.admin_unit_id
        )
        reports = Report.objects.filter(obligation__admin_unit_id=visit.admin_unit_id)
    return {
        "tasks": list(tasks.distinct().select_related("document").order_by("document_id", "position")[:300]),
        "reports": list(
            reports.select_related("obligation__period", "obligation__rule__document").order_by(
                "-obligation__period__end", "pk"
            )[:40]
        ),
    }
