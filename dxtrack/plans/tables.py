"""The register's tables as downloads (dxtrack.core.exports): built from the querysets and lists
the register pages render, so a file holds the rows and figures the page shows."""

from collections.abc import Iterable

from django.db.models import QuerySet

from dxtrack.core.exports import DATE, NUMBER, YEAR, Column, Table
from dxtrack.core.templatetags.vn import target_value

from .models import Target, Task

TARGET_COLUMNS = [
    Column("Chỉ tiêu"),
    Column("Mục tiêu"),
    Column("Giá trị", NUMBER, decimals=None),
    Column("Giá trị trên (khoảng)", NUMBER, decimals=None),
    Column("Đơn vị tính"),
    Column("Năm", YEAR),
    Column("Trụ cột"),
    Column("Lĩnh vực"),
    Column("Văn bản"),
    Column("Điều khoản"),
    Column("Chỉ tiêu theo dõi"),
]
TASK_COLUMNS = [
    Column("Nhiệm vụ"),
    Column("Sản phẩm"),
    Column("Chủ trì"),
    Column("Phối hợp"),
    Column("Thời hạn (như văn bản ghi)"),
    Column("Thời hạn", DATE),
    Column("Trụ cột"),
    Column("Lĩnh vực"),
    Column("Văn bản"),
    Column("Điều khoản"),
]


def _total(rows) -> int:
    # A queryset is counted in the database, so the row cap is checked before any row is read.
    return rows.count() if isinstance(rows, QuerySet) else len(rows)


def _target_row(t: Target) -> list:
    return [
        t.label,
        target_value(t),
        t.value,
        t.value_max,
        t.unit,
        t.year,
        t.get_pillar_display() if t.pillar else "",
        t.sector,
        t.document.reference,
        t.clause.path if t.clause else "",
        t.indicator.name if t.indicator else "",
    ]


def targets(title: str, rows: Iterable[Target]) -> Table:
    return Table(title, TARGET_COLUMNS, (_target_row(t) for t in rows), total=_total(rows))


def _party(p) -> str:
    """A party as the page names it (plans/_party.html)."""
    if p.agency:
        return p.agency.short_name
    if p.group:
        return p.group.name
    if p.admin_unit:
        return p.admin_unit.name
    return p.text


def _task_row(t: Task) -> list:
    parties = list(t.parties.all())
    return [
        t.title,
        t.output,
        "; ".join(_party(p) for p in parties if p.role == "lead"),
        "; ".join(_party(p) for p in parties if p.role == "coordinating"),
        t.deadline_text,
        t.deadline,
        t.get_pillar_display() if t.pillar else "",
        t.sector,
        t.document.reference,
        t.clause.path if t.clause else "",
    ]


def tasks(title: str, rows: Iterable[Task]) -> Table:
    return Table(title, TASK_COLUMNS, (_task_row(t) for t in rows), total=_total(rows))
