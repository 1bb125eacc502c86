"""Searching the register: targets, tasks, indicators, agencies and units, ranked, with or
without diacritics (ADR 0030). A selector module: reads only, and only what the register pages
already show to anyone.

One interface, two engines:
- PostgreSQL: full-text search on `to_tsvector('simple', unaccent(...))` (the extension made by
  core's migration 0005), the name weighted A and the rest B, ranked by `ts_rank_cd` (words
  close together first) plus one when the whole query is a phrase of the name; each word of the
  query matches as a prefix ("truc tuy" finds "trực tuyến").
- SQLite: the same folding in Python registered as `dxtrack_fold` (core.apps); every word must be
  in the name or the rest, and the rows are ranked in Python by the same weights: a word that is
  a whole word of the name counts most, a prefix of one less, a word found only in the rest
  least; the whole query as a phrase of the name adds to it.
The register is hundreds to a few thousand rows per kind, so neither needs a stored index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext_lazy as _

from dxtrack.core.lists import Folded
from dxtrack.core.text import fold
from dxtrack.org.models import AdminUnit, Agency

from .models import Indicator, Target, Task

MAX_QUERY = 100
MAX_WORDS = 8


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type
    name: str  # the field weighted most
    rest: tuple[str, ...]  # the other fields searched
    related: tuple[str, ...] = ()

    def base(self) -> QuerySet:
        qs = self.model.objects.all()
        if hasattr(qs, "in_force"):
            qs = qs.in_force()
        if self.model is AdminUnit or self.model is Agency:
            qs = qs.filter(valid_to__isnull=True)
        return qs.select_related(*self.related) if self.related else qs


KINDS = {
    k.key: k
    for k in [
        Kind(
            "chi-tieu",
            _("Chỉ tiêu"),
            Target,
            "label",
            ("indicator__name", "sector"),
            ("document", "indicator", "clause"),
        ),
        Kind("nhiem-vu", _("Nhiệm vụ"), Task, "title", ("output", "group"), ("document", "clause")),
        Kind("chi-tieu-theo-doi", _("Chỉ tiêu theo dõi"), Indicator, "name", ("code", "definition")),
        Kind("co-quan", _("Cơ quan"), Agency, "name", ("search_name",)),
        Kind("don-vi", _("Đơn vị hành chính"), AdminUnit, "name", ("kind",), ("parent",)),
    ]
}


@dataclass
class Hit:
    kind: str
    obj: object
    rank: float


@dataclass
class Results:
    query: str
    words: list[str]
    groups: dict[str, list[Hit]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(hits) for hits in self.groups.values())

    def by_kind(self) -> list[tuple[Kind, list[Hit]]]:
        return [(KINDS[key], hits) for key, hits in self.groups.items() if hits]


def words_of(query: str) -> list[str]:
    """The query's words, folded (no diacritics, lower case), letters and digits only."""
    words = [re.sub(r"[^0-9a-z]", "", w) for w in fold((query or "")[:MAX_QUERY]).split()]
    return [w for w in words if w][:MAX_WORDS]


def register_search(query: str, *, kinds: list[str] | None = None, limit: int = 20) -> Results:
    """The register's items matching every word of `query`, best first, `limit` per kind."""
    words = words_of(query)
    results = Results(query=query, words=words)
    if not words:
        return results
    search = _postgres if connection.vendor == "postgresql" else _sqlite
    for key in kinds or list(KINDS):
        kind = KINDS.get(key)
        if kind is not None:
            results.groups[key] = search(kind, words, limit)
    return results


def _text(fields: tuple[str, ...]):
    parts = []
    for name in fields:
        parts += [Coalesce(F(name), Value(""), output_field=TextField()), Value(" ")]
    return Concat(*parts, output_field=TextField()) if len(parts) > 2 else parts[0]


def _postgres(kind: Kind, words: list[str], limit: int) -> list[Hit]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
    from django.db.models import Func

    def unaccented(expression):
        return Func(expression, function="unaccent")

    vector = SearchVector(unaccented(F(kind.name)), weight="A", config="simple") + SearchVector(
        unaccented(_text(kind.rest)), weight="B", config="simple"
    )
    tsquery = SearchQuery(" & ".join(f"{w}:*" for w in words), search_type="raw", config="simple")
    # Cover density: words close together rank above the same words scattered; the whole
    # query as a phrase of the name adds one more (as on SQLite).
    phrase = Case(
        When(f_name__contains=" ".join(words), then=Value(1.0)), default=Value(0.0), output_field=FloatField()
    )
    qs = (
        kind.base()
        .annotate(document_vector=vector, f_name=Folded(F(kind.name)))
        .filter(document_vector=tsquery)
        .annotate(rank=SearchRank(vector, tsquery, cover_density=True) + phrase)
        .order_by("-rank", kind.name, "pk")[:limit]
    )
    return [Hit(kind.key, obj, float(obj.rank)) for obj in qs]


def _sqlite(kind: Kind, words: list[str], limit: int) -> list[Hit]:
    qs = kind.base().annotate(f_name=Folded(F(kind.name)), f_rest=Folded(_text(kind.rest)))
    for word in words:
        qs = qs.filter(Q(f_name__contains=word) | Q(f_rest__contains=word))
    # Ranked in Python: the candidates are bounded (every word must match) and few.
    hits = [Hit(kind.key, obj, score(words, obj.f_name, obj.f_rest)) for obj in qs[:2000]]
    hits.sort(key=lambda h: (-h.rank, h.obj.f_name, h.obj.pk))
    return hits[:limit]


def score(words: list[str], name: str, rest: str) -> float:
    """How well a row answers the words (SQLite's ranking; ts_rank's counterpart)."""
    name_words = name.split()
    total = 0.0
    for word in words:
        if word in name_words:
            total += 3
        elif any(w.startswith(word) for w in name_words):
            total += 2
        elif word in name:
            total += 1
        else:
            total += 0.5  # in the rest only
    phrase = " ".join(words)
    if name == phrase:
        total += 5
    elif phrase in name:
        total += 3
    # Shorter names that match the same words are the closer answer.
    return total - len(name_words) / 100
