"""Which catalogue indicator a proposed target measures, and a search of indicators by name.

Pure functions over plain data (no Django): the catalogue is a list of dicts (code, name, unit,
pillar). A target is matched by meaning as far as words carry it: its indicator phrase and its
sentence are folded (no diacritics, lower case), abbreviations are spelled out (DVC, TTHC, CSDL,
CNTT, ATTT …), the measuring words every name starts with ("Tỷ lệ", "Số") are set aside, and
rapidfuzz compares what remains. The unit must agree (a percentage is never matched to a count);
the pillar, when both know it, adds a little. The score shown to the reviewer is 0–100.
"""

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from dxtrack.core.text import fold

MATCH_AT = 62.0  # the least score a proposal is linked at; below it the reviewer chooses
# Abbreviations and synonyms plans use, folded: each becomes its long form before comparing.
SYNONYMS = {
    "dvc": "dich vu cong",
    "dvctt": "dich vu cong truc tuyen",
    "tthc": "thu tuc hanh chinh",
    "csdl": "co so du lieu",
    "cntt": "cong nghe thong tin",
    "attt": "an toan thong tin",
    "dn": "doanh nghiep",
    "cbccvc": "can bo cong chuc vien chuc",
    "grdp": "grdp tong san pham",
    "ubnd": "uy ban nhan dan",
    "cqnn": "co quan nha nuoc",
    "nguoi truong thanh": "dan so truong thanh",
    "nguoi dan truong thanh": "dan so truong thanh",
    "bang rong co dinh": "cap quang",
    "internet cap quang": "cap quang",
    "thanh toan khong dung tien mat": "thanh toan dien tu",
    "muc do 4": "toan trinh",
}
_MEASURES = re.compile(
    r"^(?:ty le|ty trong|so luong|so|tong so|toc do|chi so|muc|gia tri)\s+"
    r"|\b(?:dat|tren|toi thieu|toi da|it nhat|khong qua|tro len|den nam \d{4}|nam \d{4}|phan dau)\b"
)
_SYNONYM_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)) + r")\b")


@dataclass(frozen=True)
class Match:
    code: str
    name: str
    unit: str
    score: float  # 0–100


def words(text: str) -> str:
    """A name or a phrase as compared: folded, abbreviations spelled out, measuring words aside."""
    key = _SYNONYM_RE.sub(lambda m: SYNONYMS[m.group(0)], fold(text))
    return re.sub(r"\s+", " ", _MEASURES.sub(" ", key)).strip()


def _unit_key(unit: str) -> str:
    unit = fold(unit)
    return {"phan tram": "%", "ty le": "%"}.get(unit, unit) if unit else ""


class Catalogue:
    """The indicators, prepared once for many matches."""

    def __init__(self, indicators: list[dict]):
        self.items = [
            {
                "code": i["code"],
                "name": i["name"],
                "unit": i.get("unit") or "",
                "pillar": i.get("pillar") or "",
                "key": words(i["name"]),
                "unit_key": _unit_key(i.get("unit") or ""),
            }
            for i in indicators
        ]

    def _score(self, item: dict, label: str, text: str, pillar: str) -> float:
        by_label = fuzz.token_set_ratio(item["key"], label) if label else 0.0
        sorted_label = fuzz.token_sort_ratio(item["key"], label) if label else 0.0
        by_text = fuzz.partial_token_sort_ratio(item["key"], text) if text else 0.0
        score = max(0.5 * by_label + 0.5 * sorted_label, 0.8 * by_text, 0.35 * by_label + 0.65 * by_text)
        if len(label.split()) <= 2:  # "Tỷ lệ các xã": the phrase says too little, the sentence says more
            score = 0.25 * by_label + 0.75 * by_text
        if pillar and item["pillar"] and pillar == item["pillar"]:
            score += 3.0
        return min(score, 100.0)

    def candidates(self, *, label: str, text: str = "", unit: str = "", pillar: str = "", limit: int = 5):
        """The indicators a target may measure, best first, each with its score."""
        unit_key = _unit_key(unit)
        label_key, text_key = words(label), words(text)
        scored = []
        for item in self.items:
            if unit_key and item["unit_key"] and unit_key != item["unit_key"]:
                continue
            scored.append((self._score(item, label_key, text_key, pillar), item))
        scored.sort(key=lambda s: -s[0])
        return [Match(i["code"], i["name"], i["unit"], round(s, 1)) for s, i in scored[:limit]]

    def best(self, *, label: str, text: str = "", unit: str = "", pillar: str = "") -> Match | None:
        """The indicator a target measures, when its score reaches MATCH_AT; else None."""
        found = self.candidates(label=label, text=text, unit=unit, pillar=pillar, limit=1)
        # A count's unit ("xã", "hạng", "doanh nghiệp") has already narrowed the catalogue down.
        least = MATCH_AT if _unit_key(unit) in ("", "%") else MATCH_AT - 12
        return found[0] if found and found[0].score >= least else None

    def search(self, query: str, *, limit: int = 10) -> list[Match]:
        """Indicators by name (not code), for the reviewer's search box."""
        key = words(query)
        if not key:
            return []
        asked = set(key.split())
        scored = []
        for item in self.items:
            name = set(item["key"].split())
            # How much of what was asked the name holds, then how alike the two read.
            covered = 100.0 * len(asked & name) / len(asked)
            scored.append((0.65 * covered + 0.35 * fuzz.token_set_ratio(key, item["key"]), item))
        scored.sort(key=lambda s: (-s[0], s[1]["name"]))
        return [Match(i["code"], i["name"], i["unit"], round(score, 1)) for score, i in scored[:limit] if score >= 45]
