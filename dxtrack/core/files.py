"""Uploaded files checked for what they are, within bounds, before anything parses them.

A name's extension and a file's first bytes say little: "%PDF" followed by an HTML page passed as
a PDF and would be served back to other users. Each kind is checked on its structure as far as
that needs no parser: a PDF's end marker and cross-reference, a PNG's chunks from IHDR to IEND, a
JPEG's end marker, an Office file's parts with their declared (uncompressed) sizes and count."""

import io
import re
import struct
import zipfile

from .errors import InvalidData

# Markup a browser would render if it ever sniffed the file as a page.
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed)\b", re.IGNORECASE)

OFFICE_PARTS = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
}
MAX_PARTS = 2_000
MAX_UNPACKED = 100 * 1024 * 1024


class TooLarge(InvalidData):
    """The file would unpack past the bounds: refused before any parser sees it."""


def _wrong(ext: str) -> InvalidData:
    return InvalidData(f"Nội dung tệp không phải {ext[1:].upper()} như tên tệp ghi.")


def check_zip(
    data: bytes,
    ext: str,
    *,
    max_unpacked: int = MAX_UNPACKED,
    max_parts: int = MAX_PARTS,
    max_main_part: int | None = None,
) -> None:
    """An Office file (.docx, .xlsx): a zip holding the part its kind needs, whose declared sizes
    stay within bounds (CPython's zipfile never inflates a member past its declared size, so the
    declared sizes bound what a reader can be made to inflate)."""
    if not data.startswith(b"PK\x03\x04"):
        raise _wrong(ext)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise InvalidData(f"Tệp {ext[1:].upper()} bị hỏng, không đọc được.") from None
    if len(members) > max_parts:
        raise TooLarge(f"Tệp có quá nhiều thành phần ({len(members)}; tối đa {max_parts}); không xử lý.")
    if sum(m.file_size for m in members) > max_unpacked:
        raise TooLarge(f"Tệp giải nén ra quá lớn (trên {max_unpacked // (1024 * 1024)} MB); không xử lý.")
    names = {m.filename: m for m in members}
    if "[Content_Types].xml" not in names or OFFICE_PARTS[ext] not in names:
        raise _wrong(ext)
    # The main part is the XML a reader builds a whole tree of (about ten times its size in
    # memory); images and other parts are only carried.
    if max_main_part is not None and names[OFFICE_PARTS[ext]].file_size > max_main_part:
        limit = max_main_part // (1024 * 1024)
        raise TooLarge(f"Nội dung chính của tệp giải nén ra quá lớn (trên {limit} MB); không xử lý.")


def _check_pdf(data: bytes) -> None:
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        raise _wrong(".pdf")
    tail = data[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise _wrong(".pdf")


def _check_png(data: bytes) -> None:
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        raise _wrong(".png")
    # Walk the chunks: each is length, type, data, CRC; the last is IEND.
    at = 8
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        at += 12 + length
        if kind == b"IEND":
            if at == len(data):
                return
            break
    raise _wrong(".png")


def _check_jpeg(data: bytes) -> None:
    if not data.startswith(b"\xff\xd8\xff") or b"\xff\xd9" not in data[-1024:]:
        raise _wrong(".jpg")


def check_content(data: bytes, ext: str) -> None:
    """Raises InvalidData unless `data` is a whole file of the kind its extension names."""
    ext = ext.lower()
    if ext in OFFICE_PARTS:
        check_zip(data, ext)
    elif ext == ".pdf":
        _check_pdf(data)
    elif ext == ".png":
        _check_png(data)
    elif ext in (".jpg", ".jpeg"):
        _check_jpeg(data)
    else:
        raise InvalidData("Loại tệp này không được nhận.")
    # A file of any kind whose first bytes hold page markup is refused: that is how a page is
    # passed off as a document to be served to others.
    if _MARKUP.search(data[:4096]):
        raise _wrong(ext)
