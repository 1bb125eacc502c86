"""Tasks (nhiệm vụ) of a plan: who leads, who coordinates, what comes out, by when.

Plans assign tasks in three forms, and `find_tasks` reads all three:

1. Task tables, found by their header row's column names (Nhiệm vụ / Cơ quan chủ trì / Đơn vị
   phối hợp / Sản phẩm / Thời gian … and their synonyms), in any column order. Rows are rebuilt by
   cell count against the header, so a cell holding line breaks (a row over several physical
   lines) and a row split by a page break under a repeated header come back whole. Group rows
   ("I\tNhóm nhiệm vụ …", "A\tThể chế", "1\tHoàn thiện thể chế" over "1.1 …") set the group.
   A table after the signature whose header was lost, one cell per line, is rebuilt in the
   usual appendix column order (TT, nhiệm vụ, chủ trì, phối hợp, thời gian); what cannot be
   recovered goes to `warnings`.
2. The duties of a "Tổ chức thực hiện" section: each numbered agency heading followed by its
   lettered, dashed or plain-paragraph duties gives one task per duty led by the bodies the
   heading names; a numbered paragraph that is itself the duty ("Ban Tuyên giáo Tỉnh ủy tham
   mưu …") is one task led by its subject.
3. Prose task sections ("Nhiệm vụ, giải pháp", "Nhiệm vụ chủ yếu", "Giải pháp", "Nội dung kế
   hoạch", "Các hoạt động thường xuyên"): each lettered item, and each numbered leaf clause
   without lettered items, is a task. The lead is the body the text names as acting subject or
   as "chủ trì", else empty for review; "phối hợp với …" gives the coordinating bodies.

Names of bodies go through the registry's resolver; a name it does not know is kept as written
(`AgencyRef(text)`), never dropped. Clause paths are those of `parse_clauses`, so a task links
to a clause the register knows: a table row gets the clause holding the table, a duty the
clause of its line; a header-less appendix after the signature gets "PL".
"""

import datetime
import re
from dataclasses import dataclass, field

from dxtrack.core.text import fold
from dxtrack.org.resolver import Resolution

from .deadlines import parse_deadline
from .model import AgencyRef, Clause, ExtractedTask, SourceText
from .structure import ARTICLE, LETTERED, NUMBERED, ROMAN, clause_at

TITLE_MAX = 1000  # the Task.title field's length: a first sentence longer than this is no title
CELL_MAX = 1000  # table cells: kept whole up to the register's field size

