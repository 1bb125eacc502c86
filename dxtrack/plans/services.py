"""Every write to the plan register. Imports are drafts until the secretariat publishes them."""

import datetime
import hashlib
import re
from dataclasses import asdict

from django.apps import apps
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from rapidfuzz import fuzz

from dxtrack.accounts.models import Role
from dxtrack.core import audit
from dxtrack.core.dates import parse_vn_date
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.numbers import NumberError, parse_number
from dxtrack.core.text import clean_text, fold
from dxtrack.org.models import AdminUnit, Agency, AgencyGroup

from .extract import extract
from .extract.model import ExtractedDocument
from .extract.readers import NeedsOcr, ReadError, read_upload
from .models import (
    DOCUMENT_TYPE_BY_NAME,
    ChangeType,
    Clause,
    Comparator,
    Decision,
    Document,
    DocumentType,
    ImportItem,
    ImportStatus,
    Indicator,
    ItemKind,
    PartyRole,
    PeriodType,
    Pillar,
    PlanImport,
    Recurrence,
    ReportingRule,
    Target,
    Task,
    TaskParty,
)

# draft → published | discarded; nothing leaves published or discarded.
IMPORT_TRANSITIONS = {
    ImportStatus.DRAFT: {ImportStatus.PUBLISHED, ImportStatus.DISCARDED},
    ImportStatus.PUBLISHED: set(),
    ImportStatus.DISCARDED: set(),
}
# Targets: same unit (50) plus same value (30) or close wording (up to 20); tasks: wording.
# Reporting rules: same period type, then same clause (50), who reports (40), when due (10).
MATCH_SCORE = {ItemKind.TARGET: 65.0, ItemKind.TASK: 80.0, ItemKind.REPORTING: 50.0}


# The calendar of a proposed reporting duty; a duty with none creates no rule.
_PERIODS = {
    "quarterly": PeriodType.QUARTERLY,
    "semiannual": PeriodType.SEMIANNUAL,
    "yearly": PeriodType.YEARLY,
    "once": PeriodType.ONCE,
}


def _require_secretariat(actor) -> None:
    if actor is None:
        return  # the command line
    if not (actor.is_authenticated and actor.is_active and (actor.is_superuser or actor.role == Role.SECRETARIAT)):
        raise NotAllowed("Chỉ Tổ giúp việc được nhập và duyệt kế hoạch.")


def _transition(plan_import: PlanImport, to: str) -> None:
    if to not in IMPORT_TRANSITIONS[ImportStatus(plan_import.status)]:
        raise DomainError(
            f"Lần nhập đang ở trạng thái “{plan_import.get_status_display()}”, không thể chuyển sang "
            f"“{ImportStatus(to).label}”."
        )
    plan_import.status = to


# ---- payloads: what a proposed item carries, as plain JSON -------------------------------------


def _target_payload(t, catalogue) -> dict:
    from . import review_links

    return {
        "label": t.text[:500],
        "value": t.value,
        "value_max": t.value_max,
        "unit": t.unit[:40],
        "year": t.year,
        "direction": t.direction,
        "pillar": t.pillar,
        "sector": t.sector[:60],
        "clause": t.clause,
        # label (the indicator phrase), text, source cell, indicator and its match (review_links)
        **review_links.target_links(t, catalogue),
    }


INDICATOR_MATCH = 85


def suggest_indicator(label: str, unit: str, indicators: list[tuple[str, str, str]]) -> str | None:
    """The register's indicator this target most likely measures (same unit, similar name), so
    one indicator carries the targets of several plans. The reviewer confirms or changes it."""
    key = fold(label)
    best, best_score = None, 0.0
    for code, name, ind_unit in indicators:
        if ind_unit and unit and ind_unit != unit:
            continue
        score = fuzz.token_set_ratio(fold(name), key)
        if score > best_score:
            best, best_score = code, score
    return best if best_score >= INDICATOR_MATCH else None


def _task_payload(t) -> dict:
    return {
        "title": t.title[:1000],
        "group": t.group[:300],
        "output": t.output[:1000],
        "deadline_text": t.deadline_text[:200],
        "deadline": t.deadline.isoformat() if t.deadline else None,
        "recurrence": t.recurrence,
        "pillar": t.pillar,
        "sector": t.sector[:60],
        "clause": t.clause,
        "lead": [asdict(r) for r in t.lead],
        "coordinating": [asdict(r) for r in t.coordinating],
    }


def _reporting_payload(r) -> dict:
    return {
        "text": r.text[:1000],
        "from": [asdict(x) for x in r.from_],
        "to": [asdict(x) for x in r.to],
        "when": r.when,
        "due": r.due,
        "clause": r.clause,
    }


def register_target_payload(target: Target) -> dict:
    return {
        "label": target.label,
        "value": target.value,
        "value_max": target.value_max,
        "unit": target.unit,
        "year": target.year,
        "direction": target.comparator,
        "pillar": target.pillar,
        "sector": target.sector,
        "clause": target.clause.path if target.clause else "",
        "indicator": target.indicator.code if target.indicator_id else None,
    }


