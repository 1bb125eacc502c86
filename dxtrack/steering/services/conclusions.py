"""A session's conclusions notice: imported from its file through the plan import machinery (or
its directives entered on a page into the same draft), reviewed on the plan review page, and
published as a plans Document of kind "thông báo kết luận" whose tasks are the directives
(ADR 0035).

Refused with nothing written: a file with no recognisable directive, a directive whose lead body
is unknown or was split among several successors, a deadline before the session, the same notice
imported twice (same file or same number). A body dissolved before the session is replaced by its
successor through the registry's dated resolver, and the replacement is written into the draft's
warnings for the reviewer to see.
"""

import datetime
import hashlib

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import DomainError, InvalidData
from dxtrack.core.text import clean_text
from dxtrack.org.models import Agency
from dxtrack.org.selectors import agency_at
from dxtrack.plans.models import (
    Decision,
    Document,
    DocumentType,
    ImportItem,
    ImportStatus,
    ItemKind,
    PlanImport,
)
from dxtrack.plans.services import publication, uploads

from ..models import Session, SessionStatus
from ..signals import directive_assigned
from .sessions import require_secretariat

CONCLUSIONS_TYPE = str(DocumentType.CONCLUSIONS.label)
MAX_BYTES = 10 * 1024 * 1024


def _check_open(session: Session) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise DomainError("Phiên họp đã hủy; không nhập kết luận được.")
    if session.conclusions_id:
        raise DomainError(
            f"Phiên họp đã có thông báo kết luận {session.conclusions.reference} trong danh mục; không nhập lại được."
        )
    draft = session.conclusions_import
    if draft is not None and draft.status == ImportStatus.DRAFT:
        raise DomainError(
            "Phiên họp đang có một lần nhập kết luận chưa duyệt xong; hãy duyệt và đưa vào danh mục hoặc hủy "
            "lần nhập đó trước."
        )


def _check_duplicate(data: bytes) -> None:
    sha = hashlib.sha256(data).hexdigest()
    earlier = PlanImport.objects.filter(sha256=sha).exclude(status=ImportStatus.DISCARDED).first()
    if earlier is not None:
        raise DomainError(
            f"Tệp này đã được nhập ngày {timezone.localtime(earlier.created_at):%d/%m/%Y} "
            f"(lần nhập số {earlier.pk}); không nhập trùng thông báo kết luận."
        )


# ---- each directive's agencies and deadline ---------------------------------------------------


def _successor(ref: dict, day: datetime.date, label: str, notes: list[str], errors: list[str]) -> dict:
    """The body that carries `ref`'s duties on `day`: itself, or its successor (shown in `notes`)."""
    if ref.get("kind") != "agency" or not ref.get("code"):
        return ref
    agency = Agency.objects.filter(code=ref["code"]).first()
    if agency is None:
        return ref
    successors = agency_at(agency, day)
    if len(successors) == 1 and successors[0].unit.pk == agency.pk:
        return ref
    if len(successors) != 1:
        names = "; ".join(s.unit.name for s in successors) or "không cơ quan nào"
        errors.append(
            f"{label}: “{ref['text']}” đã giải thể trước ngày họp, nhiệm vụ được chia cho {names}; "
            "hãy ghi rõ cơ quan nhận chỉ đạo."
        )
        return ref
    new = successors[0].unit
    notes.append(
        f"{label}: “{ref['text']}” không còn tồn tại vào ngày {day:%d/%m/%Y}; "
        f"chỉ đạo giao cho cơ quan kế thừa là {new.name}."
    )
    return ref | {"code": new.code, "name": new.name, "sure": True, "resolved_from": agency.code}


def check_directive(payload: dict, label: str, day: datetime.date, notes: list[str], errors: list[str]) -> dict:
    """The payload with dissolved bodies replaced by their successors; problems into `errors`."""
    leads = [r for r in payload.get("lead", []) if r.get("code")]
    unknown = [r["text"] for r in payload.get("lead", []) if not r.get("code")]
    if unknown:
        errors.append(f"{label}: không nhận ra cơ quan chủ trì “{'; '.join(unknown)}”.")
    elif not leads:
        errors.append(f"{label}: chưa ghi cơ quan chủ trì (“Giao … chủ trì”).")
    for r in payload.get("coordinating", []):
        if not r.get("code"):
            notes.append(f"{label}: chưa nhận ra cơ quan phối hợp “{r['text']}”; hãy chọn khi duyệt.")
    deadline = payload.get("deadline")
    if deadline and datetime.date.fromisoformat(deadline) < day:
        errors.append(
            f"{label}: thời hạn {datetime.date.fromisoformat(deadline):%d/%m/%Y} "
            f"(“{payload.get('deadline_text') or deadline}”) trước ngày họp {day:%d/%m/%Y}."
        )
    elif not deadline:
        notes.append(f"{label}: chưa có thời hạn bằng ngày cụ thể; chỉ đạo sẽ không bị tính quá hạn.")
    return payload | {
        "lead": [_successor(r, day, label, notes, errors) for r in payload.get("lead", [])],
        "coordinating": [_successor(r, day, label, notes, errors) for r in payload.get("coordinating", [])],
    }


