"""Quantified targets (chỉ tiêu) of a plan: "Đến năm 2025, 80% hộ gia đình có cáp quang".

The rules are about the language of Vietnamese plans, not the layout of any one of them:

Where targets are read
    Only in objective sections: a clause whose heading, or an ancestor's heading, is an objectives
    heading ("II. MỤC TIÊU", "2.2. Mục tiêu cụ thể đến năm 2025", "Điều 2. Mục tiêu", "b) Mục tiêu
    cụ thể", "II. QUAN ĐIỂM, MỤC TIÊU", "Chỉ tiêu chủ yếu"). A deeper heading that opens another kind
    of section (Quan điểm, Yêu cầu, Nhiệm vụ, Giải pháp, Tình hình, Kết quả …) closes the zone again.
    An unnumbered lead-in line ("Mục tiêu cụ thể:") opens a zone until the end of its clause.
    Headings such as "b) Thực hiện các mục tiêu, nhiệm vụ…" (a duty, not a section) do not count.
    Also in task sections (Nhiệm vụ, Giải pháp, Nội dung kế hoạch, Các hoạt động, Tổ chức thực hiện,
    an appendix) and their tables: plans state targets there too ("100% các cơ sở y tế có bộ phận hỗ
    trợ khám bệnh từ xa"). Never in a situation, viewpoint or purpose section, nor in the preamble.
    A task table or an appendix restating a target (same value, unit and year, nearly the same
    words) adds nothing; the same figure in one row's task and result cells is one target.

What a target is
    A number that measures something: a percentage; a number followed by a noun (its unit: "300 xã",
    "1.750 tỷ đồng", "02 bệnh viện"); a range ("10-20 doanh nghiệp", "từ 3-5%", "20 đến 25%"); a
    rank ("top 10", "trong nhóm 10 tỉnh … dẫn đầu", "xếp thứ 5"); a bare number only after a
    comparator ("đạt 0,6"). Not targets: years and periods (they give the target year), clause and
    list numbers, document numbers (749/QĐ-TTg, 06-NQ/TU, Đề án 06), dates, "mức độ 3, 4", "cấp độ
    3", "4.0", technology names (4G, 5G, IPv6), ages ("từ 15 tuổi trở lên"), footnote marks, numbers
    inside quotation marks (titles of themes and documents), durations without a comparator ("trong
    5 năm"), counts of the plan's own parts ("04 trụ cột", "3 nhóm giải pháp"), and figures said to
    be reached already ("đã đạt 40%", "hiện nay có 30%").

Year of a target
    A year phrase right after the quantity ("50% vào năm 2025"); else the nearest year phrase before
    it in the same bullet ("Đến hết năm 2022, 100% …"; "đến năm 2025 đạt 50%, đến năm 2030 đạt 80%");
    else a year phrase later in the same clause part; else the year of an unnumbered lead-in line
    ("- Đến hết năm 2022:", "- Giai đoạn 2021-2025:"); else the year of the deepest heading that has
    one ("2.1. Mục tiêu đến năm 2025"); else `year_context` (a plan for one year); else the plan's
    horizon. In a task section only a year stated with the quantity counts (a task's deadline dates
    the work), else the horizon: the year of the title ("… đến năm 2025, định hướng đến năm 2030"),
    else the nearest year the objectives set, else `year_context`. A period
    ("giai đoạn 2021-2025") gives its end. Baselines ("so với năm 2020") never give the year.

Direction
    "range" for ranges; "<=" for ranks (a lower rank is better); else the comparator right before the
    number: "<=" for dưới, không quá, tối đa, xuống ("giảm … xuống 3 ngày"); ">=" for đạt, trên,
    tối thiểu, ít nhất, từ, hơn, tăng, giảm ("giảm 30%" is a cut by at least 30%), duy trì; else
    "trở lên"/"trở xuống" after the number; else ">=" for a percentage (a share is a floor to reach:
    "100% hồ sơ …", "chiếm 20% GRDP") and "=" for any other count stated with no comparator
    ("Phát triển được 400 doanh nghiệp", "Xây dựng 02 bệnh viện thông minh").

Pillar and sector
    The pillar of the deepest heading (or lead-in line) naming exactly one pillar; else keywords near
    the quantity, then in its clause part, then in its sentence up to the quantity. The sector is the
    field a heading or lead-in line names ("a) Lĩnh vực Nông nghiệp" → "nông nghiệp").
"""

import re
from dataclasses import dataclass, field

from .classify import _SECTOR_LEAD, PILLARS, _heading_pillar, _nearest_pillar, _sector, _text_pillar  # noqa: F401
from .model import Clause, ExtractedTarget, Line, SourceText
from .numbers import NUMBER, parse_number
from .structure import clause_at

MAX_TEXT = 500

# ---------------------------------------------------------------------------------------------------
# Sections