def _party_ref(p: TaskParty) -> dict:
    if p.agency_id:
        return {"text": p.text, "kind": "agency", "code": p.agency.code, "name": p.agency.name, "sure": True}
    if p.group_id:
        return {"text": p.text, "kind": "group", "code": p.group.code, "name": p.group.name, "sure": True}
    if p.admin_unit_id:
        return {"text": p.text, "kind": "unit", "code": str(p.admin_unit_id), "name": p.admin_unit.name, "sure": True}
    return {"text": p.text, "kind": None, "code": None, "name": None, "sure": False}


def register_task_payload(task: Task) -> dict:
    parties = list(task.parties.select_related("agency", "group", "admin_unit"))
    return {
        "title": task.title,
        "group": task.group,
        "output": task.output,
        "deadline_text": task.deadline_text,
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "recurrence": task.recurrence or None,
        "pillar": task.pillar,
        "sector": task.sector,
        "clause": task.clause.path if task.clause else "",
        "lead": [_party_ref(p) for p in parties if p.role == PartyRole.LEAD],
        "coordinating": [_party_ref(p) for p in parties if p.role == PartyRole.COORDINATING],
    }


def _ref(kind: str, code: str, name: str) -> dict:
    return {"text": name, "kind": kind, "code": code, "name": name, "sure": True}


def register_reporting_payload(rule: ReportingRule) -> dict:
    """A reporting rule as an import proposes one, so that a revision compares with it."""
    reporters = [_ref("agency", a.code, a.name) for a in rule.reporters.all()]
    reporters += [_ref("group", g.code, g.name) for g in rule.reporter_groups.all()]
    return {
        "text": rule.reporters_text,
        "from": reporters,
        "to": [_ref("agency", rule.recipient.code, rule.recipient.name)] if rule.recipient_id else [],
        "when": rule.period_type,
        "due": rule.due,
        "clause": rule.clause.path if rule.clause else "",
    }


def _register_of(document: Document, kind: str) -> list[tuple[int, dict]]:
    """The register's items of `kind` a revision is compared with, retired ones included (a
    revision may bring one back); each payload says when it was retired."""
    if kind == ItemKind.TARGET:
        rows = [(t, register_target_payload(t)) for t in document.targets.select_related("clause", "indicator")]
    elif kind == ItemKind.TASK:
        rows = [(t, register_task_payload(t)) for t in document.tasks.select_related("clause")]
    else:
        rules = document.reporting_rules.select_related("clause", "recipient").prefetch_related(
            "reporters", "reporter_groups"
        )
        rows = [(r, register_reporting_payload(r)) for r in rules]
    return [
        (obj.pk, {**payload, "valid_to": obj.valid_to.isoformat() if obj.valid_to else None}) for obj, payload in rows
    ]


# What makes a proposal differ from the register. A target's wording and the indicator a
# reviewer linked are descriptive; its numbers, unit, year and comparator are the commitment.
_COMPARED = {
    ItemKind.TARGET: ("value", "value_max", "unit", "year", "direction", "clause"),
    ItemKind.TASK: ("deadline_text", "deadline", "recurrence", "clause"),
    ItemKind.REPORTING: ("when", "due", "clause"),
}
_TEXTS = {ItemKind.TARGET: (), ItemKind.TASK: ("title", "output"), ItemKind.REPORTING: ()}


def _codes(refs: list[dict]) -> list:
    return sorted((r.get("kind") or "", r.get("code") or fold(r.get("text", ""))) for r in refs)


def _same_text(a: str, b: str) -> bool:
    """Equal, or one is the other cut short (the register keeps titles, not passages)."""
    a, b = fold(a or "").rstrip("…. "), fold(b or "").rstrip("…. ")
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= 40 and long.startswith(short))


def _bodies(refs: list[dict]) -> set:
    """The resolved bodies of a reporting duty: who reports is the rule's identity, not how the
    text names them."""
    return {(r.get("kind"), r.get("code")) for r in refs if r.get("code")}


def _same(kind: str, a: dict, b: dict) -> bool:
    if b.get("valid_to"):
        return False  # retired in the register, in the document again: it comes back
    if any(a.get(f) != b.get(f) for f in _COMPARED[kind]):
        return False
    if not all(_same_text(a.get(f, ""), b.get(f, "")) for f in _TEXTS[kind]):
        return False
    if kind == ItemKind.TASK:
        return _codes(a["lead"]) == _codes(b["lead"]) and _codes(a["coordinating"]) == _codes(b["coordinating"])
    if kind == ItemKind.REPORTING:
        return _bodies(a.get("from", [])) == _bodies(b.get("from", [])) and _bodies(a.get("to", [])) == _bodies(
            b.get("to", [])
        )
    return True


def _similarity(kind: str, new: dict, old: dict) -> float | None:
    """How alike a proposal and a register item are, or None when they cannot be the same item.
    The identity of each kind: a target's year and clause (or the indicator it measures, when a
    revision renumbers its clauses); a task's clause and wording; a reporting rule's period type,
    then its clause and who reports."""
    same_clause = old.get("clause") == new.get("clause")
    if kind == ItemKind.TARGET:
        if old.get("year") != new.get("year"):
            return None
        same_indicator = bool(new.get("indicator")) and new.get("indicator") == old.get("indicator")
        if not (same_clause or same_indicator):
            return None
        # Targets are told apart by their numbers first; the wording may be the indicator's name.
        score = 50.0 * (new.get("unit") == old.get("unit")) + 30.0 * (new.get("value") == old.get("value"))
        return score + 0.2 * fuzz.partial_ratio(fold(new["label"]), fold(old["label"])) - 5.0 * (not same_clause)
    if kind == ItemKind.TASK:
        score = float(fuzz.partial_ratio(fold(new["title"]).rstrip("…"), fold(old["title"]).rstrip("…")))
        # Under another clause only a near-identical wording is the same task.
        return score if same_clause else (score - 5.0 if score >= 95 else None)
    if _PERIODS.get(new.get("when") or "") != old.get("when"):
        return None
    new_bodies, old_bodies = _bodies(new.get("from", [])), _bodies(old.get("from", []))
    overlap = len(new_bodies & old_bodies) / len(new_bodies | old_bodies) if new_bodies | old_bodies else 1.0
    return 50.0 * same_clause + 40.0 * overlap + 10.0 * (new.get("due") == old.get("due"))