def _label(position: int, payload: dict) -> str:
    clause = payload.get("clause") or ""
    return f"Chỉ đạo {position + 1}" + (f" (mục {clause})" if clause else "")


@transaction.atomic
def conclusions_import(*, actor: Access, session: Session, data: bytes, filename: str) -> PlanImport:
    """Reads the session's conclusions notice into a draft import of its directives."""
    access = Access.of(actor)
    require_secretariat(access)
    session = Session.objects.select_for_update().get(pk=session.pk)
    _check_open(session)
    if not data:
        raise InvalidData("Tệp rỗng; hãy chọn tệp thông báo kết luận (.docx, .pdf, .txt).")
    if len(data) > MAX_BYTES:
        raise InvalidData("Tệp lớn quá 10 MB.")
    _check_duplicate(data)
    plan_import = uploads.plan_import_create(actor=access, data=data, filename=filename, year_context=session.date.year)
    meta = plan_import.meta
    number = (meta.get("number") or "").strip()
    if number and Document.objects.filter(number=number).exists():
        raise DomainError(f"Thông báo số {number} đã có trong danh mục; không nhập trùng.")
    if plan_import.document_id is not None:
        raise DomainError(
            f"Tệp trùng với văn bản {plan_import.document.reference} đã có trong danh mục; không nhập trùng."
        )
    items = list(plan_import.items.order_by("kind", "position"))
    directives = [i for i in items if i.kind == ItemKind.TASK]
    if not directives:
        raise InvalidData(
            f"Không nhận ra chỉ đạo nào trong “{filename[:80]}”. Mỗi chỉ đạo cần được đánh số và ghi "
            "“Giao <cơ quan> chủ trì …; thời hạn: …”. Chưa có gì được lưu."
        )
    notes, errors = [], []
    for item in directives:
        item.payload = check_directive(item.payload, _label(item.position, item.payload), session.date, notes, errors)
    if errors:
        raise InvalidData("Thông báo kết luận chưa nhập được; chưa có gì được lưu.", details=errors)
    ImportItem.objects.bulk_update(directives, ["payload"])
    # What else the extractor proposed (a figure read as a target, a reporting duty) is not a
    # directive: rejected up front, still visible on the review page.
    others = [i.pk for i in items if i.kind != ItemKind.TASK]
    ImportItem.objects.filter(pk__in=others).update(decision=Decision.REJECTED)
    plan_import.meta = meta | {
        "type": CONCLUSIONS_TYPE,
        "implements": session.plan_id,
        "session": session.pk,
        "year": session.date.year,
    }
    plan_import.warnings = plan_import.warnings + notes
    plan_import.save(update_fields=["meta", "warnings"])
    session.conclusions_import = plan_import
    session.save(update_fields=["conclusions_import"])
    audit.record(
        actor=access,
        action="steering.conclusions.import",
        target=session,
        changes={"import": [None, plan_import.pk], "directives": [0, len(directives)]},
    )
    return plan_import


# ---- directives entered on a page ---------------------------------------------------------------


def _page_draft(session: Session, access: Access) -> PlanImport:
    """The session's draft of directives entered on the page (created on the first one)."""
    draft = session.conclusions_import
    if draft is not None and draft.status == ImportStatus.DRAFT:
        return draft
    if session.conclusions_id:
        raise DomainError("Phiên họp đã có thông báo kết luận trong danh mục; không thêm chỉ đạo được.")
    draft = PlanImport.objects.create(
        created_by=access.user,
        filename="Nhập trên trang",
        sha256="",
        source_text="",
        year_context=session.date.year,
        meta={
            "number": "",
            "type": CONCLUSIONS_TYPE,
            "issuer": "Ban Chỉ đạo chuyển đổi số tỉnh",
            "date": session.date.isoformat(),
            "year": session.date.year,
            "title": f"Kết luận {session.title}"[:500],
            "clauses": [],
            "implements": session.plan_id,
            "session": session.pk,
        },
    )
    session.conclusions_import = draft
    session.save(update_fields=["conclusions_import"])
    return draft


def _ref(agency: Agency) -> dict:
    return {"text": agency.name, "kind": "agency", "code": agency.code, "name": agency.name, "sure": True}


