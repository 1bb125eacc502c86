"""What the assistant knows by name, loaded once per process: the indicators (names, synonyms),
the plans (numbers), the register's clauses and tasks (BM25), and the org registry's dated
resolver. Rebuilt when the register or the registry changes (a cheap stamp read per question)."""

import re
import threading
from dataclasses import dataclass, field

from django.db.models import Max

from dxtrack.org.models import AdminUnit, Agency
from dxtrack.org.resolver import NameResolver
from dxtrack.plans.models import Clause, Document, Indicator, Target, Task

from .grounding import name_words
from .normalize import normalise
from .retrieval import Bm25, bigrams, query_words

# Words people use for an indicator besides its register name (folded, abbreviations spelled
# out by normalise). Facts about how the programme is talked about, kept as data.
SYNONYMS = {
    "ho-gia-dinh-cap-quang": ["cap quang ho gia dinh", "internet cap quang ho gia dinh", "ho co cap quang"],
    "kinh-te-so-ty-trong-grdp": ["kinh te so grdp", "ty trong kinh te so"],
    "xep-hang-dti": ["xep hang dti", "chi so dti", "dti cua tinh"],
    "ho-so-tthc-giai-quyet-truc-tuyen": ["ho so truc tuyen", "ho so thu tuc hanh chinh truc tuyen"],
    "doanh-nghiep-chuyen-doi-so": ["doanh nghiep chuyen doi so"],
    "dan-so-co-tai-khoan-thanh-toan-dien-tu": ["tai khoan thanh toan dien tu", "thanh toan dien tu"],
    "dan-so-truong-thanh-co-dien-thoai-thong-minh": ["dien thoai thong minh", "smartphone"],
    "dan-so-truong-thanh-co-chu-ky-so": ["chu ky so ca nhan"],
    "van-ban-gui-nhan-dien-tu": ["van ban dien tu", "gui nhan van ban dien tu"],
    "hai-long-giai-quyet-tthc": ["muc do hai long", "su hai long"],
    "thon-ban-phu-song-4g": ["phu song 4g", "song 4g"],
}


@dataclass
class Named:
    kind: str  # indicator | clause | task
    ref: object  # indicator code | (document code, clause path) | task pk
    title: str


@dataclass
class Knowledge:
    stamp: tuple
    resolver: NameResolver
    indicators: list[Named] = field(default_factory=list)
    indicator_index: Bm25 | None = None
    indicator_names: list[frozenset[str]] = field(default_factory=list)  # grounding.name_words
    clauses: list[Named] = field(default_factory=list)
    clause_index: Bm25 | None = None
    clause_docs: list[str] = field(default_factory=list)  # document code of each clause
    tasks: list[Named] = field(default_factory=list)
    task_index: Bm25 | None = None
    documents: dict[str, str] = field(default_factory=dict)  # "4216" / "06" → document code
    body_keys: list[str] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return bigrams(query_words(normalise(text)))


def _stamp() -> tuple:
    return (
        Target.objects.aggregate(m=Max("pk"))["m"],
        Task.objects.aggregate(m=Max("pk"))["m"],
        Document.objects.aggregate(m=Max("updated_at"))["m"],
        Indicator.objects.count(),
        Clause.objects.aggregate(m=Max("pk"))["m"],
        Agency.objects.aggregate(m=Max("pk"))["m"],
        AdminUnit.objects.aggregate(m=Max("pk"))["m"],
    )


def _build(stamp: tuple) -> Knowledge:
    k = Knowledge(stamp=stamp, resolver=NameResolver.from_db())
    for ind in Indicator.objects.order_by("code"):
        k.indicators.append(Named("indicator", ind.code, ind.name))
    named = [" ".join([n.title, *SYNONYMS.get(n.ref, [])]) for n in k.indicators]
    k.indicator_index = Bm25([_words(text) for text in named])
    k.indicator_names = [
        name_words(normalise(n.title)) | name_words(" ".join(SYNONYMS.get(n.ref, []))) for n in k.indicators
    ]
    texts: dict[int, list[str]] = {}
    for t in Target.objects.in_force().exclude(clause=None).only("clause_id", "label"):
        texts.setdefault(t.clause_id, []).append(t.label)
    for t in Task.objects.in_force().exclude(clause=None).only("clause_id", "title", "output"):
        texts.setdefault(t.clause_id, []).extend([t.title, t.output])
    docs = []
    for c in Clause.objects.select_related("document").order_by("document__code", "line", "pk"):
        k.clauses.append(Named("clause", (c.document.code, c.path), c.heading or c.path))
        k.clause_docs.append(c.document.code)
        docs.append(_words(" ".join([c.heading, *texts.get(c.pk, [])])))
    k.clause_index = Bm25(docs)
    for t in Task.objects.in_force().order_by("pk").only("pk", "title", "output"):
        k.tasks.append(Named("task", t.pk, t.title))
    k.task_index = Bm25([_words(t.title) for t in k.tasks])
    for d in Document.objects.all():
        for num in re.findall(r"\d+", d.number or ""):
            k.documents.setdefault(num.lstrip("0") or "0", d.code)
    return k


_LOCK = threading.Lock()
_KNOWN: dict[str, Knowledge] = {}


def knowledge() -> Knowledge:
    """This process's index, rebuilt only when the register or the registry changed."""
    stamp = _stamp()
    current = _KNOWN.get("k")
    if current is not None and current.stamp == stamp:
        return current
    with _LOCK:
        current = _KNOWN.get("k")
        if current is None or current.stamp != stamp:
            current = _KNOWN["k"] = _build(stamp)
    return current


def forget() -> None:
    _KNOWN.clear()