def _match(kind: str, payloads: list[dict], register: list[tuple[int, dict]]) -> list[tuple[int | None, dict | None]]:
    """Pairs each proposed item with the register item it revises, the most alike pairs first;
    each register item is used once."""
    pairs = []
    for index, payload in enumerate(payloads):
        for pk, old in register:
            score = _similarity(kind, payload, old)
            if score is not None and score >= MATCH_SCORE[kind]:
                pairs.append((-score, index, pk))
    olds = dict(register)
    taken: dict[int, int] = {}
    used: set[int] = set()
    for _, index, pk in sorted(pairs):
        if index not in taken and pk not in used:
            taken[index] = pk
            used.add(pk)
    return [(taken[i], olds[taken[i]]) if i in taken else (None, None) for i in range(len(payloads))]


def _revised_target(payload: dict, old: dict, indicator_names: dict[str, str]) -> dict:
    """A changed target keeps what review gave it and the revision does not change: the linked
    indicator, and the label a reviewer set to that indicator's name (the revision's sentence
    repeats the number, which the target carries anyway)."""
    indicator = payload.get("indicator") or old.get("indicator")
    keep_label = bool(old.get("indicator")) and old.get("label") == indicator_names.get(old["indicator"])
    return {**payload, "indicator": indicator, **({"label": old["label"]} if keep_label else {})}


def _document_for(extracted: ExtractedDocument, year: int | None) -> Document | None:
    """The register's document this upload revises: the same number, or, for a document still
    without one, the same type and year and a near-identical title."""
    if extracted.number:
        return Document.objects.filter(number=extracted.number).first()
    if not extracted.title:
        return None
    doc_type = DOCUMENT_TYPE_BY_NAME.get(extracted.type)
    candidates = Document.objects.filter(number="", year=year, **({"doc_type": doc_type} if doc_type else {}))
    title = fold(extracted.title)
    scored = [(fuzz.token_set_ratio(title, fold(d.title)), d) for d in candidates]
    best = max(scored, key=lambda pair: pair[0], default=(0, None))
    return best[1] if best[0] >= TITLE_MATCH else None


TITLE_MATCH = 90


# ---- import ---------------------------------------------------------------------------------------


@transaction.atomic
def plan_import_create(
    *,
    actor,
    data: bytes,
    filename: str,
    year_context: int | None = None,
    revises: Document | None = None,
    resolver=None,
    source=None,
) -> PlanImport:
    """Reads and extracts a plan into a draft import. A file that cannot be read raises
    InvalidData and leaves nothing behind; a scan raises review_links.ScanUpload (it is read by
    OCR in the background, which passes the `source` it read)."""
    from .review_links import ScanUpload, catalogue, with_closest_agencies

    _require_secretariat(actor)
    if year_context is not None and not 1990 <= year_context <= 2100:
        raise InvalidData("Năm của kế hoạch phải trong khoảng 1990–2100.")
    try:
        source = source or read_upload(data, filename)
    except NeedsOcr as exc:
        raise ScanUpload(exc.message) from exc
    except ReadError as exc:
        raise InvalidData(exc.message) from exc
    if resolver is None:
        from dxtrack.org.resolver import NameResolver

        resolver = NameResolver.from_db()
    extracted = extract(source, year_context=year_context, resolver=resolver)
    document = revises or _document_for(extracted, year_context or extracted.year)
    plan_import = PlanImport.objects.create(
        created_by=actor if actor is not None else None,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        source_text=source.text,
        year_context=year_context,
        document=document,
        warnings=extracted.warnings + [f"Chưa nhận ra cơ quan: “{n}”." for n in sorted(set(extracted.unresolved))],
        meta={
            "number": extracted.number,
            "type": extracted.type,
            "issuer": extracted.issuer,
            "date": extracted.date.isoformat() if extracted.date else None,
            "year": year_context or extracted.year,
            "title": extracted.title,
            "clauses": [
                {"path": c.path, "heading": c.heading[:500], "line": c.start, "end": c.end} for c in extracted.clauses
            ],
        },
    )
    items = []
    cat = catalogue()
    indicator_names = {i["code"]: i["name"] for i in cat.items}
    kinds = (
        (
            ItemKind.TARGET,
            [_target_payload(t, cat) for t in extracted.targets],
            [t.line for t in extracted.targets],
        ),
        (
            ItemKind.TASK,
            with_closest_agencies([_task_payload(t) for t in extracted.tasks]),
            [t.line for t in extracted.tasks],
        ),
        (
            ItemKind.REPORTING,
            [_reporting_payload(r) for r in extracted.reporting],
            [r.line for r in extracted.reporting],
        ),
    )
    if document is not None and not any(payloads for _, payloads, _ in kinds):
        raise InvalidData(
            f"Không tìm thấy chỉ tiêu, nhiệm vụ hay quy định báo cáo nào trong “{filename[:80]}”; "
            f"tệp này không thể là bản cập nhật của văn bản {document.reference}. Danh mục không thay đổi."
        )
    for kind, payloads, lines in kinds:
        register = _register_of(document, kind) if document is not None else []
        matches = _match(kind, payloads, register) if register else [(None, None)] * len(payloads)
        used = set()
        for position, (payload, line, (pk, old)) in enumerate(zip(payloads, lines, matches, strict=True)):
            change = ChangeType.NEW
            if pk is not None:
                used.add(pk)
                change = ChangeType.UNCHANGED if _same(kind, payload, old) else ChangeType.CHANGED
                if change == ChangeType.UNCHANGED and kind != ItemKind.REPORTING:
                    payload = old  # nothing to write: keep the register's reviewed wording and links
                elif kind == ItemKind.TARGET:
                    payload = _revised_target(payload, old, indicator_names)
            items.append(
                ImportItem(
                    plan_import=plan_import,
                    kind=kind,
                    position=position,
                    clause=payload.get("clause", "")[:60],
                    line=line or 0,
                    payload=payload,
                    change=change,
                    matched_id=pk,
                    before=old,
                    # What the register already holds needs no second look.
                    decision=Decision.ACCEPTED if change == ChangeType.UNCHANGED else Decision.PENDING,
                )
            )
        # What the revision no longer lists; an item retired already is not removed twice.
        gone = [(pk, old) for pk, old in register if pk not in used and not old.get("valid_to")]
        for offset, (pk, old) in enumerate(gone):
            items.append(
                ImportItem(
                    plan_import=plan_import,
                    kind=kind,
                    position=len(payloads) + offset,
                    clause=old["clause"][:60],
                    payload=old,
                    change=ChangeType.REMOVED,
                    matched_id=pk,
                    before=old,
                )
            )
    ImportItem.objects.bulk_create(items)
    audit.record(
        actor=actor,
        action="plans.import.create",
        target=plan_import,
        changes={"items": [0, len(items)], "document": [None, document.pk if document else None]},
    )
    return plan_import