_NOISE = re.compile(r"^\s*\[bookmark:[^\]]*\]")
_TAGS = re.compile(r"<[^>]*>")
_FOOTMARKS = re.compile(r"\s*[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BULLET = re.compile(r"^[-–•+]\s*")
_PLUS = re.compile(r"^\+\s*")

# ---------------------------------------------------------------------------------------------
# Text helpers


def clean_text(text: str) -> str:
    """A cell or paragraph without HTML left-overs, footnote marks, emphasis stars and extra
    white space (line breaks kept)."""
    text = _TAGS.sub(" ", text or "").replace("**", "").replace("*", "")
    text = _FOOTMARKS.sub("", text)
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def one_line(text: str) -> str:
    return _SPACES.sub(" ", clean_text(text).replace("\n", " ")).strip()


# A sentence ends at a full stop before a capital, not after an abbreviation ("TP. Thanh Hóa").
_SENTENCE_END = re.compile(r"(?<=[^\s.])(?<!\bTP)(?<!\bTX)(?<!\bTT)(?<!\bTr)[.!?](?=\s+[A-ZĐÀ-Ỹ\"“(-])")


def first_sentence(text: str, limit: int | None = None) -> str:
    """The first sentence, whole: a task's title is its name and is never cut (a title longer
    than the model's field is the field's problem, not the reader's). `limit` cuts it, with an
    ellipsis, for a message that quotes the title, never for a title."""
    text = one_line(text)
    m = _SENTENCE_END.search(text)
    sentence = text[: m.start()] if m else text
    sentence = sentence.strip().rstrip(" .;:,")
    if limit is None or len(sentence) <= limit:
        return sentence[:TITLE_MAX]
    cut = sentence[:limit]
    for sep in ("; ", ", "):
        at = cut.rfind(sep)
        if at >= limit // 3:
            return cut[:at].rstrip(" .;:,") + "…"
    return cut[: cut.rfind(" ")].rstrip(" .;:,") + "…"


def _raw(line) -> str:
    return _NOISE.sub("", line.text)


def is_row(line) -> bool:
    """A table row: a tab after some content, or several tabs. `Line.is_table_row` misses a row
    whose only content is its first cell (the trailing tabs are stripped with the white space),
    and a single leading tab is indentation (004's body), not a row."""
    raw = _raw(line)
    return bool(re.search(r"\S[ \u00a0]*\t", raw)) or raw.count("\t") >= 2


# ---------------------------------------------------------------------------------------------
# Names of bodies

# A body as a sentence's subject starts with one of these words.
SUBJECT_START = re.compile(
    r"^(?:Sở|Bộ|Ban|Ủy ban|Uỷ ban|UBND|UBMTTQ|HĐND|Văn phòng|Công an|Cục|Chi cục|Kho bạc|Ngân hàng|Trung tâm|"
    r"Đài|Báo|Hội|Liên đoàn|Liên minh|Đoàn|Tỉnh đoàn|Tỉnh ủy|Thành ủy|Huyện ủy|Đảng đoàn|Đảng ủy|Mặt trận|"
    r"Điện lực|Bưu điện|Trường|Viện|Thủ trưởng|Giám đốc|Chủ tịch|Các|Những|Cơ quan|Đơn vị|Thành viên|"
    r"Tổ công tác|VNPT|Viettel|MobiFone|Hiệp hội|Phòng)(?=[\s,]|$)",
    re.IGNORECASE,
)
# The right side of "… và …" that starts another body ("Sở Công Thương và UBND cấp huyện").
_AND_BODY = re.compile(
    r"\svà\s+(?=(?:các|Các|những|UBND|Ủy ban|Sở|Ban|Bộ|Cục|Công an|Trung tâm|Văn phòng|Báo|Đài|Hội|Liên|"
    r"Đoàn|Ngân hàng|Kho bạc|Trường|Thủ trưởng|Chủ tịch|Giám đốc|doanh nghiệp|Doanh nghiệp)\b)"
)
# Words that end a subject: what the body does. Lower case only, so "Ban Chỉ đạo" stays a name.
_VERBS = (
    "chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm|là|tổ chức|triển khai|rà soát|xây dựng|thực hiện|đào tạo|"
    "hướng dẫn|tham mưu|chỉ đạo|lãnh đạo|cung cấp|nghiên cứu|đẩy mạnh|tăng cường|quán triệt|chủ động|ưu tiên|"
    "dành|xem xét|ban hành|bố trí|hỗ trợ|phát huy|tuyên truyền|đôn đốc|kiểm tra|tiếp tục|khẩn trương|tích cực|"
    "đề xuất|báo cáo|gửi|cập nhật|theo dõi|giám sát|đảm bảo|bảo đảm|phát triển|ứng dụng|tập trung|thúc đẩy|"
    "nâng cao|đánh giá|cử|tham gia|sử dụng|vận động|tạo điều kiện|khuyến khích|huy động|thẩm định|trình|"
    "hoàn thành|hoàn thiện|nâng cấp|đầu tư|quản lý|vận hành|cần|phải|được|sẽ|đã|đi đầu|quyết định|tổng hợp|"
    "lựa chọn|giúp|cam kết|phổ biến|chuẩn bị|thống nhất|tiếp nhận|duy trì|lồng ghép|căn cứ"
)
_VERB = re.compile(rf"(?<=\s)(?:{_VERBS})(?=[\s,.;:]|$)")
# An opening phrase before the subject: "Căn cứ …, Sở Y tế hướng dẫn …".
_INTRO = re.compile(
    r"^(?:Căn cứ|Trên cơ sở|Định kỳ|Hằng năm|Hàng năm|Hằng quý|Hàng quý|Trong|Để|Sau khi|Trước|Đến|Từ)\b"
)
# "Đơn vị chủ trì tổ chức triển khai: Sở …", "Cơ quan phối hợp: …".
_LABEL = re.compile(
    r"(?:Đơn vị|Cơ quan|Cơ quan, đơn vị)\s+(?P<role>chủ trì|phối hợp|thực hiện)[^:]{0,40}:\s*(?P<names>[^\n]+)",
    re.IGNORECASE,
)
_CHU_TRI_PHOI_HOP = re.compile(r"chủ trì\s*,?\s*(?:và\s+)?phối hợp\s+(?:chặt chẽ\s+)?với\s+", re.IGNORECASE)
_PHOI_HOP = re.compile(r"^\s*,?\s*(?:chủ trì\s*,?\s*)?(?:và\s+)?phối hợp\s+(?:chặt chẽ\s+)?với\s+")
_GIAO_CHU_TRI = re.compile(r"\b(?:giao|do)\s+(?P<x>[^,;.]{3,120}?)\s+chủ trì\b")
_NOT_A_BODY = re.compile(r"^(?:theo|thực hiện|căn cứ|không|như trên|-+)$|^theo\s", re.IGNORECASE)
_HEADING_PREFIX = re.compile(r"^(?:Trách nhiệm|Nhiệm vụ)\s+(?:của\s+)?", re.IGNORECASE)
_HEADING_SUFFIX = re.compile(
    r"\s+(?:có trách nhiệm|chịu trách nhiệm|có nhiệm vụ|thực hiện các nhiệm vụ sau|thực hiện)\s*:?\s*$"
)


def ref_of(resolution) -> AgencyRef:
    """AgencyRef from a resolver Resolution: resolved, or kept as written."""
    match = resolution.match
    if match is None:
        return AgencyRef(text=resolution.text)
    return AgencyRef(text=resolution.text, kind=match.kind, code=match.ref, name=match.name, sure=resolution.sure)


class Names:
    """The resolver with the splitting rules plans need, and a cache (the same cells repeat)."""

    def __init__(self, resolver, *, at: datetime.date | None = None):
        self.resolver = resolver
        self.at = at
        self._lists: dict[str, list] = {}

    def _resolve_list(self, text: str) -> list:
        if text not in self._lists:
            if self.resolver is None:  # no registry at hand: every name is kept as written
                self._lists[text] = [Resolution(text.strip(), None, False, "none")]
            else:
                self._lists[text] = self.resolver.resolve_list(text, at=self.at)
        return self._lists[text]

    @staticmethod
    def _exact(resolutions) -> int:
        return sum(1 for r in resolutions if r.how == "exact")

    def _chunk(self, chunk: str) -> list:
        """One ';'-free piece: commas inside names are the resolver's business; "và" between two
        bodies is ours."""
        whole = self._resolve_list(chunk)
        if whole and all(r.how == "exact" for r in whole):
            return whole
        pieces = [p.strip(" ,.") for p in _AND_BODY.split(chunk) if p.strip(" ,.")]
        if len(pieces) > 1:
            split = [r for p in pieces for r in self._resolve_list(p)]
            if self._exact(split) > self._exact(whole):
                return split
        return whole

    def resolutions(self, text: str) -> list:
        text = clean_text(text)
        # A wrapped line ("Sở Tài\nchính", "Sở Thông tin và\nTruyền thông") is one name.
        text = re.sub(r"\n(?=[a-zà-ỹđ])|(?<=\svà)\n|(?<=,)\n", " ", text)
        text = re.sub(r"\([^)]*\)", " ", text)  # "(Cơ quan Thường trực)", "(để b/c)"
        # Bullets start a new name: "- Công an tỉnh; - Các sở …", "… viễn thông. - UBND cấp huyện."
        text = re.sub(r"(^|\n|[.;]\s*)[-–•+]\s+", r"\1;", text)
        text = re.sub(r"(?<!\bTP)(?<!\bTX)(?<!\bTT)\.\s+(?=[A-ZĐ])", ";", text)
        out = []
        for chunk in re.split(r"[;\n]", text):
            chunk = chunk.strip(" ,.:-–")
            if not chunk or _NOT_A_BODY.match(chunk):
                continue
            out += self._chunk(chunk)
        return out

    def refs(self, text: str) -> list[AgencyRef]:
        """Every body a cell or heading names, in order, once each."""
        out, seen = [], set()
        for res in self.resolutions(text):
            ref = ref_of(res)
            key = (ref.kind, ref.code) if ref.code else ("text", fold(ref.text))
            if key not in seen and ref.text.strip():
                seen.add(key)
                out.append(ref)
        return out

    def _names_before_verb(self, text: str) -> tuple[list[AgencyRef], int] | None:
        """The longest run of names before a verb that resolves exactly; else the run before the
        first verb if one of its names is known."""
        bounds = [m.start() for m in _VERB.finditer(text[:260])]
        best = None
        for b in bounds:
            candidate = text[:b].strip(" ,;:")
            if not candidate:
                continue
            res = self.resolutions(candidate)
            if res and all(r.how == "exact" for r in res):
                best = (candidate, b)
        if best is None and bounds:
            candidate = text[: bounds[0]].strip(" ,;:")
            if candidate and self._exact(self.resolutions(candidate)):
                best = (candidate, bounds[0])
        if best is None:
            return None
        return self.refs(best[0]), best[1]

    def subject(self, text: str) -> tuple[list[AgencyRef], str]:
        """Bodies named as the sentence's acting subject, and the rest of the sentence."""
        text = one_line(text)
        starts = [0]
        if _INTRO.match(text):
            starts += [m.end() for m in re.finditer(r",\s*", text[:220])]
        for start in starts:
            rest = text[start:]
            if not SUBJECT_START.match(rest):
                continue
            found = self._names_before_verb(rest)
            if found:
                refs, end = found
                return refs, rest[end:]
        return [], text

    def coordinating(self, after: str) -> list[AgencyRef]:
        """The bodies right after "phối hợp với", up to the verb that follows them."""
        found = self._names_before_verb(after + " ")
        if found:
            return found[0]
        head = re.split(r"[;.]| để ", after, maxsplit=1)[0]
        return self.refs(head) if len(head) < 150 else []


# ---------------------------------------------------------------------------------------------
# Tables

_COLUMNS = [
    # (role, test on the folded header cell), tried in this order
    ("number", re.compile(r"^(?:s?tt|so tt|so thu tu|thu tu)$")),
    ("note", re.compile(r"don vi tinh|ghi chu|kinh phi|nguon von|du toan")),
    ("coordinating", re.compile(r"phoi hop")),
    ("deadline", re.compile(r"thoi gian|tien do|thoi han|moc thoi gian")),
    ("output", re.compile(r"ket qua|san pham")),
    ("lead", re.compile(r"chu tri|thuc hien|dau moi|co quan|don vi")),
    ("title", re.compile(r"nhiem vu|noi dung|ten |^ten$|de an|du an|cong viec|hoat dong|giai phap")),
]
# The appendix column order when the header row is lost (the usual order of Vietnamese plans).
DEFAULT_ORDER = ["number", "title", "lead", "coordinating", "deadline"]

_ROW_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3}){0,3}\.?$")
_ROMAN_CELL = re.compile(r"^(?P<n>[IVXL]{1,6})\.?$")
_LETTER_CELL = re.compile(r"^(?P<n>[A-ZĐ])\.?$")
_ROMAN_TITLE = re.compile(r"^(?P<n>[IVXL]{1,6}|[A-ZĐ])[.)]?\s+(?P<t>\S.*)$")
_FOOTNOTE = re.compile(r"^(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]|\(\*+\)|\*|Ghi chú|Nguồn:)")
_SIGNATURE = re.compile(r"^(?:TM\.|KT\.|TL\.|Q\.|T/M|TUQ\.)\s*\S")


