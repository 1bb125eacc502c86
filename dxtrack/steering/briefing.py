"""What a session's briefing pack says, as of a date, gathered from the very selectors the
dashboards and the periodic report use, so that each number in the pack is the number on the
screen that day:

- targets by status: `analytics.selectors.summary()` (the overview's cards) and `target_rows()`;
  those whose status moved since the last session's pack;
- late and missing reports: `reports.selectors.late_reports(today=as_of)` (the completeness page);
- overdue tasks and directives: each in-force task's state as `analytics.selectors.task_row`
  gives it (its latest approved update against its deadline on `as_of`), directives apart;
- the last session's directives by state.

No assessment section: no assessments selector exists in this tree (ADR 0035).
Plain JSON, stored with the pack, so a later pack can compare and a document renders the same.
"""

import datetime
from collections import Counter

from django.db.models import Q

from dxtrack.accounts.access import Access
from dxtrack.analytics import progress as p
from dxtrack.analytics import selectors as dashboard
from dxtrack.analytics.services.cards import latest_updates
from dxtrack.core.dates import format_vn_date
from dxtrack.plans.models import DocumentType, Task
from dxtrack.reports import selectors as reporting

from . import selectors
from .models import Session

LATE_LISTED = 200  # the pack lists at most this many late reports by name; the counts are whole


def _targets() -> tuple[dict, list[dict]]:
    summary = dashboard.summary()
    cards = [{"status": c.status, "label": str(c.label), "count": c.count} for c in summary.cards]
    rows = [
        {
            "id": r.target.pk,
            "label": r.target.label,
            "document": r.target.document.reference,
            "year": r.target.year,
            "status": r.progress.status,
            "status_label": r.status_label,
        }
        for r in dashboard.target_rows()
    ]
    return {"total": summary.total, "cards": cards, "status": summary.status_label}, rows


def _moved(rows: list[dict], before: dict | None) -> list[dict]:
    if not before:
        return []
    was = {t["id"]: t for t in before.get("target_rows", [])}
    out = []
    for t in rows:
        old = was.get(t["id"])
        if old is not None and old["status"] != t["status"]:
            out.append(t | {"before": old["status"], "before_label": old["status_label"]})
    return out


def _late(access: Access, at: datetime.date) -> dict:
    rows = reporting.late_reports(actor=access, today=at)
    counts = Counter(r.status for r in rows)
    return {
        "total": len(rows),
        "missing": counts.get("missing", 0),
        "by_status": [
            {"status": s, "label": str(reporting.LATE_LABELS.get(s, s)), "count": n} for s, n in counts.items()
        ],
        "rows": [
            {
                "unit": str(r.obligation.agency or r.obligation.admin_unit),
                "period": r.obligation.period.label,
                "due": format_vn_date(r.obligation.due),
                "status": r.status,
                "status_label": r.status_label,
                "days_late": r.days_late,
            }
            for r in rows[:LATE_LISTED]
        ],
    }


def _lead_names(task_ids: list[int]) -> dict[int, str]:
    from dxtrack.plans.models import PartyRole, TaskParty

    names: dict[int, list[str]] = {}
    for party in (
        TaskParty.objects.filter(task_id__in=task_ids, role=PartyRole.LEAD)
        .select_related("agency", "group", "admin_unit")
        .order_by("task_id", "position")
    ):
        body = party.agency or party.group or party.admin_unit
        names.setdefault(party.task_id, []).append(body.name if body else party.text)
    return {k: "; ".join(v) for k, v in names.items()}


def _tasks(at: datetime.date) -> dict:
    tasks = list(
        Task.objects.in_force(at).select_related("document").order_by("document__issued_on", "document_id", "position")
    )
    updates = latest_updates(Q(task_id__in=[t.pk for t in tasks]))
    rows = [dashboard.task_row(t, updates.get(t.pk), at) for t in tasks]
    overdue = [r for r in rows if r.state == p.OVERDUE]
    leads = _lead_names([r.task.pk for r in overdue])

    def fact(r) -> dict:
        return {
            "id": r.task.pk,
            "title": r.task.title,
            "document": r.task.document.reference,
            "lead": leads.get(r.task.pk, ""),
            "deadline": r.task.deadline_label,
            "percent": r.percent,
        }

    is_directive = {t.pk for t in tasks if t.document.doc_type == DocumentType.CONCLUSIONS}
    counts = Counter(r.state for r in rows)
    return {
        "counts": [
            {"state": s, "label": str(p.TASK_LABELS[s]), "count": counts.get(s, 0)} for s in dashboard.TASK_STATES
        ],
        "total": len(rows),
        "overdue_tasks": [fact(r) for r in overdue if r.task.pk not in is_directive],
        "overdue_directives": [fact(r) for r in overdue if r.task.pk in is_directive],
    }


def _last_directives(access: Access, previous: Session | None, at: datetime.date) -> dict | None:
    if previous is None:
        return None
    rows = selectors.directive_rows(actor=access, at=at, session=previous)
    counts = Counter(r.state_label for r in rows)
    return {
        "session": str(previous),
        "total": len(rows),
        "closed": sum(1 for r in rows if r.closed),
        "late": sum(1 for r in rows if r.late),
        "by_state": [{"label": k, "count": v} for k, v in counts.items()],
    }


def gather(*, actor: Access, session: Session, at: datetime.date) -> dict:
    access = Access.of(actor)
    previous = selectors.previous_session(session)
    before = previous.packs.first().facts if previous is not None and previous.packs.exists() else None
    targets, target_rows = _targets()
    return {
        "at": at.isoformat(),
        "session": {"id": session.pk, "title": session.title, "date": session.date.isoformat()},
        "previous": {"id": previous.pk, "title": str(previous)} if previous else None,
        "as_of_year": dashboard.assessed_as_of(),
        "targets": targets,
        "target_rows": target_rows,
        "moved": _moved(target_rows, before),
        "moved_compared": before is not None,
        "late": _late(access, at),
        "tasks": _tasks(at),
        "last_directives": _last_directives(access, previous, at),
    }
