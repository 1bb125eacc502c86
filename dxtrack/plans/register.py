"""The reviewed register carried as a fixture of facts (dxtrack/plans/data/register.json):
dumped from the database after review, loaded by `make demo`."""

import datetime
import json
import re
from pathlib import Path

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.org.models import Agency, AgencyGroup

from .extract.tasks import first_sentence
from .models import (
    Aggregation,
    Clause,
    Comparator,
    Direction,
    Document,
    DocumentType,
    Indicator,
    PartyRole,
    PeriodType,
    Pillar,
    Recurrence,
    ReportingRule,
    Target,
    Task,
    TaskParty,
)
from .services import writers

REGISTER_FILE = Path(__file__).parent / "data" / "register.json"


TITLE_LIMIT = 160


def short(text: str, limit: int = TITLE_LIMIT) -> str:
    """A title, not a passage: the first sentence, cut at a word before `limit` characters.
    The fixture carries facts from the plans, not their prose."""
    text = " ".join((text or "").split())
    # The first sentence end after some words: "I. CÔNG TÁC…" keeps its numbering.
    end = next((m.start() for m in re.finditer(r"[.;:](?=\s)", text) if m.start() >= 25), len(text))
    sentence = text[:end].rstrip(".;:")
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;") + "…"


def _ended(item) -> dict:
    """The day a revision retired the item, carried only when it did (see Target.valid_to)."""
    return {"valid_to": item.valid_to.isoformat()} if item.valid_to else {}


def _valid_to(raw: dict) -> datetime.date | None:
    return datetime.date.fromisoformat(raw["valid_to"]) if raw.get("valid_to") else None


def _bad_valid_to(raw: dict) -> bool:
    try:
        _valid_to(raw)
    except (TypeError, ValueError):
        return True
    return False


def whole_title(text: str) -> str:
    """A task's title is its name: its first sentence, whole — never cut to a length."""
    return first_sentence(text or "")


def dump_register() -> dict:
    documents = []
    for d in Document.objects.order_by("code"):
        tasks = []
        for t in d.tasks.select_related("clause").prefetch_related("parties__agency", "parties__group"):
            parties = {"lead": [], "coordinating": []}
            for p in t.parties.all():
                parties[p.role].append(
                    {
                        "text": p.text,
                        "agency": p.agency.code if p.agency else None,
                        "group": p.group.code if p.group else None,
                    }
                )
            tasks.append(
                {
                    "clause": t.clause.path if t.clause else "",
                    "group": short(t.group, 120),
                    "title": whole_title(t.title),
                    "output": short(t.output),
                    "deadline_text": t.deadline_text,
                    "deadline": t.deadline.isoformat() if t.deadline else None,
                    "recurrence": t.recurrence or None,
                    "pillar": t.pillar,
                    "sector": t.sector,
                    **parties,
                    **_ended(t),
                }
            )
        documents.append(
            {
                "code": d.code,
                "number": d.number,
                "type": d.doc_type,
                "issuer": d.issuer,
                "issued_on": d.issued_on.isoformat() if d.issued_on else None,
                "year": d.year,
                "title": d.title,
                "source_name": d.source_name,
                "clauses": [
                    {"path": c.path, "heading": short(c.heading, 120), "line": c.line}
                    for c in d.clauses.order_by("line", "path")
                ],
                "targets": [
                    {
                        "clause": t.clause.path if t.clause else "",
                        "indicator": t.indicator.code if t.indicator else None,
                        "label": t.indicator.name if t.indicator else short(t.label),
                        "value": t.value,
                        "value_max": t.value_max,
                        "comparator": t.comparator,
                        "unit": t.unit,
                        "year": t.year,
                        "pillar": t.pillar,
                        "sector": t.sector,
                        **_ended(t),
                    }
                    for t in d.targets.select_related("clause").order_by("position")
                ],
                "tasks": tasks,
                "reporting": [
                    {
                        "clause": r.clause.path if r.clause else "",
                        "period_type": r.period_type,
                        "due": r.due,
                        "reporters_text": r.reporters_text,
                        "reporters": sorted(r.reporters.values_list("code", flat=True)),
                        "reporter_groups": sorted(r.reporter_groups.values_list("code", flat=True)),
                        "recipient": r.recipient.code if r.recipient else None,
                        **_ended(r),
                    }
                    for r in d.reporting_rules.select_related("clause", "recipient")
                ],
            }
        )
    indicators = [
        {
            "code": i.code,
            "name": i.name,
            "unit": i.unit,
            "direction": i.direction,
            "pillar": i.pillar,
            "sector": i.sector,
            "aggregation": i.aggregation,
            "limit": i.limit,
        }
        for i in Indicator.objects.order_by("code")
    ]
    return {
        "source": "Reviewed register of the five seed plans (facts: values, years, clauses, agencies).",
        "indicators": indicators,
        "documents": documents,
    }


