"""A text-based PDF as lines, its ruled tables as tab-separated rows (docs/adr/00XX-pdf-tables.md).

PDFium (pypdfium2) gives each page's text runs and drawn paths quickly; the tables are found
here from their ruling: the thin paths (and the sides of stroked rectangles) that touch one
another make a grid, its horizontal rules cut rows, and a vertical rule present across a row
cuts that row's cells — so a cell merged across columns is one cell, as in a DOCX. A table's
rows come out like a DOCX table's ("a\\tb\\tc", a row merged across the table as "text\\t"), the
runs of text outside tables as lines, top to bottom. Each row keeps its page, table, row and cell
boxes in `origins`, so the review page can point at the source cell. Page numbers alone on a
line at the top or bottom of a page are dropped: they would cut a table running over a page.
"""

import re
import time
from dataclasses import dataclass, field
from itertools import pairwise

MAX_COLUMNS = 60  # a plan's widest table (years × indicators) has about 15; 200 is not a plan
THIN = 2.0  # points: a path this thin is a rule
SNAP = 2.0  # points: rules this close are one
INSET = 3.0  # points kept clear above a cell's lower rule


class PdfProblem(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class PdfText:
    lines: list[str] = field(default_factory=list)
    origins: dict[int, dict] = field(default_factory=dict)  # by 1-based line number
    pages: int = 0


@dataclass
class _Grid:
    left: float
    bottom: float
    right: float
    top: float
    hs: list[tuple[float, float, float]] = field(default_factory=list)  # y, x0, x1
    vs: list[tuple[float, float, float]] = field(default_factory=list)  # x, y0, y1

    def holds(self, x: float, y: float) -> bool:
        return self.left - 1 <= x <= self.right + 1 and self.bottom - 1 <= y <= self.top + 1


def _segments(page) -> tuple[list, list]:
    import pypdfium2.raw as pdfium_c

    hs, vs = [], []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        if h <= THIN and w > THIN:
            hs.append(((top + bottom) / 2, left, right))
        elif w <= THIN and h > THIN:
            vs.append(((left + right) / 2, bottom, top))
        elif w > THIN and h > THIN:  # a stroked rectangle: its four sides
            hs += [(bottom, left, right), (top, left, right)]
            vs += [(left, bottom, top), (right, bottom, top)]
    return hs, vs


def _grids(hs: list, vs: list) -> list[_Grid]:
    """Connected rules, as grids: a horizontal and a vertical rule that cross belong together."""
    parent = list(range(len(hs) + len(vs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, y0, y1) in enumerate(vs):
            if x0 - SNAP <= x <= x1 + SNAP and y0 - SNAP <= y <= y1 + SNAP:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, _Grid] = {}
    for i, seg in enumerate(hs):
        grid = groups.setdefault(find(i), _Grid(seg[1], seg[0], seg[2], seg[0]))
        grid.hs.append(seg)
    for j, seg in enumerate(vs):
        root = find(len(hs) + j)
        if root not in groups:
            continue  # a lone vertical rule
        groups[root].vs.append(seg)
    out = []
    for grid in groups.values():
        grid.left = min(min(s[1] for s in grid.hs), min((s[0] for s in grid.vs), default=grid.left))
        grid.right = max(max(s[2] for s in grid.hs), max((s[0] for s in grid.vs), default=grid.right))
        grid.bottom = min(s[0] for s in grid.hs)
        grid.top = max(s[0] for s in grid.hs)
        if len(_snap([s[0] for s in grid.hs])) >= 2 and len(_snap([s[0] for s in grid.vs])) >= 2:
            out.append(grid)
    return sorted(out, key=lambda g: -g.top)


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\ufffe", "").replace("\x02", "")).strip()


def _grid_rows(grid: _Grid, textpage, page_height: float):
    """(top, cells, boxes) of each row band of the grid, top to bottom; merged cells once."""
    ys = _snap([s[0] for s in grid.hs])[::-1]  # top first
    xs = _snap([s[0] for s in grid.vs])
    for upper, lower in pairwise(ys):
        middle = (upper + lower) / 2
        cuts = [x for x in xs if any(abs(v[0] - x) <= SNAP and v[1] - SNAP <= middle <= v[2] + SNAP for v in grid.vs)]
        if len(cuts) < 2:
            continue
        if len(cuts) - 1 > MAX_COLUMNS:
            raise PdfProblem(f"một bảng có {len(cuts) - 1} cột; một bảng kế hoạch không quá {MAX_COLUMNS} cột")
        cells, boxes = [], []
        for x0, x1 in pairwise(cuts):
            # Inset: the stacked marks of a capital below (Ầ, Ố) reach over the rule into this cell.
            cells.append(_clean(textpage.get_text_bounded(x0 + 0.5, lower + INSET, x1 - 0.5, upper - 0.5)))
            boxes.append([round(x0, 1), round(page_height - upper, 1), round(x1, 1), round(page_height - lower, 1)])
        yield page_height - upper, cells, boxes


def _text_lines(textpage, grids: list[_Grid], page_height: float) -> list[tuple[float, str]]:
    """The page's text runs outside the grids, as lines (runs on one baseline joined)."""
    runs = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        if any(g.holds((left + right) / 2, (top + bottom) / 2) for g in grids):
            continue
        runs.append((bottom, left, right, top))
    runs.sort(key=lambda r: (-r[0], r[1]))
    lines: list[list] = []
    for run in runs:
        if lines and abs(lines[-1][0][0] - run[0]) <= 2.5:
            lines[-1].append(run)
        else:
            lines.append([run])
    out = []
    for line in lines:
        line.sort(key=lambda r: r[1])
        text = " ".join(_clean(textpage.get_text_bounded(r[1], r[0], r[2], r[3])) for r in line)
        top = page_height - max(r[3] for r in line)
        out.append((top, _clean(text)))
    return out


_PAGE_NUMBER = re.compile(r"^(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?$", re.I)


def _page_lines(page, number: int) -> list[tuple[str, dict | None]]:
    height = page.get_height()
    textpage = page.get_textpage()
    hs, vs = _segments(page)
    grids = _grids(hs, vs)
    blocks: list[tuple[float, int, str, dict | None]] = []
    for k, grid in enumerate(grids, start=1):
        for r, (top, cells, boxes) in enumerate(_grid_rows(grid, textpage, height), start=1):
            if not any(cells):
                continue
            kept = [(c, b) for c, b in zip(cells, boxes, strict=True)]
            line = "\t".join(c for c, _b in kept) if len(kept) > 1 else f"{kept[0][0]}\t"
            origin = {"page": number, "table": k, "row": r, "cells": [b for _c, b in kept]}
            blocks.append((top, 0, line, origin))
    for top, text in _text_lines(textpage, grids, height):
        margin = top < 0.08 * height or top > 0.92 * height
        if text and not (margin and _PAGE_NUMBER.match(text)):
            blocks.append((top, 1, text, None))
    blocks.sort(key=lambda b: (b[0], b[1]))
    return [(line, origin) for _t, _k, line, origin in blocks]


def read_pdf(data: bytes, *, seconds: float) -> PdfText:
    """Every page's lines, or PdfProblem. The clock is checked between pages."""
    import pypdfium2 as pdfium

    out = PdfText()
    started = time.monotonic()
    document = pdfium.PdfDocument(data)
    try:
        out.pages = len(document)
        for number in range(1, out.pages + 1):
            if time.monotonic() - started > seconds:
                raise PdfProblem(f"quá {seconds:.0f} giây")
            page = document[number - 1]
            try:
                lines = _page_lines(page, number)
            except PdfProblem as exc:
                raise PdfProblem(f"trang {number}: {exc.message}") from None
            for line, origin in lines:
                out.lines.append(line)
                if origin is not None:
                    out.origins[len(out.lines)] = origin
            out.lines.append("")  # a page break is a blank line: a cell does not run on over it
    finally:
        document.close()
    return out