_HEAD_WORDS = r"(?:quan điểm|mục đích|yêu cầu|phạm vi|đối tượng|các|những|một số|hệ thống|và|[,;:\-–]|\s)*"
_OBJECTIVE_HEAD = re.compile(rf"^{_HEAD_WORDS}(?:mục tiêu|chỉ tiêu)", re.IGNORECASE)
_OTHER_HEAD = re.compile(
    r"^(?:quan điểm|mục đích|yêu cầu|nhiệm vụ|giải pháp|tình hình|thực trạng|kết quả|đánh giá|"
    r"tổ chức thực hiện|kinh phí|căn cứ|nội dung|phân công|trách nhiệm)",
    re.IGNORECASE,
)
# A heading's or a bullet's own numbering: "II.", "2.1.", "a)", "a,", "Điều 2.", "- ", "+ ".
_ENUM = re.compile(
    r"^(?:(?:PHỤ LỤC|Phụ lục)\s*[IVX\d]*\s*[:.\-–]?|Điều\s+\d+\s*[.:]?|[IVXL]{1,6}[.)]|\d{1,2}(?:\.\d{1,2})*[.)]"
    r"|[a-zđ][),.]|[-+•*–—])\s*"
)
_HEAD_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,4}\.?\s+")


def _strip_enum(text: str, heading: bool = False) -> str:
    text = _ENUM.sub("", text, count=1) if _ENUM.match(text) else text
    if heading:
        text = _HEAD_NUMBER.sub("", text, count=1)
    return text.strip()


def _title(heading: str) -> str:
    """A heading's title: its text without numbering, up to a colon or the end of its first sentence."""
    text = _strip_enum(heading, heading=True)
    text = text.split(":", 1)[0]
    text = re.split(r"\.(?:\s|$)", text, maxsplit=1)[0]
    return text[:150].strip()


def _is_objective(title: str) -> bool:
    return bool(_OBJECTIVE_HEAD.match(title))


def _is_other_section(title: str) -> bool:
    return bool(_OTHER_HEAD.match(title)) and not _is_objective(title)


def _chain(clauses: list[Clause], line_number: int) -> list[Clause]:
    """The clauses containing a line, outermost first."""
    return sorted((c for c in clauses if c.start <= line_number <= c.end), key=lambda c: (c.level, c.start))


# Sections that assign work; a target stated inside one ("Đến năm 2025, 100% các trường được kết
# nối Internet") is a target of the plan all the same.
_TASK_HEAD = re.compile(
    r"^(?:các\s+)?(?:nhiệm vụ|giải pháp|nội dung kế hoạch|nội dung thực hiện|nội dung chủ yếu|các hoạt động|"
    r"hoạt động thường xuyên|chương trình hành động|tổ chức thực hiện|phụ lục)",
    re.IGNORECASE,
)


def _chain_in_tasks(chain: list[Clause]) -> bool:
    return any(c.path.startswith("PL") or _TASK_HEAD.match(_title(c.heading)) for c in chain)


def _chain_in_zone(chain: list[Clause]) -> bool:
    zone = False
    for clause in chain:
        title = _title(clause.heading)
        if _is_objective(title):
            zone = True
        elif zone and _is_other_section(title):
            zone = False
    return zone


# Pillars and sectors are shared with the task classifier.

# ---------------------------------------------------------------------------------------------------
# Masking what is not a quantity; year phrases

_YEAR = r"(?:19|20)\d{2}"


@dataclass
class _YearPhrase:
    start: int
    end: int
    year: int
    baseline: bool


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _blank_all(text: str, pattern: re.Pattern, group: int | str = 0) -> str:
    for m in reversed(list(pattern.finditer(text))):
        if m.group(group) is not None:
            text = _blank(text, m.start(group), m.end(group))
    return text


_QUOTED = re.compile(r"“[^”]{0,400}”|\"[^\"\n]{0,400}\"|«[^»]{0,400}»")
# 749/QĐ-TTg, 06-NQ/TU, 42/2022/NĐ-CP, 1342/TTr-STTTT, with a date after it.
_DOC_NUMBER = re.compile(
    r"(?<![\w/])\d+(?:/\d+)*\s?[/\-]\s?[A-ZĐ][\wĐđ&.\-/]*(?:\s+ngày\s+\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{4})?"
)
_DOC_REF = re.compile(
    r"\b(?:đề án|nghị quyết|quyết định|kế hoạch|chỉ thị|nghị định|thông tư|công văn|tờ trình|chương trình|"
    r"luật|điều|khoản|điểm|mục|phụ lục|văn bản|thông báo)\s+(?:số\s+)?\d+[\w/\-.]*",
    re.IGNORECASE,
)
_REF_DATE = re.compile(
    r"\bngày\s+\d{1,2}\s*(?:/\s*\d{1,2}\s*/\s*\d{4}|-\d{1,2}-\d{4}|\s+tháng\s+\d{1,2}\s+năm\s+\d{4})", re.I
)
_LEVELS = re.compile(
    r"\b(?:mức|cấp)\s+độ\s+\d(?![\d%])(?:\s*(?:,|và|-|–|/|hoặc)\s*(?:(?:mức|cấp)\s+độ\s+)?\d(?![\d%,.]\d))*",
    re.I,
)
_VERSION = re.compile(r"(?<![\d.,])\d\.0(?![\d%])|\blần\s+thứ\s+\d+|\(\s*\d{1,2}\s*\)")
_MODEL_NAME = re.compile(r"\bmô\s+hình(?:\s+[^\W\d_]+){0,3}\s+(?P<n>\d{1,2})(?=\s+[^\W\d_])", re.I)
_AGE = re.compile(r"(?:\btừ\s+)?\d+\s*(?:-\s*\d+\s*)?tuổi(?:\s+trở\s+(?:lên|xuống))?", re.I)

