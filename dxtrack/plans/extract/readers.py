"""Turning an uploaded file into SourceText, or a clear Vietnamese message saying why not.

Plain text (UTF-8, with or without BOM, or UTF-16), DOCX (paragraphs and tables, tables as
tab-separated lines, merged cells once) and text-based PDF. Scanned PDFs, binaries, legacy
Vietnamese encodings (TCVN3, VNI) and oversized files are refused before any parsing.
"""

import io
import re
import time
import unicodedata
import zipfile
import zlib

from dxtrack.core import files
from dxtrack.core.errors import InvalidData
from dxtrack.core.numbers import format_number

from .model import SourceText

MAX_BYTES = 20 * 1024 * 1024
# A plan's DOCX, images included, unpacks to a few MB; python-docx holds every part in memory.
MAX_DOCX_UNPACKED = 60 * 1024 * 1024
MAX_DOCX_BODY = 10 * 1024 * 1024  # word/document.xml: a 300-page plan is about 3 MB
MAX_PDF_PAGES = 500
MAX_PDF_CONTENT = 30 * 1024 * 1024  # the pages' content streams, inflated, all together
PDF_SECONDS = 10.0  # the reading budget of one PDF: past it the file is refused, not read on
MAX_CHARS = 3_000_000
MIN_LETTERS = 200  # a plan has at least this much text; less is an empty or image-only file


class ReadError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Letters that Vietnamese Unicode text never contains but TCVN3 (.VnTime) or VNI text read as
# Windows-1252 is full of.
_LEGACY_MARKS = set("¸µ¶·¹¨©ª«®¬¯°±²³´½¾ÆÇÈËÌÎÏÐÑÖ×ØÛÜÞßåæçëîïðñöøûüþÿ")


def _looks_legacy(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha() or ch in _LEGACY_MARKS]
    if not letters:
        return False
    odd = sum(1 for ch in letters if ch in _LEGACY_MARKS)
    return odd / len(letters) > 0.01


def _check_text(text: str, filename: str) -> SourceText:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MAX_CHARS:
        raise ReadError(
            f"Tệp “{filename}” quá dài ({format_number(len(text))} ký tự); tối đa {format_number(MAX_CHARS)} ký tự."
        )
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        raise ReadError(f"Tệp “{filename}” gần như không có nội dung chữ; hãy kiểm tra lại tệp.")
    if _looks_legacy(text):
        raise ReadError(
            f"Tệp “{filename}” có vẻ dùng bảng mã cũ (TCVN3/VNI), không phải Unicode. "
            "Hãy mở bằng Word, chuyển sang Unicode (ví dụ bằng Unikey) rồi tải lên lại."
        )
    return SourceText(text=text, filename=filename)


