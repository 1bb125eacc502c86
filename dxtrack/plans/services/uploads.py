"""Uploads: a plan file read and extracted into a draft import, each item compared with the
register when the file revises a document already in it."""

import hashlib
from dataclasses import asdict

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData

from ..extract import extract
from ..extract.readers import NeedsOcr, ReadError, read_upload
from ..models import ChangeType, Decision, Document, ImportItem, ItemKind, PlanImport
from .drafts import require_programme
from .matching import document_for, is_same, match_register, register_of, revised_target

# ---- payloads: what a proposed item carries, as plain JSON -------------------------------------


def _target_payload(t, catalogue) -> dict:
    from . import links as review_links

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


# ---- import ---------------------------------------------------------------------------------------


@transaction.atomic
def plan_import_create(
    *,
    actor: Access,
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
    from .links import ScanUpload, catalogue, with_closest_agencies

    access = Access.of(actor)
    require_programme(access)
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
    document = revises or document_for(extracted, year_context or extracted.year)
    plan_import = PlanImport.objects.create(
        created_by=access.user,
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
        register = register_of(document, kind) if document is not None else []
        matches = match_register(kind, payloads, register) if register else [(None, None)] * len(payloads)
        used = set()
        for position, (payload, line, (pk, old)) in enumerate(zip(payloads, lines, matches, strict=True)):
            change = ChangeType.NEW
            if pk is not None:
                used.add(pk)
                change = ChangeType.UNCHANGED if is_same(kind, payload, old) else ChangeType.CHANGED
                if change == ChangeType.UNCHANGED and kind != ItemKind.REPORTING:
                    payload = old  # nothing to write: keep the register's reviewed wording and links
                elif kind == ItemKind.TARGET:
                    payload = revised_target(payload, old, indicator_names)
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
        actor=access.audit_actor,
        action="plans.import.create",
        target=plan_import,
        changes={"items": [0, len(items)], "document": [None, document.pk if document else None]},
    )
    return plan_import
