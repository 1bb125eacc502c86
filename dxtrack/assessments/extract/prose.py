"""What a criteria-set decision says in prose: the subject, the stated total, the recognition
tiers and the yearly cycle.

Tiers: a sentence that names a level ("“Đạt chuẩn chuyển đổi số”", "được công nhận đạt … khi")
and sets points or shares of criteria: "đạt từ 70 điểm trở lên, 100% tiêu chí bắt buộc và ít
nhất 30% tiêu chí mở rộng"; score bands ("từ 199 đến dưới 264 điểm") give their lower bound,
"dưới 199 điểm" gives 0. Cycle: a sentence with a due day ("trước ngày 15/10", "chậm nhất ngày
30 tháng 11") names its step by the first step word it holds (hướng dẫn, tự đánh giá, thẩm
định, công nhận); a step with none of them keeps its own words.
"""

import datetime
import re
from itertools import pairwise

from dxtrack.core.text import fold
from dxtrack.plans.extract.header import issuer_name
from dxtrack.plans.extract.numbers import NUMBER, parse_number

_N = rf"(?:{NUMBER})"

# ---- subject --------------------------------------------------------------------------------------

_SUBJECTS = [
    ("enterprise", re.compile(r"\bdoanh nghiệp\b", re.I)),
    ("department", re.compile(r"\bsở,?\s+ban,?\s+ngành\b|\bcơ quan(?:,\s*đơn vị)?\s+nhà nước\b|\bcấp sở\b", re.I)),
    ("commune", re.compile(r"\bcấp xã\b|\bxã,\s*phường\b|\bxã\b(?!\s+hội)", re.I)),
    ("district", re.compile(r"\bcấp huyện\b|\bhuyện,\s*thị xã\b", re.I)),
    ("province", re.compile(r"\bcấp tỉnh\b|\btỉnh,\s*thành phố\b", re.I)),
]


def subject_of(text: str) -> str:
    """department, commune, enterprise, district or province, from the title; "" when unsaid."""
    for kind, pattern in _SUBJECTS:
        if pattern.search(text or ""):
            return kind
    return ""


# ---- the stated total -----------------------------------------------------------------------------

_TOTAL = re.compile(
    rf"(?:tổng\s+(?:số\s+)?điểm(?:\s+tối\s+đa)?|thang\s+điểm|điểm\s+tối\s+đa)[^.;\d]{{0,60}}?(?P<n>{_N})\s*(?:điểm)?",
    re.I,
)


def stated_total(lines: list[str]) -> tuple[float | None, str]:
    """The total points the decision states in prose, and the sentence it is stated in."""
    for text in lines:
        if m := _TOTAL.search(text):
            value = parse_number(m["n"])
            if value is not None:
                return value, text
    return None, ""


# ---- the appendix's own reference ----------------------------------------------------------------

_ANNEXED = re.compile(
    r"kèm\s+theo\s+Quyết\s+định\s+số\s+(?P<n>\d+/[\wĐđ\-]+)\s+ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})"
    r"(?:\s+của\s+(?P<by>[^)]+))?",
    re.I,
)


def annexed_to(lines: list[str]) -> dict:
    """number, date, issuer from "(Kèm theo Quyết định số 1234/QĐ-UBND ngày 30/5/2023 của …)":
    an appendix sent alone (an XLSX) still says which decision it belongs to."""
    for text in lines:
        if m := _ANNEXED.search(text):
            try:
                date = datetime.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                date = None
            by = re.sub(r"^Chủ\s+tịch\s+", "", (m["by"] or "").strip(" .)"), flags=re.I)
            return {"number": m["n"], "date": date, "issuer": issuer_name(by) if by else ""}
    return {}


# ---- recognition tiers ---------------------------------------------------------------------------

_QUOTE = re.compile(r"“(?P<q>[^”]{2,80})”|\"(?P<p>[^\"]{2,80})\"")
_RECOGNISED = re.compile(
    r"công\s+nhận\s+(?:là\s+)?(?:(?:xã|đơn vị|cơ quan|huyện|doanh nghiệp)\s+)?"
    r"(?P<l>(?:đạt|hoàn thành)[^,;:.]*?)\s+(?:khi|nếu)\b",
    re.I,
)
_PREFIX = re.compile(r"^[\s\-–+•]*(?P<l>[^:;,.]{2,60}?)\s*:")
_CRITERIA = r"(?:số\s+)?(?:các\s+)?(?:tiêu\s+chí|chỉ\s+tiêu|chỉ\s+số)(?:\s+thuộc\s+nhóm)?"
_SHARE = r"(?:(?P<p>{n})\s*%|(?P<all>tất\s+cả|toàn\s+bộ|đủ)(?:\s+\d{{1,3}})?)\s+{c}\s+{kind}"
_MANDATORY = re.compile(_SHARE.format(n=_N, c=_CRITERIA, kind=r"bắt\s+buộc"), re.I)
_EXTENDED = re.compile(_SHARE.format(n=_N, c=_CRITERIA, kind=r"mở\s+rộng"), re.I)
_MIN_POINTS = [
    re.compile(rf"(?:≥|>=)\s*(?P<n>{_N})\s*điểm", re.I),
    re.compile(rf"(?P<n>{_N})\s*/\s*{_N}\s*điểm", re.I),  # "đạt tối thiểu 70/100 điểm"
    re.compile(rf"\b(?:từ|tối\s+thiểu|ít\s+nhất|không\s+dưới)\s+(?P<n>{_N})\s*(?:điểm|(?=\s*(?:đến|tới|-|–)))", re.I),
    re.compile(rf"(?P<n>{_N})\s*điểm\s+trở\s+lên", re.I),
    re.compile(rf"\bđạt\s+(?P<n>{_N})\s*điểm", re.I),
]
_BELOW = re.compile(rf"\b(?:dưới|<)\s*{_N}\s*điểm", re.I)
_TIER_CUE = re.compile(r"công\s+nhận|xếp\s+loại|đạt\s+chuẩn|\bmức\b|\bcấp\s+độ\b", re.I)


