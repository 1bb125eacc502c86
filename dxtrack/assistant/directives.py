"""The steering committee's directives and the inspections' corrective actions, as the assistant
tells them: read through steering's selectors with the asking party's Access (ADR 0035), so an
agency's people learn their own directives only and a commune's people none of an agency's.

`owed` feeds "what a unit still owes"; `answer` is the `directive` intent ("Sở Tài chính còn những
chỉ đạo nào chưa xong?", "Kết luận phiên họp 6 tháng đầu năm 2025 giao gì cho Sở Nội vụ?")."""

import datetime
from dataclasses import dataclass

from dxtrack.accounts.access import Access
from dxtrack.analytics import progress as p
from dxtrack.core.dates import format_vn_date
from dxtrack.org.selectors import agency_predecessor_ids
from dxtrack.steering import selectors as steering
from dxtrack.steering.models import ActionState, Session, SessionKind  # names and choices only

from .answers import Answer, link, not_found, sources
from .normalize import has
from .understand import Question

SHOWN = 5  # directives listed by name in one answer; the follow-up page has them all


@dataclass
class Owed:
    directives: list  # steering.selectors.FollowUpRow, open (neither closed nor reported done)
    actions: list  # steering.models.CorrectiveAction, overdue and not done

    @property
    def late(self) -> int:
        return sum(1 for r in self.directives if r.late)


def _open(row) -> bool:
    return not row.closed and row.state != p.DONE


def _agency_rows(rows: list, agency) -> list:
    """The directives led by the agency or by a body whose duties passed to it."""
    bodies = agency_predecessor_ids(agency.pk)
    return [r for r in rows if bodies & set(r.agency_ids)]


def overdue_actions(actor: Access, *, agency=None, unit=None, today: datetime.date) -> list:
    """The corrective actions of the findings the actor may see, owned by the body, past their
    deadline and not done."""
    bodies = agency_predecessor_ids(agency.pk) if agency is not None else set()
    out = []
    for finding in steering.findings(actor=actor):
        for action in finding.actions.all():
            mine = action.owner_id in bodies if agency is not None else action.owner_unit_id == unit.pk
            if mine and action.state != ActionState.DONE and action.deadline < today:
                out.append(action)
    return sorted(out, key=lambda a: (a.deadline, a.pk))


def owed(actor: Access, *, agency=None, unit=None, today: datetime.date) -> Owed:
    rows = []
    if agency is not None:
        rows = [r for r in _agency_rows(steering.directive_rows(actor=actor, at=today), agency) if _open(r)]
    return Owed(rows, overdue_actions(actor, agency=agency, unit=unit, today=today))


def _row_text(row) -> str:
    state = row.state_label.lower() + (f" {row.percent}%" if row.percent not in (None, 0, 100) else "")
    closed = "; đã đóng" if row.closed else ""
    return f"“{row.title[:100]}” (hạn {row.deadline_label}, {state}{closed}; {row.source})"


def owed_sentence(o: Owed) -> str:
    """The sentences "what a unit still owes" adds for the committee's directives and actions."""
    text = ""
    if o.directives:
        listed = "; ".join(_row_text(r) for r in o.directives[:3])
        text += f" Chỉ đạo của Ban Chỉ đạo chưa hoàn thành: {len(o.directives)} (quá hạn {o.late}): {listed}."
    else:
        text += " Chỉ đạo của Ban Chỉ đạo chưa hoàn thành: 0."
    if o.actions:
        listed = "; ".join(f"“{a.text[:100]}” (hạn {format_vn_date(a.deadline)})" for a in o.actions[:3])
        text += f" Biện pháp khắc phục sau kiểm tra quá hạn: {len(o.actions)}: {listed}."
    else:
        text += " Biện pháp khắc phục sau kiểm tra quá hạn: 0."
    return text


def owed_links(o: Owed, actor: Access) -> list:
    out = []
    if o.directives:
        out.append(link("Theo dõi chỉ đạo của Ban Chỉ đạo", "steering:follow_up"))
    if o.actions:
        out.append(
            link("Theo dõi chỉ đạo và khắc phục", "steering:follow_up")
            if actor.is_province_wide
            else link("Phát hiện kiểm tra của đơn vị", "steering:my_findings")
        )
    return out


# ---- the directive intent -------------------------------------------------------------------------