def column_role(cell: str) -> str | None:
    key = fold(cell)
    if not key:
        return None
    for role, test in _COLUMNS:
        if test.search(key):
            return role
    return None


def header_roles(cells: list[str]) -> list[str | None] | None:
    """The role of each column if the row is a task-table header, else None."""
    if any(len(c) > 60 for c in cells) or sum(1 for c in cells if c) < 3:
        return None
    roles = [column_role(c) for c in cells]
    known = {r for r in roles if r and r != "note"}
    if "title" in known and len(known & {"lead", "coordinating", "output", "deadline"}) >= 2:
        return roles
    return None


@dataclass
class _Row:
    cells: list[str]
    line: int


@dataclass
class _Table:
    roles: list[str | None]
    clause: str
    line: int
    rows: list[_Row] = field(default_factory=list)
    end: int = 0


def _cells(line) -> list[str]:
    return [c.strip() for c in _raw(line).split("\t")]


def _is_tab(line) -> bool:
    return "\t" in _raw(line).strip(" \u00a0")


def _starts_row(cells: list[str]) -> bool:
    first = clean_text(cells[0]) if cells else ""
    return bool(
        _ROW_NUMBER.match(first)
        or _ROMAN_CELL.match(first)
        or _LETTER_CELL.match(first)
        or (_ROMAN_TITLE.match(first) and first.split()[0].isupper() and len(cells) > 1)
    )