@transaction.atomic
def directive_add(
    *,
    actor: Access,
    session: Session,
    title: str,
    lead: Agency,
    coordinating: list[Agency] = (),
    deadline: datetime.date | None = None,
    deadline_text: str = "",
    clause: str = "",
) -> ImportItem:
    """A directive typed on the session's page, into its draft (accepted: the secretariat wrote it)."""
    access = Access.of(actor)
    require_secretariat(access)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        raise DomainError("Phiên họp đã hủy; không thêm chỉ đạo được.")
    title = clean_text(title)
    if not title:
        raise InvalidData("Hãy ghi nội dung chỉ đạo.")
    draft = _page_draft(session, access)
    position = draft.items.count()
    payload = {
        "title": title[:1000],
        "group": "",
        "output": "",
        "deadline_text": clean_text(deadline_text)[:200] or (f"{deadline:%d/%m/%Y}" if deadline else ""),
        "deadline": deadline.isoformat() if deadline else None,
        "recurrence": "once" if deadline else None,
        "pillar": "",
        "sector": "",
        "clause": clean_text(clause)[:60],
        "lead": [_ref(lead)],
        "coordinating": [_ref(a) for a in coordinating if a.pk != lead.pk],
    }
    notes, errors = [], []
    payload = check_directive(payload, _label(position, payload), session.date, notes, errors)
    if errors:
        raise InvalidData("Chưa thêm được chỉ đạo.", details=errors)
    item = ImportItem.objects.create(
        plan_import=draft,
        kind=ItemKind.TASK,
        position=position,
        clause=payload["clause"],
        payload=payload,
        decision=Decision.ACCEPTED,
    )
    if notes:
        draft.warnings = draft.warnings + notes
        draft.save(update_fields=["warnings"])
    audit.record(
        actor=access,
        action="steering.directive.add",
        target=session,
        changes={"directive": [None, title[:200]], "lead": [None, lead.code]},
    )
    return item


# ---- publication ---------------------------------------------------------------------------------


def check_publication(plan_import: PlanImport, items: list[ImportItem]) -> None:
    """The plan publication's check of a conclusions notice (registered in SteeringConfig.ready):
    the reviewer may have edited a deadline or an agency since the import, on the session's page
    or on the plan review page, so every accepted directive is checked again against its
    session's date, whichever page publishes it. A notice no session imported has no session date
    to hold its deadlines to: the import's own checks were all it had."""
    session = Session.objects.filter(conclusions_import=plan_import).first()
    if session is None:
        return
    errors: list[str] = []
    accepted = sorted(
        (i for i in items if i.kind == ItemKind.TASK and i.decision == Decision.ACCEPTED), key=lambda i: i.position
    )
    for item in accepted:
        check_directive(item.payload, _label(item.position, item.payload), session.date, [], errors)
    if errors:
        raise InvalidData("Chưa đưa kết luận vào danh mục được; danh mục không thay đổi.", details=errors)


@transaction.atomic
def conclusions_publish(*, actor: Access, session: Session) -> Document:
    """Publishes the reviewed draft through the plan publication (one transaction): the notice
    enters the register, its accepted directives become its tasks, the session points at it, and
    `directive_assigned` is sent once all of it has committed."""
    access = Access.of(actor)
    require_secretariat(access)
    session = Session.objects.select_for_update().get(pk=session.pk)
    draft = session.conclusions_import
    if draft is None or draft.status != ImportStatus.DRAFT:
        raise DomainError("Phiên họp chưa có kết luận đang chờ duyệt.")
    if not draft.items.filter(kind=ItemKind.TASK, decision=Decision.ACCEPTED).exists():
        raise DomainError("Chưa chấp nhận chỉ đạo nào; không có gì để đưa vào danh mục.")
    # The directives are checked again by check_publication, and the session pointed at its
    # notice by after_publication: the plan publication calls both, from either page.
    document = publication.plan_import_publish(actor=access, plan_import=draft)
    audit.record(
        actor=access,
        action="steering.conclusions.publish",
        target=session,
        changes={"document": [None, document.pk], "directives": [0, document.tasks.count()]},
    )
    return document


def after_publication(plan_import: PlanImport, document: Document) -> None:
    """The plan publication's last step for a conclusions notice (registered in
    SteeringConfig.ready), whichever page published it: the session that imported it now points
    at it, and `directive_assigned` is sent once everything has committed."""
    session = Session.objects.select_for_update().filter(conclusions_import=plan_import).first()
    if session is None:
        return  # a notice no session imported: nobody to tie it to
    session.conclusions = document
    session.save(update_fields=["conclusions"])
    task_ids = list(document.tasks.values_list("pk", flat=True))
    session_id = session.pk
    transaction.on_commit(lambda: directive_assigned.send(sender=Session, task_ids=task_ids, session_id=session_id))
