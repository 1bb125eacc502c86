"""The document's identity from its header block (Nghị định 30/2020/NĐ-CP layout):
issuing body, "Số: 4216/QĐ-UBND", "Thanh Hóa, ngày 06 tháng 10 năm 2020", the type line
("QUYẾT ĐỊNH", "KẾ HOẠCH") and the title under it."""

import datetime
import re

from .model import ExtractedDocument, SourceText

HEAD_LINES = 80
NUMBER = re.compile(r"^Số\s*:?\s*(?P<n>\d*)\s*/\s*(?P<code>[A-ZĐa-zđ0-9]+(?:-[A-ZĐa-zđ0-9]+)*)\s*$")
DATE = re.compile(
    r"(?P<place>[A-ZĐ][\wÀ-ỹ ]{1,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})",
    re.UNICODE,
)
TYPES = {
    "QĐ": "Quyết định",
    "NQ": "Nghị quyết",
    "KH": "Kế hoạch",
    "CT": "Chỉ thị",
    "CTr": "Chương trình",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "HD": "Hướng dẫn",
}
ISSUERS = {"UBND": "Ủy ban nhân dân tỉnh", "BCĐ": "Ban Chỉ đạo", "TU": "Tỉnh ủy", "HĐND": "Hội đồng nhân dân tỉnh"}
TYPE_LINES = {name.upper(): name for name in TYPES.values()}
MOTTO = re.compile(r"^CỘNG H[ÒO]A XÃ HỘI CHỦ NGHĨA VIỆT NAM", re.IGNORECASE)


_PROVINCIAL = re.compile(
    r"^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND)\s+(?P<level>TỈNH|THÀNH PHỐ)\s+(?P<place>.+)$"
)


def issuer_name(text: str) -> str:
    """The issuing body with its province, as the register writes it: "ỦY BAN NHÂN DÂN TỈNH HÒA SƠN"
    → "UBND tỉnh Hòa Sơn"; any other body as written."""
    text = re.sub(r"\s+", " ", text).strip()
    if m := _PROVINCIAL.match(text.upper()):
        body = "UBND" if m.group(0).startswith(("Ủ", "U")) else "HĐND"
        level = m["level"].lower()
        return f"{body} {level} {text[-len(m['place']) :].title()}"
    return text


def _issuer_lines(lines: list[str]) -> list[str]:
    """The upper-case lines before the national motto; of a two-column header table, the left cell."""
    parts: list[str] = []
    for line in lines:
        text = line.split("\t")[0].strip()
        if MOTTO.match(text):
            break
        if text and text == text.upper() and not set(text) <= set("-_ ") and len(text) < 80:
            parts.append(text)
        if "\t" in line and MOTTO.match(line.split("\t")[-1].strip()):
            break
    return parts


def read_header(source: SourceText, document: ExtractedDocument) -> None:
    lines = [line.clean for line in source.lines[:HEAD_LINES]]
    issuer_parts = _issuer_lines(lines)
    if issuer_parts and any(MOTTO.match(t) or MOTTO.match(t.split("\t")[-1].strip()) for t in lines):
        document.issuer = issuer_name(" ".join(issuer_parts))

    # A two-column header table gives "Số: 12/TB-BCĐ<tab>Thanh Hóa, ngày …" on one line.
    for text in (cell.strip() for line in lines for cell in line.split("\t")):
        if m := NUMBER.match(text):
            code = m.group("code")
            document.number = f"{m.group('n')}/{code}" if m.group("n") else ""
            kind, _, body = code.partition("-")
            document.issuer = document.issuer or ISSUERS.get(body, "")
            document.type = TYPES.get(kind, TYPES.get(kind.upper(), ""))
            if not m.group("n"):
                document.warnings.append(f"Văn bản chưa ghi số (…/{code}); hãy nhập số khi duyệt.")
            break

    for text in lines:
        if m := DATE.search(text):
            if document.issuer == ISSUERS["UBND"]:  # "Thanh Hoá, ngày …": the province issued it
                document.issuer = f"UBND tỉnh {m.group('place').strip()}"
            year = int(m.group("y"))
            document.year = year
            if m.group("d") and m.group("m"):
                try:
                    document.date = datetime.date(year, int(m.group("m")), int(m.group("d")))
                except ValueError:
                    document.warnings.append(f"Ngày ban hành không hợp lệ: “{text[:80]}”.")
            else:
                document.warnings.append("Văn bản chưa ghi đủ ngày ban hành; hãy nhập khi duyệt.")
            break

    for i, text in enumerate(lines):
        if text.upper() in TYPE_LINES and text == text.upper():
            document.type = document.type or TYPE_LINES[text.upper()]
            title = next((t for t in lines[i + 1 : i + 4] if t), "")
            document.title = title[:500]
            break
