"""Which register item a proposed item revises, and whether it changes it. A revision of a
document is compared with the register item by item; each kind has its own identity."""

from rapidfuzz import fuzz

from dxtrack.core.text import fold

from ..extract.model import ExtractedDocument
from ..models import (
    DOCUMENT_TYPE_BY_NAME,
    Document,
    ItemKind,
    PartyRole,
    ReportingRule,
    Target,
    Task,
    TaskParty,
)
from .writers import PERIODS

# Targets: same unit (50) plus same value (30) or close wording (up to 20); tasks: wording.
# Reporting rules: same period type, then same clause (50), who reports (40), when due (10).
MATCH_SCORE = {ItemKind.TARGET: 65.0, ItemKind.TASK: 80.0, ItemKind.REPORTING: 50.0}


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


def register_of(document: Document, kind: str) -> list[tuple[int, dict]]:
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


def codes(refs: list[dict]) -> list:
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


def is_same(kind: str, a: dict, b: dict) -> bool:
    if b.get("valid_to"):
        return False  # retired in the register, in the document again: it comes back
    if any(a.get(f) != b.get(f) for f in _COMPARED[kind]):
        return False
    if not all(_same_text(a.get(f, ""), b.get(f, "")) for f in _TEXTS[kind]):
        return False
    if kind == ItemKind.TASK:
        return codes(a["lead"]) == codes(b["lead"]) and codes(a["coordinating"]) == codes(b["coordinating"])
    if kind == ItemKind.REPORTING:
        return _bodies(a.get("from", [])) == _bodies(b.get("from", [])) and _bodies(a.get("to", [])) == _bodies(
            b.get("to", [])
        )
    return True


def _similarity(kind: str, new: dict, old: dict, fold=fold) -> float | None:
    """How alike a proposal and a register item are, or None when they cannot be the same item.
    The identity of each kind: a target's year and clause (or the indicator it measures, when a
    revision renumbers its clauses); a task's clause and wording; a reporting rule's period type,
    then its clause and who reports. (`fold`: core.text's, or a memo of it.)"""
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
        new_title, old_title = fold(new["title"]).rstrip("…"), fold(old["title"]).rstrip("…")
        if same_clause:
            return float(fuzz.partial_ratio(new_title, old_title))
        # Under another clause only a near-identical wording is the same task: most pairs are
        # under another clause, and rapidfuzz gives up on them early below the cut-off (0).
        score = float(fuzz.partial_ratio(new_title, old_title, score_cutoff=95))
        return score - 5.0 if score >= 95 else None
    if PERIODS.get(new.get("when") or "") != old.get("when"):
        return None
    new_bodies, old_bodies = _bodies(new.get("from", [])), _bodies(old.get("from", []))
    overlap = len(new_bodies & old_bodies) / len(new_bodies | old_bodies) if new_bodies | old_bodies else 1.0
    return 50.0 * same_clause + 40.0 * overlap + 10.0 * (new.get("due") == old.get("due"))


def match_register(
    kind: str, payloads: list[dict], register: list[tuple[int, dict]]
) -> list[tuple[int | None, dict | None]]:
    """Pairs each proposed item with the register item it revises, the most alike pairs first;
    each register item is used once."""
    pairs = []
    # Every proposal is compared with every register item: each wording is folded once, not once
    # per pair (a plan of 150 tasks against a register of 150 folded 45,000 times).
    memo: dict[str, str] = {}

    def folded(text: str) -> str:
        out = memo.get(text)
        if out is None:
            out = memo[text] = fold(text)
        return out

    for index, payload in enumerate(payloads):
        for pk, old in register:
            score = _similarity(kind, payload, old, folded)
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


def revised_target(payload: dict, old: dict, indicator_names: dict[str, str]) -> dict:
    """A changed target keeps what review gave it and the revision does not change: the linked
    indicator, and the label a reviewer set to that indicator's name (the revision's sentence
    repeats the number, which the target carries anyway)."""
    indicator = payload.get("indicator") or old.get("indicator")
    keep_label = bool(old.get("indicator")) and old.get("label") == indicator_names.get(old["indicator"])
    return {**payload, "indicator": indicator, **({"label": old["label"]} if keep_label else {})}


def document_for(extracted: ExtractedDocument, year: int | None) -> Document | None:
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