def _decode_text(data: bytes, filename: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise ReadError(f"Tệp “{filename}” là tệp nhị phân, không phải văn bản; hãy tải lên tệp .txt, .docx hoặc .pdf.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReadError(
            f"Tệp “{filename}” không ở mã Unicode (UTF-8); có thể đang dùng bảng mã cũ (TCVN3/VNI). "
            "Hãy lưu lại tệp với mã UTF-8 rồi tải lên lại."
        ) from None


def _docx_text(data: bytes, filename: str) -> str:
    import docx
    from docx.document import Document as DocumentType
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        files.check_zip(data, ".docx", max_unpacked=MAX_DOCX_UNPACKED, max_main_part=MAX_DOCX_BODY)
    except files.TooLarge as exc:
        raise ReadError(f"Tệp “{filename}”: {exc.message}") from None
    except InvalidData:
        pass  # not a Word package: python-docx below says so in the reader's own words
    try:
        document: DocumentType = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReadError(f"Tệp “{filename}” không phải tệp Word (.docx) hợp lệ hoặc đã hỏng.") from exc
    except Exception as exc:  # python-docx raises its own types for malformed packages
        raise ReadError(f"Không đọc được tệp Word “{filename}”: tệp hỏng hoặc không đúng định dạng.") from exc

    out: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            out.extend(_table_lines(block))
    return "\n".join(out)


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # A horizontally merged cell comes back once per grid column: keep it once.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(re.sub(r"\s*\n\s*", " ", cell.text).strip())
        # A row merged across the table is still a row: keep a tab so it is not read as a heading.
        lines.append("\t".join(cells) if len(cells) > 1 else f"{cells[0] if cells else ''}\t")
    return lines


def _pdf_text(data: bytes, filename: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReadError(f"Tệp PDF “{filename}” được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ReadError(f"Tệp PDF “{filename}” có {len(reader.pages)} trang; tối đa {MAX_PDF_PAGES} trang.")
        if _content_size(reader, MAX_PDF_CONTENT) > MAX_PDF_CONTENT:
            limit = MAX_PDF_CONTENT // (1024 * 1024)
            raise ReadError(f"Nội dung các trang của tệp PDF “{filename}” giải nén ra quá {limit} MB; không xử lý.")
        # The work one upload may cost is capped: pypdf bounds each stream, not their sum, so a
        # small file of many inflating streams is stopped by the clock between pages.
        started, pages = time.monotonic(), []
        for page in reader.pages:
            if time.monotonic() - started > PDF_SECONDS:
                raise ReadError(
                    f"Tệp PDF “{filename}” cần quá nhiều công sức để đọc (quá {PDF_SECONDS:.0f} giây); "
                    "hãy tải lên bản PDF xuất trực tiếp từ Word hoặc tệp .docx."
                )
            pages.append(page.extract_text() or "")
    except ReadError:
        raise
    except LimitReachedError:
        # pypdf stops inflating a stream past its limit (75 MB): a plan's text is never that large.
        raise ReadError(f"Tệp PDF “{filename}” có phần nén giải ra quá lớn; không xử lý.") from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise ReadError(f"Tệp “{filename}” không phải PDF hợp lệ hoặc đã hỏng.") from exc
    text = "\n".join(pages)
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS and pages:
        _refuse_inflated(reader, filename)
        raise ReadError(
            f"Tệp PDF “{filename}” chỉ có ảnh quét, không có lớp chữ. Hãy tải lên bản PDF xuất từ Word hoặc tệp .docx."
        )
    return text


def _content_size(reader, cap: int) -> int:
    """The pages' content streams' inflated size, measured before any text is extracted and
    never past `cap` (+1): pypdf bounds each stream on its own, so a small file of many streams
    that each inflate just under that bound would otherwise cost minutes."""
    total = 0
    for page in reader.pages:
        contents = page.get("/Contents")
        if contents is None:
            continue
        contents = contents.get_object()
        streams = contents if isinstance(contents, list) else [contents]
        for ref in streams:
            stream = ref.get_object()
            raw = getattr(stream, "_data", b"") or b""
            filters = stream.get("/Filter")
            names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters)] if filters else []
            if names[:1] == ["/FlateDecode"]:
                try:
                    total += len(zlib.decompressobj().decompress(raw, cap - total + 1))
                except zlib.error:
                    total += len(raw)  # broken: pypdf's own reading will say so
            else:
                total += len(raw)
            if total > cap:
                return total
    return total


def _refuse_inflated(reader, filename: str) -> None:
    """pypdf's text extraction swallows its own limit error and returns no text, which would read
    as a scan: ask the pages' contents directly, so an over-inflating stream is named as such."""
    from pypdf.errors import LimitReachedError

    for page in reader.pages:
        try:
            page.get_contents()
        except LimitReachedError:
            raise ReadError(f"Tệp PDF “{filename}” có phần nén giải ra quá lớn; không xử lý.") from None
        except Exception:  # noqa: S112 — any other fault: the caller's message (no text layer) stands
            continue


def read_upload(data: bytes, filename: str) -> SourceText:
    """The one entry point: bytes and the name they came with."""
    name = (filename or "tệp").strip()[-200:]
    if not data:
        raise ReadError(f"Tệp “{name}” rỗng.")
    if len(data) > MAX_BYTES:
        raise ReadError(f"Tệp “{name}” quá lớn ({len(data) // (1024 * 1024)} MB); tối đa 20 MB.")
    lower = name.lower()
    if lower.endswith(".docx") or (data[:2] == b"PK" and not lower.endswith((".txt", ".pdf"))):
        return _check_text(_docx_text(data, name), name)
    if lower.endswith(".pdf") or data[:5] == b"%PDF-":
        if data[:5] != b"%PDF-":
            raise ReadError(f"Tệp “{name}” mang đuôi .pdf nhưng không phải PDF.")
        return _check_text(_pdf_text(data, name), name)
    if lower.endswith((".doc", ".xls", ".xlsx", ".odt", ".rtf")):
        raise ReadError(f"Định dạng của “{name}” chưa được hỗ trợ; hãy lưu thành .docx, .pdf hoặc .txt.")
    return _check_text(_decode_text(data, name), name)
