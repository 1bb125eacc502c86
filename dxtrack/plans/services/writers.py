"""One writer per register item kind: what a target, a task or a reporting rule holds, built
from an item's payload (the shape an import proposes and `matching.register_*_payload` reads
back). Publication and the register loader (`plans/register.py`) both write through these, so
each kind is written one way."""

import datetime

from dxtrack.org.models import AdminUnit, Agency, AgencyGroup

from ..models import ItemKind, PartyRole, PeriodType, ReportingRule, Target, Task, TaskParty

# The calendar of a proposed reporting duty; a duty with none creates no rule.
PERIODS = {
    "quarterly": PeriodType.QUARTERLY,
    "semiannual": PeriodType.SEMIANNUAL,
    "yearly": PeriodType.YEARLY,
    "once": PeriodType.ONCE,
}

MODELS = {ItemKind.TARGET: Target, ItemKind.TASK: Task, ItemKind.REPORTING: ReportingRule}


def target_fields(p: dict, *, clause, position: int, indicators: dict, valid_to=None) -> dict:
    """A target's fields from its payload; `indicators`: the register's indicators by code."""
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
        "valid_to": valid_to,
    }


def task_fields(p: dict, *, clause, position: int, valid_to=None) -> dict:
    """A task's own fields from its payload; its agencies are written by `write_parties`."""
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
        "valid_to": valid_to,
    }


def rule_fields(p: dict, *, clause, period: str, reporters_text: str | None = None, valid_to=None) -> dict:
    """A reporting rule's own fields from its payload; who reports is written by
    `write_reporters`. `reporters_text`: the text as the register keeps it, when there is one
    (else the names the document gives, joined)."""
    to = next((r for r in p.get("to", []) if r.get("kind") == "agency"), None)
    if reporters_text is None:
        reporters_text = ", ".join(r.get("text", "") for r in p.get("from", []))[:500]
    return {
        "clause": clause,
        "period_type": period,
        "reporters_text": reporters_text,
        "recipient": Agency.objects.filter(code=to["code"]).first() if to else None,
        "due": p.get("due", []),
        "valid_to": valid_to,
    }


def _coded(refs: list[dict], kind: str) -> list:
    return [r["code"] for r in refs if r.get("kind") == kind]


def party_rows(task: Task, p: dict, *, agencies: dict, groups: dict, units: dict) -> list[TaskParty]:
    """A task's agencies, as rows not yet saved: who leads and who coordinates, in the document's
    order; a name no code resolves stays as its text."""
    rows = []
    for role, refs in ((PartyRole.LEAD, p["lead"]), (PartyRole.COORDINATING, p["coordinating"])):
        for position, ref in enumerate(refs):
            kind, code = ref.get("kind"), ref.get("code")
            rows.append(
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
    return rows


def write_parties(task: Task, p: dict) -> None:
    """Replaces a task's agencies with those of `p`."""
    task.parties.all().delete()
    refs = p["lead"] + p["coordinating"]
    agencies = {a.code: a for a in Agency.objects.filter(code__in=_coded(refs, "agency"))}
    groups = {g.code: g for g in AgencyGroup.objects.filter(code__in=_coded(refs, "group"))}
    units = AdminUnit.objects.in_bulk([int(c) for c in _coded(refs, "unit") if str(c).isdigit()])
    TaskParty.objects.bulk_create(party_rows(task, p, agencies=agencies, groups=groups, units=units))


def write_reporters(rule: ReportingRule, p: dict) -> None:
    """Sets who reports under a rule: the agencies and groups `p` names by code."""
    refs = p.get("from", [])
    rule.reporter_groups.set(AgencyGroup.objects.filter(code__in=_coded(refs, "group")))
    rule.reporters.set(Agency.objects.filter(code__in=_coded(refs, "agency")))