_DEADLINE = re.compile(
    rf"(?:\b(?:đến|tới|trước|hết|trong|vào|cuối)\s+)*(?:ngày\s+)?(?:\d{{1,2}}\s*/\s*)?\d{{1,2}}\s*/\s*(?P<y>{_YEAR})(?!\d)"
    rf"|(?:\b(?:đến|tới|trước|hết|trong|vào|cuối)\s+)*(?:quý\s+[IV]+|tháng\s+\d{{1,2}})\s*(?:/|năm)\s*(?P<y2>{_YEAR})(?!\d)",
    re.IGNORECASE,
)
_PERIOD = re.compile(
    rf"(?:\b(?:giai\s+đoạn|thời\s+kỳ|từ|trong)\s+)*(?:năm\s+)?(?<![\d.,/])(?P<y1>{_YEAR})\s*(?:-|–|—|đến|tới)\s*"
    rf"(?:năm\s+)?(?P<y>{_YEAR})(?!\d)",
    re.IGNORECASE,
)
_SINGLE_YEAR = re.compile(
    rf"(?:\b(?:đến|tới|trước|trong|vào|hết|cuối|sau|tầm nhìn|định hướng)\s+)*(?P<nam>năm\s+)?"
    rf"(?<![\d.,/])(?P<y>{_YEAR})(?![\d%]|,\d|\.\d)",
    re.IGNORECASE,
)
_BASELINE_BEFORE = re.compile(r"(?:so\s+với|gốc|cơ\s+sở)\s*$", re.IGNORECASE)


def _mask(text: str) -> tuple[str, list[_YearPhrase]]:
    """The text with every non-quantity number blanked out (offsets kept), and its year phrases."""
    masked = _blank_all(text, _QUOTED)
    for pattern in (_DOC_NUMBER, _REF_DATE, _DOC_REF, _LEVELS, _VERSION, _AGE):
        masked = _blank_all(masked, pattern)
    masked = _blank_all(masked, _MODEL_NAME, "n")
    years: list[_YearPhrase] = []
    for pattern in (_DEADLINE, _PERIOD, _SINGLE_YEAR):
        for m in reversed(list(pattern.finditer(masked))):
            group = "y" if m.group("y") is not None else "y2"
            after = masked[m.end() :]
            if pattern is _SINGLE_YEAR and not m.group("nam") and _unit_at(after)[0] not in ("", "năm"):
                continue  # "2000 doanh nghiệp" is a count, not a year
            baseline = bool(_BASELINE_BEFORE.search(masked[: m.start()]))
            years.append(_YearPhrase(m.start(), m.end(), int(m.group(group)), baseline))
            masked = _blank(masked, m.start(), m.end())
    years.sort(key=lambda y: y.start)
    return masked, years


# ---------------------------------------------------------------------------------------------------
# Quantities

_N = rf"(?:{NUMBER})"
_NUM_END = r"(?![.,]?\d)(?![^\W\d_])(?!\s*/\s*\d)"
_RANGE = re.compile(
    rf"(?<![\w.,/\-])(?P<a>{_N})\s*(?P<pa>%)?\s*(?:-|–|—|\bđến\b|\btới\b)\s*(?P<b>{_N}){_NUM_END}(?P<pb>\s*%)?",
    re.IGNORECASE,
)
_SINGLE = re.compile(rf"(?<![\w.,/\-])(?P<a>{_N}){_NUM_END}")
_RANK = re.compile(
    r"\btop\s*(?P<n1>\d{1,3})(?!\d)"
    r"|\bnhóm\s+(?P<n2>\d{1,3})\s+(?=(?:tỉnh|địa\s+phương|thành\s+phố|quốc\s+gia|nước|bộ|đơn\s+vị)\b)"
    r"|\b(?:xếp\s+hạng|xếp\s+thứ|đứng\s+thứ|thứ\s+hạng|vị\s+trí)\s+(?:thứ\s+)?(?P<n3>\d{1,3})(?:\s*/\s*\d{1,3})?"
    r"|\btrong\s+(?P<n4>\d{1,3})\s+(?=(?:tỉnh|địa\s+phương)[^;.]{0,40}dẫn\s+đầu)",
    re.IGNORECASE,
)

