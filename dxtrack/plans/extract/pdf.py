"""A text-based PDF as lines, its ruled tables as tab-separated rows (docs/adr/00XX-pdf-tables.md).

pdfplumber finds each page's tables by their ruling lines; a table's rows come out like a DOCX
table's (a merged cell once, a row merged across the table as "text\\t"), the words outside the
tables as plain lines in reading order, top to bottom. Each row keeps its page, table, row and
cell boxes in `origins`, so the review page can point at the source cell.
"""

import io
import re
import time
from dataclasses import dataclass, field

MAX_COLUMNS = 60  # a plan's widest table (years × indicators) has about 15; 200 is not a plan


class PdfProblem(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class PdfText:
    lines: list[str] = field(default_factory=list)
    origins: dict[int, dict] = field(default_factory=dict)  # by 1-based line number
    pages: int = 0


def _row_line(cells: list[str | None]) -> tuple[str, list[int]]:
    """A table row as one line: merged cells (None) kept once; the columns each cell stands in."""
    kept = [(k, re.sub(r"\s*\n\s*", " ", c).strip()) for k, c in enumerate(cells) if c is not None]
    texts = [t for _k, t in kept]
    columns = [k for k, _t in kept]
    if len(texts) > 1:
        return "\t".join(texts), columns
    return f"{texts[0] if texts else ''}\t", columns


def _page_blocks(page, page_number: int) -> list[tuple[float, str, dict | None]]:
    """(top, line, origin) of one page: its tables' rows and the text lines outside them."""
    tables = page.find_tables()
    blocks: list[tuple[float, str, dict | None]] = []
    outside = page
    for k, table in enumerate(tables, start=1):
        outside = outside.outside_bbox(table.bbox)
        rows = table.extract()
        for r, (row, cells) in enumerate(zip(table.rows, rows, strict=False), start=1):
            if len(cells) > MAX_COLUMNS:
                raise PdfProblem(
                    f"Bảng {k} ở trang {page_number} có {len(cells)} cột; một bảng kế hoạch không quá "
                    f"{MAX_COLUMNS} cột. Hãy kiểm tra lại tệp."
                )
            if not any((c or "").strip() for c in cells):
                continue
            line, columns = _row_line(cells)
            boxes = [[round(v, 1) for v in row.cells[c]] if row.cells[c] else None for c in columns]
            origin = {"page": page_number, "table": k, "row": r, "columns": columns, "cells": boxes}
            blocks.append((row.bbox[1], line, origin))
    for text_line in outside.extract_text_lines(return_chars=False):
        blocks.append((text_line["top"], text_line["text"], None))
    blocks.sort(key=lambda b: b[0])
    return blocks


def read_pdf(data: bytes, *, seconds: float) -> PdfText:
    """Every page's lines, or PdfProblem. The clock is checked between pages."""
    import pdfplumber

    out = PdfText()
    started = time.monotonic()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        out.pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            if time.monotonic() - started > seconds:
                raise PdfProblem(f"quá {seconds:.0f} giây")
            for _top, line, origin in _page_blocks(page, number):
                out.lines.append(line)
                if origin is not None:
                    out.origins[len(out.lines)] = origin
            out.lines.append("")  # a page break is a blank line: a cell does not run on over it
            page.close()
    return out
