"""Maps a name as a plan writes it to an agency, a group of agencies or an administrative unit.

Plans write the same body many ways: "Sở Thông tin và Truyền thông", "Sở TT&TT", "Sở TTTT",
"sở thông tin va truyen thong", "Giám đốc Sở TT&TT", "UBND huyện Thọ Xuân". The resolver folds case,
diacritics and punctuation, canonicalises the usual abbreviations, strips titles and the
province's name, and falls back to fuzzy matching for typos; it says when it is unsure rather
than guess silently.
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from dxtrack.core.numbers import format_number
from dxtrack.core.text import fold

Kind = Literal["agency", "group", "unit"]

# Whole-word rewrites applied to both the index and the query, so either form meets the other.
_CANON = [
    (r"\buy ban nhan dan\b", "ubnd"),
    (r"\bhoi dong nhan dan\b", "hdnd"),
    (r"\bmat tran to quoc( viet nam)?\b", "mttq"),
    (r"\bthanh pho\b", "tp"),
    (r"\bthi xa\b", "tx"),
    (r"\bthi tran\b", "tt"),
    # "và" is often dropped or doubled in names ("Sở Kế hoạch Đầu tư"); it carries nothing.
    (r"\bva\b", " "),
]
# The word that says what sort of body it is; a typo elsewhere must not turn a Sở into a Bộ.
_BODY_WORDS = frozenset(
    {
        "so",
        "bo",
        "ban",
        "cuc",
        "ubnd",
        "hdnd",
        "hoi",
        "trung",
        "truong",
        "dai",
        "bao",
        "tp",
        "tx",
        "huyen",
        "xa",
        "phuong",
        "tt",
        "kho",
        "cong",
        "vien",
        "chi",
        "to",
        "doan",
    }
)
# Titles of a body's head stand for the body ("Giám đốc Sở TT&TT" → Sở TT&TT).
_TITLES = re.compile(
    r"^(giam doc|pho giam doc|chu tich|pho chu tich|thu truong|chanh van phong|chanh|truong ban|truong|"
    r"lanh dao|tong giam doc|bi thu|cuc truong|hieu truong|co quan thuong truc)\s+"
)
_PROVINCE_TAIL = re.compile(r"\s+(tinh thanh hoa|thanh hoa|tinh|cap tinh)$")
_LEADING_ARTICLES = re.compile(r"^(cac|nhung)\s+")

SURE_SCORE = 93.0
MARGIN = 6.0
FLOOR = 75.0


def canonical(text: str) -> str:
    key = fold(text)
    for pattern, repl in _CANON:
        key = re.sub(pattern, repl, key)
    return re.sub(r"\s+", " ", key).strip()


def _variants(key: str) -> list[str]:
    """The query key, then weaker forms: without a leading title, without the province tail."""
    out = [key]
    stripped = _TITLES.sub("", key)
    if stripped != key:
        out.append(stripped)
    for k in list(out):
        tail = _PROVINCE_TAIL.sub("", k)
        if tail != k and tail:
            out.append(tail)
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Candidate:
    kind: Kind
    ref: str  # agency or group code; unit primary key as text
    name: str
    score: float


@dataclass(frozen=True)
class Resolution:
    text: str
    match: Candidate | None
    sure: bool
    how: str  # "exact", "fuzzy", "ambiguous", "none" (for messages and review)
    alternatives: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def message(self) -> str:
        if self.match is None:
            return f"Không nhận ra tên cơ quan, đơn vị “{self.text}”."
        if self.how == "ambiguous":
            names = "; ".join(c.name for c in (self.match, *self.alternatives))
            return f"“{self.text}” có thể là nhiều cơ quan, đơn vị: {names}. Cần chọn lại."
        if not self.sure:
            score = format_number(self.match.score, "%", decimals=0, show_unit=True)
            return f"“{self.text}” được hiểu gần đúng là {self.match.name} ({score}). Cần kiểm tra."
        return f"“{self.text}” là {self.match.name}."


@dataclass(frozen=True)
class _Entry:
    kind: Kind
    ref: str
    name: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None

    def valid_at(self, at: datetime.date | None) -> bool:
        if at is None:
            return True
        return (self.valid_from is None or self.valid_from <= at) and (self.valid_to is None or at <= self.valid_to)


class NameResolver:
    def __init__(self, entries: list[tuple[_Entry, list[str]]]):
        self._index: dict[str, list[_Entry]] = {}
        for entry, names in entries:
            for name in names:
                for key in {canonical(name), _LEADING_ARTICLES.sub("", canonical(name))}:
                    if key:
                        bucket = self._index.setdefault(key, [])
                        if entry not in bucket:
                            bucket.append(entry)
        self._keys = list(self._index)

    @classmethod
    def from_db(cls, *, province_code: str = "") -> "NameResolver":
        from django.db.models import Q

        from .models import AdminLevel, AdminUnit, Agency, AgencyGroup
        from .reference import this_province

        province_code = this_province(province_code)

        entries: list[tuple[_Entry, list[str]]] = []
        for a in Agency.objects.all():
            entries.append((_Entry("agency", a.code, a.name, a.valid_from, a.valid_to), [a.name, *a.aliases]))
        for g in AgencyGroup.objects.all():
            entries.append((_Entry("group", g.code, g.name, g.valid_from, g.valid_to), [g.name, *g.aliases]))
        units = AdminUnit.objects.filter(
            Q(level=AdminLevel.PROVINCE, code=province_code)
            | Q(parent__level=AdminLevel.PROVINCE, parent__code=province_code)
            | Q(parent__parent__level=AdminLevel.PROVINCE, parent__parent__code=province_code)
        )
        for u in units:
            # The province's own committee is the agency UBND_TINH, not the territory.
            names = [u.name] if u.level == AdminLevel.PROVINCE else [u.name, f"UBND {u.name}"]
            entries.append((_Entry("unit", str(u.pk), u.name, u.valid_from, u.valid_to), names))
        return cls(entries)

    @classmethod
    def from_data(cls, *, province_code: str = "") -> "NameResolver":
        """The same registry read from the bundled files (agencies.json, the administrative units),
        not the database: extracting a plan must work on a fresh checkout, before any migration.
        A unit's ref is its key in the reference data ("commune:14758@new"), there being no row."""
        from .reference import read_admin_data, read_agency_data, this_province
        from .services import _package_units

        province_code = this_province(province_code)

        data = read_agency_data()
        entries: list[tuple[_Entry, list[str]]] = []
        for a in data["agencies"]:
            entries.append(
                (_Entry("agency", a["code"], a["name"], a["valid_from"], a["valid_to"]), [a["name"], *a["aliases"]])
            )
        for g in data["groups"]:
            entries.append(
                (_Entry("group", g["code"], g["name"], g["valid_from"], g["valid_to"]), [g["name"], *g["aliases"]])
            )
        units = read_admin_data(*_package_units(), province_code=province_code).units
        province = f"province:{province_code}"
        mine = {province} | {u.key for u in units if u.parent_key == province}
        for u in units:
            if u.key in mine or u.parent_key in mine:
                names = [u.name] if u.key == province else [u.name, f"UBND {u.name}"]
                entries.append((_Entry("unit", u.key, u.name, u.valid_from, u.valid_to), names))
        return cls(entries)

    def _exact(self, key: str, at: datetime.date | None) -> list[_Entry]:
        found = self._index.get(key) or self._index.get(_LEADING_ARTICLES.sub("", key)) or []
        if len(found) > 1 and at is not None:
            # The same name before and after a reform: prefer the one that existed at the date.
            current = [e for e in found if e.valid_at(at)]
            found = current or found
        return found

    def resolve(self, text: str, *, at: datetime.date | None = None) -> Resolution:
        text = (text or "").strip()[:300]
        key = canonical(text)
        if not key:
            return Resolution(text, None, False, "none")
        for variant in _variants(key):
            found = self._exact(variant, at)
            if len(found) == 1:
                e = found[0]
                return Resolution(text, Candidate(e.kind, e.ref, e.name, 100.0), True, "exact")
            if len(found) > 1:
                cands = [Candidate(e.kind, e.ref, e.name, 100.0) for e in found]
                return Resolution(text, cands[0], False, "ambiguous", tuple(cands[1:]))
        return self._fuzzy(text, _variants(key), at)

    def _fuzzy(self, text: str, variants: list[str], at: datetime.date | None) -> Resolution:
        best: dict[tuple[str, str], Candidate] = {}
        for variant in variants:
            head = variant.split(" ", 1)[0]
            keys = self._keys
            if head in _BODY_WORDS:
                keys = [k for k in self._keys if k.split(" ", 1)[0] == head] or self._keys
            for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
                for key, score, _ in process.extract(variant, keys, scorer=scorer, limit=8):
                    for e in self._index[key]:
                        if at is not None and not e.valid_at(at) and len(self._index[key]) > 1:
                            continue
                        prior = best.get((e.kind, e.ref))
                        if prior is None or score > prior.score:
                            best[(e.kind, e.ref)] = Candidate(e.kind, e.ref, e.name, round(score, 1))
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.name))
        if not ranked or ranked[0].score < FLOOR:
            return Resolution(text, None, False, "none", tuple(ranked[:3]))
        top, rest = ranked[0], ranked[1:4]
        clear = not rest or top.score - rest[0].score >= MARGIN
        if not clear:
            return Resolution(text, top, False, "ambiguous", tuple(c for c in rest if top.score - c.score < MARGIN))
        return Resolution(text, top, top.score >= SURE_SCORE, "fuzzy", tuple(rest))

    def resolve_list(self, text: str, *, at: datetime.date | None = None) -> list[Resolution]:
        """A cell naming several bodies ("Sở TT&TT, Sở Tài chính; UBND cấp huyện"). Commas also sit
        inside names ("Sở Văn hóa, Thể thao và Du lịch"), so adjacent parts are joined back when
        the joined name is known exactly."""
        parts = [p.strip(" .") for p in re.split(r"[,;\n]", text or "") if p.strip(" .")]
        out, i = [], 0
        while i < len(parts):
            for j in range(len(parts), i + 1, -1):
                joined = ", ".join(parts[i:j])
                res = self.resolve(joined, at=at)
                if res.how == "exact":
                    out.append(res)
                    i = j
                    break
            else:
                out.append(self.resolve(parts[i], at=at))
                i += 1
        return out