def _join(a: str, b: str, sep: str = "\n") -> str:
    if not a:
        return b
    if not b:
        return a
    return f"{a}{sep}{b}"


def _read_table(source: SourceText, start: int, roles: list[str | None], clause: str, headings: set[int]) -> _Table:
    """Rows of the table whose header is at index `start` of source.lines. The table ends at the
    first plain line that is neither a footnote, nor a group row, nor the rest of a cell; a
    clause heading or a blank line stops a cell from running on."""
    n = len(roles)
    table = _Table(roles, clause, source.lines[start].number)
    lines = source.lines
    current: _Row | None = None
    gap = False

    def finish():
        nonlocal current
        if current is not None:
            table.rows.append(current)
        current = None

    i = start + 1
    while i < len(lines):
        line = lines[i]
        raw = _raw(line)
        if not raw.strip():
            gap = True
            i += 1
            continue
        after_gap, gap = gap, False
        if _is_tab(line):
            cells = _cells(line)
            if header_roles(cells):
                i += 1  # a header repeated after a page break
                continue
            if current is not None and len(current.cells) < n and not _starts_row(cells):
                # a cell holding a line break: the first piece continues the last cell
                current.cells[-1] = _join(current.cells[-1], cells[0])
                current.cells += cells[1:]
            elif current is not None and _continues(current, cells):
                # the rest of a row split by a page break: cell by cell
                for k, cell in enumerate(cells[:n]):
                    if k < len(current.cells):
                        current.cells[k] = _join(current.cells[k], cell, " ") if k else current.cells[k]
                    else:
                        current.cells.append(cell)
            else:
                finish()
                current = _Row(cells, line.number)
            table.end = line.number
            i += 1
            continue
        if _FOOTNOTE.match(raw.strip()):
            i += 1
            continue
        text = clean_text(raw)
        running_on = current is not None and len(current.cells) < n and not after_gap
        if running_on and line.number not in headings and not _SIGNATURE.match(text):
            current.cells[-1] = _join(current.cells[-1], text)
            i += 1
            continue
        following = next((ln for ln in lines[i + 1 :] if _raw(ln).strip()), None)
        if (
            following is not None
            and _is_tab(following)
            and not header_roles(_cells(following))
            and len(text) <= 200
            and sum(ch.isalpha() for ch in text) >= 2
        ):
            # a merged group row read as plain text ("Nhóm 1: Hạ tầng", "II. DỮ LIỆU SỐ")
            finish()
            table.rows.append(_Row([text], line.number))
            i += 1
            continue
        break
    finish()
    return table


def _continues(current: _Row, cells: list[str]) -> bool:
    """A row with an empty number cell whose text starts in lower case continues the row above
    (a page break cut it)."""
    if not cells or clean_text(cells[0]):
        return False
    rest = [clean_text(c) for c in cells[1:]]
    first = next((c for c in rest if c), "")
    return not first or first[:1].islower() or not first[:1].isalpha()


def _group_label(number: str, title: str) -> str:
    return f"{number}. {title}" if number and title else number or title