def _check(raw: dict) -> list[str]:
    problems = []
    if not isinstance(raw, dict) or not isinstance(raw.get("documents"), list):
        return ["register.json: cần đối tượng có danh sách 'documents'."]
    agencies = set(Agency.objects.values_list("code", flat=True))
    groups = set(AgencyGroup.objects.values_list("code", flat=True))
    indicator_codes = set()
    for i, ind in enumerate(raw.get("indicators", []), start=1):
        if not isinstance(ind, dict) or not ind.get("code") or not ind.get("name"):
            problems.append(f"register.json, chỉ tiêu theo dõi thứ {i}: thiếu mã hoặc tên.")
            continue
        if ind.get("direction") not in Direction.values or ind.get("aggregation") not in Aggregation.values:
            problems.append(f"register.json, chỉ tiêu theo dõi {ind['code']}: chiều hoặc cách tổng hợp không hợp lệ.")
        indicator_codes.add(ind["code"])
    for d in raw["documents"]:
        where = f"register.json, văn bản {d.get('code')}"
        if d.get("type") not in DocumentType.values:
            problems.append(f"{where}: loại văn bản không hợp lệ.")
        paths = {c["path"] for c in d.get("clauses", [])}
        for kind, items in (("chỉ tiêu", "targets"), ("nhiệm vụ", "tasks"), ("quy định báo cáo", "reporting")):
            for i, item in enumerate(d.get(items, []), start=1):
                if _bad_valid_to(item):
                    problems.append(f"{where}, {kind} {i}: ngày thôi áp dụng “{item['valid_to']}” không hợp lệ.")
        for i, t in enumerate(d.get("targets", []), start=1):
            if t.get("comparator") not in Comparator.values or (t.get("pillar") and t["pillar"] not in Pillar.values):
                problems.append(f"{where}, chỉ tiêu {i}: so sánh hoặc trụ cột không hợp lệ.")
            if t.get("indicator") and t["indicator"] not in indicator_codes:
                problems.append(f"{where}, chỉ tiêu {i}: chỉ tiêu theo dõi {t['indicator']} không có.")
            if t.get("clause") and t["clause"] not in paths:
                problems.append(f"{where}, chỉ tiêu {i}: điều khoản {t['clause']} không có.")
        for i, t in enumerate(d.get("tasks", []), start=1):
            if t.get("recurrence") and t["recurrence"] not in Recurrence.values:
                problems.append(f"{where}, nhiệm vụ {i}: kiểu lặp lại không hợp lệ.")
            for p in t.get("lead", []) + t.get("coordinating", []):
                if (p.get("agency") and p["agency"] not in agencies) or (p.get("group") and p["group"] not in groups):
                    problems.append(f"{where}, nhiệm vụ {i}: cơ quan {p.get('agency') or p.get('group')} không có.")
    return problems


def _target_payload(t: dict) -> dict:
    """A fixture's target in the shape its writer reads (`services.writers`)."""
    return {**t, "direction": t["comparator"]}