_MONEY = [
    (re.compile(r"(?:nghìn|ngàn)\s+tỷ(?:\s+đồng)?", re.I), "tỷ đồng", 1000.0),
    (re.compile(r"tỷ\s+usd", re.I), "tỷ USD", 1.0),
    (re.compile(r"triệu\s+usd", re.I), "triệu USD", 1.0),
    (re.compile(r"tỷ(?!\s+(?:lệ|trọng))(?:\s+đồng)?", re.I), "tỷ đồng", 1.0),
    (re.compile(r"triệu\s+đồng", re.I), "triệu đồng", 1.0),
    (re.compile(r"(?:nghìn|ngàn)\s+đồng", re.I), "nghìn đồng", 1.0),
    (re.compile(r"usd", re.I), "USD", 1.0),
]
_MONEY = [(re.compile(pattern.pattern + r"(?![^\W\d_])", re.I), unit, factor) for pattern, unit, factor in _MONEY]
_SCALE = re.compile(r"(nghìn|ngàn|triệu)\s+(?=[^\W\d_])", re.I)
_KNOWN_UNITS = [
    ("doanh nghiệp", "doanh nghiệp"),
    ("hợp tác xã", "hợp tác xã"),
    ("hộ gia đình", "hộ gia đình"),
    ("hộ kinh doanh", "hộ kinh doanh"),
    ("thủ tục hành chính", "thủ tục"),
    ("dịch vụ công", "dịch vụ công"),
    ("cơ sở dữ liệu", "cơ sở dữ liệu"),
    ("trường học", "trường"),
    ("thị trấn", "thị trấn"),
    ("thị xã", "thị xã"),
    ("lượt người", "lượt"),
    ("phần trăm", "%"),
    ("huyện", "huyện"),
    ("xã", "xã"),
    ("phường", "phường"),
    ("người", "người"),
    ("sản phẩm", "sản phẩm"),
    ("dịch vụ", "dịch vụ"),
    ("thủ tục", "thủ tục"),
    ("hồ sơ", "hồ sơ"),
    ("bệnh viện", "bệnh viện"),
    ("cơ sở", "cơ sở"),
    ("trường", "trường"),
    ("đô thị", "đô thị"),
    ("thôn", "thôn"),
    ("tỉnh", "tỉnh"),
    ("nền tảng", "nền tảng"),
    ("hệ thống", "hệ thống"),
    ("ứng dụng", "ứng dụng"),
    ("mô hình", "mô hình"),
    ("trung tâm", "trung tâm"),
    ("nội dung tuyên truyền", "nội dung tuyên truyền"),
    ("lớp", "lớp"),
    ("nhân lực", "nhân lực"),
    ("chuyên gia", "chuyên gia"),
    ("cán bộ", "cán bộ"),
    ("học viên", "học viên"),
    ("lao động", "lao động"),
    ("thuê bao", "thuê bao"),
    ("km", "km"),
    ("lượt", "lượt"),
    ("lần", "lần"),
    ("điểm", "điểm"),
    ("ngày", "ngày"),
    ("giờ", "giờ"),
    ("tuần", "tuần"),
    ("tháng", "tháng"),
    ("quý", "quý"),
    ("năm", "năm"),
    ("phút", "phút"),
]
_KNOWN_UNIT_RE = [(re.compile(rf"{re.escape(w)}(?![^\W\d_])", re.I), unit) for w, unit in _KNOWN_UNITS]
_WORD = re.compile(r"[^\W\d_]+")
_STOP = {
    "và", "hoặc", "trở", "lên", "xuống", "các", "những", "được", "là", "của", "trong", "trên", "dưới", "đến",
    "tới", "với", "theo", "so", "vào", "tại", "cho", "từ", "có", "đạt", "thì", "mà", "này", "đó", "số", "tổng",
    "còn", "đã", "sẽ", "đều", "mỗi", "hằng", "hàng", "cả", "về", "khi", "nếu", "như", "để", "thuộc",
}  # fmt: skip
_DURATIONS = {"ngày", "giờ", "tuần", "tháng", "quý", "năm", "phút"}
# Counts of the plan's own parts and qualifiers: never a target by themselves.
_NOT_UNITS = {
    "nhóm", "nhiệm vụ", "giải pháp", "trụ cột", "đột phá", "nội dung", "mục tiêu", "chỉ tiêu", "giai đoạn",
    "lĩnh vực", "quan điểm", "điều", "khoản", "bước", "mức", "cấp", "độ", "tuổi", "thứ", "loại", "chương",
}  # fmt: skip


def _unit_at(text: str) -> tuple[str, float, int]:
    """The unit written at the start of `text` (after at most two spaces): unit, multiplier, its length."""
    lead = len(text) - len(text.lstrip(" \t"))
    if lead > 2:
        return "", 1.0, 0
    rest = text[lead:]
    if rest.startswith("%"):
        return "%", 1.0, lead + 1
    for pattern, unit, factor in _MONEY:
        if m := pattern.match(rest):
            return unit, factor, lead + m.end()
    factor = 1.0
    if m := _SCALE.match(rest):
        factor = 1e3 if m.group(1).lower() in ("nghìn", "ngàn") else 1e6
        lead += m.end()
        rest = rest[m.end() :]
    for pattern, unit in _KNOWN_UNIT_RE:
        if m := pattern.match(rest):
            return unit, factor, lead + m.end()
    words = []
    pos = 0
    for _ in range(2):
        m = _WORD.match(rest, pos)
        if not m or m.group().lower() in _STOP:
            break
        words.append(m.group().lower())
        pos = m.end()
        if not rest.startswith(" ", pos):
            break
        pos += 1
    if not words:
        return "", factor, lead
    if len(words) == 2 and words[0] in _NOT_UNITS:
        words = words[:1]
    unit = " ".join(words)
    return unit, factor, lead + len(unit)


