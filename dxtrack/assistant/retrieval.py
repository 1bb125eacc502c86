"""Lexical retrieval: Okapi BM25 over folded tokens, with typo repair against the index's own
vocabulary (rapidfuzz). Pure Python: the register holds hundreds of clauses, targets and tasks,
and one query scores them in well under a millisecond (ADR 0037 records the measurements and why
bm25s, underthesea and an embedding model are not used)."""

import math
import re
from collections import Counter, defaultdict
from itertools import pairwise

from rapidfuzz import fuzz, process

# Words that say what is asked, not about what: they would match every clause.
STOPWORDS = frozenset(
    [
        "la",
        "gi",
        "bao",
        "nhieu",
        "cua",
        "ve",
        "the",
        "nao",
        "nhu",
        "co",
        "khong",
        "nao",
        "cho",
        "toi",
        "hay",
        "biet",
        "xin",
        "hoi",
        "va",
        "cac",
        "nhung",
        "duoc",
        "voi",
        "trong",
        "tren",
        "da",
        "chua",
        "con",
        "phai",
        "den",
        "tu",
        "theo",
        "tai",
        "mot",
        "muc",
        "tieu",
        "chi",
        "tieu",
        "dat",
        "noi",
        "quy",
        "dinh",
        "ke",
        "hoach",
        "quyet",
        "dinh",
        "nghi",
        "quyet",
        "van",
        "ban",
        "tinh",
        "ai",
        "chu",
        "tri",
        "phoi",
        "hop",
        "thuc",
        "hien",
        "nhiem",
        "vu",
        "thoi",
        "han",
        "han",
        "luc",
        "khi",
        "bao",
        "gio",
        "hien",
        "nay",
        "gia",
        "tri",
        "tinh",
        "trang",
        "tien",
        "do",
    ]
)


class Bm25:
    K1 = 1.5
    B = 0.75

    def __init__(self, docs: list[list[str]]):
        self.n = len(docs)
        self.lengths = [len(d) for d in docs]
        self.avg = (sum(self.lengths) / self.n) if self.n else 0.0
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, doc in enumerate(docs):
            for word, tf in Counter(doc).items():
                self.postings[word].append((i, tf))
        self.idf = {w: math.log(1 + (self.n - len(p) + 0.5) / (len(p) + 0.5)) for w, p in self.postings.items()}
        self.vocabulary = [w for w in self.postings if len(w) >= 3]
        self.words_of = [set(doc) for doc in docs]  # what each document holds, for grounding

    def repair(self, words: list[str]) -> list[str]:
        """Each unknown word of four letters or more replaced by the closest known one (≥ 80)."""
        out = []
        for w in words:
            if w in self.postings or len(w) < 4 or w.isdigit():
                out.append(w)
                continue
            best = process.extractOne(w, self.vocabulary, scorer=fuzz.ratio, score_cutoff=80)
            out.append(best[0] if best else w)
        return out

    def repair_one(self, word: str) -> tuple[str, float]:
        """The word as `repair` reads it, with the repair's score (100 when kept as typed)."""
        if word in self.postings or len(word) < 4 or word.isdigit():
            return word, 100.0
        best = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=80)
        return (best[0], best[1]) if best else (word, 100.0)

    def rare_weight(self) -> float:
        """What a word no document holds weighs: as much as a word of one document."""
        return math.log(1 + (self.n - 0.5) / 1.5)

    def scores(self, words: list[str]) -> dict[int, float]:
        out: dict[int, float] = defaultdict(float)
        for w in set(words):
            idf = self.idf.get(w)
            if idf is None:
                continue
            for i, tf in self.postings[w]:
                norm = tf * (self.K1 + 1) / (tf + self.K1 * (1 - self.B + self.B * self.lengths[i] / (self.avg or 1)))
                out[i] += idf * norm
        return out

    def top(self, words: list[str], k: int = 5) -> list[tuple[int, float]]:
        ranked = sorted(self.scores(words).items(), key=lambda kv: (-kv[1], kv[0]))
        return ranked[:k]

    def matched(self, words: list[str], i: int) -> int:
        """How many of the query's distinct words the document holds."""
        return sum(1 for w in set(words) if w in self.postings and any(d == i for d, _ in self.postings[w]))

    def coverage(self, words: list[str], i: int, *, unknown: bool = False) -> float:
        """The share of the query's informative weight the document holds (0–1). With `unknown`,
        a word no document holds ("thất nghiệp", "GDP") weighs as a word of one document would:
        the key term of a question about something else, not a word to leave out."""
        rare = math.log(1 + (self.n - 0.5) / 1.5) if unknown else 0.0
        total = sum(self.idf.get(w, 0.0 if "_" in w else rare) for w in set(words)) or 1.0
        found = sum(self.idf[w] for w in set(words) if w in self.idf and any(d == i for d, _ in self.postings[w]))
        return found / total


_PROVINCE = re.compile(r"\b(tinh )?thanh hoa\b")


def query_words(text: str) -> list[str]:
    """The words that say what about: the question words and the province's name dropped ("số"
    stays: "số hóa", "chuyển đổi số")."""
    return [w for w in _PROVINCE.sub(" ", text).split() if w not in STOPWORDS]


def adjacent_pairs(text: str) -> set[str]:
    """The pairs of topic words that stand side by side in the text itself ("dân số" in "dân số
    tỉnh … là bao nhiêu người"), not brought together by dropping the question words between
    them ("số … người"): what a real phrase match asks of the question."""
    words = _PROVINCE.sub(" _ ", text).split()
    return {f"{a}_{b}" for a, b in pairwise(words) if a not in STOPWORDS and b not in STOPWORDS and "_" not in (a, b)}


def bigrams(words: list[str]) -> list[str]:
    """Words and adjacent pairs: "cap quang" scores above "cap" and "quang" apart."""
    return words + [f"{a}_{b}" for a, b in pairwise(words)]