def _table_tasks(table: _Table, names: Names, year_context: int | None) -> list[ExtractedTask]:
    roles = table.roles
    index = {role: k for k, role in reversed(list(enumerate(roles))) if role}
    tasks: list[ExtractedTask] = []
    groups: list[tuple[str, str]] = []  # (kind, label) from the outermost in

    def cell(row: _Row, role: str) -> str:
        k = index.get(role)
        return row.cells[k] if k is not None and k < len(row.cells) else ""

    def set_group(kind: str, label: str):
        nonlocal groups
        order = ["roman", "letter", "arabic", "plain"]
        keep = order[: order.index(kind)]
        groups = [g for g in groups if g[0] in keep] + [(kind, label)]

    rows = table.rows
    for pos, row in enumerate(rows):
        number = clean_text(cell(row, "number")) if "number" in index else ""
        title = _BULLET.sub("", one_line(cell(row, "title")))
        others = [one_line(cell(row, r)) for r in ("lead", "coordinating", "output", "deadline")]
        if len(row.cells) == 1:  # a group row read as plain text
            text = one_line(row.cells[0])
            m = _ROMAN_TITLE.match(text) or re.match(r"^(?P<n>\d{1,2})[.)]\s+(?P<t>\S.*)$", text)
            if m is None:
                set_group("plain", text)
            elif _ROMAN_CELL.match(m["n"]):
                set_group("roman", _group_label(m["n"], m["t"]))
            else:
                set_group("letter" if m["n"].isalpha() else "arabic", _group_label(m["n"], m["t"]))
            continue
        if not any(others):
            first = clean_text(row.cells[0])
            m = _ROMAN_TITLE.match(first)
            if not title and m and first.split()[0].isupper():  # "I CÔNG TÁC CHỈ ĐẠO…" in one cell
                set_group("roman" if _ROMAN_CELL.match(m["n"]) else "letter", _group_label(m["n"], m["t"]))
                continue
            labelled = _ROMAN_TITLE.match(title) if not number else None
            if labelled and labelled["n"].isupper() and title.split()[0].rstrip(".)") == labelled["n"]:
                # no number column: "I. HẠ TẦNG SỐ" alone in the task column
                kind = "roman" if _ROMAN_CELL.match(labelled["n"]) else "letter"
                set_group(kind, _group_label(labelled["n"], labelled["t"]))
                continue
            if not number and re.match(r"^(?:Nhóm|Lĩnh vực|Phần)\b", title):
                set_group("plain", title)
                continue
            if _ROMAN_CELL.match(number) and title:
                set_group("roman", _group_label(number.rstrip("."), title))
                continue
            if _LETTER_CELL.match(number) and title:
                set_group("letter", _group_label(number.rstrip("."), title))
                continue
            if _ROW_NUMBER.match(number) and title:
                following = next((clean_text(cell(r, "number")) for r in rows[pos + 1 :] if len(r.cells) > 1), "")
                base = number.rstrip(".")
                if following.rstrip(".") == "1" or following.startswith(base + "."):
                    set_group("arabic", _group_label(base, title))
                    continue
        if not title:
            continue
        if _ROW_NUMBER.match(number):
            # "2" after the rows "1.1", "1.2" of group "1": the arabic group is over
            base = number.rstrip(".")
            groups = [g for g in groups if g[0] != "arabic" or base.startswith(g[1].split(".")[0] + ".")]
        deadline_text = one_line(cell(row, "deadline"))
        deadline, recurrence = parse_deadline(deadline_text, year_context)
        tasks.append(
            ExtractedTask(
                clause=table.clause,
                title=title.rstrip(" .;,")[:CELL_MAX],
                lead=names.refs(cell(row, "lead")),
                coordinating=names.refs(cell(row, "coordinating")),
                output=one_line(cell(row, "output"))[:CELL_MAX],
                deadline_text=deadline_text[:200],
                deadline=deadline,
                recurrence=recurrence,
                group=" / ".join(label for _kind, label in groups)[:300],
                line=row.line,
            )
        )
    return tasks


def _appendix_clause(source: SourceText, clauses: list[Clause], line_number: int) -> str:
    """The clause holding a table; "PL" for a table after the signature with no heading of its own."""
    path = clause_at(clauses, line_number)
    signature = [ln.number for ln in source.lines if ln.number < line_number and _SIGNATURE.match(ln.clean)]
    if signature:
        last = signature[-1]
        if not any(last < c.start < line_number for c in clauses):
            return "PL"
    return path


def find_tables(source: SourceText, clauses: list[Clause]) -> list[_Table]:
    tables: list[_Table] = []
    end = 0
    for idx, line in enumerate(source.lines):
        if line.number <= end or not _is_tab(line):
            continue
        roles = header_roles(_cells(line))
        if roles:
            clause = _appendix_clause(source, clauses, line.number)
            table = _read_table(source, idx, roles, clause, {c.start for c in clauses})
            tables.append(table)
            end = max(table.end, line.number)
    return tables


# A header-less appendix after the signature, one cell per line ------------------------------