def _check_draft(plan_import: PlanImport) -> None:
    if plan_import.status != ImportStatus.DRAFT:
        raise DomainError("Lần nhập này đã đóng; không sửa được nữa.")


@transaction.atomic
def import_item_decide(*, actor, item: ImportItem, decision: str) -> ImportItem:
    _require_secretariat(actor)
    item = ImportItem.objects.select_for_update().select_related("plan_import").get(pk=item.pk)
    _check_draft(item.plan_import)
    if decision not in Decision.values:
        raise InvalidData("Quyết định không hợp lệ.")
    old = item.decision
    item.decision = decision
    item.save(update_fields=["decision"])
    audit.record(
        actor=actor,
        action="plans.import_item.decide",
        target=item.plan_import,
        changes={f"{item.kind}#{item.position}": [old, decision]},
    )
    return item


@transaction.atomic
def import_accept_all(*, actor, plan_import: PlanImport) -> int:
    """Accepts every pending item: the revision as the document now reads. What it no longer
    lists is then retired when anything refers to it (nothing is lost) or deleted when nothing
    does; a reviewer who wants one kept chooses "Giữ lại" on it."""
    _require_secretariat(actor)
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    _check_draft(plan_import)
    accepted = plan_import.items.filter(decision=Decision.PENDING).update(decision=Decision.ACCEPTED)
    audit.record(actor=actor, action="plans.import.accept_all", target=plan_import, changes={"accepted": [0, accepted]})
    return accepted


def _clean_refs(text: str, resolver) -> list[dict]:
    if resolver is None:
        from dxtrack.org.resolver import NameResolver

        resolver = NameResolver.from_db()
    out = []
    for res in resolver.resolve_list(text):
        m = res.match if res.sure or res.how == "fuzzy" else None
        out.append(
            {
                "text": res.text,
                "kind": m.kind if m else None,
                "code": m.ref if m else None,
                "name": m.name if m else None,
                "sure": bool(m and res.sure),
            }
        )
    return out


