"""Scanned plans: a PDF of page images read by Tesseract with Debian's Vietnamese data
(docs/adr/00XX-ocr-for-scanned-plans.md).

Each page is rendered by PDFium at 200 dpi and read by `tesseract -l vie` through pytesseract,
word by word with its confidence; the words make lines again by Tesseract's own block, paragraph
and line numbers. Each line keeps its page and its confidence (the mean of its words', and the
words under LOW_CONFIDENCE) in `origins`, so the review page can flag what the reviewer must check
against the scan. Two pages are read at a time (the machine's two cores), each Tesseract on one thread.
"""

import os
import re
import shutil
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor

from .model import SourceText
from .readers import MAX_PDF_PAGES, MIN_LETTERS, ReadError, _check_text

DPI = 200
LOW_CONFIDENCE = 60.0  # Tesseract's word confidence (0–100) under which a line is flagged
OCR_SECONDS = 600.0  # the budget of one scan: 10 pages take well under a minute
WORKERS = 2
# Letters only Vietnamese text has: a scan whose text has none of them is not a Vietnamese plan.
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def available() -> bool:
    """Tesseract is installed with its Vietnamese data (make ocr)."""
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract

        return "vie" in pytesseract.get_languages(config="")
    except Exception:  # any fault of the binary means: not available
        return False


def _page_lines(image, page: int) -> list[tuple[str, dict]]:
    import pytesseract

    data = pytesseract.image_to_data(image, lang="vie", config="--psm 4", output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int, int], list[tuple[str, float]]] = {}
    for k, word in enumerate(data["text"]):
        word = (word or "").strip()
        if not word:
            continue
        key = (data["block_num"][k], data["par_num"][k], data["line_num"][k])
        lines.setdefault(key, []).append((word, float(data["conf"][k])))
    out = []
    for words in lines.values():
        text = unicodedata.normalize("NFC", " ".join(w for w, _c in words))
        confidence = sum(c for _w, c in words) / len(words)
        low = [w for w, c in words if c < LOW_CONFIDENCE]
        out.append((text, {"page": page, "confidence": round(confidence, 1), "low": low[:20]}))
    return out


def read_scan(data: bytes, filename: str, *, dpi: int = DPI, seconds: float = OCR_SECONDS) -> SourceText:
    """The scan's text, or ReadError with the reason in Vietnamese."""
    import pypdfium2 as pdfium

    if not available():
        raise ReadError(
            f"Tệp PDF “{filename}” là bản quét nhưng máy chủ chưa cài Tesseract tiếng Việt (make ocr). "
            "Hãy tải lên bản PDF xuất từ Word hoặc tệp .docx."
        )
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread per Tesseract; two pages at a time
    try:
        document = pdfium.PdfDocument(data)
    except Exception as exc:  # PDFium's own error types
        raise ReadError(f"Tệp “{filename}” không phải PDF hợp lệ hoặc đã hỏng.") from exc
    started = time.monotonic()
    try:
        if len(document) > MAX_PDF_PAGES:
            raise ReadError(f"Tệp PDF “{filename}” có {len(document)} trang; tối đa {MAX_PDF_PAGES} trang.")
        images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(document))]
    finally:
        document.close()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        pages = list(pool.map(_page_lines, images, range(1, len(images) + 1)))
    if time.monotonic() - started > seconds:
        raise ReadError(f"Đọc bản quét “{filename}” quá {seconds:.0f} giây; hãy tải lên bản PDF có lớp chữ.")
    lines: list[str] = []
    origins: dict[int, dict] = {}
    for page in pages:
        for text, origin in page:
            lines.append(text)
            origins[len(lines)] = origin
        lines.append("")
    text = "\n".join(lines)
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS or len(_VIETNAMESE.findall(text)) < 20:
        raise ReadError(
            f"Không đọc được chữ tiếng Việt trong bản quét “{filename}”: các trang chỉ có hình ảnh hoặc chữ quá mờ. "
            "Hãy quét lại rõ hơn (300 dpi) hoặc tải lên bản PDF xuất từ Word; chưa có gì được nhập."
        )
    source = _check_text(text, filename, origins)
    source.ocr = True
    return source


def low_confidence_lines(source: SourceText) -> list[int]:
    """The line numbers whose OCR confidence is low: the review page flags them."""
    return sorted(n for n, o in source.origins.items() if o.get("confidence", 100.0) < LOW_CONFIDENCE or o.get("low"))