_ROMAN_NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def _vertical_tasks(
    source: SourceText, clauses: list[Clause], names: Names, year_context: int | None, warnings: list[str]
) -> list[ExtractedTask]:
    """An appendix table whose header rows were lost and whose cells come one per line
    ("\\t1", "\\tĐẩy mạnh …", "\\tSở TT&TT", "\\tCác huyện …", "\\t2022 - 2025"), after the
    signature block. Records are rebuilt in DEFAULT_ORDER: an optional number, then title,
    lead, coordinating, time; a line without the leading tab continues the cell above. A line
    indented by " \\t" opens a block (a lost group header); group numerals are inferred from
    block order only when a surviving numeral agrees with its block's position."""
    lines = source.lines
    signature = [i for i, ln in enumerate(lines) if _SIGNATURE.match(ln.clean)]
    if not signature:
        return []
    tail = lines[signature[-1] + 1 :]
    tab_led = [ln for ln in tail if re.match(r"^[ \u00a0]*\t", _raw(ln)) and ln.clean]
    if len(tab_led) < 5 or any(header_roles(_cells(ln)) for ln in tail if _is_tab(ln)):
        return []
    if any(len([c for c in _cells(ln) if c]) > 1 for ln in tab_led):
        return []  # a normal tab-separated table, read elsewhere

    fields = DEFAULT_ORDER[1:]
    records: list[dict] = []
    current: dict | None = None
    block = 0
    numerals: dict[int, str] = {}
    last_field = None
    started = False
    pending = ""
    for ln in tail:
        raw = _raw(ln)
        text = ln.clean
        if not text:
            continue
        tab_led_line = bool(re.match(r"^[ \u00a0]*\t", raw))
        if not tab_led_line:
            if current is not None and last_field:
                current[last_field] = _join(current[last_field], text)
            continue
        if re.match(r"^[ \u00a0]+\t", raw) or not started:
            block += 1
            started = True
        if _ROMAN_CELL.match(text):
            # a group numeral whose title row was lost: it heads the rows that follow
            pending = text.rstrip(".")
            if current is not None:
                records.append(current)
            current, last_field = None, None
            continue
        if _ROW_NUMBER.match(text) or current is None or all(f in current for f in fields):
            if current is not None:
                records.append(current)
            if pending:
                numerals[block] = pending
                pending = ""
            number = text.rstrip(".") if _ROW_NUMBER.match(text) else ""
            current = {"number": number, "block": block, "line": ln.number}
            last_field = None
            if number:
                continue
        free = next(f for f in fields if f not in current)
        current[free] = text
        last_field = free
    if current is not None:
        records.append(current)

    inferred = bool(numerals) and all(
        b - 1 < len(_ROMAN_NUMERALS) and _ROMAN_NUMERALS[b - 1] == n for b, n in numerals.items()
    )
    first_line = records[0]["line"] if records else 0
    warnings.append(
        f"Phụ lục nhiệm vụ không có dòng tiêu đề (từ dòng {first_line}): đã dựng lại {len(records)} dòng theo thứ tự "
        "cột TT, nhiệm vụ, chủ trì, phối hợp, thời gian; tên các nhóm nhiệm vụ không khôi phục được"
        + ("; số thứ tự nhóm suy ra từ thứ tự các khối." if inferred else ".")
    )
    tasks = []
    for rec in records:
        if not rec.get("title"):
            continue
        missing = [f for f in fields[1:] if not rec.get(f)]
        if missing:
            labels = {"lead": "chủ trì", "coordinating": "phối hợp", "deadline": "thời gian"}
            warnings.append(
                f"Phụ lục, dòng {rec['line']}: thiếu cột {', '.join(labels[f] for f in missing)} "
                f"(“{first_sentence(rec['title'], 60)}”)."
            )
        deadline_text = one_line(rec.get("deadline", ""))
        deadline, recurrence = parse_deadline(deadline_text, year_context)
        if deadline_text and deadline is None and recurrence is None and not deadline_text.lower().startswith("theo"):
            warnings.append(f"Phụ lục, dòng {rec['line']}: cột thời gian “{deadline_text[:60]}” không đọc được.")
        tasks.append(
            ExtractedTask(
                clause="PL",
                title=one_line(rec["title"]).rstrip(" .;,")[:CELL_MAX],
                lead=names.refs(rec.get("lead", "")),
                coordinating=names.refs(rec.get("coordinating", "")),
                deadline_text=deadline_text[:200],
                deadline=deadline,
                recurrence=recurrence,
                group=_ROMAN_NUMERALS[rec["block"] - 1] if inferred and rec["block"] <= len(_ROMAN_NUMERALS) else "",
                line=rec["line"],
            )
        )
    return tasks


# ---------------------------------------------------------------------------------------------
# Clause text: paragraphs, bullets, the end of the body

_CLOSING = re.compile(
    r"^(?:Yêu cầu|Đề nghị|Trên đây|Trong quá trình|Quá trình|"
    r"(?:Nghị quyết|Kế hoạch|Quyết định|Chỉ thị|Chương trình|Văn bản|Hướng dẫn) này\b|"
    r"Trên cơ sở .{0,80}?,\s*yêu cầu)",
    re.IGNORECASE,
)
_BODY_END = re.compile(r"(?:\./\.|\.\s*/\s*\.)\s*$")
_STOP = re.compile(r"^(?:Nơi nhận|HIỆU LỰC VĂN BẢN)\b|^(?:TM\.|KT\.|TL\.|T/M)\s")


@dataclass
class _Para:
    text: str
    line: int
    bullet: bool


def _body_end(source: SourceText, start: int) -> int:
    """The last line of the document's body at or after `start`: the line ending with "./.",
    or the line before the signature block."""
    for line in source.lines[start - 1 :]:
        if _STOP.match(line.clean):
            return line.number - 1
        if _BODY_END.search(line.clean):
            return line.number
    return source.lines[-1].number if source.lines else 0


def _paragraphs(source: SourceText, first: int, last: int) -> list[_Para]:
    """Paragraphs of lines first..last: a line starting in lower case continues the paragraph
    above (a wrapped line); table rows are skipped."""
    out: list[_Para] = []
    for line in source.lines[first - 1 : last]:
        text = line.clean
        if not text or is_row(line):
            continue
        if out and text[:1].islower() and not _BULLET.match(text):
            out[-1].text += " " + text
            continue
        out.append(_Para(text, line.number, bool(_BULLET.match(text))))
    return out


def _heading_rest(clause: Clause) -> str:
    text = clause.heading.strip()
    for rx in (LETTERED, NUMBERED, ROMAN, ARTICLE):
        m = rx.match(text)
        if m:
            return m.group("rest").strip()
    return text


def _children(clauses: list[Clause], parent: Clause) -> list[Clause]:
    depth = parent.path.count(".") + 1
    return [
        c
        for c in clauses
        if c.path.startswith(parent.path + ".") and c.path.count(".") == depth and parent.start < c.start <= parent.end
    ]


def _descendants(clauses: list[Clause], parent: Clause) -> list[Clause]:
    return [c for c in clauses if c.path.startswith(parent.path + ".") and parent.start < c.start <= parent.end]


def _is_letter(clause: Clause) -> bool:
    return bool(re.fullmatch(r"[a-zđ]", clause.path.rsplit(".", 1)[-1]))