def clean_item_form(kind: str, data: dict, *, resolver=None) -> dict:
    """A review form's fields to a payload; InvalidData lists every bad field in Vietnamese."""
    problems: list[str] = []

    def text(name: str, limit: int, required: bool = False) -> str:
        value = data.get(name, "")
        value = clean_text(value) if isinstance(value, str) else ""
        if required and not value:
            problems.append(f"{name}: không được để trống.")
        if len(value) > limit:
            problems.append(f"{name}: dài quá {limit} ký tự.")
        return value[:limit]

    def number(name: str, required: bool = False) -> float | None:
        raw = text(name, 40)
        if not raw:
            if required:
                problems.append(f"{name}: cần một số.")
            return None
        try:
            value = parse_number(raw)
        except NumberError as exc:
            problems.append(f"{name}: {exc.message}")
            return None
        return None if value is None else float(value)

    if kind == ItemKind.TARGET:
        payload = {
            "label": text("label", 500, True),
            "unit": text("unit", 40),
            "pillar": text("pillar", 20),
            "sector": text("sector", 60),
            "clause": text("clause", 60),
            "direction": text("direction", 6),
        }
        payload["value"] = number("value", required=True)
        payload["value_max"] = number("value_max")
        year = text("year", 10)
        payload["year"] = int(year) if year.isdigit() and 1990 <= int(year) <= 2100 else None
        if year and payload["year"] is None:
            problems.append("year: năm phải là số trong khoảng 1990–2100.")
        if payload["direction"] not in Comparator.values:
            problems.append("direction: chiều so sánh không hợp lệ.")
        if payload["pillar"] and payload["pillar"] not in Pillar.values:
            problems.append("pillar: trụ cột không hợp lệ.")
        indicator = text("indicator", 80)
        if indicator and not Indicator.objects.filter(code=indicator).exists():
            problems.append("indicator: chỉ tiêu theo dõi không có trong danh mục.")
        payload["indicator"] = indicator or None
        if payload["direction"] == Comparator.RANGE:
            if payload["value_max"] is None:
                problems.append("value_max: chỉ tiêu dạng khoảng cần giá trị trên.")
            elif payload["value"] is not None and payload["value_max"] < payload["value"]:
                problems.append("value_max: giá trị trên phải không nhỏ hơn giá trị dưới.")
    elif kind == ItemKind.TASK:
        payload = {
            "title": text("title", 1000, True),
            "group": text("group", 300),
            "output": text("output", 1000),
            "deadline_text": text("deadline_text", 200),
            "clause": text("clause", 60),
            "pillar": text("pillar", 20),
            "sector": text("sector", 60),
        }
        if payload["pillar"] and payload["pillar"] not in Pillar.values:
            problems.append("pillar: trụ cột không hợp lệ.")
        recurrence = text("recurrence", 12)
        if recurrence and recurrence not in Recurrence.values:
            problems.append("recurrence: kiểu lặp lại không hợp lệ.")
        payload["recurrence"] = recurrence or None
        deadline = text("deadline", 20)
        parsed = parse_vn_date(deadline) if deadline else None
        if deadline and parsed is None:
            problems.append(f"deadline: ngày “{deadline}” không hợp lệ; nhập dạng ngày/tháng/năm.")
        payload["deadline"] = parsed.isoformat() if parsed else None
        payload["lead"] = _clean_refs(text("lead", 2000), resolver)
        payload["coordinating"] = _clean_refs(text("coordinating", 2000), resolver)
    else:
        raise InvalidData("Loại mục này không sửa trực tiếp được.")
    if problems:
        raise InvalidData("Chưa lưu được: dữ liệu chưa hợp lệ.", details=problems)
    return payload


@transaction.atomic
def import_item_update(*, actor, item: ImportItem, data: dict, resolver=None) -> ImportItem:
    _require_secretariat(actor)
    item = ImportItem.objects.select_for_update().select_related("plan_import").get(pk=item.pk)
    _check_draft(item.plan_import)
    payload = clean_item_form(item.kind, data, resolver=resolver)
    # What the form does not edit stays: the sentence, the source cell, the indicator match.
    kept = ("text", "source", "candidates") + (
        ("match",) if payload.get("indicator") == item.payload.get("indicator") else ()
    )
    payload = {k: item.payload[k] for k in kept if k in item.payload} | payload
    changes = audit.diff(item.payload, payload)
    item.payload, item.decision = payload, Decision.ACCEPTED
    item.clause = payload.get("clause", "")[:60]
    item.save(update_fields=["payload", "decision", "clause"])
    audit.record(actor=actor, action="plans.import_item.edit", target=item.plan_import, changes=changes)
    return item


@transaction.atomic
def import_meta_update(*, actor, plan_import: PlanImport, data: dict) -> PlanImport:
    _require_secretariat(actor)
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    _check_draft(plan_import)
    problems = []
    meta = dict(plan_import.meta)
    for name, limit in (("number", 60), ("issuer", 255), ("title", 500), ("type", 40)):
        value = data.get(name, meta.get(name) or "")
        value = clean_text(value) if isinstance(value, str) else ""
        if len(value) > limit:
            problems.append(f"{name}: dài quá {limit} ký tự.")
        meta[name] = value[:limit]
    raw_date = (data.get("date") or "").strip() if isinstance(data.get("date", ""), str) else ""
    if raw_date:
        parsed = parse_vn_date(raw_date)
        if parsed is None:
            problems.append(f"date: ngày “{raw_date[:20]}” không hợp lệ; nhập dạng ngày/tháng/năm.")
        else:
            meta["date"] = parsed.isoformat()
    if meta.get("type") and meta["type"] not in DOCUMENT_TYPE_BY_NAME:
        problems.append("type: loại văn bản không hợp lệ.")
    code = data.get("code", meta.get("code") or "")
    code = code.strip() if isinstance(code, str) else ""
    if code and not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,59}", code):
        problems.append("code: mã văn bản chỉ gồm chữ thường không dấu, số và dấu gạch ngang (tối đa 60 ký tự).")
    meta["code"] = code
    year = data.get("year", meta.get("year"))
    if isinstance(year, str):
        year = int(year) if year.strip().isdigit() else None
    if year is not None and not 1990 <= year <= 2100:
        problems.append("year: năm phải trong khoảng 1990–2100.")
    meta["year"] = year
    if problems:
        raise InvalidData("Chưa lưu được thông tin văn bản.", details=problems)
    changes = audit.diff(plan_import.meta, meta)
    plan_import.meta = meta
    plan_import.save(update_fields=["meta"])
    audit.record(actor=actor, action="plans.import.meta", target=plan_import, changes=changes)
    return plan_import


