"""From a question to what it asks: the normalised text, the period, the unit or agency (the org
registry's dated resolver), the indicator, the plan, the task. No intent is decided here: the
registry (intents.py) asks each intent in turn whether the question is its own."""

import datetime
import re
from dataclasses import dataclass, field

from dxtrack.org.models import AdminUnit, Agency
from dxtrack.org.resolver import Candidate, canonical
from dxtrack.org.selectors import agency_at, unit_successors_at

from .grounding import GROUNDED, grounding, marked_content, subject
from .knowledge import Knowledge
from .normalize import MAX_QUESTION, has, normalise
from .periods import When, read_when, strip_when
from .retrieval import adjacent_pairs, bigrams, query_words

# Words a unit's or agency's name starts with (the resolver's canonical forms).
_BODY_START = frozenset(
    [
        "so",
        "ubnd",
        "phuong",
        "xa",
        "huyen",
        "tp",
        "tx",
        "tt",
        "ban",
        "cuc",
        "van",
        "cong",
        "trung",
        "dai",
        "bao",
        "bo",
        "chi",
        "kho",
        "hoi",
        "vien",
        "doan",
    ]
)
_PROVINCE = ("toan tinh", "ca tinh", "cua tinh", "tinh thanh hoa")
_DOC = re.compile(r"\b(quyet dinh|nghi quyet|ke hoach|de an)\s*(?:so\s*)?0*(\d{1,5})\b")
_MY_UNIT = ("don vi toi", "don vi minh", "don vi cua toi", "co quan toi", "co quan minh", "chung toi", "toi con")

INDICATOR_COVERAGE = 0.55
NEAR_COVERAGE = 0.5
TASK_COVERAGE = 0.6


@dataclass
class Question:
    raw: str
    text: str  # normalised
    today: datetime.date
    when: When = field(default_factory=When)
    body: Candidate | None = None  # an agency or a unit, as the resolver named it
    agency: Agency | None = None
    unit: AdminUnit | None = None
    province: bool = False
    mine: bool = False  # "đơn vị tôi"
    indicator: str = ""
    indicator_alternatives: list[str] = field(default_factory=list)
    indicator_near: list[str] = field(default_factory=list)  # loosely matching, only suggested
    document: str = ""
    words: list[str] = field(default_factory=list)  # the topic's words (bigrams included)
    follow_up: bool = False
    former: str = ""  # the name asked about, where the body no longer exists today


def _body(raw: str, k: Knowledge, today: datetime.date) -> Candidate | None:
    words = canonical(raw[:MAX_QUESTION]).split()
    fuzzy: Candidate | None = None
    for i, w in enumerate(words):
        if w not in _BODY_START:
            continue
        for j in range(min(len(words), i + 9), i + 1, -1):
            res = k.resolver.resolve(" ".join(words[i:j]), at=today)
            if res.how == "exact" and res.match is not None:
                return res.match
            if res.how == "ambiguous" and res.match is not None and res.match.score == 100.0:
                return res.match  # the same name before and after a reform: the dated one first
            if j - i <= 6 and res.sure and res.match is not None and (fuzzy is None or res.match.score > fuzzy.score):
                fuzzy = res.match
    return fuzzy


def _indicator(q: Question, k: Knowledge) -> None:
    text = strip_when(q.text)
    words = k.indicator_index.repair(query_words(text))
    q.words = bigrams(words)
    top = k.indicator_index.top(q.words, k=3)
    if not top:
        return
    index = k.indicator_index
    # the phrases the question really holds (typos repaired as the words were)
    repaired = dict(zip(query_words(text), words, strict=True))
    phrases = {"_".join(repaired.get(w, w) for w in pair.split("_")) for pair in adjacent_pairs(text)}
    # the place or body asked about is the scope, not the subject (grounding.py)
    scope = frozenset(normalise(q.body.name).split()) if q.body is not None else frozenset()
    subj = subject(q.text, scope_words=scope, content=marked_content(q.raw))
    good = [
        i
        for i, _ in top
        if index.coverage(q.words, i, unknown=True) >= INDICATOR_COVERAGE
        and index.matched(q.words, i) >= 2
        # one phrase at least, standing side by side in the question itself: stray words of an
        # unrelated question ("tổng thống", "bóng đá"; "dân số … người") meet some indicator's
        # words, never its phrases
        and any(index.matched([w], i) for w in phrases)
        # and what the question is about is what the indicator measures: no figure otherwise
        and grounding(index, i, subj, k.indicator_names[i]) >= GROUNDED
    ]
    if good:
        q.indicator = k.indicators[good[0]].ref
        q.indicator_alternatives = [k.indicators[i].ref for i in good[1:]]
    else:
        q.indicator_alternatives = [k.indicators[i].ref for i, _ in top]
        # what may be meant, offered when nothing is answered: half the question's weight at least
        q.indicator_near = [k.indicators[i].ref for i, _ in top if index.coverage(q.words, i) >= NEAR_COVERAGE]


def _document(text: str, k: Knowledge) -> str:
    for m in _DOC.finditer(text):
        code = k.documents.get(m.group(2).lstrip("0") or "0")
        if code:
            return code
    return ""


def read(raw: str, k: Knowledge, today: datetime.date) -> Question:
    raw = (raw or "")[:MAX_QUESTION]
    text = normalise(raw)
    q = Question(raw=raw, text=text, today=today, when=read_when(text, today))
    q.document = _document(text, k)
    q.body = _body(raw, k, today)
    if q.body is not None:
        if q.body.kind == "agency":
            q.agency = Agency.objects.filter(code=q.body.ref).first()
        elif q.body.kind == "unit":
            q.unit = AdminUnit.objects.filter(pk=int(q.body.ref)).first()
            if q.unit is not None and q.unit.level == "province":
                q.unit, q.body, q.province = None, None, True
    q.province = q.province or has(text, *_PROVINCE)
    q.mine = has(text, *_MY_UNIT)
    _indicator(q, k)
    if q.body is not None and q.indicator and _inside_indicator(q, k):
        q.body, q.agency, q.unit = None, None, None
    _today_body(q)
    return q


def _inside_indicator(q: Question, k: Knowledge) -> bool:
    """ "Tỷ lệ báo cáo … của UBND tỉnh được …": a body named inside the indicator's name, with the
    words around it, is part of that name, not the scope asked about (while "Sở Y tế còn nợ…"
    names Sở Y tế, although "cơ sở y tế" is in an indicator's name)."""
    name = canonical(next((n.title for n in k.indicators if n.ref == q.indicator), ""))
    body = canonical(q.body.name)
    pos = name.find(body)
    if pos < 0:
        return False
    phrase = " ".join([*name[:pos].split()[-1:], body, *name[pos + len(body) :].split()[:1]])
    return phrase in canonical(q.raw)


def _today_body(q: Question) -> None:
    """A body that no longer exists (Sở TT&TT, merged in 3/2025; a former commune) is asked about
    as the one that carries its duties today, when there is exactly one."""
    if q.agency is not None and not q.agency.valid_at(q.today):
        successors = agency_at(q.agency, q.today)
        if len(successors) == 1:
            q.former, q.agency = q.agency.name, successors[0].unit
    elif q.unit is not None and not q.unit.valid_at(q.today):
        successors = unit_successors_at(q.unit, q.today)
        if len(successors) == 1:
            q.former, q.unit = q.unit.name, successors[0].unit
