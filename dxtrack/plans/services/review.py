"""Review: the secretariat's decisions and edits on a draft import before it is published."""

import re

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.dates import parse_vn_date
from dxtrack.core.errors import InvalidData
from dxtrack.core.numbers import NumberError, parse_number
from dxtrack.core.text import clean_text

from ..models import (
    DOCUMENT_TYPE_BY_NAME,
    Comparator,
    Decision,
    ImportItem,
    ImportStatus,
    Indicator,
    ItemKind,
    Pillar,
    PlanImport,
    Recurrence,
)
from .drafts import check_draft, require_programme, transition


@transaction.atomic
def import_item_decide(*, actor: Access, item: ImportItem, decision: str) -> ImportItem:
    access = Access.of(actor)
    require_programme(access)
    item = ImportItem.objects.select_for_update().select_related("plan_import").get(pk=item.pk)
    check_draft(item.plan_import)
    if decision not in Decision.values:
        raise InvalidData("Quyết định không hợp lệ.")
    old = item.decision
    item.decision = decision
    item.save(update_fields=["decision"])
    audit.record(
        actor=access.audit_actor,
        action="plans.import_item.decide",
        target=item.plan_import,
        changes={f"{item.kind}#{item.position}": [old, decision]},
    )
    return item


@transaction.atomic
def import_accept_all(*, actor: Access, plan_import: PlanImport) -> int:
    """Accepts every pending item: the revision as the document now reads. What it no longer
    lists is then retired when anything refers to it (nothing is lost) or deleted when nothing
    does; a reviewer who wants one kept chooses "Giữ lại" on it."""
    access = Access.of(actor)
    require_programme(access)
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    check_draft(plan_import)
    accepted = plan_import.items.filter(decision=Decision.PENDING).update(decision=Decision.ACCEPTED)
    audit.record(
        actor=access.audit_actor,
        action="plans.import.accept_all",
        target=plan_import,
        changes={"accepted": [0, accepted]},
    )
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


class _Fields:
    """A review form's fields read one by one, collecting every problem in Vietnamese."""

    def __init__(self, data: dict):
        self.data, self.problems = data, []

    def text(self, name: str, limit: int, required: bool = False) -> str:
        value = self.data.get(name, "")
        value = clean_text(value) if isinstance(value, str) else ""
        if required and not value:
            self.problems.append(f"{name}: không được để trống.")
        if len(value) > limit:
            self.problems.append(f"{name}: dài quá {limit} ký tự.")
        return value[:limit]

    def number(self, name: str, required: bool = False) -> float | None:
        raw = self.text(name, 40)
        if not raw:
            if required:
                self.problems.append(f"{name}: cần một số.")
            return None
        try:
            value = parse_number(raw)
        except NumberError as exc:
            self.problems.append(f"{name}: {exc.message}")
            return None
        return None if value is None else float(value)


def _clean_target(f: _Fields) -> dict:
    payload = {
        "label": f.text("label", 500, True),
        "unit": f.text("unit", 40),
        "pillar": f.text("pillar", 20),
        "sector": f.text("sector", 60),
        "clause": f.text("clause", 60),
        "direction": f.text("direction", 6),
    }
    payload["value"] = f.number("value", required=True)
    payload["value_max"] = f.number("value_max")
    year = f.text("year", 10)
    payload["year"] = int(year) if year.isdigit() and 1990 <= int(year) <= 2100 else None
    if year and payload["year"] is None:
        f.problems.append("year: năm phải là số trong khoảng 1990–2100.")
    if payload["direction"] not in Comparator.values:
        f.problems.append("direction: chiều so sánh không hợp lệ.")
    if payload["pillar"] and payload["pillar"] not in Pillar.values:
        f.problems.append("pillar: trụ cột không hợp lệ.")
    indicator = f.text("indicator", 80)
    if indicator and not Indicator.objects.filter(code=indicator).exists():
        f.problems.append("indicator: chỉ tiêu theo dõi không có trong danh mục.")
    payload["indicator"] = indicator or None
    if payload["direction"] == Comparator.RANGE:
        if payload["value_max"] is None:
            f.problems.append("value_max: chỉ tiêu dạng khoảng cần giá trị trên.")
        elif payload["value"] is not None and payload["value_max"] < payload["value"]:
            f.problems.append("value_max: giá trị trên phải không nhỏ hơn giá trị dưới.")
    return payload


def _clean_task(f: _Fields, resolver) -> dict:
    payload = {
        "title": f.text("title", 1000, True),
        "group": f.text("group", 300),
        "output": f.text("output", 1000),
        "deadline_text": f.text("deadline_text", 200),
        "clause": f.text("clause", 60),
        "pillar": f.text("pillar", 20),
        "sector": f.text("sector", 60),
    }
    if payload["pillar"] and payload["pillar"] not in Pillar.values:
        f.problems.append("pillar: trụ cột không hợp lệ.")
    recurrence = f.text("recurrence", 12)
    if recurrence and recurrence not in Recurrence.values:
        f.problems.append("recurrence: kiểu lặp lại không hợp lệ.")
    payload["recurrence"] = recurrence or None
    deadline = f.text("deadline", 20)
    parsed = parse_vn_date(deadline) if deadline else None
    if deadline and parsed is None:
        f.problems.append(f"deadline: ngày “{deadline}” không hợp lệ; nhập dạng ngày/tháng/năm.")
    payload["deadline"] = parsed.isoformat() if parsed else None
    payload["lead"] = _clean_refs(f.text("lead", 2000), resolver)
    payload["coordinating"] = _clean_refs(f.text("coordinating", 2000), resolver)
    return payload


def clean_item_form(kind: str, data: dict, *, resolver=None) -> dict:
    """A review form's fields to a payload; InvalidData lists every bad field in Vietnamese."""
    fields = _Fields(data)
    if kind == ItemKind.TARGET:
        payload = _clean_target(fields)
    elif kind == ItemKind.TASK:
        payload = _clean_task(fields, resolver)
    else:
        raise InvalidData("Loại mục này không sửa trực tiếp được.")
    if fields.problems:
        raise InvalidData("Chưa lưu được: dữ liệu chưa hợp lệ.", details=fields.problems)
    return payload


@transaction.atomic
def import_item_update(*, actor: Access, item: ImportItem, data: dict, resolver=None) -> ImportItem:
    access = Access.of(actor)
    require_programme(access)
    item = ImportItem.objects.select_for_update().select_related("plan_import").get(pk=item.pk)
    check_draft(item.plan_import)
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
    audit.record(actor=access.audit_actor, action="plans.import_item.edit", target=item.plan_import, changes=changes)
    return item


@transaction.atomic
def import_meta_update(*, actor: Access, plan_import: PlanImport, data: dict) -> PlanImport:
    access = Access.of(actor)
    require_programme(access)
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    check_draft(plan_import)
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
    audit.record(actor=access.audit_actor, action="plans.import.meta", target=plan_import, changes=changes)
    return plan_import


@transaction.atomic
def plan_import_discard(*, actor: Access, plan_import: PlanImport) -> PlanImport:
    access = Access.of(actor)
    require_programme(access)
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    transition(plan_import, ImportStatus.DISCARDED)
    plan_import.save(update_fields=["status"])
    audit.record(
        actor=access.audit_actor,
        action="plans.import.discard",
        target=plan_import,
        changes={"status": [ImportStatus.DRAFT, ImportStatus.DISCARDED]},
    )
    return plan_import


# ---- publish ----------------------------------------------------------------------------------------