@transaction.atomic
def plan_import_discard(*, actor, plan_import: PlanImport) -> PlanImport:
    _require_secretariat(actor)
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    _transition(plan_import, ImportStatus.DISCARDED)
    plan_import.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="plans.import.discard",
        target=plan_import,
        changes={"status": [ImportStatus.DRAFT, ImportStatus.DISCARDED]},
    )
    return plan_import


# ---- publish ----------------------------------------------------------------------------------------


def _document_code(meta: dict, sha: str) -> str:
    base = fold(meta.get("number") or "").replace("/", "-").replace(" ", "-")
    base = re.sub(r"[^a-z0-9-]+", "", base).strip("-")
    return (base or f"vb-{sha[:10]}")[:60]


def _apply_parties(task: Task, payload: dict) -> None:
    task.parties.all().delete()
    agencies = {
        a.code: a
        for a in Agency.objects.filter(
            code__in=[r["code"] for r in payload["lead"] + payload["coordinating"] if r.get("kind") == "agency"]
        )
    }
    groups = {
        g.code: g
        for g in AgencyGroup.objects.filter(
            code__in=[r["code"] for r in payload["lead"] + payload["coordinating"] if r.get("kind") == "group"]
        )
    }
    unit_ids = [
        int(r["code"])
        for r in payload["lead"] + payload["coordinating"]
        if r.get("kind") == "unit" and str(r.get("code", "")).isdigit()
    ]
    units = AdminUnit.objects.in_bulk(unit_ids)
    parties = []
    for role, refs in ((PartyRole.LEAD, payload["lead"]), (PartyRole.COORDINATING, payload["coordinating"])):
        for position, ref in enumerate(refs):
            kind, code = ref.get("kind"), ref.get("code")
            parties.append(
                TaskParty(
                    task=task,
                    role=role,
                    text=(ref.get("text") or "")[:300],
                    position=position,
                    agency=agencies.get(code) if kind == "agency" else None,
                    group=groups.get(code) if kind == "group" else None,
                    admin_unit=units.get(int(code)) if kind == "unit" and str(code).isdigit() else None,
                )
            )
    TaskParty.objects.bulk_create(parties)


def revision_day(plan_import: PlanImport) -> datetime.date:
    """The day a revision takes effect: the date it was issued, or today when it gives none.
    What it no longer lists was in force until the day before."""
    raw = plan_import.meta.get("date")
    return datetime.date.fromisoformat(raw) if raw else timezone.localdate()


_MODELS = {ItemKind.TARGET: Target, ItemKind.TASK: Task, ItemKind.REPORTING: ReportingRule}


def _label(kind: str, payload: dict) -> str:
    text = payload.get("label") or payload.get("title") or payload.get("text") or ""
    return " ".join(text.split())  # whole: a title cut short is another title


