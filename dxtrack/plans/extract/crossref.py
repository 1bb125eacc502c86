"""Duties that point at other clauses: "Chủ trì thực hiện các nhiệm vụ tại nội dung 2.1 khoản 2
Mục II" makes the duty's agency the lead of every task under II.2.1 that names no lead itself.

References follow the citation style of Vietnamese legal drafting (điểm → nội dung/khoản → Mục,
or mục → phần), so plans of other provinces cite the same way.
"""

import re
from dataclasses import replace

from .model import AgencyRef, ExtractedTask

_TOKENS = re.compile(
    r"(?:nội dung|điểm)\s+(?P<content>\d+(?:\.\d+)+)"
    r"|điểm\s+(?P<letters>[a-zđ](?:\s*(?:,|và)\s*(?:điểm\s+)?[a-zđ]\b)*)"
    r"|nội dung\s+(?P<content1>\d+)"
    r"|khoản\s+(?P<clause>\d+)\s+(?:của\s+)?Mục\s+(?P<roman>[IVX]+)\b"
    r"|mục\s+(?P<item>\d+)\s*,?\s*phần\s+(?P<part>[IVX]+)\b"
    r"|mục\s+(?P<item1>\d+)\b"
    r"|phần\s+(?P<part1>[IVX]+)\b",
    re.IGNORECASE,
)


def referenced_paths(text: str) -> list[str]:
    """Clause paths a sentence cites, e.g. 'điểm a, điểm b nội dung 1.2 khoản 1 Mục II' →
    ['II.1.2.a', 'II.1.2.b']; 'điểm 5.1, mục 5, phần III' → ['III.5.1']."""
    paths: list[str] = []
    letters: list[str] = []
    pending: list[tuple[str, list[str]]] = []

    def close(number: str | None, roman: str) -> None:
        nonlocal letters, pending
        if number and (letters or not pending):
            pending.append((number, letters))
        for num, its_letters in pending:
            base = f"{roman.upper()}.{num}"
            paths.extend([f"{base}.{x}" for x in its_letters] or [base])
        letters, pending = [], []

    for m in _TOKENS.finditer(text):
        if m.group("letters"):
            letters += re.findall(r"\b([a-zđ])\b", re.sub(r"điểm", " ", m.group("letters")))
        elif m.group("content") or m.group("content1") or m.group("item1"):
            pending.append((m.group("content") or m.group("content1") or m.group("item1"), letters))
            letters = []
        elif m.group("clause"):
            close(m.group("clause"), m.group("roman"))
        elif m.group("item"):
            close(m.group("item"), m.group("part"))
        elif m.group("part1"):
            close(None, m.group("part1"))
    return list(dict.fromkeys(paths))


def _role(text: str) -> str:
    lowered = text.strip().lower()
    if "chủ trì" in lowered:
        return "lead"
    if lowered.startswith(("phối hợp", "- phối hợp")):
        return "coordinating"
    return "participant"


def _merge(refs: list[AgencyRef], extra: list[AgencyRef]) -> list[AgencyRef]:
    known = {(r.kind, r.code or r.text) for r in refs}
    return refs + [replace(r) for r in extra if (r.kind, r.code or r.text) not in known]


def assign_by_reference(tasks: list[ExtractedTask]) -> int:
    """Fills leads and coordinators from duties that cite clauses; returns how many tasks gained
    a body. Leads the plan names on a task itself always win."""
    changed = 0
    duties = [t for t in tasks if t.lead and _TOKENS.search(t.title)]
    for duty in duties:
        role = _role(duty.title)
        cited = referenced_paths(duty.title)
        for task in tasks:
            if task is duty or not any(task.clause == p or task.clause.startswith(p + ".") for p in cited):
                continue
            if role in ("lead", "participant") and not task.lead:
                task.lead = [replace(r) for r in duty.lead]
                changed += 1
            elif role == "coordinating":
                merged = _merge(task.coordinating, [r for r in duty.lead if r not in task.lead])
                changed += len(merged) != len(task.coordinating)
                task.coordinating = merged
    return changed
