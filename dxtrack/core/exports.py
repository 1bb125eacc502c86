"""Every table a user sees, downloadable as Excel (.xlsx) and CSV with the page's numbers.

A view builds a `Table` from the same selector result it renders and hands it to
`export_response`, which answers `?xuat=xlsx|csv` before any HTML is rendered. The export goes
through the view itself, so it is scoped exactly as the page is (same decorators, same checks).

The two formats serve different readers:

- CSV is for machines: UTF-8 with a BOM (so Excel still reads the Vietnamese letters), comma
  separated, numbers with a dot as the decimal separator and no thousands separator, dates in ISO
  form (2025-07-01, 2025-07-01 08:30). It deliberately does not use the Vietnamese decimal comma:
  a CSV's numbers must be read back the same by every program, whatever its locale.
- XLSX is for people: numbers are real numeric cells and dates real date cells, shown with a
  number format (`#,##0.0`, `dd/mm/yyyy`). Excel writes format codes with "." and "," and shows
  them with the reader's own separators, so a Vietnamese Excel displays 1.750,3 — the value in the
  cell stays the exact figure, only its display is rounded to the page's decimals.

Percentages are kept in percentage points (55.0 for 55 %) in both files, as the page shows them;
the XLSX format adds a literal "%" without scaling, so CSV, XLSX and page hold the same number.

Text that a spreadsheet could take for a formula (starting with = + - @, a tab or a carriage
return) is neutralised: CSV prefixes it with an apostrophe (OWASP's advice); XLSX stores it as a
string cell marked "quote prefix", which Excel never evaluates and shows unchanged. Numbers are
never touched.
"""

import csv
import datetime
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from dxtrack.core.numbers import EXACT, format_number
from dxtrack.core.text import strip_diacritics, xml_safe

EXPORT_PARAM = "xuat"
TABLE_PARAM = "bang"
FORMATS = ("xlsx", "csv")
MAX_ROWS = 100_000  # one download; beyond this the reader is asked to filter first
# Above this many rows the file is made on the task queue (seconds of openpyxl, not a request's
# worth) and the page shows its progress; below it the download answers at once.
QUEUE_ROWS = 5_000
EXPORT_JOB = "core.export"

TEXT, NUMBER, PERCENT, YEAR, DATE, DATETIME = "text", "number", "percent", "year", "date", "datetime"
KINDS = (TEXT, NUMBER, PERCENT, YEAR, DATE, DATETIME)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """A column: its Vietnamese header, its kind, and (numbers) the decimals the page shows.
    A year is its own kind: a number shown without a thousands separator."""

    header: str
    kind: str = TEXT
    decimals: int | None = 0  # None: as many as the value has (a plan's 0,5 next to its 80)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass
class Table:
    """A table as a page shows it: plain values (str, int, float, Decimal, date, datetime, None).

    `rows` may be lazy (a generator over a queryset); then `total` gives its length, so the row
    cap is checked before anything is read."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence] = field(default_factory=list)
    total: int | None = None

    def size(self) -> int:
        if self.total is not None:
            return self.total
        if not isinstance(self.rows, Sequence):
            self.rows = list(self.rows)
        return len(self.rows)


# ---- cells ---------------------------------------------------------------------------------------


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _blank(value) -> bool:
    """No figure: None, or a NaN/infinity no spreadsheet can hold (an empty cell, as "—" on a page)."""
    return value is None or (isinstance(value, float | Decimal) and not math.isfinite(value))


def _local(value: datetime.datetime) -> datetime.datetime:
    """A naive local datetime: spreadsheets have no time zones, readers expect Vietnam's clock."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert for CSV."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def csv_cell(value) -> str:
    """One CSV cell: the in-app exports and the open-data files write every cell through this."""
    if _blank(value):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Shortest round-trip digits, never exponent notation (1e-05) that some readers refuse.
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        return _local(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(str(value))


def _display_length(value) -> int:
    if _blank(value):
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if _is_number(value):
        return len(format_number(value, decimals=EXACT)) + 1
    return max((len(line) for line in str(value).split("\n")), default=0)


def number_format(column: Column) -> str:
    if column.kind == DATE:
        return "dd/mm/yyyy"
    if column.kind == DATETIME:
        return "dd/mm/yyyy hh:mm"
    if column.kind == YEAR:
        return "0"  # 2025, never 2.025
    if column.kind in (NUMBER, PERCENT) and column.decimals is None:
        return 'General"%"' if column.kind == PERCENT else "General"
    if column.kind in (NUMBER, PERCENT):
        digits = f".{'0' * column.decimals}" if column.decimals > 0 else ""
        return f'#,##0{digits}"%"' if column.kind == PERCENT else f"#,##0{digits}"
    return "General"


def _whole_format(column: Column, value) -> str | None:
    """A figure that is whole at its column's precision is shown without decimals ("71", never
    "71,0"), as core.numbers shows it on the page; the cell keeps the exact number."""
    if column.kind not in (NUMBER, PERCENT) or not column.decimals or not _is_number(value):
        return None
    if round(Decimal(repr(value) if isinstance(value, float) else value), column.decimals) % 1:
        return None
    return '#,##0"%"' if column.kind == PERCENT else "#,##0"


def sheet_name(title: str) -> str:
    """A name Excel accepts: no []:*?/\\, at most 31 characters, no apostrophe at either end."""
    name = _SHEET_FORBIDDEN.sub(" ", title or "")
    name = re.sub(r"\s+", " ", name).strip().strip("'").strip()[:31].strip()
    return name or "Bảng"


# ---- renderers -----------------------------------------------------------------------------------


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(str(c.header)) for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    # Imported here: only downloads need openpyxl, not every page load.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    rows = table.rows if isinstance(table.rows, Sequence) else list(table.rows)
    columns = list(table.columns)
    # Write-only mode keeps memory flat up to the row cap; widths must be known before the rows.
    workbook = Workbook(write_only=True)
    workbook.properties.title = str(table.title)
    workbook.properties.creator = "dxtrack"
    sheet = workbook.create_sheet(sheet_name(str(table.title)))
    widths = [len(str(c.header)) for c in columns]
    for row in rows:
        for i, value in enumerate(row[: len(columns)]):
            widths[i] = max(widths[i], _display_length(value))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"

    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = _text_cell(WriteOnlyCell(sheet), str(column.header))
        cell.font = bold
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    formats = [number_format(c) for c in columns]
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            cell = WriteOnlyCell(sheet)
            if _blank(value):
                value = None
            elif _is_number(value):
                cell.value = value
            elif isinstance(value, datetime.datetime):
                cell.value = _local(value)
            elif isinstance(value, datetime.date):
                cell.value = value
            else:
                _text_cell(cell, str(value))
            if value is not None and i < len(formats) and not isinstance(value, str):
                cell.number_format = _whole_format(columns[i], value) or formats[i]
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_cell(cell, text: str):
    text = xml_safe(text)  # openpyxl refuses control characters with an exception
    cell.value = text
    # openpyxl turns a leading "=" into a formula; a text cell must stay text whatever it starts with.
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True
    return cell


# ---- the response --------------------------------------------------------------------------------


def filenames(basename: str, fmt: str, *, today: datetime.date | None = None) -> tuple[str, str]:
    """The file's name (may hold Vietnamese letters) and its ASCII fallback for old clients."""
    today = today or timezone.localdate()
    basename = basename.replace("/", " ")  # "Quý III/2025" keeps its parts apart
    unicode_name = slugify(basename, allow_unicode=True) or "bang"
    ascii_name = slugify(strip_diacritics(basename)) or "bang"
    suffix = f"-{today.isoformat()}.{fmt}"
    return unicode_name + suffix, ascii_name + suffix


def content_disposition(basename: str, fmt: str, *, today: datetime.date | None = None) -> str:
    """RFC 6266: `filename` in ASCII for every client, `filename*` in UTF-8 for those that read it."""
    unicode_name, ascii_name = filenames(basename, fmt, today=today)
    header = f'attachment; filename="{ascii_name}"'
    if unicode_name != ascii_name:
        header += f"; filename*=UTF-8''{quote(unicode_name, safe='')}"
    return header


def content_disposition_for(filename: str) -> str:
    """The header for a file name already made by `filenames` (a queued export's)."""
    stem, _, fmt = filename.rpartition(".")
    ascii_name = slugify(strip_diacritics(stem)) or "bang"
    header = f'attachment; filename="{ascii_name}.{fmt}"'
    if f"{ascii_name}.{fmt}" != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def queue_rows() -> int:
    from django.conf import settings

    return int(getattr(settings, "DXTRACK_EXPORT_QUEUE_ROWS", QUEUE_ROWS))


def _inline(request) -> bool:
    """The export is being made by its job (the view run again on the worker): answer the file."""
    return getattr(request, "dxtrack_export_inline", False)


def _queued(request, table: Table, fmt: str, basename: str):
    """Starts the job that makes the file and answers the page that shows its progress."""
    from . import jobs
    from .errors import DomainError

    unicode_name, _ascii = filenames(basename, fmt)
    label = f"Tệp {fmt.upper()} “{table.title}” ({format_number(table.size())} dòng)"
    try:
        job = jobs.job_start(
            actor=request.access,
            kind=EXPORT_JOB,
            label=label,
            subject=f"export:{request.path}"[:100],
            params={"path": request.path, "query": request.GET.urlencode(), "filename": unicode_name},
        )
    except DomainError as exc:
        return _refusal(request, exc.message)
    return render(
        request,
        "core/job.html",
        {"job": job, "waiting": jobs.waiting_text(EXPORT_JOB)},
        status=200 if job.finished else 202,
    )


def _refusal(request, text: str):
    return render(
        request,
        "core/error.html",
        {"title": "Không tải được bảng", "text": text, "status": 400},
        status=400,
    )


def file_response(table: Table, fmt: str, basename: str) -> HttpResponse:
    data = to_csv(table) if fmt == "csv" else to_xlsx(table)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(basename, fmt)
    # The file carries what the page shows to this user: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


TableSource = Table | Callable[[], Table]


def export_response(request, tables: TableSource | Mapping[str, TableSource], basename: str) -> HttpResponse | None:
    """The requested file when the query asks for one (`?xuat=xlsx|csv`), else None.

    `tables` is one table, or for a page with several a mapping from the `bang` value of each to
    its table; a table may be given as a function, so only the one asked for is built. Unknown
    formats or tables answer 400 with the reason in Vietnamese, as does a table above MAX_ROWS."""
    fmt = request.GET.get(EXPORT_PARAM)
    if fmt is None:
        return None
    if fmt not in FORMATS:
        return _refusal(request, "Định dạng tải về không hợp lệ. Chỉ tải được Excel (xuat=xlsx) hoặc CSV (xuat=csv).")
    if isinstance(tables, Mapping):
        key = request.GET.get(TABLE_PARAM, "")
        if key not in tables:
            return _refusal(request, "Không có bảng này trên trang để tải về.")
        source, basename = tables[key], f"{basename}-{key}"
    else:
        source = tables
    table = source() if callable(source) else source
    size = table.size()
    if size > MAX_ROWS:
        return _refusal(
            request,
            f"Bảng có {format_number(size)} dòng, vượt giới hạn {format_number(MAX_ROWS)} dòng của một lần tải. "
            "Hãy dùng bộ lọc để thu hẹp rồi tải lại.",
        )
    if size > queue_rows() and not _inline(request) and _may_queue(request):
        return _queued(request, table, fmt, basename)
    return file_response(table, fmt, basename)


def _may_queue(request) -> bool:
    """Only a signed-in person's export is queued (its file is kept for them alone); a public
    page's download is made at once, as before."""
    from . import jobs

    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and jobs.registered(EXPORT_JOB))
