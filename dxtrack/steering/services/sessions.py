"""Sessions: the secretariat schedules one (members invited from the committee as it stands on the
day), records its minutes and attendance after it, or cancels it. The states move only along
SESSION_TRANSITIONS."""

import datetime

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.text import clean_text

from ..models import Attendance, CommitteeMember, Session, SessionKind, SessionMember, SessionStatus

# scheduled → held | cancelled; held and cancelled are final (minutes may be corrected while held).
SESSION_TRANSITIONS = {
    SessionStatus.SCHEDULED: {SessionStatus.HELD, SessionStatus.CANCELLED},
    SessionStatus.HELD: {SessionStatus.HELD},
    SessionStatus.CANCELLED: set(),
}
MAX_MINUTES = 20000


def require_secretariat(access: Access) -> None:
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc Ban Chỉ đạo được thực hiện thao tác này.")


def transition(session: Session, to: str) -> None:
    if to not in SESSION_TRANSITIONS[SessionStatus(session.status)]:
        raise DomainError(
            f"Phiên họp đang ở trạng thái “{session.get_status_display()}”, không thể chuyển sang "
            f"“{SessionStatus(to).label}”."
        )
    session.status = to


QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def default_title(kind: str, day: datetime.date) -> str:
    """How the committee names its sessions: "Phiên họp quý I năm 2025", "Phiên họp sơ kết 6 tháng
    đầu năm 2025", … ; an extraordinary one by its day."""
    y = day.year
    return {
        SessionKind.QUARTERLY: f"Phiên họp quý {QUARTERS[(day.month - 1) // 3 + 1]} năm {y}",
        SessionKind.SIX_MONTH: f"Phiên họp sơ kết 6 tháng đầu năm {y}",
        SessionKind.NINE_MONTH: f"Phiên họp sơ kết 9 tháng năm {y}",
        SessionKind.YEAR_END: f"Phiên họp tổng kết năm {y}",
    }.get(kind, f"Phiên họp bất thường ngày {day:%d/%m/%Y}")


def members_on(day: datetime.date) -> list[CommitteeMember]:
    """The committee as it stands on `day` (membership changes over time)."""
    return [m for m in CommitteeMember.objects.select_related("agency") if m.serves_on(day)]


@transaction.atomic
def session_schedule(
    *,
    actor: Access,
    kind: str,
    date: datetime.date,
    title: str = "",
    venue: str = "",
    chair: CommitteeMember | None = None,
    plan=None,
    member_ids: list[int] | None = None,
) -> Session:
    """A session on `date`; invites the given members, or every member serving on that date."""
    access = Access.of(actor)
    require_secretariat(access)
    if kind not in SessionKind.values:
        raise InvalidData("Loại phiên họp không hợp lệ.")
    if not 2000 <= date.year <= 2100:
        raise InvalidData("Ngày họp phải trong khoảng năm 2000–2100.")
    serving = {m.pk: m for m in members_on(date)}
    if member_ids is not None:
        outside = [pk for pk in member_ids if pk not in serving]
        if outside:
            raise InvalidData("Có người được mời không còn là thành viên Ban Chỉ đạo vào ngày họp.")
        invited = [serving[pk] for pk in member_ids]
    else:
        invited = list(serving.values())
    if chair is not None and chair.pk not in serving:
        raise InvalidData(f"{chair.person} không là thành viên Ban Chỉ đạo vào ngày {date:%d/%m/%Y}.")
    title = clean_text(title)[:300] or default_title(kind, date)
    session = Session.objects.create(
        kind=kind,
        date=date,
        title=title,
        venue=clean_text(venue)[:200],
        chair=chair,
        plan=plan,
        created_by=access.user,
    )
    SessionMember.objects.bulk_create([SessionMember(session=session, member=m) for m in invited])
    audit.record(
        actor=access,
        action="steering.session.schedule",
        target=session,
        changes={"date": [None, date.isoformat()], "kind": [None, kind], "invited": [0, len(invited)]},
    )
    return session


@transaction.atomic
def session_record(*, actor: Access, session: Session, minutes: str, attendance: dict[int, tuple[str, str]]) -> Session:
    """Minutes and attendance after the session: `attendance` maps a SessionMember id to its
    (attendance, note). The session becomes held."""
    access = Access.of(actor)
    require_secretariat(access)
    session = Session.objects.select_for_update().get(pk=session.pk)
    minutes = clean_text(minutes or "")
    if len(minutes) > MAX_MINUTES:
        raise InvalidData(f"Biên bản dài quá {MAX_MINUTES} ký tự.")
    rows = {sm.pk: sm for sm in session.members.all()}
    unknown = set(attendance) - set(rows)
    if unknown:
        raise InvalidData("Có người trong danh sách tham dự không được mời họp phiên này.")
    for pk, (state, _note) in attendance.items():
        if state not in Attendance.values or state == Attendance.INVITED:
            raise InvalidData(f"Hãy ghi {rows[pk].member.person} có mặt, cử người dự thay hay vắng mặt.")
    before = session.status
    transition(session, SessionStatus.HELD)
    changed = []
    for pk, (state, note) in attendance.items():
        sm = rows[pk]
        sm.attendance, sm.note = state, clean_text(note or "")[:300]
        changed.append(sm)
    SessionMember.objects.bulk_update(changed, ["attendance", "note"])
    session.minutes = minutes
    session.save(update_fields=["status", "minutes"])
    present = sum(1 for sm in changed if sm.attendance in (Attendance.PRESENT, Attendance.DELEGATED))
    audit.record(
        actor=access,
        action="steering.session.record",
        target=session,
        changes={"status": [before, session.status], "present": [None, present]},
    )
    return session


@transaction.atomic
def session_cancel(*, actor: Access, session: Session, reason: str) -> Session:
    access = Access.of(actor)
    require_secretariat(access)
    reason = clean_text(reason or "")
    if not reason:
        raise InvalidData("Hãy ghi lý do hủy phiên họp.")
    session = Session.objects.select_for_update().get(pk=session.pk)
    before = session.status
    transition(session, SessionStatus.CANCELLED)
    session.save(update_fields=["status"])
    audit.record(
        actor=access,
        action="steering.session.cancel",
        target=session,
        changes={"status": [before, session.status]},
        reason=reason[:1000],
    )
    return session