_GE = ["không dưới", "không thấp hơn", "không ít hơn", "tối thiểu", "ít nhất", "lớn hơn", "cao hơn", "trên", "hơn",
       "vượt", "đạt", "từ", "tăng", "giảm", "duy trì", "phấn đấu", "lên"]  # fmt: skip
_LE = ["không vượt quá", "không quá", "không cao hơn", "tối đa", "dưới", "xuống", "thấp hơn", "ít hơn", "nhỏ hơn"]
_FILLER = ["bình quân", "trung bình", "hàng năm", "hằng năm", "mỗi năm", "/năm", "khoảng", "mức", "là", "được",
           "có", "chiếm", "phủ", "đến", "còn", "gần", "xấp xỉ", "thêm"]  # fmt: skip
_CMP = sorted(
    [(w, ">=") for w in _GE] + [(w, "<=") for w in _LE] + [(w, "") for w in _FILLER], key=lambda x: -len(x[0])
)
_PAST = re.compile(r"(?<![^\W\d_])(?:đã|hiện nay|hiện có|hiện tại|hiện đang)(?![^\W\d_])", re.I)


def _comparator_before(text: str) -> str:
    """The comparator written right before a number, past filler words ("đạt khoảng", "tăng bình quân")."""
    s = text.rstrip().lower()
    for _ in range(8):
        for word, direction in _CMP:
            if s.endswith(word) and (len(s) == len(word) or not s[-len(word) - 1].isalpha()):
                if direction:
                    return direction
                s = s[: -len(word)].rstrip(" ,")
                break
        else:
            return ""
    return ""


@dataclass
class _Quantity:
    start: int  # the number's (or the rank phrase's) start
    num_end: int  # end of the number(s)
    end: int  # end of number and unit
    value: float
    value_max: float | None
    unit: str
    kind: str  # "single", "range", "rank"
    tail_end: int = 0  # end of the noun phrase after it (up to punctuation)


def _quantities(masked: str) -> list[_Quantity]:
    found: list[_Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for m in _RANK.finditer(masked):
        n = next(g for g in (m.group("n1"), m.group("n2"), m.group("n3"), m.group("n4")) if g)
        found.append(_Quantity(m.start(), m.end(), m.end(), float(n), None, "hạng", "rank"))
        taken.append((m.start(), m.end()))
    for m in _RANGE.finditer(masked):
        if not free(m.start(), m.end()):
            continue
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is None or b is None or a >= b:
            continue
        if m.group("pa") or m.group("pb"):
            unit, factor, length = "%", 1.0, 0
        else:
            unit, factor, length = _unit_at(masked[m.end() :])
        if not unit or unit in _NOT_UNITS or unit in _DURATIONS:
            continue
        found.append(_Quantity(m.start(), m.end(), m.end() + length, a * factor, b * factor, unit, "range"))
        taken.append((m.start(), m.end()))
    for m in _SINGLE.finditer(masked):
        if not free(m.start(), m.end()):
            continue
        value = parse_number(m.group("a"))
        if value is None:
            continue
        unit, factor, length = _unit_at(masked[m.end() :])
        before = masked[max(0, m.start() - 40) : m.start()]
        comparator = _comparator_before(before)
        if unit in _NOT_UNITS or unit.split(" ")[0] in _NOT_UNITS:
            continue
        if (not unit or unit in _DURATIONS) and not comparator:
            continue
        found.append(_Quantity(m.start(), m.end(), m.end() + length, value * factor, None, unit, "single"))
        taken.append((m.start(), m.end()))
    found.sort(key=lambda q: q.start)
    for i, q in enumerate(found):
        limit = found[i + 1].start if i + 1 < len(found) else len(masked)
        stop = re.search(r"[,;.:()]|\s{3,}", masked[q.end : limit]) if q.kind != "rank" else None
        if q.kind == "rank":
            stop = re.search(r"[;.]", masked[q.end : limit])
        q.tail_end = q.end + stop.start() if stop else limit
    return found


def _direction(q: _Quantity, masked: str, piece_start: int, next_start: int) -> str:
    if q.kind == "range":
        return "range"
    if q.kind == "rank":
        return "<="
    before = masked[max(piece_start, q.start - 40) : q.start]
    if direction := _comparator_before(before):
        return direction
    after = masked[q.end : next_start]
    if re.search(r"\btrở\s+lên\b", after, re.I):
        return ">="
    if re.search(r"\btrở\s+xuống\b", after, re.I):
        return "<="
    return ">=" if q.unit == "%" else "="


# ---------------------------------------------------------------------------------------------------
# Bullets (logical lines): a wrapped line continues the one before it


@dataclass
class _Bullet:
    text: str
    parts: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, source line number)
    heading: bool = False
    table: bool = False

    @property
    def first_line(self) -> int:
        return self.parts[0][1]

    def line_at(self, offset: int) -> int:
        number = self.parts[0][1]
        for start, line_number in self.parts:
            if start <= offset:
                number = line_number
        return number


