"""The review's links between proposed targets and the indicator catalogue, publishing with an
explicit choice for targets left unlinked, and the reading of scanned plans in the background.

Every write checks the actor's permission and writes its audit event in the same transaction.
The matching itself is pure (matching.py); this module reads the catalogue and writes.
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify

from dxtrack.accounts.access import SYSTEM, Access
from dxtrack.core import audit
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.text import clean_text, fold

from ..extract.model import ExtractedTarget
from ..matching import Catalogue, Match
from ..models import (
    ChangeType,
    Decision,
    Direction,
    ImportItem,
    ImportStatus,
    Indicator,
    ItemKind,
    Pillar,
    PlanImport,
)

# What the reviewer chose for accepted targets that have no indicator when publishing.
UNLINKED_CHOICES = {
    "publish": "Vẫn đưa vào danh mục (các chỉ tiêu này sẽ không có số liệu tiến độ)",
    "reject": "Loại bỏ các chỉ tiêu chưa gắn",
}


class ScanUpload(InvalidData):
    """An upload that is a scan: it is read by OCR in the background (plan_import_from_scan)."""


def _require_secretariat(access: Access) -> None:
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được nhập và duyệt kế hoạch.")


def catalogue() -> Catalogue:
    return Catalogue(list(Indicator.objects.values("code", "name", "unit", "pillar")))


def _match_json(match: Match | None, by: str = "máy") -> dict | None:
    if match is None:
        return None
    return {"code": match.code, "name": match.name, "unit": match.unit, "score": match.score, "by": by}


def target_links(target: ExtractedTarget, cat: Catalogue) -> dict:
    """What a proposed target carries besides its numbers: its indicator phrase, its sentence, its
    source cell, and the indicator it measures with the score of that match (or None)."""
    best = cat.best(label=target.label or target.text, text=target.text, unit=target.unit, pillar=target.pillar)
    candidates = cat.candidates(
        label=target.label or target.text, text=target.text, unit=target.unit, pillar=target.pillar, limit=3
    )
    return {
        "label": (target.label or target.text)[:500],
        "text": target.text[:1000],
        "source": target.source,
        "indicator": best.code if best else None,
        "match": _match_json(best),
        "candidates": [_match_json(c) for c in candidates],
    }


def with_closest_agencies(payloads: list[dict], *, limit: int = 3) -> list[dict]:
    """A body the registry does not know stays unknown (never mapped to another body silently);
    beside it, the closest names of the registry, for the reviewer to choose from."""
    from rapidfuzz import fuzz, process

    from dxtrack.org.models import Agency

    names: dict[int, str] | None = None
    for payload in payloads:
        for ref in (*payload.get("lead", []), *payload.get("coordinating", [])):
            if ref.get("code") or not ref.get("text"):
                continue
            if names is None:
                names = dict(enumerate(Agency.objects.values_list("name", flat=True)))
                keys = {k: fold(n) for k, n in names.items()}
            found = process.extract(fold(ref["text"]), keys, scorer=fuzz.token_set_ratio, limit=limit)
            ref["closest"] = [names[k] for _n, score, k in found if score >= 60]
    return payloads


def unlinked(plan_import: PlanImport) -> list[ImportItem]:
    """Targets that would be published with no indicator: accepted or pending, new or changed."""
    return [
        item
        for item in plan_import.items.filter(kind=ItemKind.TARGET).exclude(change=ChangeType.REMOVED)
        if item.decision != Decision.REJECTED and not item.payload.get("indicator")
    ]


def _draft_target(item: ImportItem) -> ImportItem:
    item = ImportItem.objects.select_for_update().select_related("plan_import").get(pk=item.pk)
    if item.plan_import.status != ImportStatus.DRAFT or (item.plan_import.meta.get("ocr") or {}).get("state"):
        raise DomainError("Lần nhập này đã đóng hoặc đang đọc bản quét; không sửa được.")
    if item.kind != ItemKind.TARGET or item.change == ChangeType.REMOVED:
        raise DomainError("Chỉ gắn chỉ tiêu theo dõi cho chỉ tiêu đề xuất.")
    return item


@transaction.atomic
def import_target_link(*, actor: Access, item: ImportItem, code: str) -> ImportItem:
    """Links a proposed target to a catalogue indicator the reviewer picked (by its name)."""
    access = Access.of(actor)
    _require_secretariat(access)
    item = _draft_target(item)
    indicator = Indicator.objects.filter(code=(code or "").strip()).first()
    if indicator is None:
        raise InvalidData("Không tìm thấy chỉ tiêu theo dõi đã chọn; hãy tìm lại theo tên.")
    before = item.payload.get("indicator")
    item.payload = {
        **item.payload,
        "indicator": indicator.code,
        "match": {"code": indicator.code, "name": indicator.name, "unit": indicator.unit, "score": None, "by": "người"},
    }
    item.save(update_fields=["payload"])
    audit.record(
        actor=access.audit_actor,
        action="plans.import_item.link",
        target=item.plan_import,
        changes={f"target#{item.position}.indicator": [before, indicator.code]},
    )
    return item


def _indicator_code(name: str) -> str:
    base = slugify(fold(name))[:70].strip("-") or "chi-tieu"
    code, n = base, 1
    while Indicator.objects.filter(code=code).exists():
        n += 1
        code = f"{base[:66]}-{n}"
    return code


@transaction.atomic
def import_target_create_indicator(*, actor: Access, item: ImportItem, name: str = "", unit: str = "") -> Indicator:
    """A new catalogue indicator made from the proposal in place (its phrase, unit, direction and
    pillar), and the proposal linked to it."""
    access = Access.of(actor)
    _require_secretariat(access)
    item = _draft_target(item)
    p = item.payload
    name = clean_text(name or p.get("label") or "")[:300]
    unit = clean_text(unit or p.get("unit") or "")[:40]
    if len(name) < 4:
        raise InvalidData("Tên chỉ tiêu theo dõi cần ít nhất 4 ký tự.")
    same = Indicator.objects.filter(name__iexact=name, unit=unit).first()
    if same is not None:
        raise InvalidData(f"Đã có chỉ tiêu theo dõi “{same.name}” ({same.unit or 'không đơn vị'}); hãy chọn nó.")
    indicator = Indicator.objects.create(
        code=_indicator_code(name),
        name=name,
        unit=unit,
        direction=Direction.DECREASE if p.get("direction") == "<=" else Direction.INCREASE,
        pillar=p.get("pillar") if p.get("pillar") in Pillar.values else "",
        sector=(p.get("sector") or "")[:60],
        limit=100.0 if unit == "%" else None,
    )
    before = p.get("indicator")
    item.payload = {
        **p,
        "indicator": indicator.code,
        "match": {"code": indicator.code, "name": indicator.name, "unit": unit, "score": None, "by": "tạo mới"},
    }
    item.save(update_fields=["payload"])
    audit.record(
        actor=access.audit_actor,
        action="plans.indicator.create",
        target=indicator,
        changes={"name": [None, name], "unit": [None, unit], "import": [None, item.plan_import_id]},
    )
    audit.record(
        actor=access.audit_actor,
        action="plans.import_item.link",
        target=item.plan_import,
        changes={f"target#{item.position}.indicator": [before, indicator.code]},
    )
    return indicator


def search_indicators(query: str, *, limit: int = 10) -> list[Match]:
    """Indicators by name for the review's search box (a reader's lookup: no write)."""
    if len(fold(query)) < 2:
        return []
    return catalogue().search(query, limit=limit)


@transaction.atomic
def plan_import_publish_checked(*, actor: Access, plan_import: PlanImport, unlinked_choice: str = ""):
    """Publishes, but a target with no indicator (it would never show in progress) needs the
    reviewer's explicit choice: publish them anyway, or reject them. Without one, nothing is
    written and the count is told."""
    from . import publication

    access = Access.of(actor)
    _require_secretariat(access)
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if (plan_import.meta.get("ocr") or {}).get("state"):
        raise DomainError("Bản quét chưa đọc xong; chưa đưa vào danh mục được.")
    loose = [i for i in unlinked(plan_import) if i.decision == Decision.ACCEPTED]
    if loose and unlinked_choice not in UNLINKED_CHOICES:
        raise DomainError(
            f"Còn {len(loose)} chỉ tiêu chưa gắn chỉ tiêu theo dõi: chúng sẽ không bao giờ có số liệu tiến độ. "
            "Hãy gắn từng chỉ tiêu, hoặc chọn rõ “vẫn đưa vào” hay “loại bỏ” các chỉ tiêu này rồi đưa vào danh mục."
        )
    if loose and unlinked_choice == "reject":
        ImportItem.objects.filter(pk__in=[i.pk for i in loose]).update(decision=Decision.REJECTED)
    if loose:
        audit.record(
            actor=access.audit_actor,
            action="plans.import.unlinked",
            target=plan_import,
            changes={"unlinked": [len(loose), 0 if unlinked_choice == "reject" else len(loose)]},
            reason=UNLINKED_CHOICES[unlinked_choice],
        )
    return publication.plan_import_publish(actor=access, plan_import=plan_import)


# ---- scanned plans: read in the background -------------------------------------------------------


def _scan_path(sha: str) -> str:
    return f"plan-scans/{sha}.pdf"


@transaction.atomic
def plan_import_from_scan(
    *, actor: Access, data: bytes, filename: str, year_context: int | None = None, revises=None
) -> PlanImport:
    """A draft import that waits for OCR: the scan is kept, the page says it is being read, and the
    background task (tasks.read_scanned_plan) fills it in or says why it could not."""
    access = Access.of(actor)
    _require_secretariat(access)
    sha = hashlib.sha256(data).hexdigest()
    path = _scan_path(sha)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(data))
    plan_import = PlanImport.objects.create(
        created_by=access.user,
        filename=filename[:255],
        sha256=sha,
        source_text="",
        year_context=year_context,
        document=revises,
        meta={"ocr": {"state": "reading", "revises": revises.pk if revises else None}, "title": ""},
    )
    audit.record(
        actor=access.audit_actor, action="plans.import.scan", target=plan_import, changes={"scan": [None, sha]}
    )
    transaction.on_commit(lambda: _enqueue(plan_import.pk))
    return plan_import


def _enqueue(pk: int) -> None:
    from ..tasks import read_scanned_plan

    read_scanned_plan.enqueue(pk)


def scan_read(plan_import_id: int) -> dict:
    """The background task's work: OCR the kept scan, then extract it into a new draft import the
    waiting one points to; or record the reason in Vietnamese. Safe to run twice."""
    from ..extract.ocr import read_scan
    from ..extract.readers import ReadError
    from . import uploads

    waiting = PlanImport.objects.filter(pk=plan_import_id).first()
    ocr = (waiting.meta.get("ocr") or {}) if waiting else {}
    if waiting is None or ocr.get("state") != "reading":
        return {"state": ocr.get("state", "gone")}
    with default_storage.open(_scan_path(waiting.sha256)) as handle:
        data = handle.read()
    try:
        source = read_scan(data, waiting.filename)
    except ReadError as exc:
        return _scan_failed(waiting, exc.message)
    from ..models import Document

    revises = Document.objects.filter(pk=ocr.get("revises")).first() if ocr.get("revises") else None
    try:
        with transaction.atomic():
            done = uploads.plan_import_create(
                actor=Access.for_user(waiting.created_by) if waiting.created_by else Access.system(),
                data=data,
                filename=waiting.filename,
                year_context=waiting.year_context,
                revises=revises,
                source=source,
            )
            low = sorted(n for n, o in source.origins.items() if o.get("confidence", 100) < 60 or o.get("low"))
            done.meta = {**done.meta, "ocr": None, "ocr_low": low, "ocr_origins": source.origins}
            done.save(update_fields=["meta"])
            # A proposal read from a line OCR was unsure of says so beside it, with that line's confidence.
            for item in done.items.filter(line__in=low):
                origin = source.origins.get(item.line, {})
                item.payload = {
                    **item.payload,
                    "ocr": {"confidence": origin.get("confidence"), "low": origin.get("low", [])},
                }
                item.save(update_fields=["payload"])
            _scan_finish(waiting, {"state": "done", "import": done.pk})
    except InvalidData as exc:
        return _scan_failed(waiting, exc.message)
    return {"state": "done", "import": done.pk}


@transaction.atomic
def _scan_finish(waiting: PlanImport, ocr: dict) -> None:
    waiting = PlanImport.objects.select_for_update().get(pk=waiting.pk)
    waiting.meta = {**waiting.meta, "ocr": ocr}
    waiting.status = ImportStatus.DISCARDED
    waiting.save(update_fields=["meta", "status"])
    audit.record(actor=SYSTEM, action="plans.import.scan_read", target=waiting, changes={"ocr": ["reading", ocr]})


def _scan_failed(waiting: PlanImport, message: str) -> dict:
    _scan_finish(waiting, {"state": "failed", "message": message})
    return {"state": "failed", "message": message}


def scan_state(plan_import: PlanImport) -> dict:
    """ "reading", "done" (with the import that holds the proposals), "failed" (with why), or {}."""
    return plan_import.meta.get("ocr") or {}
