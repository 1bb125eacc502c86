"""Turning an uploaded file into SourceText, or a clear Vietnamese message saying why not.

Plain text (UTF-8, with or without BOM, or UTF-16), DOCX (paragraphs and tables, tables as
tab-separated lines, merged cells once), XLSX appendices (each sheet's rows) and text-based PDF
(its ruled tables as rows, pdf.py). A PDF with no text layer raises NeedsOcr (ocr.py reads it).
Binaries, legacy Vietnamese encodings (TCVN3, VNI) and oversized files are refused before any parsing.
"""

import io
import re
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


class NeedsOcr(ReadError):
    """A PDF of page images with no text layer: it is read by OCR in the background (ocr.py)."""


# Letters that Vietnamese Unicode text never contains but TCVN3 (.VnTime) or VNI text read as
# Windows-1252 is full of.
_LEGACY_MARKS = set("¸µ¶·¹¨©ª«®¬¯°±²³´½¾ÆÇÈËÌÎÏÐÑÖ×ØÛÜÞßåæçëîïðñöøûüþÿ")


def _looks_legacy(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha() or ch in _LEGACY_MARKS]
    if not letters:
        return False
    odd = sum(1 for ch in letters if ch in _LEGACY_MARKS)
    return odd / len(letters) > 0.01


def _check_text(text: str, filename: str, origins: dict[int, dict] | None = None) -> SourceText:
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
    return SourceText(text=text, filename=filename, origins=origins or {})


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
    origins: dict[int, dict] = {}
    tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            tables += 1
            columns = len(block.columns)
            if columns > MAX_COLUMNS:
                raise ReadError(
                    f"Bảng thứ {tables} của tệp “{filename}” có {columns} cột; một bảng kế hoạch không quá "
                    f"{MAX_COLUMNS} cột. Hãy kiểm tra lại tệp (có thể bảng bị tách sai khi chuyển định dạng)."
                )
            for r, line in enumerate(_table_lines(block), start=1):
                out.append(line)
                origins[len(out)] = {"table": tables, "row": r}
    return "\n".join(out), origins


MAX_COLUMNS = 60  # a plan's widest table (years × indicators) has about 15 columns


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


def _pdf_text(data: bytes, filename: str) -> tuple[str, dict[int, dict]]:
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
        # The text and tables are read by PDFium (pdf.py), the clock checked between pages.
        text, origins = _pdf_tables(data, filename)
        if sum(ch.isalpha() for ch in text) >= MIN_LETTERS:
            return text, origins
        pages = list(reader.pages)
    except ReadError:
        raise
    except LimitReachedError:
        # pypdf stops inflating a stream past its limit (75 MB): a plan's text is never that large.
        raise ReadError(f"Tệp PDF “{filename}” có phần nén giải ra quá lớn; không xử lý.") from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise ReadError(f"Tệp “{filename}” không phải PDF hợp lệ hoặc đã hỏng.") from exc
    if pages:
        _refuse_inflated(reader, filename)
        raise NeedsOcr(
            f"Tệp PDF “{filename}” chỉ có ảnh quét, không có lớp chữ. Hãy tải lên bản PDF xuất từ Word hoặc tệp .docx."
        )
    return text, {}


def _pdf_tables(data: bytes, filename: str) -> tuple[str, dict[int, dict]]:
    """The text layer again, with its ruled tables as rows (pdf.py); pypdf above checked the file."""
    from .pdf import PdfProblem, read_pdf

    try:
        read = read_pdf(data, seconds=PDF_SECONDS)
    except PdfProblem as exc:
        if exc.message.startswith("quá"):
            raise ReadError(
                f"Tệp PDF “{filename}” cần quá nhiều công sức để đọc ({exc.message}); "
                "hãy tải lên bản PDF xuất trực tiếp từ Word hoặc tệp .docx."
            ) from None
        raise ReadError(f"Tệp PDF “{filename}”: {exc.message}") from None
    except Exception as exc:  # PDFium raises its own types for malformed files
        raise ReadError(f"Tệp “{filename}” không phải PDF hợp lệ hoặc đã hỏng.") from exc
    return "\n".join(read.lines), read.origins


MAX_XLSX_CELLS = 200_000


def _xlsx_text(data: bytes, filename: str) -> tuple[str, dict[int, dict]]:
    """Each sheet as its title line then its rows, tab-separated (merged cells once). A formula
    is refused: the file keeps no value the plan states, only a way to compute one."""
    import openpyxl

    try:
        files.check_zip(data, ".xlsx", max_unpacked=MAX_DOCX_UNPACKED, max_main_part=MAX_DOCX_BODY)
    except files.TooLarge as exc:
        raise ReadError(f"Tệp “{filename}”: {exc.message}") from None
    except InvalidData:
        pass
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except Exception as exc:  # openpyxl raises many types for a broken package
        raise ReadError(f"Tệp “{filename}” không phải tệp Excel (.xlsx) hợp lệ hoặc đã hỏng.") from exc
    out: list[str] = []
    origins: dict[int, dict] = {}
    for sheet in book.worksheets:
        if sheet.max_row * sheet.max_column > MAX_XLSX_CELLS or sheet.max_column > MAX_COLUMNS:
            raise ReadError(
                f"Trang tính “{sheet.title}” của tệp “{filename}” có {sheet.max_column} cột, {sheet.max_row} hàng; "
                f"một phụ lục kế hoạch không quá {MAX_COLUMNS} cột."
            )
        out += [sheet.title, ""]
        for row in sheet.iter_rows():
            cells = [c for c in row if c.value is not None and str(c.value).strip()]
            if not cells:
                continue
            if formula := next((c for c in cells if c.data_type == "f"), None):
                raise ReadError(
                    f"Ô {formula.coordinate} của trang tính “{sheet.title}” (tệp “{filename}”) là công thức "
                    f"({str(formula.value)[:40]}). Hãy sao chép rồi dán giá trị (Paste Values) cho các ô công thức "
                    "và tải lên lại; chưa có gì được nhập."
                )
            texts = [_cell_text(c.value) for c in cells]
            out.append("\t".join(texts) if len(texts) > 1 else f"{texts[0]}\t")
            origins[len(out)] = {"sheet": sheet.title, "row": cells[0].row, "cells": [c.coordinate for c in cells]}
        out.append("")
    return "\n".join(out), origins


def _cell_text(value) -> str:
    """A cell as the plan writes it: numbers with the Vietnamese decimal comma (12,5), no ".0"."""
    if isinstance(value, float):
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return re.sub(r"\s*\n\s*", " ", str(value)).strip()


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
    if lower.endswith(".xlsx"):
        text, origins = _xlsx_text(data, name)
        return _check_text(text, name, origins)
    if lower.endswith(".docx") or (data[:2] == b"PK" and not lower.endswith((".txt", ".pdf"))):
        text, origins = _docx_text(data, name)
        return _check_text(text, name, origins)
    if lower.endswith(".pdf") or data[:5] == b"%PDF-":
        if data[:5] != b"%PDF-":
            raise ReadError(f"Tệp “{name}” mang đuôi .pdf nhưng không phải PDF.")
        text, origins = _pdf_text(data, name)
        return _check_text(text, name, origins)
    if lower.endswith((".doc", ".xls", ".odt", ".rtf")):
        raise ReadError(f"Định dạng của “{name}” chưa được hỗ trợ; hãy lưu thành .docx, .pdf hoặc .txt.")
    return _check_text(_decode_text(data, name), name)
