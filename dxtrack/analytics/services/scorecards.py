"""Rebuilding the scorecards: the province, its pillars and sectors, every agency and every
commune, ranked. Derived data: no audit event."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dxtrack.core.bulk import insert_rows
from dxtrack.obligations.models import IndicatorReporter, Obligation
from dxtrack.org.models import Agency, AgencyChange
from dxtrack.plans.models import Pillar, Task, TaskParty

from .. import rollup
from ..models import Scorecard, TargetProgress
from .cards import make_card, rates_by, states_by, task_states
from .communes import commune_scorecards
from .targets import STATUSES, status_label, targets_in_force


def _rank(cards: list[Scorecard]) -> None:
    """Higher score first, then the better on-time rate; units with no assessable target last."""
    ordered = sorted(
        cards,
        key=lambda c: (c.score is None, -(c.score or 0), -(c.on_time_rate or 0), c.label),
    )
    for place, card in enumerate(ordered, start=1):
        card.rank = place


def _reasons(card: Scorecard) -> list[str]:
    parts = []
    for status in STATUSES:
        if card.counts.get(status):
            parts.append(f"{card.counts[status]} chỉ tiêu {status_label(status).lower()}")
    if card.expected_reports:
        parts.append(f"báo cáo đúng hạn {card.on_time}/{card.expected_reports}")
    if card.overdue_tasks:
        parts.append(f"{card.overdue_tasks} nhiệm vụ quá hạn")
    return parts


def _agency_cards(progress_of, at: datetime.date, agency_ids=None) -> list[Scorecard]:
    """Agencies: the targets whose provincial figure they report, the tasks they lead (named
    themselves or through an agency whose duties they took over), their reports."""
    assigned = defaultdict(set)
    for indicator_id, agency_id in IndicatorReporter.objects.values_list("indicator_id", "agency_id"):
        assigned[agency_id].add(indicator_id)
    leads = defaultdict(set)
    for task_id, agency_id in TaskParty.objects.filter(role="lead", agency__isnull=False).values_list(
        "task_id", "agency_id"
    ):
        leads[agency_id].add(task_id)
    with_obligations = Obligation.objects.filter(agency__isnull=False)
    if agency_ids is not None:
        with_obligations = with_obligations.filter(agency_id__in=agency_ids)
    with_obligations = set(with_obligations.order_by().values_list("agency_id", flat=True).distinct())
    qs = Agency.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=at)).filter(
        Q(pk__in=set(assigned) | set(leads) | with_obligations)
    )
    if agency_ids is not None:
        qs = qs.filter(pk__in=agency_ids)
    agencies = list(qs.only("pk", "code", "name"))
    olds = defaultdict(set)
    for old, new in AgencyChange.objects.values_list("old_id", "new_id"):
        olds[new].add(old)

    def predecessors_of(agency_id):
        found, frontier = {agency_id}, [agency_id]
        while frontier:
            nxt = {o for f in frontier for o in olds.get(f, ())} - found
            found |= nxt
            frontier = list(nxt)
        return found

    bodies = {a.pk: predecessors_of(a.pk) for a in agencies}
    all_bodies = {b for group in bodies.values() for b in group}
    rates = rates_by("agency_id", all_bodies, at)
    states = states_by("agency_id", all_bodies)
    tasks_by_id = {t.pk: t for t in Task.objects.in_force(at).filter(pk__in={t for ts in leads.values() for t in ts})}
    by_indicator = defaultdict(list)
    for t, tp in progress_of:
        by_indicator[t.indicator_id].append(tp)
    cards = []
    for agency in agencies:
        own = bodies[agency.pk]
        members = [tp for i in assigned.get(agency.pk, ()) for tp in by_indicator.get(i, [])]
        led = [tasks_by_id[t] for b in own for t in leads.get(b, ()) if t in tasks_by_id]
        led = list({t.pk: t for t in led}.values())
        merged_states = {t: st for b in own for t, st in states.get(b, {}).items()}
        totals = tuple(sum(rates.get(b, (0, 0, 0))[i] for b in own) for i in range(3))
        cards.append(
            make_card(
                "agency", agency.code, agency.name, members, tasks=task_states(led, merged_states, at), rates=totals
            )
        )
    return cards


@transaction.atomic
def scorecards_recompute(
    *, at: datetime.date | None = None, communes=None, agencies=None, rows=None, periods=None, workers: int = 1
) -> int:
    """Rebuilds the scorecards from the stored target progress and the aggregates. `communes` /
    `agencies` (ids) limit the per-unit cards rebuilt (after one approval); the province,
    pillar and sector cards are always rebuilt (they are few), and every card is re-ranked."""
    at = at or timezone.localdate()
    if rows is None:
        rows = rollup.stored_aggregates()
        periods = rollup.periods_of(rows)
    targets = targets_in_force(at=at)
    stored = {tp.target_id: tp for tp in TargetProgress.objects.all()}
    progress_of = [(t, stored[t.pk]) for t in targets if t.pk in stored]
    # The province's card: keyed by its code (settings), labelled as its kind is ("Toàn tỉnh").
    province = str(dict(Scorecard.KINDS)["province"])
    cards: list[Scorecard] = [
        make_card("province", settings.DXTRACK_PROVINCE_CODE, province, [tp for _, tp in progress_of])
    ]
    for pillar, label in Pillar.choices:
        members = [tp for t, tp in progress_of if (t.pillar or t.indicator.pillar) == pillar]
        if members:
            cards.append(make_card("pillar", pillar, str(label), members))
    by_sector = defaultdict(list)
    for t, tp in progress_of:
        if t.sector or t.indicator.sector:
            by_sector[t.sector or t.indicator.sector].append(tp)
    for sector in sorted(by_sector):
        cards.append(make_card("sector", sector, sector, by_sector[sector]))
    agency_cards = _agency_cards(progress_of, at, agencies)
    commune_cards = commune_scorecards(targets, at, rows=rows, periods=periods, unit_ids=communes, workers=workers)
    for card in agency_cards + commune_cards:
        card.reasons = _reasons(card)
    if agencies is None and communes is None:
        for group in (agency_cards, commune_cards):
            _rank(group)
        Scorecard.objects.all().delete()
        insert_rows(Scorecard, cards + agency_cards + commune_cards)
        return len(cards) + len(agency_cards) + len(commune_cards)
    # After one approval: replace the few group cards and the rebuilt ones, then re-rank with the
    # stored cards of the same kinds, writing only the ranks that moved.
    rebuilt = {("agency", c.key) for c in agency_cards} | {("commune", c.key) for c in commune_cards}
    kept = [c for c in Scorecard.objects.filter(kind__in=["agency", "commune"]) if (c.kind, c.key) not in rebuilt]
    before = {c.pk: c.rank for c in kept}
    for kind, fresh in (("agency", agency_cards), ("commune", commune_cards)):
        _rank(fresh + [c for c in kept if c.kind == kind])
    Scorecard.objects.filter(kind__in=["province", "pillar", "sector"]).delete()
    for kind, key in rebuilt:
        Scorecard.objects.filter(kind=kind, key=key).delete()
    insert_rows(Scorecard, cards + agency_cards + commune_cards)
    Scorecard.objects.bulk_update([c for c in kept if c.rank != before[c.pk]], ["rank"], batch_size=1000)
    return len(cards) + len(agency_cards) + len(commune_cards) + len(kept)