class _Publication:
    """One publication's writes to the register and the account of them (PlanImport.outcome)."""

    def __init__(self, *, actor, document: Document, day: datetime.date):
        self.actor, self.document, self.day = actor, document, day
        self.outcome: dict = {
            "date": day.isoformat(),
            "created": [],
            "updated": [],
            "unchanged": 0,
            "kept": [],
            "retired": [],
            "deleted": [],
            "obligations_dropped": 0,
        }
        self.indicators: set[int] = set()  # of the targets written, whose progress is stale

    def _stale(self, kind: str, *indicator_ids: int | None) -> None:
        if kind == ItemKind.TARGET:
            self.indicators |= {i for i in indicator_ids if i}

    def _entry(self, kind: str, payload: dict, **more) -> dict:
        return {"kind": str(kind), "label": _label(kind, payload), **more}

    def save(self, item: ImportItem, obj, values: dict, more: dict | None = None) -> None:
        """Writes `values` over the register item `obj` in place (ids, and everything that refers
        to them, stay); the old values stay in an audit event on the item itself. `more`: other
        changes as old → new (a task's agencies)."""
        before = {key: getattr(obj, key) for key in values}
        was = getattr(obj, "indicator_id", None)
        for key, value in values.items():
            setattr(obj, key, value)
        changed_fields = audit.diff(before, values) | (more or {})
        changed_fields.pop("position", None)  # where it sits in the document is no revision
        obj.save()
        if item.change == ChangeType.UNCHANGED and not changed_fields:
            self.outcome["unchanged"] += 1
            return
        audit.record(actor=self.actor, action=f"plans.{item.kind}.revise", target=obj, changes=changed_fields)
        self._stale(item.kind, was, getattr(obj, "indicator_id", None))
        self.outcome["updated"].append(self._entry(item.kind, item.payload, id=obj.pk, changes=changed_fields))

    def created(self, item: ImportItem, obj) -> None:
        self._stale(item.kind, getattr(obj, "indicator_id", None))
        self.outcome["created"].append(self._entry(item.kind, item.payload, id=obj.pk))

    def remove(self, item: ImportItem) -> None:
        """A register item the revision no longer lists: retired when anything refers to it,
        deleted when nothing does."""
        from .selectors import item_history

        model = _MODELS[ItemKind(item.kind)]
        obj = model.objects.select_for_update().filter(pk=item.matched_id, document=self.document).first()
        if obj is None:
            return  # gone since the draft was read: nothing to do
        history = item_history(item.kind, obj)
        self._stale(item.kind, getattr(obj, "indicator_id", None))
        if not history:
            pk = obj.pk
            obj.delete()
            entry = self._entry(item.kind, item.payload, id=pk)
            audit.record(
                actor=self.actor,
                action=f"plans.{item.kind}.delete",
                target=self.document,
                changes={f"{item.kind}#{pk}": [entry["label"], None]},
                reason="không còn trong văn bản; chưa có báo cáo, số liệu hay cập nhật nào",
            )
            self.outcome["deleted"].append(entry)
            return
        was = obj.valid_to
        valid_to = self.day - datetime.timedelta(days=1)
        if was is not None and was < valid_to:
            valid_to = was  # ended earlier already: a later revision does not extend it
        obj.valid_to = valid_to
        obj.save(update_fields=["valid_to"])
        reason = f"không còn trong văn bản; giữ lại vì có {history}"
        audit.record(
            actor=self.actor,
            action=f"plans.{item.kind}.retire",
            target=obj,
            changes={"valid_to": [was.isoformat() if was else None, valid_to.isoformat()]},
            reason=reason,
        )
        dropped = self._drop_after(obj) if item.kind == ItemKind.REPORTING else 0
        if item.kind == ItemKind.TARGET:
            # Its stored progress is derived, not history: the dashboards stop counting it and
            # its page computes its history afresh.
            apps.get_model("analytics", "TargetProgress").objects.filter(target=obj).delete()
        self.outcome["obligations_dropped"] += dropped
        self.outcome["retired"].append(
            self._entry(
                item.kind, item.payload, id=obj.pk, reason=reason, valid_to=valid_to.isoformat(), dropped=dropped
            )
        )

    def _drop_after(self, rule: ReportingRule) -> int:
        """Obligations of a retired rule for periods whose data start after it ended, not yet
        reported: duties that no longer exist. Reported ones stay."""
        stale = rule.obligations.filter(period__data_from__gt=rule.valid_to, report__isnull=True)
        count = stale.count()
        if count:
            stale.delete()
        return count

    def keep(self, item: ImportItem) -> None:
        self.outcome["kept"].append(self._entry(item.kind, item.payload, id=item.matched_id))


def _target_values(p: dict, clause, position: int, indicators: dict) -> dict:
    return {
        "label": p["label"],
        "indicator": indicators.get(p.get("indicator") or ""),
        "year": p["year"],
        "value": p["value"],
        "value_max": p["value_max"],
        "comparator": p["direction"],
        "unit": p["unit"],
        "pillar": p["pillar"] or "",
        "sector": p.get("sector", ""),
        "clause": clause,
        "position": position,
        "valid_to": None,
    }


def _task_values(p: dict, clause, position: int) -> dict:
    return {
        "title": p["title"],
        "group": p.get("group", ""),
        "output": p.get("output", ""),
        "deadline_text": p.get("deadline_text", ""),
        "deadline": datetime.date.fromisoformat(p["deadline"]) if p.get("deadline") else None,
        "recurrence": p.get("recurrence") or "",
        "pillar": p.get("pillar") or "",
        "sector": p.get("sector") or "",
        "clause": clause,
        "position": position,
        "valid_to": None,
    }


def _rule_values(p: dict, clause, period: str) -> dict:
    to = next((r for r in p.get("to", []) if r.get("kind") == "agency"), None)
    return {
        "clause": clause,
        "period_type": period,
        "reporters_text": ", ".join(r.get("text", "") for r in p.get("from", []))[:500],
        "recipient": Agency.objects.filter(code=to["code"]).first() if to else None,
        "due": p.get("due", []),
        "valid_to": None,
    }


def _party_changes(task: Task, p: dict) -> dict[str, list]:
    """The task's agencies that `p` changes, role → [old names, new names]."""
    now = register_task_payload(task)

    def names(refs: list[dict]) -> list[str]:
        return [r.get("name") or r.get("text") or "" for r in refs]

    return {
        role: [names(now[role]), names(p[role])]
        for role in ("lead", "coordinating")
        if _codes(now[role]) != _codes(p[role])
    }


def _set_reporters(rule: ReportingRule, p: dict) -> None:
    rule.reporter_groups.set(
        AgencyGroup.objects.filter(code__in=[r["code"] for r in p.get("from", []) if r.get("kind") == "group"])
    )
    rule.reporters.set(
        Agency.objects.filter(code__in=[r["code"] for r in p.get("from", []) if r.get("kind") == "agency"])
    )


@transaction.atomic
def plan_import_publish(*, actor, plan_import: PlanImport) -> Document:
    """Writes the accepted items into the register in one transaction. A revision updates the
    register's items in place; what it no longer lists is retired when reports, values or task
    updates refer to it, deleted otherwise. Nothing that refers to the register is lost."""
    try:
        return _publish(actor=actor, plan_import=plan_import)
    except (ProtectedError, RestrictedError) as exc:
        # A reference no rule above foresaw: refuse the whole publication rather than lose it.
        raise DomainError(
            "Chưa đưa vào danh mục được: một mục của văn bản vẫn còn báo cáo, số liệu hoặc cập nhật nhiệm vụ "
            "tham chiếu đến. Danh mục không thay đổi; hãy báo cho quản trị hệ thống."
        ) from exc


