"""The clause tree of a plan: I. / 1. / 1.1. / a) / Điều 1. / PHỤ LỤC, as paths like "II.2.1.a".

Headings are recognised by their numbering alone, so plans of other provinces, laid out
differently, still parse: what matters is the numbering convention of Vietnamese
administrative documents (Nghị định 30/2020/NĐ-CP), not the layout of our five seeds.
"""

import re

from .model import Clause, SourceText

ROMAN = re.compile(r"^(?P<n>[IVXL]{1,6})\.\s+(?P<rest>\S.*)$")
ARTICLE = re.compile(r"^Điều\s+(?P<n>\d{1,3})\.?\s*(?P<rest>.*)$")
NUMBERED = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(?P<rest>\S.*)$")
LETTERED = re.compile(r"^(?P<n>[a-zđ])\)\s*(?P<rest>.*)$")
# An appendix heading stands alone ("PHỤ LỤC", "PHỤ LỤC II: …"); "Phụ lục kèm theo: …" in the body
# only refers to one.
APPENDIX = re.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?P<n>[IVX]+|\d+))?\s*(?:[:.\-–]|$)(?!\s*kèm theo)")

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_value(text: str) -> int:
    total, prev = 0, 0
    for ch in reversed(text):
        value = _ROMAN_VALUES[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


def _numbered_ok(numbers: str, rest: str, previous: str | None) -> bool:
    """A line like '2025 là năm…' or '3 nhóm…' is prose, not a heading: require a dot after a
    single number ('1. '), a plausible first number, and a path that follows the previous one."""
    parts = [int(p) for p in numbers.split(".")]
    if parts[0] == 0 or parts[0] > 30 or any(p == 0 for p in parts):
        return False
    return not (rest[:1].isdigit() or rest[:1] == "%")


def parse_clauses(source: SourceText) -> list[Clause]:
    """Every heading, in order, with the line range it governs. Table rows are never headings."""
    heads: list[tuple[str, str, int, int]] = []  # path, heading, level, line
    roman = article = appendix = ""
    numbered = ""
    for line in source.lines:
        if line.is_table_row:
            continue
        text = line.clean
        if not text:
            continue
        if (m := APPENDIX.match(text)) and "kèm theo" not in text[:30]:
            appendix = "PL" + (m.group("n") or "")
            roman = article = numbered = ""
            heads.append((appendix, text, 1, line.number))
            continue
        if (m := ROMAN.match(text)) and text[: len(m.group("n"))].isupper():
            roman, numbered = m.group("n"), ""
            prefix = f"{appendix}." if appendix else ""
            heads.append((f"{prefix}{roman}", text, 1, line.number))
            continue
        if m := ARTICLE.match(text):
            article, roman, numbered = f"Điều {m.group('n')}", "", ""
            heads.append((article, text, 1, line.number))
            continue
        top = ".".join(p for p in (appendix, roman or article) if p)
        if (m := NUMBERED.match(text)) and _numbered_ok(m.group("n"), m.group("rest"), numbered or None):
            if "." not in m.group("n") and not re.match(r"^\d{1,2}\.\s", text):
                continue  # "3 nhiệm vụ…" without the dot
            numbered = m.group("n")
            path = f"{top}.{numbered}" if top else numbered
            heads.append((path, text, 1 + numbered.count(".") + (1 if top else 0), line.number))
            continue
        if m := LETTERED.match(text):
            base = ".".join(p for p in (top, numbered) if p)
            path = f"{base}.{m.group('n')}" if base else m.group("n")
            level = (base.count(".") + 2) if base else 1
            heads.append((path, text, level, line.number))
    clauses = []
    last_line = source.lines[-1].number if source.lines else 0
    for i, (path, heading, level, start) in enumerate(heads):
        end = last_line
        for later_path, _h, later_level, later_start in heads[i + 1 :]:
            if later_level <= level or not later_path.startswith(path + "."):
                end = later_start - 1
                break
        clauses.append(Clause(path, heading, level, start, end))
    return clauses


def clause_at(clauses: list[Clause], line_number: int) -> str:
    """The deepest clause containing the line ("" before the first heading)."""
    best = ""
    best_level = -1
    for clause in clauses:
        if clause.start <= line_number <= clause.end and clause.level > best_level:
            best, best_level = clause.path, clause.level
    return best
