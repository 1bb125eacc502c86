"""Steering's signals told to the people concerned, through notifications (ADR 0028, 0035).

Steering sits above notifications, so it listens to its own signals here (connected in
`SteeringConfig.ready`) rather than notifications importing it. Each signal is sent after its
transaction commits; `notify` writes one notification per person and event key, so a signal sent
twice (a retried task) tells nobody twice."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from dxtrack.accounts.access import SYSTEM
from dxtrack.core.dates import format_vn_date
from dxtrack.notifications.selectors import unit_people
from dxtrack.notifications.services import Kind, notify
from dxtrack.plans.models import PartyRole, TaskParty

from .models import CorrectiveAction
from .signals import corrective_action_assigned, directive_assigned, follow_up_due


def _people_of(item: dict) -> list:
    """The people of a follow-up item's agencies, and of its owner commune (a corrective action
    after a commune's inspection has no agency). `.get`: items announced before the commune was
    carried have none."""
    people = [person for agency_id in sorted(set(item["agency_ids"])) for person in unit_people(agency_id=agency_id)]
    if item.get("admin_unit_id"):
        people += list(unit_people(admin_unit_id=item["admin_unit_id"]))
    return people


@receiver(directive_assigned, dispatch_uid="steering.notify.directive_assigned")
def _directive_assigned(sender, task_ids, session_id, **kwargs) -> None:
    url = reverse("steering:follow_up")
    parties = TaskParty.objects.filter(task_id__in=task_ids, role=PartyRole.LEAD, agency__isnull=False)
    for party in parties.select_related("task").order_by("task_id", "position"):
        task = party.task
        deadline = f" — {_('hạn')} {format_vn_date(task.deadline)}" if task.deadline else ""
        notify(
            actor=SYSTEM,
            recipients=unit_people(agency_id=party.agency_id),
            kind=Kind.ASSIGNED,
            title=_("Được giao chỉ đạo: %(title)s") % {"title": task.title[:180]},
            body=f"{task.title}{deadline}",
            url=url,
            key=f"directive:{task.pk}:assigned",
        )


@receiver(corrective_action_assigned, dispatch_uid="steering.notify.corrective_action_assigned")
def _corrective_action_assigned(sender, action_id, **kwargs) -> None:
    action = CorrectiveAction.objects.filter(pk=action_id).first()
    if action is None:
        return
    recipients = (
        unit_people(agency_id=action.owner_id) if action.owner_id else unit_people(admin_unit_id=action.owner_unit_id)
    )
    notify(
        actor=SYSTEM,
        recipients=recipients,
        kind=Kind.ASSIGNED,
        title=_("Được giao biện pháp khắc phục sau kiểm tra, hạn %(deadline)s")
        % {"deadline": format_vn_date(action.deadline)},
        body=action.text,
        url=reverse("steering:my_findings"),
        key=f"corrective-action:{action.pk}:assigned",
    )


@receiver(follow_up_due, dispatch_uid="steering.notify.follow_up_due")
def _follow_up_due(sender, due_soon, overdue, today, **kwargs) -> None:
    url = reverse("steering:follow_up")
    for kind, items in ((Kind.DUE_SOON, due_soon), (Kind.OVERDUE, overdue)):
        for item in items:
            what = _("Chỉ đạo") if item["kind"] == "directive" else _("Biện pháp khắc phục")
            state = _("sắp đến hạn") if kind == Kind.DUE_SOON else _("đã quá hạn")
            notify(
                actor=SYSTEM,
                recipients=_people_of(item),
                kind=kind,
                title=f"{what} {state}: {item['title'][:180]}",
                body=item["title"],
                url=url,
                # once a day at most for each item and state
                key=f"{item['kind']}:{item['pk']}:{kind}:{today}",
            )
