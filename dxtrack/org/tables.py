"""The registry's tables as downloads (dxtrack.core.exports)."""

from dxtrack.core.exports import DATE, Column, Table


def unit_predecessors(unit, changes) -> Table:
    """The former units a unit was formed from, as its page lists them (selectors.unit_history)."""
    columns = [Column("Đơn vị cũ"), Column("Mã thống kê"), Column("Thuộc"), Column("Phạm vi"), Column("Ngày", DATE)]
    rows = [
        [c.old.name, c.old.code, c.old.parent.name if c.old.parent else "", c.get_share_display(), c.date]
        for c in changes
    ]
    return Table(f"Hình thành từ: {unit.name}", columns, rows)