def _share(pattern: re.Pattern, text: str) -> float | None:
    if not (m := pattern.search(text)):
        return None
    if m["all"]:
        return 1.0
    value = parse_number(m["p"])
    return None if value is None else round(value / 100, 4)


def _min_points(text: str) -> float | None:
    for pattern in _MIN_POINTS:
        if m := pattern.search(text):
            return parse_number(m["n"])
    return 0.0 if _BELOW.search(text) else None


def _level(segment: str) -> str:
    if m := _QUOTE.search(segment):
        return (m["q"] or m["p"]).strip()
    if m := _RECOGNISED.search(segment):
        return m["l"].strip()
    if m := _PREFIX.match(segment):
        return m["l"].strip()
    return ""


def _segments(sentence: str) -> list[str]:
    """One piece per level named: 'Mức “A”: …; mức “B”: …' is two tiers."""
    starts = [m.start() for m in _QUOTE.finditer(sentence)]
    if len(starts) < 2:
        return [sentence]
    cut = [0, *starts[1:], len(sentence)]
    out = []
    # a piece starts at the word before its quote ("mức “B”"), not at the quote
    for a, b in pairwise(cut):
        head = re.search(r"(?:\bmức\s*|\bloại\s*)$", sentence[:a], re.I) if a else None
        out.append(sentence[head.start() if head else a : b])
    return out


def sentences(text: str) -> list[str]:
    """A line's sentences: cut at ". " before a capital, a quote or a bullet, and at "; "
    before a level's name, never inside a number ("1.000")."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ“\"\-–+•])", text)
    return [p.strip() for p in parts if p.strip()]


def find_tiers(lines: list[str]) -> list[dict]:
    tiers: list[dict] = []
    for line in lines:
        for sentence in sentences(line):
            if not _TIER_CUE.search(sentence):
                continue
            for segment in _segments(sentence):
                tier = {
                    "level": _level(segment),
                    "min_points": _number_out(_min_points(segment)),
                    "mandatory_share": _share(_MANDATORY, segment),
                    "extended_share": _share(_EXTENDED, segment),
                }
                if not tier["level"] or all(
                    tier[k] is None for k in ("min_points", "mandatory_share", "extended_share")
                ):
                    continue
                if all(fold(t["level"]) != fold(tier["level"]) for t in tiers):
                    tiers.append(tier)
    return tiers


def _number_out(value: float | None):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


# ---- the cycle -----------------------------------------------------------------------------------

_DUE = re.compile(
    r"\b(?:trước|chậm\s+nhất(?:\s+là|\s+vào)?|muộn\s+nhất|hạn\s+chót|không\s+muộn\s+hơn|đến\s+(?:hết\s+)?|hoàn\s+thành\s+trước)"
    r"\s*(?:ngày\s+)?(?P<d>\d{1,2})\s*(?:/\s*|\s+tháng\s+)(?P<m>\d{1,2})(?!\d)",
    re.I,
)
_STEPS = [
    (
        "guidance",
        re.compile(r"hướng\s+dẫn|gửi\s+(?:bộ\s+)?(?:biểu\s+mẫu|phiếu)|ban\s+hành\s+kế\s+hoạch\s+đánh\s+giá", re.I),
    ),
    ("self_assessment", re.compile(r"tự\s+đánh\s+giá|tự\s+chấm", re.I)),
    ("appraisal", re.compile(r"thẩm\s+định", re.I)),
    ("explanation", re.compile(r"giải\s+trình", re.I)),
    ("recognition", re.compile(r"(?:quyết\s+định\s+)?công\s+nhận|công\s+bố\s+kết\s+quả", re.I)),
]


def _step(sentence: str) -> str:
    hits = [(m.start(), code) for code, pattern in _STEPS if (m := pattern.search(sentence))]
    if hits:
        return min(hits)[1]
    return re.sub(r"\s+", " ", sentence).strip(" .;-–+•")[:200]


def find_cycle(lines: list[str]) -> list[dict]:
    cycle: list[dict] = []
    for line in lines:
        for sentence in sentences(line):
            for piece in re.split(r";\s+", sentence):
                m = _DUE.search(piece)
                if not m:
                    continue
                day, month = int(m["d"]), int(m["m"])
                if not (1 <= month <= 12 and 1 <= day <= 31):
                    continue
                entry = {"step": _step(piece), "due": f"{day:02d}/{month:02d}"}
                if entry not in cycle:
                    cycle.append(entry)
    return cycle