def _party_refs(parties: list[dict]) -> list[dict]:
    return [
        {
            "text": p["text"],
            "kind": "agency" if p.get("agency") else "group" if p.get("group") else None,
            "code": p.get("agency") or p.get("group"),
        }
        for p in parties
    ]


def _rule_payload(r: dict) -> dict:
    reporters = [{"kind": "agency", "code": c} for c in r["reporters"]]
    reporters += [{"kind": "group", "code": c} for c in r.get("reporter_groups", [])]
    return {
        "from": reporters,
        "to": [{"kind": "agency", "code": r["recipient"]}] if r.get("recipient") else [],
        "due": r["due"],
    }


def _load_items(document: Document, d: dict, *, indicators: dict, agencies: dict, groups: dict) -> None:
    """A fixture document's targets, tasks and reporting rules, each through its kind's writer."""
    clauses = {c.path: c for c in document.clauses.all()}
    Target.objects.bulk_create(
        [
            Target(
                document=document,
                **writers.target_fields(
                    _target_payload(t),
                    clause=clauses.get(t["clause"]),
                    position=i,
                    indicators=indicators,
                    valid_to=_valid_to(t),
                ),
            )
            for i, t in enumerate(d["targets"])
        ]
    )
    parties = []
    for i, t in enumerate(d["tasks"]):
        fields = writers.task_fields(t, clause=clauses.get(t["clause"]), position=i, valid_to=_valid_to(t))
        task = Task.objects.create(document=document, **fields)
        refs = {role: _party_refs(t[role]) for role in (PartyRole.LEAD, PartyRole.COORDINATING)}
        parties += writers.party_rows(task, refs, agencies=agencies, groups=groups, units={})
    TaskParty.objects.bulk_create(parties)
    for r in d["reporting"]:
        payload = _rule_payload(r)
        fields = writers.rule_fields(
            payload,
            clause=clauses.get(r["clause"]),
            period=r["period_type"] or PeriodType.YEARLY,
            reporters_text=r["reporters_text"],
            valid_to=_valid_to(r),
        )
        rule = ReportingRule.objects.create(document=document, **fields)
        writers.write_reporters(rule, payload)


@transaction.atomic
def register_load(*, actor: Access, path: Path = REGISTER_FILE) -> int:
    """Loads documents not yet in the register (by code). Returns how many were added."""
    access = Access.of(actor)
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được nạp danh mục kế hoạch.")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidData(f"Không đọc được {path.name}: {exc}") from exc
    problems = _check(raw)
    if problems:
        raise InvalidData("Danh mục kế hoạch mẫu có lỗi; chưa nạp gì.", details=problems)
    agencies = {a.code: a for a in Agency.objects.all()}
    groups = {g.code: g for g in AgencyGroup.objects.all()}
    for i in raw.get("indicators", []):
        Indicator.objects.update_or_create(
            code=i["code"],
            defaults={
                "name": i["name"],
                "unit": i["unit"],
                "direction": i["direction"],
                "pillar": i["pillar"],
                "sector": i.get("sector", ""),
                "aggregation": i["aggregation"],
                "limit": i.get("limit"),
            },
        )
    indicators = {i.code: i for i in Indicator.objects.all()}
    added = 0
    for d in raw["documents"]:
        if Document.objects.filter(code=d["code"]).exists():
            continue
        document = Document.objects.create(
            code=d["code"],
            number=d["number"],
            doc_type=d["type"],
            issuer=d["issuer"],
            title=d["title"],
            issued_on=datetime.date.fromisoformat(d["issued_on"]) if d["issued_on"] else None,
            year=d["year"],
            source_name=d.get("source_name", ""),
        )
        Clause.objects.bulk_create(
            [Clause(document=document, path=c["path"], heading=c["heading"], line=c["line"]) for c in d["clauses"]]
        )
        _load_items(document, d, indicators=indicators, agencies=agencies, groups=groups)
        audit.record(
            actor=access.audit_actor,
            action="plans.register.load",
            target=document,
            changes={"targets": [0, len(d["targets"])], "tasks": [0, len(d["tasks"])]},
        )
        added += 1
    return added
