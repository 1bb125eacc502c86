"""Whether an indicator really is what a question asks about, before any figure is given.

BM25 ranks indicators by the words they share with a question; sharing words is not being asked
about. "Tỷ lệ hộ nghèo" shares "tỷ lệ hộ" with the fibre indicator, and typo repair even reads
"nghèo" as "nghệ" (công nghệ); "số người dân tộc thiểu số" shares "số … người dân" with another.
So the question's *subject* — its content words once the question words, the period, the unit
asked in ("bao nhiêu người", "bao nhiêu %") and the place names are set aside — must be held by
the indicator (its name and synonyms), weighted by how telling each word is (BM25's idf; a word
no indicator holds weighs as a word of one indicator: it is the key term of a question about
something else). A word counts as held only
- as typed, or through a repair sure enough to be a typo (a one-letter slip in a long word), not
  one short syllable read as another ("nghèo"/"nghệ", "rừng"/"trung", "thiểu"/"thiện"), and
- inside a phrase the indicator shares with the question, where the word stands beside other
  subject words ("dân số thành thị" is not "dân số … thanh toán"). A word standing alone among
  question words needs no partner.
"""

import re
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz, process

from dxtrack.core.text import fold

from .periods import strip_when
from .retrieval import STOPWORDS, Bm25

GROUNDED = 0.75  # share of the subject's weight an indicator must hold for a figure to be given
SURE_REPAIR = 90.0  # fuzz.ratio: one letter in a word of six or more; short syllables stay as typed

_PROVINCE = re.compile(r"\b(tinh )?thanh hoa\b")
# Further time words that strip_when keeps (it reads periods, these only say "now").
_NOW = re.compile(r"\b(hom nay|bay gio|luc nay|ngay mai|hom qua|toi qua|thang \d{1,2})\b")
# Units a question asks its figure in ("bao nhiêu người", "mấy %"): the measure, not the subject.
_UNITS = (
    ("phan", "tram"),
    ("trieu", "dong"),
    ("ty", "dong"),
    ("nghin", "dong"),
    ("nguoi",),
    ("ho",),
    ("km2",),
    ("km",),
    ("m2",),
    ("tan",),
    ("ha",),
    ("hecta",),
    ("mm",),
    ("kg",),
    ("lit",),
    ("dong",),
    ("usd",),
    ("ca",),
    ("vu",),
    ("lan",),
    ("do",),
)
_ASKS = (("bao", "nhieu"), ("may",))
# What a question asks of its subject (a figure, a target, the state of things), not about what.
# retrieval.STOPWORDS drops the single words; these are the phrases it keeps, and the "giá" of
# "giá trị" (alone, "giá" is a price: a subject).
_ASKING = re.compile(
    r"\b(bao nhieu|bao gio|bao lau|gia tri|so lieu|moi nhat|thuc te|tinh hinh|ra sao|the nao|yeu cau|phan dau"
    r"|can dat|dat duoc|dang o|den dau|vao|chiem|target|la)\b"
)
_QUESTION_WORDS = STOPWORDS - {"gia"}
# The question words as they are spelled with their marks. Folded, "bảo" (bảo hiểm), "hội" (xã
# hội), "chữ", "tài", "đình", "đô", "mức" meet stop words; typed with marks, a word is a question
# word only in one of these spellings. Typed without marks, a stop word stays one.
_QUESTION_FORMS = frozenset(
    "ai bản ban bao biết các chỉ chi cho chủ chưa có còn con của đã đạt đến định độ do được gì giá giờ "  # noqa: SIM905
    "hạn hãy hay hiện hoạch hỏi hợp kế khi không là lúc một mục nào nay này nghị nhiệm nhiêu nhiều như "
    "những nhưng nói phải phối quy quý quyết tại thế thể theo thời thực tiến tiêu tỉnh tình tôi tới trạng "
    "trên trị trì trong từ và văn về với vụ xin".split()
)
_RAW_WORD = re.compile(r"[^\W_]+")
_LONG_QUESTION_WORDS = sorted(w for w in _QUESTION_WORDS if len(w) >= 5)


