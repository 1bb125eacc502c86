"""Reminders: a report due soon, a report overdue — sent as notifications (ADR 0028).

Who is told: the active reporters and approvers of the reporting body (its agency or its
administrative unit). Each gets one notification per obligation and reason, in the app and/or by
e-mail as they chose for that kind (due_soon, overdue).

At most once per reason: the Reminder row (unique per obligation and kind) is written first, in
the transaction that decides to send, with the notifications; their e-mails are queued only after
that transaction commits. A second run, even a concurrent one, fails to insert the same row and
sends nothing. The price is that a mail server failure after the commit loses that one e-mail (it
is logged) rather than risking a second e-mail to every unit on each retry.

An obligation whose body has nobody to write to gets no Reminder row: a user added later is
still reminded, for as long as the reason still holds.

Old periods do not spam: nothing is sent for a closed period, and "overdue" only within
DXTRACK_REMINDER_OVERDUE_MAX_DAYS days after the due date.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role, User
from dxtrack.core import audit
from dxtrack.core.dates import format_vn_date
from dxtrack.core.errors import NotAllowed
from dxtrack.notifications.services import Delivery, Kind, notify
from dxtrack.notifications.services.send import deliveries
from dxtrack.obligations.models import Obligation, Reminder
from dxtrack.reports.models import ReportStatus

logger = logging.getLogger(__name__)

DUE_SOON, OVERDUE = "due_soon", "overdue"
# A report counts as "not yet sent" with no report at all, or one the unit is still editing.
UNSENT = Q(report__isnull=True) | Q(report__status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
STATUS_TEXT = {None: "chưa lập báo cáo", ReportStatus.DRAFT: "đang soạn", ReportStatus.RETURNED: "bị trả lại"}


@dataclass(frozen=True)
class ReminderResult:
    due_soon: int
    overdue: int
    no_addressee: int  # obligations left without a reminder because nobody could be written to

    @property
    def sent(self) -> int:
        return self.due_soon + self.overdue

    def as_dict(self) -> dict:
        return {"due_soon": self.due_soon, "overdue": self.overdue, "no_addressee": self.no_addressee}


def days_before() -> int:
    return int(getattr(settings, "DXTRACK_REMINDER_DAYS_BEFORE", 7))


def overdue_max_days() -> int:
    return int(getattr(settings, "DXTRACK_REMINDER_OVERDUE_MAX_DAYS", 30))


def site_url() -> str:
    return getattr(settings, "DXTRACK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def candidates(today: datetime.date) -> list[tuple[Obligation, str]]:
    """(obligation, kind) still owed a reminder today, oldest due date first."""
    open_unsent = (
        Obligation.objects.filter(UNSENT, period__closed_at__isnull=True)
        .select_related("period", "rule__document", "agency", "admin_unit", "report")
        .order_by("due", "pk")
    )
    soon = open_unsent.filter(due__gte=today, due__lte=today + datetime.timedelta(days=days_before())).exclude(
        reminders__kind=DUE_SOON
    )
    late = open_unsent.filter(due__lt=today, due__gte=today - datetime.timedelta(days=overdue_max_days())).exclude(
        reminders__kind=OVERDUE
    )
    return [(o, DUE_SOON) for o in soon] + [(o, OVERDUE) for o in late]


def people(obligations: list[Obligation]) -> dict[tuple[str, int], list[User]]:
    """("agency"|"unit", id) → that body's active reporters and approvers (notified in the app
    even without an e-mail address)."""
    agency_ids = {o.agency_id for o in obligations if o.agency_id}
    unit_ids = {o.admin_unit_id for o in obligations if o.admin_unit_id}
    users = (
        User.objects.filter(Q(agency_id__in=agency_ids) | Q(admin_unit_id__in=unit_ids))
        .filter(is_active=True, role__in=[Role.REPORTER, Role.APPROVER])
        .order_by("role", "username")
    )
    out: dict[tuple[str, int], list[User]] = {}
    for user in users:
        key = ("agency", user.agency_id) if user.agency_id else ("unit", user.admin_unit_id)
        out.setdefault(key, []).append(user)
    return out


def _body_key(obligation: Obligation) -> tuple[str, int]:
    return ("agency", obligation.agency_id) if obligation.agency_id else ("unit", obligation.admin_unit_id)


def compose(obligation: Obligation, kind: str, today: datetime.date) -> tuple[str, str]:
    """The Vietnamese subject and body of one reminder."""
    unit = str(obligation.agency or obligation.admin_unit)
    period = obligation.period.label
    due = format_vn_date(obligation.due)
    days = (obligation.due - today).days
    report = getattr(obligation, "report", None)
    status = STATUS_TEXT.get(report.status if report else None, "")
    if kind == DUE_SOON:
        subject = f"[Nhắc việc] Báo cáo {period} của {unit} sắp đến hạn ({due})"
        when = "Hôm nay là hạn cuối gửi báo cáo." if days == 0 else f"Còn {days} ngày nữa là đến hạn gửi báo cáo."
    else:
        subject = f"[Quá hạn] Báo cáo {period} của {unit} đã quá hạn {-days} ngày"
        when = f"Báo cáo đã quá hạn {-days} ngày."
    body = "\n".join(
        [
            f"Kính gửi: {unit}",
            "",
            f"Báo cáo kỳ {period} theo {obligation.rule.document} của đơn vị chưa được gửi (hiện {status}).",
            f"Hạn gửi: {due}. {when}",
            "Đề nghị đơn vị hoàn thiện và gửi báo cáo.",
        ]
    )
    # The link and the automatic-mail notice are added by the notification's e-mail.
    return subject, body


def reminders_send(*, actor: Access, today: datetime.date | None = None) -> ReminderResult:
    """Sends every reminder owed today and records each, so that none is ever sent twice.
    Each obligation is its own transaction: the Reminder row and its audit event commit
    together, and the e-mail leaves only after that commit."""
    access = Access.of(actor)
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được gửi nhắc báo cáo.")
    today = today or timezone.localdate()
    found = candidates(today)
    told = people([o for o, _kind in found])
    counts = {DUE_SOON: 0, OVERDUE: 0}
    nobody = 0
    for obligation, kind in found:
        users = told.get(_body_key(obligation), [])
        if not users:
            nobody += 1
            continue
        recipients = [u.username for u in users]
        subject, body = compose(obligation, kind, today)
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(obligation=obligation, kind=kind, recipients=recipients)
                audit.record(
                    actor=access,
                    action=f"reporting.reminder.{kind}",
                    target=reminder,
                    changes={"recipients": [None, recipients]},
                    reason=subject,
                )
                notify(
                    actor=access,
                    recipients=users,
                    kind=Kind.DUE_SOON if kind == DUE_SOON else Kind.OVERDUE,
                    title=subject,
                    body=body,
                    url=reverse("reports:obligation", args=[obligation.pk]),
                    key=f"reminder:{reminder.pk}",
                )
        except IntegrityError:
            continue  # another run recorded (and sends) this reminder
        counts[kind] += 1
    return ReminderResult(counts[DUE_SOON], counts[OVERDUE], nobody)


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder that a run today would send: to whom, about what, with which subject."""

    obligation: Obligation
    kind: str
    recipients: list[str]
    subject: str
    body: str

    @property
    def kind_label(self) -> str:
        return "Sắp đến hạn" if self.kind == DUE_SOON else "Quá hạn"


