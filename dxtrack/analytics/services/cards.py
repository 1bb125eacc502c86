"""One scorecard from a body's figures (the statuses of its targets, its tasks' latest states, its
reports' timeliness), and the reads those figures come from, shared by the agencies' and the
communes' cards and by the pages and the periodic report that show the same figures."""

import datetime
from collections import Counter, defaultdict

from django.db.models import Q
from django.utils import timezone

from dxtrack.obligations.models import Obligation
from dxtrack.org.models import Agency
from dxtrack.org.selectors import agency_predecessor_ids
from dxtrack.plans.models import Task
from dxtrack.reports.models import TaskUpdate
from dxtrack.reports.selectors import rate_counts

from .. import progress as p
from ..models import Scorecard
from .targets import STATUSES


def group_summary(progresses) -> tuple[dict, float | None]:
    """A group's counts by status and mean score, from members with a status and a score."""
    counts = Counter(tp.status for tp in progresses)
    score = p.group_score([tp.score for tp in progresses])
    return {s: counts[s] for s in STATUSES if counts.get(s)}, score


def make_card(kind, key, label, progresses=(), *, summary=None, tasks=None, rates=(0, 0, 0), reasons=None) -> Scorecard:
    """`summary`: the (counts, score) of `progresses` when the caller has them already."""
    counts, score = summary if summary is not None else group_summary(progresses)
    expected, reported, on_time = rates
    return Scorecard(
        kind=kind,
        key=str(key),
        label=label[:255],
        counts=counts,
        score=None if score is None else round(score, 4),
        status=p.status_of_score(score),
        tasks=dict(tasks or {}),
        overdue_tasks=(tasks or {}).get(p.OVERDUE, 0),
        expected_reports=expected,
        reported=reported,
        on_time=on_time,
        reasons=reasons or [],
        computed_at=timezone.now(),
    )


def latest_updates(body_filter: Q) -> dict[int, TaskUpdate]:
    """The latest approved update of each task among the updates `body_filter` selects (by
    period end, then id). Only the winning rows are built: over a whole province there are tens
    of thousands of approved updates."""
    latest = dict(
        TaskUpdate.objects.approved()
        .filter(body_filter)
        .order_by("task_id", "report__obligation__period__end", "pk")
        .values_list("task_id", "pk")
    )  # later rows of a task overwrite earlier ones: the latest wins
    updates = TaskUpdate.objects.filter(pk__in=latest.values()).select_related("report__obligation__period")
    return {u.task_id: u for u in updates}


def latest_states(body_filter: Q) -> dict[int, str]:
    """The state in the latest approved update of each task from the given bodies' reports
    (the scorecards need only that: no model instances)."""
    rows = (
        TaskUpdate.objects.approved()
        .filter(body_filter)
        .order_by("task_id", "report__obligation__period__end", "pk")
        .values_list("task_id", "state")
    )
    return dict(rows)  # later rows of a task overwrite earlier ones: the latest wins


def task_states(tasks: list[Task], states: dict[int, str], at: datetime.date) -> Counter:
    out = Counter()
    for task in tasks:
        reported = states.get(task.pk)
        recurring = task.recurrence in ("continuous", "quarterly", "semiannual", "yearly")
        state = p.task_state(
            recurrence=task.recurrence,
            deadline=task.deadline,
            reported_state=reported,
            at=at,
            updated_in_period=reported is not None if recurring else True,
        )
        out[state] += 1
    return out


def predecessors(agency: Agency) -> set[int]:
    return agency_predecessor_ids(agency.pk)


def rates_by(field: str, ids, at: datetime.date) -> dict[int, tuple[int, int, int]]:
    """(expected, reported, on time) per reporting body, in one grouped query."""
    rows = Obligation.objects.filter(**{f"{field}__in": ids}, due__lt=at).values(field)
    rows = rows.annotate(**rate_counts()).order_by()
    return {r[field]: (r["expected"], r["reported"], r["on_time"]) for r in rows}


def states_by(field: str, ids) -> dict[int, dict[int, str]]:
    """The latest approved state of each task, per reporting body, in one query."""
    rows = (
        TaskUpdate.objects.approved()
        .filter(**{f"report__obligation__{field}__in": ids})
        .order_by("report__obligation__period__end", "pk")
        .values_list(f"report__obligation__{field}", "task_id", "state")
    )
    out: dict[int, dict[int, str]] = defaultdict(dict)
    for body, task_id, state in rows.iterator(chunk_size=20000):
        out[body][task_id] = state  # later rows overwrite earlier: the latest wins
    return out