@dataclass
class Subject:
    runs: list[list[str]]  # the subject's words, in runs that stand side by side in the question


def marked_content(raw: str) -> frozenset[str]:
    """The folded stop words the raw question uses as content words: typed with marks, in a
    spelling no question word has ("bảo" in "bảo hiểm", "hội" in "xã hội")."""
    out = set()
    for word in _RAW_WORD.findall((raw or "").lower()):
        folded = fold(word)
        if folded in _QUESTION_WORDS and folded != word and word not in _QUESTION_FORMS:
            out.add(folded)
    return frozenset(out)


def subject(text: str, *, scope_words: frozenset[str] = frozenset(), content: frozenset[str] = frozenset()) -> Subject:
    """The content words of a normalised question: no question words (but the stop words in
    `content`, from marked_content), period, unit asked in, nor the names of the place or body
    asked about (`scope_words`)."""
    words = _PROVINCE.sub(" _ ", _NOW.sub(" _ ", strip_when(text))).split()
    marked = list(words)
    for i in range(len(words)):
        for ask in _ASKS:
            if tuple(words[max(0, i - len(ask)) : i]) == ask and i >= len(ask):
                for unit in _UNITS:
                    if tuple(words[i : i + len(unit)]) == unit:
                        marked[i : i + len(unit)] = ["_"] * len(unit)
                        break
    runs, run = [], []
    for w in _ASKING.sub(" _ ", " ".join(marked)).split():
        if w == "_" or (w in _QUESTION_WORDS and w not in content) or w in scope_words:
            if run:
                runs.append(run)
            run = []
        else:
            run.append(w)
    if run:
        runs.append(run)
    return Subject(runs)


def _read(index: Bm25, word: str, held: frozenset[str] | set[str]) -> str:
    """The word as typed if the document holds it; else the document's own word it is a slip of
    ("trưng" for "trưởng"); else the index's word it surely is a slip of; else as typed."""
    if word in held:
        return word
    mine = process.extractOne(word, [w for w in held if "_" not in w], scorer=fuzz.ratio, score_cutoff=SURE_REPAIR)
    if mine:
        return mine[0]
    repaired, score = index.repair_one(word)
    return repaired if score >= SURE_REPAIR else word


def _slip_of_question_word(index: Bm25, word: str) -> bool:
    """ "nhiu" for "nhiêu": a question word mistyped is still no part of the subject."""
    if word in index.postings or len(word) < 4:
        return False
    return process.extractOne(word, _LONG_QUESTION_WORDS, scorer=fuzz.ratio, score_cutoff=88) is not None


def name_words(text: str) -> frozenset[str]:
    """What an indicator's name (and synonyms, normalised) holds for grounding: every word and
    every pair of words side by side, question words included ("hộ gia đình")."""
    words = _PROVINCE.sub(" _ ", text).split()
    return frozenset([*words, *(f"{a}_{b}" for a, b in pairwise(words))])


def grounding(index: Bm25, i: int, subj: Subject, names: frozenset[str] = frozenset()) -> float:
    """The share (0–1) of the subject's weight that document `i` holds (or its `names`, from
    name_words), as the module says."""
    held_words = index.words_of[i] | names
    rare = index.rare_weight()
    total = found = 0.0
    for run in subj.runs:
        read = [_read(index, w, held_words) for w in run if not _slip_of_question_word(index, w)]
        for j, w in enumerate(read):
            weight = index.idf.get(w, rare)
            total += weight
            if w not in held_words:
                continue
            pairs = [f"{read[j - 1]}_{w}"] if j > 0 else []
            pairs += [f"{w}_{read[j + 1]}"] if j + 1 < len(read) else []
            if not pairs or any(p in held_words for p in pairs):
                found += weight
    return found / total if total else 0.0