def _bullets(lines: list[Line], clauses: list[Clause], skip: frozenset[int] = frozenset()) -> list[_Bullet]:
    heads = {c.start for c in clauses}
    bullets: list[_Bullet] = []
    last_clause = None
    for line in lines:
        text = line.clean
        if not text or line.number in skip:
            continue
        here = clause_at(clauses, line.number)
        if line.is_table_row:
            cells = [c for c in line.cells if c]
            if cells and re.fullmatch(r"[\dIVXLivxl.]{1,6}", cells[0]):
                cells = cells[1:]
            bullets.append(_Bullet("; ".join(cells), [(0, line.number)], table=True))
        elif line.number in heads:
            bullets.append(_Bullet(_strip_enum(text, heading=True), [(0, line.number)], heading=True))
        elif (
            bullets
            and text[0].islower()
            and not bullets[-1].heading
            and not bullets[-1].table
            and last_clause == here
            and not re.search(r"[.;:!?]$", bullets[-1].text)
        ):
            previous = bullets[-1]
            previous.parts.append((len(previous.text) + 1, line.number))
            previous.text += " " + text
        else:
            bullets.append(_Bullet(_strip_enum(text), [(0, line.number)]))
        last_clause = here
    return bullets


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in re.finditer(r"[.!?](?:\s+)(?=[^\W\d_])", text):
        if text[m.end()].isupper():
            bounds.append((start, m.start() + 1))
            start = m.end()
    bounds.append((start, len(text)))
    return bounds


def _piece_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    for s_start, s_end in _sentence_bounds(text):
        start = s_start
        for m in re.finditer(";", text[s_start:s_end]):
            bounds.append((start, s_start + m.start()))
            start = s_start + m.end()
        bounds.append((start, s_end))
    return bounds


