"""`notify`: the one way any app tells people something (ADR 0028).

    from dxtrack.notifications.services import notify, Kind

    notify(
        actor=access,
        recipients=recipients.unit_people(agency_id=..., admin_unit_id=...),
        kind=Kind.ASSIGNED,
        title="Được giao nhiệm vụ …",
        body="…",
        url=reverse("…"),
        key=f"directive:{directive.pk}:assigned",
    )

Call it inside the service's transaction, beside the change it tells of: the rows are written with
that change and roll back with it. Each recipient gets at most one notification per `key` (the
event: name it by what happened, e.g. "report:42:submit:v3"); a second call with the same key —
a retried task, a re-run command — writes and sends nothing. Inactive users are skipped.

How each person receives a kind is their preference (in the app, by e-mail, both; the kind's
default otherwise). The e-mail is queued only after the transaction commits (the task queue's
`deliver_email`, which claims the row before sending, so a task run twice mails once); a rolled-back
transaction leaves neither the row nor the e-mail.

No audit event: a notification is the consequence of an audited change, and its row is its record.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from dxtrack.accounts.access import Access

from ..models import DEFAULT_DELIVERY, Delivery, Kind, Notification, Preference

TITLE_MAX = 255
URL_MAX = 500
KEY_MAX = 200


def deliveries(users: list, kind: str) -> dict[int, str]:
    """user id → how that user receives `kind` (their preference, else the default)."""
    chosen = dict(
        Preference.objects.filter(user__in=[u.pk for u in users], kind=kind).values_list("user_id", "delivery")
    )
    return {u.pk: chosen.get(u.pk, DEFAULT_DELIVERY[kind]) for u in users}


def notify(
    *,
    actor: Access,
    recipients: Iterable,
    kind: str,
    title: str,
    key: str,
    body: str = "",
    url: str = "",
) -> list[Notification]:
    """Notifies each active user of `recipients` once per `key`; returns the rows written now
    (none for the users already notified of this event)."""
    Access.of(actor)  # refuses None, like every service; anyone acting may cause a notification
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not key or len(key) > KEY_MAX - 12:
        raise ValueError("a notification key names the event, at most 188 characters")
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not users:
        return []
    how = deliveries(list(users.values()), kind)
    written: list[Notification] = []
    with transaction.atomic():
        for user in sorted(users.values(), key=lambda u: u.pk):
            delivery = how[user.pk]
            by_email = delivery in (Delivery.EMAIL, Delivery.BOTH) and bool(user.email)
            try:
                with transaction.atomic():  # a savepoint: a duplicate leaves the caller's work intact
                    note = Notification.objects.create(
                        recipient=user,
                        kind=kind,
                        title=title[:TITLE_MAX],
                        body=body,
                        url=url[:URL_MAX],
                        key=f"{key}|u{user.pk}",
                        in_app=delivery in (Delivery.APP, Delivery.BOTH),
                        by_email=by_email,
                    )
            except IntegrityError:
                continue  # this person was told of this event already
            written.append(note)
            if by_email:
                transaction.on_commit(lambda pk=note.pk: _queue_email(pk), robust=True)
    return written


def _queue_email(notification_id: int) -> None:
    from ..tasks import deliver_email

    deliver_email.enqueue(notification_id)
