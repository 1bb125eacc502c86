"""Which pillar and sector a target or a task belongs to, from its headings and its words."""

import re

from .model import Clause, ExtractedTask

PILLARS = ("chinh_quyen_so", "kinh_te_so", "xa_hoi_so", "ha_tang_so", "an_toan_thong_tin", "nhan_luc_so")

_PILLAR_HEADING = [
    ("chinh_quyen_so", re.compile(r"chính quyền (?:số|điện tử)|chính phủ (?:số|điện tử)", re.I)),
    ("kinh_te_so", re.compile(r"kinh tế số|doanh nghiệp số|thương mại điện tử", re.I)),
    ("xa_hoi_so", re.compile(r"xã hội số|công dân số|khoảng cách số", re.I)),
    ("ha_tang_so", re.compile(r"hạ tầng", re.I)),
    ("an_toan_thong_tin", re.compile(r"an toàn thông tin|an ninh mạng|an toàn, an ninh", re.I)),
    ("nhan_luc_so", re.compile(r"nhân lực", re.I)),
]
# Keywords in the text, the most specific first.
_PILLAR_TEXT = [
    ("an_toan_thong_tin", re.compile(r"an toàn thông tin|an ninh mạng|an toàn, an ninh", re.I)),
    ("ha_tang_so", re.compile(r"cáp quang|băng rộng|băng thông|\b[345]G\b|hạ tầng|phủ sóng", re.I)),
    ("nhan_luc_so", re.compile(r"nhân lực", re.I)),
    (
        "chinh_quyen_so",
        re.compile(
            r"dịch vụ công|thủ tục hành chính|hồ sơ(?! (?:quản lý )?(?:sức khỏe|sức khoẻ|bệnh án))|chính quyền|"
            r"chính phủ|cơ quan nhà nước",
            re.I,
        ),
    ),
    (
        "kinh_te_so",
        re.compile(r"doanh nghiệp|thương mại điện tử|GRDP|kinh tế số|năng suất lao động|doanh thu", re.I),
    ),
    ("xa_hoi_so", re.compile(r"người dân|hộ gia đình|kỹ năng số|tài khoản|dân số|công dân", re.I)),
    ("nhan_luc_so", re.compile(r"đào tạo|tập huấn", re.I)),
]

_SECTORS = [
    ("nông nghiệp", re.compile(r"nông nghiệp|nông, lâm|nông lâm|lâm nghiệp|thủy sản|thuỷ sản|nông thôn", re.I)),
    ("y tế", re.compile(r"\by tế", re.I)),
    ("giáo dục", re.compile(r"giáo dục", re.I)),
    ("thương mại", re.compile(r"thương mại", re.I)),
    ("du lịch", re.compile(r"du lịch", re.I)),
    (
        "công nghiệp",
        re.compile(r"(?<!cách mạng )công nghiệp(?! (?:công nghệ|cntt|4\.0|lần thứ|bán dẫn|số))", re.I),
    ),
    ("tài nguyên môi trường", re.compile(r"tài nguyên|môi trường(?! (?:số|mạng|điện tử))", re.I)),
    ("giao thông", re.compile(r"giao thông", re.I)),
    ("tài chính ngân hàng", re.compile(r"tài chính|ngân hàng", re.I)),
    ("xây dựng", re.compile(r"(?:lĩnh vực|ngành) xây dựng", re.I)),
    ("văn hóa", re.compile(r"văn hóa(?! số)|văn hoá(?! số)|thể thao", re.I)),
    ("năng lượng", re.compile(r"năng lượng|điện lực", re.I)),
    ("lao động", re.compile(r"(?:lĩnh vực|ngành) lao động|lao động, thương binh", re.I)),
]
_SECTOR_LEAD = re.compile(r"^(?:Lĩnh vực|Ngành)\s+([^:]{2,80}):", re.I)


def _heading_pillar(title: str) -> str:
    found = {pillar for pillar, pattern in _PILLAR_HEADING if pattern.search(title)}
    return found.pop() if len(found) == 1 else ""


def _text_pillar(text: str) -> str:
    """The first pillar, in order of specificity, whose keywords occur in the text."""
    for pillar, pattern in _PILLAR_TEXT:
        if pattern.search(text):
            return pillar
    return ""


def _nearest_pillar(text: str) -> str:
    """The pillar of the keyword closest to the end of the text (the words right before a number)."""
    best, best_end = "", -1
    for pillar, pattern in _PILLAR_TEXT:
        for m in pattern.finditer(text):
            if m.end() > best_end:
                best, best_end = pillar, m.end()
    return best


def _sector(title: str) -> str:
    best, best_at = "", len(title) + 1
    for sector, pattern in _SECTORS:
        m = pattern.search(title)
        if m and m.start() < best_at:
            best, best_at = sector, m.start()
    return best


def _chain(clauses: list[Clause], line_number: int) -> list[Clause]:
    return sorted((c for c in clauses if c.start <= line_number <= c.end), key=lambda c: (c.level, c.start))


def classify_tasks(tasks: list[ExtractedTask], clauses: list[Clause]) -> None:
    """A task's pillar: the deepest heading (or table group) naming exactly one pillar, else its
    own words; its sector: the deepest heading or group naming one."""
    for task in tasks:
        titles = [c.heading for c in _chain(clauses, task.line)] + [g for g in task.group.split(" / ") if g]
        pillar = next((p for p in map(_heading_pillar, reversed(titles)) if p), "")
        task.pillar = pillar or _text_pillar(task.title)
        task.sector = next((s for s in map(_sector, reversed(titles)) if s), "") or _sector(task.title[:120])