def _within(bounds: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for start, end in bounds:
        if start <= pos <= end:
            return start, end
    return 0, 0


def _snippet(text: str, sentence: tuple[int, int], piece: tuple[int, int]) -> str:
    """The bullet, else its sentence, else the clause part holding the quantity: never a cut
    that leaves the quantity out."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        whole = text
        text = whole[sentence[0] : sentence[1]].strip()
        if len(text) > MAX_TEXT:
            text = whole[piece[0] : piece[1]].strip()
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1].rsplit(" ", 1)[0] + "…"
    return text


def _is_lead_in(text: str) -> bool:
    """An unnumbered line that governs the bullets after it: "- Đến hết năm 2022:", "a, Về kinh tế số:"."""
    stripped = text.strip()
    return stripped.endswith(":") or (len(stripped) <= 60 and not re.search(r"[.;!?]$", stripped))


# ---------------------------------------------------------------------------------------------------


@dataclass
class _Context:
    zone: bool | None = None
    year: int | None = None
    pillar: str = ""
    sector: str = ""


def title_horizon(title: str) -> int | None:
    """The year a plan's title runs to: "… đến năm 2025, định hướng đến năm 2030" → 2025,
    "… giai đoạn 2022-2025" → 2025, "… năm 2024" → 2024. Dates in the title give none."""
    years = [y for y in _mask(title or "")[1] if not y.baseline]
    return years[0].year if years else None


def find_targets(
    source: SourceText,
    clauses: list[Clause],
    *,
    year_context: int | None,
    horizon: int | None = None,
    skip: frozenset[int] = frozenset(),
) -> list[ExtractedTarget]:
    """Every quantified target of the plan: one per (quantity, year), from its objective sections
    and from its task sections (a target a task states, not one it repeats)."""
    targets: list[ExtractedTarget] = []
    stated: list[_Stated] = []  # beside each target: where and how it was stated
    annex_from = _annex_start(source, clauses)
    context, context_clause = _Context(), None
    for index, bullet in enumerate(_bullets(source.lines, clauses, skip)):
        chain = _chain(clauses, bullet.first_line)
        deepest = chain[-1].path if chain else ""
        if deepest != context_clause:
            context, context_clause = _Context(), deepest
        masked, years = _mask(bullet.text)
        found = _quantities(masked)
        if not found:
            if not bullet.heading and not bullet.table and _is_lead_in(bullet.text):
                title = masked.strip().rstrip(":").strip()  # quoted titles blanked out
                if _is_objective(title):
                    context.zone = True
                elif _is_other_section(title):
                    context.zone = False
                if lead_years := [y for y in years if not y.baseline]:
                    context.year = lead_years[0].year
                context.pillar = _heading_pillar(title) or context.pillar
                context.sector = _sector(title) or context.sector
            continue
        zone = context.zone if context.zone is not None else _chain_in_zone(chain)
        in_tasks = not zone and _chain_in_tasks(chain)
        if not zone and not in_tasks:
            continue
        titles = [_title(c.heading) for c in reversed(chain)]  # deepest first
        heading_year = next((ys[0].year for t in titles if (ys := [y for y in _mask(t)[1] if not y.baseline])), None)
        heading_pillar = context.pillar or next((p for t in titles if (p := _heading_pillar(t))), "")
        lead = _SECTOR_LEAD.match(bullet.text.strip())
        sector = (
            (_sector(lead.group(1)) if lead else "")
            or context.sector
            or next((s for t in titles if (s := _sector(t))), "")
        )
        pieces = _piece_bounds(masked)
        sentences = _sentence_bounds(masked)
        for i, q in enumerate(found):
            piece = _within(pieces, q.start)
            sentence = _within(sentences, q.start)
            previous = found[i - 1] if i else None
            following = found[i + 1] if i + 1 < len(found) else None
            next_start = min(following.start if following else len(masked), piece[1])
            window_start = max(piece[0], previous.tail_end if previous else 0)
            if _PAST.search(masked[window_start : q.start]):
                for y in years:  # "năm 2023 đã đạt 45%": that year dates the figure reached, not a target
                    if window_start <= y.start < q.start:
                        y.baseline = True
                continue
            if following and _is_baseline_of(q, following, masked):
                continue  # "tăng từ 30% lên 50%": 30% is where it starts
            if in_tasks:
                # Only a year stated with the quantity: a task's deadline or its heading's year
                # dates the work, not the target; else the plan's horizon (filled in below).
                bound = piece if bullet.table else sentence  # a table row's cells are separate statements
                year = _year_for(q, [y for y in years if y.start >= bound[0]], masked, piece, following)
            else:
                year = _year_for(q, years, masked, piece, following)
                if year is None:
                    year = context.year or heading_year or year_context
            pillar = heading_pillar
            if not pillar:
                # What is counted ("80% hộ gia đình"), then the subject right before the number
                # ("kinh tế số chiếm 30%"), then the clause part around it, then its sentence so far.
                tail = bullet.text[q.num_end : q.tail_end]
                left = bullet.text[window_start : q.start]
                between = bullet.text[
                    max(piece[0], previous.num_end if previous else 0) : min(
                        piece[1], following.start if following else len(masked)
                    )
                ]
                prefix = bullet.text[sentence[0] : q.tail_end]
                pillar = _text_pillar(tail) or _nearest_pillar(left) or _text_pillar(between) or _text_pillar(prefix)
            targets.append(
                ExtractedTarget(
                    clause=clause_at(clauses, bullet.line_at(q.start)),
                    text=_snippet(bullet.text, sentence, piece),
                    value=q.value,
                    value_max=q.value_max,
                    unit=q.unit,
                    year=year,
                    direction=_direction(q, masked, piece[0], next_start),
                    pillar=pillar,
                    sector=sector,
                    line=bullet.line_at(q.start),
                    label=_label_of(masked, window_start, q),
                )
            )
            restating = in_tasks and (bullet.table or deepest.startswith("PL") or bullet.first_line > annex_from)
            stated.append(_Stated(in_tasks, restating, index, piece, _phrase_words(masked, window_start, next_start)))
    return _task_targets_settled(targets, stated, horizon=horizon, year_context=year_context)


_MEASURE_HEAD = re.compile(
    r"^(?:tỷ lệ|tỷ trọng|số|tổng số|tốc độ|thời gian|chỉ số|mức|giá trị|doanh thu|năng suất)\b", re.I
)
_LEFT_NOISE = re.compile(r"^[\s,;:.\-–+]*(?:(?:phấn đấu|bảo đảm|đảm bảo|trong đó|có|đạt)\s+)*", re.I)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:.-–")


def _left_phrase(text: str) -> str:
    """What a quantity measures when it is written before it: "Tỷ lệ hồ sơ … đạt" → "Tỷ lệ hồ sơ …"."""
    text = _LEFT_NOISE.sub("", _squash(text))
    for _ in range(4):
        low = text.lower()
        word = next(
            (w for w, _d in _CMP if low.endswith(w) and (len(low) == len(w) or not low[-len(w) - 1].isalpha())), None
        )
        if word is None:
            break
        text = _squash(text[: -len(word)])
    return text


def _label_of(masked: str, window_start: int, q: _Quantity) -> str:
    """The indicator phrase of a target (docs: readable labels): what the quantity measures, without
    the number, the year and the comparator — "Tỷ lệ hộ gia đình có cáp quang", not the sentence."""
    left = _left_phrase(masked[window_start : q.start])
    tail = _squash(masked[q.end : q.tail_end])
    tail = re.sub(r"^(?:trở lên|trở xuống)\b\s*", "", tail)
    if q.kind == "rank":
        label = f"Xếp hạng {tail}" if tail else left
    elif left and _MEASURE_HEAD.match(left):
        label = f"{left} {tail}".strip() if tail and len(left.split()) < 4 else left
    elif left and q.unit == "%" and re.match(r"(?:GRDP|tổng)", tail) and len(left.split()) <= 8:
        label = f"Tỷ trọng {left[:1].lower()}{left[1:]} trong {tail}"  # "kinh tế số chiếm 20% GRDP"
    elif tail:
        label = f"Tỷ lệ {tail}" if q.unit == "%" else f"Số {q.unit} {tail}".strip()
    else:
        label = left or (f"Số {q.unit}" if q.unit and q.unit != "%" else "")
    label = _squash(label)[:300]
    return label[:1].upper() + label[1:]


@dataclass
class _Stated:
    in_tasks: bool
    restating: bool  # in a task table or an appendix, where a plan lists again what it set out
    bullet: int
    piece: tuple[int, int]
    words: frozenset[str]


_PHRASE_STOP = _STOP | {"tổng", "số", "quý", "năm", "tháng", "tuần", "ngày", "lượng", "cụ", "thể", "tới", "bảo", "đảm"}
_SIGNATURE = re.compile(r"^(?:TM\.|KT\.|TL\.|T/M|TUQ\.)\s*\S")


def _annex_start(source: SourceText, clauses: list[Clause]) -> int:
    """The line after which the text is an appendix: after the last signature, when no heading
    follows it (a decision signed before the plan it issues is not an appendix)."""
    signed = [line.number for line in source.lines if _SIGNATURE.match(line.clean)]
    if not signed or any(c.start > signed[-1] for c in clauses):
        return len(source.lines) + 1
    return signed[-1]


def _phrase_words(masked: str, start: int, end: int) -> frozenset[str]:
    """The words around a quantity, in its clause part, without the little words two wordings of
    the same target differ in."""
    return frozenset(w for w in _WORD.findall(masked[start:end].lower()) if w not in _PHRASE_STOP)


def _repeats(target: ExtractedTarget, how: _Stated, prior: ExtractedTarget, prior_how: _Stated) -> bool:
    """A target a task table or an appendix restates: the same value, unit and year, and for a
    share nearly the same words ("60% doanh nghiệp tại các khu công nghiệp…" after the objectives
    said it); a count's unit names what it counts. In one table row, the same figure in two
    cells (the task "tới 100% thôn, bản", its result "100% nhà văn hóa thôn, bản…") is one target."""
    if (target.value, target.value_max, target.unit, target.year) != (
        prior.value,
        prior.value_max,
        prior.unit,
        prior.year,
    ):
        return False
    if prior_how.bullet == how.bullet:
        return prior_how.piece != how.piece
    if target.unit != "%":
        return True
    if not how.words or not prior_how.words:
        return False
    return len(how.words & prior_how.words) >= 0.75 * min(len(how.words), len(prior_how.words))


def _task_targets_settled(
    targets: list[ExtractedTarget], stated: list[_Stated], *, horizon: int | None, year_context: int | None
) -> list[ExtractedTarget]:
    """Targets that state no year get the plan's horizon (in a task section, always); a target a
    task table or an appendix only restates is dropped (in one row, the later cell's wording is
    kept: a result says it more exactly than its task). The horizon is the year of the plan's
    title, else the nearest year its objectives set, else its year."""
    if horizon is None:
        years = sorted(t.year for t, s in zip(targets, stated, strict=True) if not s.in_tasks and t.year)
        later = [y for y in years if year_context is None or y >= year_context]
        horizon = later[0] if later else year_context
    kept: list[tuple[ExtractedTarget, _Stated]] = []
    for target, how in zip(targets, stated, strict=True):
        if target.year is None:
            target.year = horizon
        same = [
            i for i, (prior, prior_how) in enumerate(kept) if how.restating and _repeats(target, how, prior, prior_how)
        ]
        if not same:
            kept.append((target, how))
        elif kept[same[-1]][1].bullet == how.bullet:
            kept[same[-1]] = (target, how)
    return [t for t, _ in kept]


def _is_baseline_of(q: _Quantity, following: _Quantity, masked: str) -> bool:
    """True for X in "từ X lên Y" / "từ X xuống Y"."""
    if q.kind != "single" or not re.fullmatch(
        r"\s*(?:lên|xuống)(?:\s+(?:còn|mức|đến))?\s*", masked[q.end : following.start]
    ):
        return False
    return bool(re.search(r"(?<![^\W\d_])từ(?:\s+(?:mức|khoảng))?\s*$", masked[max(0, q.start - 20) : q.start], re.I))


def _year_for(
    q: _Quantity, years: list[_YearPhrase], masked: str, piece: tuple[int, int], following: _Quantity | None
) -> int | None:
    usable = [y for y in years if not y.baseline]
    # "50% vào năm 2025": a year phrase right after the quantity binds to it.
    for y in usable:
        if y.start >= q.end and (following is None or y.start < following.start):
            gap = masked[q.end : y.start]
            if not re.search(r"[,;.:()]", gap) and len(gap.split()) <= 4:
                return y.year
            break
    before = [y for y in usable if y.end <= q.start]
    if before:
        return before[-1].year
    after = [y for y in usable if q.end <= y.start <= piece[1]]
    if after:
        return after[0].year
    return None