def _addressee(user: User, delivery: str) -> str:
    """A person as the preview shows them, with how `notify` will reach them: their own
    preference, and e-mail only to an address they have."""
    name = user.get_full_name() or user.username
    by_email = delivery in (Delivery.EMAIL, Delivery.BOTH) and user.email
    in_app = delivery in (Delivery.APP, Delivery.BOTH)
    if by_email and in_app:
        return _("%(name)s (trong ứng dụng và e-mail %(email)s)") % {"name": name, "email": user.email}
    if by_email:
        return _("%(name)s (e-mail %(email)s)") % {"name": name, "email": user.email}
    return _("%(name)s (trong ứng dụng)") % {"name": name}


def reminders_preview(*, actor: Access, today: datetime.date | None = None) -> list[PlannedReminder]:
    """What `reminders_send` would send today, without sending or recording anything: the same
    candidates, people (each with how they are reached) and wording, so the secretariat sees exactly who gets what. An
    obligation whose body has nobody to write to appears with no recipients (it gets nothing)."""
    access = Access.of(actor)
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được xem và gửi nhắc báo cáo.")
    today = today or timezone.localdate()
    found = candidates(today)
    told = people([o for o, _kind in found])
    planned = []
    for obligation, kind in found:
        subject, body = compose(obligation, kind, today)
        users = told.get(_body_key(obligation), [])
        how = deliveries(users, Kind.DUE_SOON if kind == DUE_SOON else Kind.OVERDUE)
        recipients = [_addressee(user, how[user.pk]) for user in users]
        planned.append(PlannedReminder(obligation, kind, recipients, subject, body))
    return planned