def _publish(*, actor, plan_import: PlanImport) -> Document:
    _require_secretariat(actor)
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    _check_draft(plan_import)
    items = list(plan_import.items.all())
    pending = [i for i in items if i.decision == Decision.PENDING]
    if pending:
        raise DomainError(
            f"Còn {len(pending)} mục chưa duyệt; hãy chấp nhận hoặc loại bỏ từng mục trước khi đưa vào danh mục."
        )
    meta = plan_import.meta
    if not (meta.get("title") or "").strip():
        raise InvalidData("Văn bản chưa có trích yếu; hãy nhập trước khi đưa vào danh mục.")
    document = plan_import.document
    number = (meta.get("number") or "").strip()
    if number and Document.objects.filter(number=number).exclude(pk=document.pk if document else None).exists():
        # Another import of the same document was published since this one was read: publishing
        # would make a second copy. Comparing against the register needs a fresh import.
        raise DomainError(
            f"Văn bản số {number} đã có trong danh mục. Hãy hủy lần nhập này và nhập lại tệp để so sánh "
            "với bản trong danh mục."
        )
    _transition(plan_import, ImportStatus.PUBLISHED)

    fields = {
        "number": meta.get("number") or "",
        "title": meta["title"][:500],
        "issuer": meta.get("issuer") or "",
        "doc_type": DOCUMENT_TYPE_BY_NAME.get(meta.get("type") or "", DocumentType.OTHER),
        "issued_on": datetime.date.fromisoformat(meta["date"]) if meta.get("date") else None,
        "year": meta.get("year"),
        "source_name": plan_import.filename,
        "source_sha256": plan_import.sha256,
    }
    if document is None:
        code = meta.get("code") or _document_code(meta, plan_import.sha256)
        if Document.objects.filter(code=code).exists():
            code = f"{code[:49]}-{plan_import.sha256[:10]}"
        document = Document.objects.create(code=code, **fields)
    else:
        document = Document.objects.select_for_update().get(pk=document.pk)
        for key, value in fields.items():
            setattr(document, key, value)
        document.version += 1
        document.save()

    clauses = {c.path: c for c in document.clauses.all()}
    fresh = [
        Clause(document=document, path=c["path"][:60], heading=c["heading"][:500], line=c["line"])
        for c in meta.get("clauses", [])
        if c["path"] not in clauses
    ]
    # A clause an item cites but no heading opened (an appendix table after the signature).
    known = {c.path for c in fresh} | set(clauses)
    cited = {(i.payload.get("clause") or "") for i in items if i.decision == Decision.ACCEPTED}
    fresh += [Clause(document=document, path=path[:60], line=0) for path in sorted(cited - known) if path]
    Clause.objects.bulk_create(fresh)
    clauses = {c.path: c for c in document.clauses.all()}

    run = _Publication(actor=actor, document=document, day=revision_day(plan_import))
    indicators = {i.code: i for i in Indicator.objects.all()}
    for item in items:
        if item.decision == Decision.REJECTED:
            if item.change == ChangeType.REMOVED:
                run.keep(item)  # the reviewer keeps what the revision no longer lists
            continue
        if item.change == ChangeType.REMOVED:
            run.remove(item)
            continue
        p = item.payload
        clause = clauses.get(p.get("clause") or "")
        model = _MODELS[ItemKind(item.kind)]
        existing = (
            model.objects.select_for_update().filter(pk=item.matched_id, document=document).first()
            if item.matched_id
            else None
        )
        if item.kind == ItemKind.TARGET:
            values = _target_values(p, clause, item.position, indicators)
        elif item.kind == ItemKind.TASK:
            values = _task_values(p, clause, item.position)
        else:
            period = _PERIODS.get(p.get("when") or "")
            if period is None:
                continue  # a duty to report with no calendar the obligations could follow
            values = _rule_values(p, clause, period)
        if existing is not None:
            parties = _party_changes(existing, p) if item.kind == ItemKind.TASK else {}
            run.save(item, existing, values, parties)
            obj = existing
        else:
            obj = model.objects.create(document=document, **values)
            run.created(item, obj)
        if item.kind == ItemKind.TASK and (existing is None or parties):
            _apply_parties(obj, p)
        elif item.kind == ItemKind.REPORTING:
            _set_reporters(obj, p)

    if run.indicators:
        # The dashboards read stored progress: recompute what the revision changed, after it
        # commits (a refused publication recomputes nothing).
        from .signals import targets_changed

        indicator_ids = sorted(run.indicators)
        transaction.on_commit(lambda: targets_changed.send(sender=PlanImport, indicator_ids=indicator_ids))
    plan_import.document = document
    plan_import.published_at = timezone.now()
    plan_import.outcome = run.outcome
    plan_import.save(update_fields=["status", "document", "published_at", "outcome"])
    o = run.outcome
    counts = {k: len(o[k]) for k in ("created", "updated", "kept", "retired", "deleted")} | {
        "unchanged": o["unchanged"],
        "obligations_dropped": o["obligations_dropped"],
    }
    audit.record(
        actor=actor,
        action="plans.import.publish",
        target=document,
        changes={k: [0, v] for k, v in counts.items()} | {"import": [None, plan_import.pk]},
    )
    return document