def _session_kind(q: Question) -> str:
    if q.when.period_type == "semiannual" or has(q.text, "6 thang", "sau thang", "so ket 6 thang"):
        return SessionKind.SIX_MONTH
    if has(q.text, "9 thang", "chin thang"):
        return SessionKind.NINE_MONTH
    if has(q.text, "tong ket", "cuoi nam", "tong ket nam"):
        return SessionKind.YEAR_END
    if q.when.period_type == "quarterly" or has(q.text, "phien hop quy", "phien quy"):
        return SessionKind.QUARTERLY
    return ""


def _asked_session(q: Question, rows: list) -> tuple[Session | None, bool]:
    """The session the question names (its kind and year), among those of the directives the
    actor may see; (None, False) when none is named."""
    kind = _session_kind(q)
    if not kind and not (q.when.year and has(q.text, "phien hop", "ket luan")):
        return None, False
    found = steering.sessions_of(rows)
    if kind:
        found = found.filter(kind=kind)
    if q.when.year:
        found = found.filter(date__year=q.when.year)
    return found.order_by("-date", "-pk").first(), True


def _scope_label(q: Question, session: Session | None) -> str:
    where = f"của {q.agency.name}" if q.agency else "của các cơ quan"
    return where + (f" theo kết luận {session}" if session else "")


def answer(q: Question, k, actor: Access) -> Answer:
    if not actor.is_authenticated and not actor.is_system:
        return Answer(
            "Chỉ đạo của Ban Chỉ đạo và tình hình thực hiện chỉ dành cho người dùng đã đăng nhập.",
            "directive",
            sources(link("Tiến độ công khai", "analytics:public")),
        )
    if q.agency is None and q.unit is None and q.mine and actor.user is not None:
        q.agency = actor.user.agency
    context = {"intent": "directive", "body": f"agency:{q.agency.code}" if q.agency else ""}
    rows = steering.directive_rows(actor=actor, at=q.today)
    if q.agency is not None:
        rows = _agency_rows(rows, q.agency)
    elif q.unit is not None:
        rows = []  # directives are given to agencies; a commune's are its corrective actions
    session, named = _asked_session(q, rows)
    if named:
        rows = [r for r in rows if session is not None and r.session_id == session.pk]
        if session is not None:
            context["session"] = session.pk
    if not rows:
        who = f" của {q.agency or q.unit}" if (q.agency or q.unit) else ""
        return not_found(
            f"chỉ đạo nào của Ban Chỉ đạo{who} mà bạn được xem.",
            "directive",
            ["Đơn vị tôi còn nợ những gì?", "Sở Tài chính còn những chỉ đạo nào chưa xong?"],
            context,
        )
    return _listing(q, rows, session, actor, context)


def _listing(q: Question, rows: list, session, actor: Access, context: dict) -> Answer:
    pending = has(q.text, "chua xong", "chua hoan thanh", "con", "dang thuc hien", "qua han", "cham", "ton")
    shown = [r for r in rows if _open(r)] if pending else rows
    shown = sorted(shown, key=lambda r: (not r.late, r.deadline or datetime.date.max, r.pk))
    late = sum(1 for r in shown if r.late)
    what = "chưa hoàn thành" if pending else "được giao"
    head = f"Chỉ đạo {_scope_label(q, session)} {what}: {len(shown)} (quá hạn {late})"
    listed = "; ".join(_row_text(r) for r in shown[:SHOWN])
    text = head + (f": {listed}" if listed else "") + ("…" if len(shown) > SHOWN else "") + "."
    text += f" Tính đến {format_vn_date(q.today)}."
    links = [link("Theo dõi chỉ đạo của Ban Chỉ đạo", "steering:follow_up")]
    if session is not None and actor.is_province_wide:
        links.insert(0, link(f"Phiên họp: {session}", "steering:session", session.pk))
    return Answer(text, "directive", sources(*links), context)


_NOT_DIRECTIVE = ("ban chi dao", "van ban chi dao", "chi dao dieu hanh")
_TASK_ASKED = ("ai chu tri", "ai phu trach", "co quan nao chu tri", "don vi nao chu tri", "do co quan nao")


def cue(q: Question, k) -> bool:
    """A directive or a session's conclusions: "chỉ đạo" on its own (not "Ban Chỉ đạo", not
    "văn bản chỉ đạo"), "kết luận", or what a session "giao"; who leads a task stays task_owner."""
    text = q.text
    for phrase in _NOT_DIRECTIVE:
        text = f" {text} ".replace(f" {phrase} ", " ").strip()
    asked = has(text, "chi dao", "ket luan") or (has(text, "phien hop") and has(text, "giao"))
    return asked and not has(q.text, *_TASK_ASKED)