def _own_lines(clauses: list[Clause], clause: Clause, end: int) -> tuple[int, int]:
    """The lines after a clause's heading up to its first sub-clause (or its end, capped)."""
    subs = _descendants(clauses, clause)
    last = min([clause.end, end] + [c.start - 1 for c in subs])
    return clause.start + 1, last


def _leads_from_labels(text: str, names: Names) -> tuple[list[AgencyRef], list[AgencyRef]]:
    lead: list[AgencyRef] = []
    coordinating: list[AgencyRef] = []
    for m in _LABEL.finditer(text):
        refs = names.refs(m["names"])
        if m["role"].lower() == "phối hợp":
            coordinating += refs
        else:
            lead += refs
    return lead, coordinating


def _who(text: str, names: Names) -> tuple[list[AgencyRef], list[AgencyRef]]:
    """Lead and coordinating bodies a prose item names: "Đơn vị chủ trì: X", "X chủ trì, phối
    hợp với Y", "X phối hợp với Y triển khai", "giao X chủ trì"; else nobody."""
    lead, coordinating = _leads_from_labels(text, names)
    if lead or coordinating:
        return lead, coordinating
    sentence = one_line(text)
    lead, rest = names.subject(sentence)
    if lead:
        if m := _PHOI_HOP.match(rest):
            coordinating = names.coordinating(rest[m.end() :])
        return lead, coordinating
    if m := _GIAO_CHU_TRI.search(sentence):
        lead = [r for r in names.refs(m["x"]) if r.code]
        if lead:
            after = sentence[m.end() :]
            if p := _PHOI_HOP.match(after):
                coordinating = names.coordinating(after[p.end() :])
    return lead, coordinating


def _task(clause: str, title: str, line: int, lead=None, coordinating=None) -> ExtractedTask:
    return ExtractedTask(clause=clause, title=title, lead=lead or [], coordinating=coordinating or [], line=line)


# ---------------------------------------------------------------------------------------------
# "Tổ chức thực hiện": duties of each body

_TCTH = re.compile(
    r"^tổ chức thực hiện(?:\s+(?:kế hoạch|nghị quyết|quyết định|chương trình|đề án)(?:\s+này)?)?\s*[.:]?$",
    re.IGNORECASE,
)
_TASK_SECTION = re.compile(
    r"^(?:các\s+)?(?:nhiệm vụ|giải pháp|nội dung kế hoạch|nội dung thực hiện|nội dung chủ yếu|"
    r"các hoạt động|hoạt động thường xuyên|chương trình hành động|nhiệm vụ trọng tâm)",
    re.IGNORECASE,
)


def _top_sections(clauses: list[Clause], test: re.Pattern) -> list[Clause]:
    """The outermost sections whose title matches: a section title, so not a lettered item and
    not a sentence."""
    found = [
        c for c in clauses if not _is_letter(c) and len(_heading_rest(c).split()) <= 15 and test.match(_heading_rest(c))
    ]
    return [c for c in found if not any(o is not c and c.path.startswith(o.path + ".") for o in found)]


def _agency_heading(text: str) -> str:
    text = _HEADING_PREFIX.sub("", text.strip().rstrip(":").strip())
    return _HEADING_SUFFIX.sub("", text).strip(" :")


def _agency_of_heading(heading: str, names: Names, *, has_body: bool) -> tuple[str, str] | None:
    """(the bodies' names, an inline duty) when a numbered heading of a "Tổ chức thực hiện"
    section names the bodies whose duties follow ("1. Sở Thông tin và Truyền thông",
    "2. Sở Tài chính: chủ trì …"); None when the numbered paragraph is itself a duty."""
    agency_text, inline = heading, ""
    if ":" in heading:
        before, after = heading.split(":", 1)
        if len(before.split()) <= 25 and names.refs(_agency_heading(before)):
            agency_text, inline = before, after.strip()
    if (has_body or inline) and len(agency_text.split()) <= 35 and not agency_text.rstrip().endswith("."):
        return agency_text, inline
    return None


def duty_owner(source: SourceText, clauses: list[Clause], line_number: int, names: Names) -> list[AgencyRef]:
    """The bodies whose "Tổ chức thực hiện" heading a line sits under ([] outside such a heading)."""
    for section in _top_sections(clauses, _TCTH):
        if not section.start < line_number <= section.end:
            continue
        for child in _children(clauses, section):
            if child.start < line_number <= child.end and not _is_letter(child):
                found = _agency_of_heading(_heading_rest(child), names, has_body=True)
                if found:
                    return names.refs(_agency_heading(found[0]))
    return []


def _duty_task(path: str, para: _Para, lead: list[AgencyRef], names: Names) -> ExtractedTask:
    """One duty of the bodies a heading names; a duty naming its own subject ("Các doanh nghiệp
    viễn thông phối hợp với …" under "Các doanh nghiệp trên địa bàn tỉnh") is led by that subject."""
    text = _BULLET.sub("", para.text)
    text = LETTERED.sub(lambda m: m.group("rest"), text, count=1)
    coordinating: list[AgencyRef] = []
    own, rest = names.subject(text)
    if own:
        lead = own
        if m := _PHOI_HOP.match(rest):
            coordinating = names.coordinating(rest[m.end() :])
    if not coordinating and (m := _CHU_TRI_PHOI_HOP.search(text)):
        coordinating = names.coordinating(text[m.end() :])
    return _task(path, first_sentence(text), para.line, list(lead), coordinating)


