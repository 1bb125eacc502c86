"""Publication: a reviewed draft import written into the register in one transaction. A
revision updates the register's items in place; what it no longer lists is retired when reports,
values or task updates refer to it, deleted otherwise."""

import datetime
import re

from django.apps import apps
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import DomainError, InvalidData
from dxtrack.core.text import fold

from .. import hooks
from ..models import (
    ChangeType,
    Clause,
    Decision,
    Document,
    ImportItem,
    ImportStatus,
    Indicator,
    ItemKind,
    PlanImport,
    ReportingRule,
    Task,
)
from . import writers
from .drafts import check_draft, require_programme, transition
from .matching import codes, register_task_payload
from .writers import MODELS


def _document_code(meta: dict, sha: str) -> str:
    base = fold(meta.get("number") or "").replace("/", "-").replace(" ", "-")
    base = re.sub(r"[^a-z0-9-]+", "", base).strip("-")
    return (base or f"vb-{sha[:10]}")[:60]


def revision_day(plan_import: PlanImport) -> datetime.date:
    """The day a revision takes effect: the date it was issued, or today when it gives none.
    What it no longer lists was in force until the day before."""
    raw = plan_import.meta.get("date")
    return datetime.date.fromisoformat(raw) if raw else timezone.localdate()


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
        from ..selectors import item_history

        model = MODELS[ItemKind(item.kind)]
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


def _party_changes(task: Task, p: dict) -> dict[str, list]:
    """The task's agencies that `p` changes, role → [old names, new names]."""
    now = register_task_payload(task)

    def names(refs: list[dict]) -> list[str]:
        return [r.get("name") or r.get("text") or "" for r in refs]

    return {
        role: [names(now[role]), names(p[role])]
        for role in ("lead", "coordinating")
        if codes(now[role]) != codes(p[role])
    }


@transaction.atomic
def plan_import_publish(*, actor: Access, plan_import: PlanImport) -> Document:
    """Writes the accepted items into the register in one transaction. A revision updates the
    register's items in place; what it no longer lists is retired when reports, values or task
    updates refer to it, deleted otherwise. Nothing that refers to the register is lost."""
    access = Access.of(actor)
    require_programme(access)
    try:
        document = _publish(access=access, plan_import=plan_import)
        hooks.run_after_publication(plan_import, document)
        return document
    except (ProtectedError, RestrictedError) as exc:
        # A reference no rule above foresaw: refuse the whole publication rather than lose it.
        raise DomainError(
            "Chưa đưa vào danh mục được: một mục của văn bản vẫn còn báo cáo, số liệu hoặc cập nhật nhiệm vụ "
            "tham chiếu đến. Danh mục không thay đổi; hãy báo cho quản trị hệ thống."
        ) from exc


def _check_publishable(plan_import: PlanImport, items: list[ImportItem]) -> None:
    check_draft(plan_import)
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
    # The rules of the apps above plans for this type of document (a conclusions notice's
    # deadlines, steering's): the same on every page a draft may be published from.
    hooks.run_publication_checks(plan_import, items)


def _write_document(plan_import: PlanImport) -> Document:
    """The register's document: created, or the revised one updated in place (one version up)."""
    meta, document = plan_import.meta, plan_import.document
    fields = {
        "number": meta.get("number") or "",
        "title": meta["title"][:500],
        "issuer": meta.get("issuer") or "",
        "doc_type": hooks.document_type(meta),
        "issued_on": datetime.date.fromisoformat(meta["date"]) if meta.get("date") else None,
        "year": meta.get("year"),
        "source_name": plan_import.filename,
        "source_sha256": plan_import.sha256,
    }
    if meta.get("implements"):
        # A conclusions notice names the plan its directives are reported under (steering).
        fields["implements_id"] = meta["implements"]
    if document is None:
        code = meta.get("code") or _document_code(meta, plan_import.sha256)
        if Document.objects.filter(code=code).exists():
            code = f"{code[:49]}-{plan_import.sha256[:10]}"
        return Document.objects.create(code=code, **fields)
    document = Document.objects.select_for_update().get(pk=document.pk)
    for key, value in fields.items():
        setattr(document, key, value)
    document.version += 1
    document.save()
    return document


def _write_clauses(document: Document, meta: dict, items: list[ImportItem]) -> dict[str, Clause]:
    """Adds the clauses the register lacks; returns them all by path."""
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
    return {c.path: c for c in document.clauses.all()}


def _fields(item: ImportItem, clause, indicators: dict) -> dict | None:
    """The register fields of an accepted item, through its kind's writer; None for a duty to
    report with no calendar the obligations could follow."""
    p = item.payload
    if item.kind == ItemKind.TARGET:
        return writers.target_fields(p, clause=clause, position=item.position, indicators=indicators)
    if item.kind == ItemKind.TASK:
        return writers.task_fields(p, clause=clause, position=item.position)
    period = writers.PERIODS.get(p.get("when") or "")
    return None if period is None else writers.rule_fields(p, clause=clause, period=period)


def _write_item(run: "_Publication", item: ImportItem, clauses: dict, indicators: dict) -> None:
    if item.decision == Decision.REJECTED:
        if item.change == ChangeType.REMOVED:
            run.keep(item)  # the reviewer keeps what the revision no longer lists
        return
    if item.change == ChangeType.REMOVED:
        run.remove(item)
        return
    p = item.payload
    model = MODELS[ItemKind(item.kind)]
    existing = (
        model.objects.select_for_update().filter(pk=item.matched_id, document=run.document).first()
        if item.matched_id
        else None
    )
    values = _fields(item, clauses.get(p.get("clause") or ""), indicators)
    if values is None:
        return
    parties = {}
    if existing is not None:
        parties = _party_changes(existing, p) if item.kind == ItemKind.TASK else {}
        run.save(item, existing, values, parties)
        obj = existing
    else:
        obj = model.objects.create(document=run.document, **values)
        run.created(item, obj)
    if item.kind == ItemKind.TASK and (existing is None or parties):
        writers.write_parties(obj, p)
    elif item.kind == ItemKind.REPORTING:
        writers.write_reporters(obj, p)


def _publish(*, access: Access, plan_import: PlanImport) -> Document:
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    items = list(plan_import.items.all())
    _check_publishable(plan_import, items)
    transition(plan_import, ImportStatus.PUBLISHED)
    document = _write_document(plan_import)
    clauses = _write_clauses(document, plan_import.meta, items)

    run = _Publication(actor=access.audit_actor, document=document, day=revision_day(plan_import))
    indicators = {i.code: i for i in Indicator.objects.all()}
    for item in items:
        _write_item(run, item, clauses, indicators)

    if run.indicators:
        # The dashboards read stored progress: recompute what the revision changed, after it
        # commits (a refused publication recomputes nothing).
        from ..signals import targets_changed

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
        actor=access.audit_actor,
        action="plans.import.publish",
        target=document,
        changes={k: [0, v] for k, v in counts.items()} | {"import": [None, plan_import.pk]},
    )
    return document