def _duties(source: SourceText, clauses: list[Clause], section: Clause, names: Names) -> list[ExtractedTask]:
    tasks: list[ExtractedTask] = []
    end = _body_end(source, section.start)
    for child in _children(clauses, section):
        if child.start > end:
            break
        heading = _heading_rest(child)
        if _is_letter(child):
            lead, coordinating = _who(heading, names)
            tasks.append(_task(child.path, first_sentence(heading), child.start, lead, coordinating))
            continue
        letters = [c for c in _children(clauses, child) if _is_letter(c)]
        first, last = _own_lines(clauses, child, end)
        body = [p for p in _paragraphs(source, first, last) if not (not p.bullet and _CLOSING.match(p.text))]
        found = _agency_of_heading(heading, names, has_body=bool(letters or body))
        if found is None:
            # the numbered paragraph is itself the duty: "Ban Tuyên giáo Tỉnh ủy tham mưu …"
            lead, rest = names.subject(heading)
            coordinating: list[AgencyRef] = []
            if m := _CHU_TRI_PHOI_HOP.search(rest):
                coordinating = names.coordinating(rest[m.end() :])
            tasks.append(_task(child.path, first_sentence(heading), child.start, lead, coordinating))
            continue
        agency_text, inline = found
        lead = names.refs(_agency_heading(agency_text))
        if inline:
            tasks.append(_duty_task(child.path, _Para(inline, child.start, False), lead, names))
        if letters:
            for letter in letters:
                if letter.start > end:
                    break
                para = _Para(_heading_rest(letter), letter.start, False)
                tasks.append(_duty_task(letter.path, para, lead, names))
            continue
        duties: list[_Para] = []
        for k, para in enumerate(body):
            if _PLUS.match(para.text) and duties:
                continue  # a sub-point of the duty above
            if not para.bullet and para.text.rstrip().endswith(":") and k + 1 < len(body) and body[k + 1].bullet:
                continue  # "… có trách nhiệm:" introducing the dashes
            duties.append(para)
        for para in duties:
            tasks.append(_duty_task(clause_at(clauses, para.line) or child.path, para, lead, names))
    return tasks


# ---------------------------------------------------------------------------------------------
# Prose task sections


def _is_label(text: str) -> bool:
    """A short heading that names a field rather than a task ("Thương mại", "Công nghiệp và năng lượng")."""
    text = text.strip()
    return len(text.split()) <= 8 and not re.search(r"[.;,]$", text) and not text.endswith(":")


def _prose_tasks(source: SourceText, clauses: list[Clause], section: Clause, names: Names) -> list[ExtractedTask]:
    tasks: list[ExtractedTask] = []
    end = min(section.end, _body_end(source, section.start))
    items = [c for c in _descendants(clauses, section) if c.start <= end]
    if not items:
        # tasks written as dashes straight under the section
        for para in _paragraphs(source, section.start + 1, end):
            if para.bullet and not _PLUS.match(para.text):
                text = _BULLET.sub("", para.text)
                lead, coordinating = _who(text, names)
                tasks.append(_task(section.path, first_sentence(text), para.line, lead, coordinating))
        return tasks
    for item in items:
        subs = _descendants(clauses, item)
        first, last = _own_lines(clauses, item, end)
        body = _paragraphs(source, first, last)
        heading = _heading_rest(item)
        if _is_letter(item):
            dashes = [p for p in body if p.bullet and not _PLUS.match(p.text)]
            if _is_label(heading) and len(dashes) >= 2:
                for para in dashes:
                    text = _BULLET.sub("", para.text)
                    lead, coordinating = _who(text, names)
                    tasks.append(_task(item.path, first_sentence(text), para.line, lead, coordinating))
                continue
            text = " ".join([heading] + [p.text for p in body if not p.bullet and p.text[:1].islower()])
            lead, coordinating = _who(text, names)
            tasks.append(_task(item.path, first_sentence(text), item.start, lead, coordinating))
            continue
        if subs:
            continue  # numbered clause with sub-clauses: its items are the tasks
        plain = next((p for p in body if not p.bullet), None)
        use_body = plain is not None and (len(heading.split()) <= 8 or heading.endswith(":")) and body[0] is plain
        title_text = plain.text if use_body else heading
        lead, coordinating = _leads_from_labels("\n".join(p.text for p in body), names)
        if not lead and not coordinating:
            lead, coordinating = _who(title_text, names)
        tasks.append(_task(item.path, first_sentence(title_text), item.start, lead, coordinating))
    return tasks


# ---------------------------------------------------------------------------------------------


def find_tasks(
    source: SourceText,
    clauses: list[Clause],
    *,
    year_context: int | None,
    resolver,
    warnings: list[str] | None = None,
) -> list[ExtractedTask]:
    """Every task the plan assigns, in document order. `warnings` (optional) collects what a
    damaged table did not let us recover."""
    warnings = warnings if warnings is not None else []
    names = Names(resolver, at=datetime.date(year_context, 1, 1) if year_context else None)
    tasks: list[ExtractedTask] = []
    for table in find_tables(source, clauses):
        tasks += _table_tasks(table, names, year_context)
    tasks += _vertical_tasks(source, clauses, names, year_context, warnings)
    duty_sections = _top_sections(clauses, _TCTH)
    for section in duty_sections:
        tasks += _duties(source, clauses, section, names)
    for section in _top_sections(clauses, _TASK_SECTION):
        if any(section.path.startswith(d.path + ".") or section.path == d.path for d in duty_sections):
            continue
        tasks += _prose_tasks(source, clauses, section, names)
    tasks.sort(key=lambda t: t.line)
    return tasks
