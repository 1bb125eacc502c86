"""The reporting pages' tables as downloads (dxtrack.core.exports), built from the rows the
pages render: the status rows of views._status, the selectors' CompletenessRow and LateRow."""

from collections.abc import Iterable

from dxtrack.core.exports import DATE, DATETIME, NUMBER, PERCENT, Column, Table
from dxtrack.obligations.calendar import DATA_PERIOD
from dxtrack.reports.selectors import CompletenessRow, LateRow


def _body(obligation) -> str:
    return obligation.agency.name if obligation.agency else obligation.admin_unit.name


def _yes(flag: bool) -> str:
    return "Có" if flag else ""


def obligations(title: str, rows: Iterable[dict], *, total: int | None = None) -> Table:
    """A unit's (or, province-wide, every unit's) obligations: `rows` are views._status dicts."""
    columns = [
        Column("Kỳ báo cáo"),
        Column(f"{DATA_PERIOD} từ ngày", DATE),
        Column(f"{DATA_PERIOD} đến ngày", DATE),
        Column("Đơn vị"),
        Column("Kế hoạch"),
        Column("Loại kỳ"),
        Column("Hạn gửi", DATE),
        Column("Trạng thái"),
        Column("Số ngày quá hạn", NUMBER),
        Column("Gửi muộn"),
        Column("Gửi lần đầu lúc", DATETIME),
    ]

    def row(s: dict) -> list:
        o, report = s["obligation"], s["report"]
        return [
            o.period.label,
            o.window_from,
            o.window_to,
            _body(o),
            o.rule.document.reference,
            o.rule.get_period_type_display(),
            o.due,
            str(s["status_label"]),
            s["late_days"],
            _yes(s["sent_late"]),
            report.first_submitted_at if report else None,
        ]

    return Table(title, columns, (row(s) for s in rows), total=total)


def completeness(rows: list[CompletenessRow]) -> Table:
    columns = [
        Column("Kỳ báo cáo"),
        Column("Biểu báo cáo"),
        Column("Phải báo cáo", NUMBER),
        Column("Đã báo cáo", NUMBER),
        Column("Đúng hạn", NUMBER),
        Column("Tỷ lệ báo cáo (%)", PERCENT, decimals=None),
        Column("Tỷ lệ đúng hạn (%)", PERCENT, decimals=None),
    ]
    return Table(
        "Tổng hợp tình hình báo cáo",
        columns,
        [
            [
                r.period.label,
                r.rule_label,
                r.rates.expected,
                r.rates.reported,
                r.rates.on_time,
                r.rates.reporting_rate,
                r.rates.on_time_rate,
            ]
            for r in rows
        ],
    )


def late(title: str, rows: list[LateRow]) -> Table:
    columns = [Column("Đơn vị"), Column("Hạn gửi", DATE), Column("Tình trạng"), Column("Số ngày chậm", NUMBER)]
    return Table(
        title,
        columns,
        [[_body(r.obligation), r.obligation.due, r.status_label, r.days_late] for r in rows],
    )


def period_units(title: str, rows: list[dict]) -> Table:
    """One period's units and their reports: `rows` are views._status dicts."""
    columns = [
        Column("Đơn vị"),
        Column("Kế hoạch"),
        Column("Hạn gửi", DATE),
        Column("Trạng thái"),
        Column("Số ngày quá hạn", NUMBER),
        Column("Gửi muộn"),
        Column("Gửi lúc", DATETIME),
    ]
    return Table(
        title,
        columns,
        [
            [
                _body(s["obligation"]),
                s["obligation"].rule.document.reference,
                s["obligation"].due,
                str(s["status_label"]),
                s["late_days"],
                _yes(s["sent_late"]),
                s["report"].first_submitted_at if s["report"] else None,
            ]
            for s in rows
        ],
    )


def queue(rows: list[dict]) -> Table:
    """The reports waiting for approval: `rows` are views._status dicts."""
    columns = [
        Column("Đơn vị"),
        Column("Kỳ báo cáo"),
        Column("Kế hoạch"),
        Column("Hạn gửi", DATE),
        Column("Gửi muộn"),
        Column("Gửi lúc", DATETIME),
        Column("Người gửi"),
    ]
    return Table(
        "Báo cáo chờ duyệt",
        columns,
        [
            [
                _body(s["obligation"]),
                s["obligation"].period.label,
                s["obligation"].rule.document.reference,
                s["obligation"].due,
                _yes(s["sent_late"]),
                s["report"].submitted_at,
                str(s["report"].submitted_by) if s["report"].submitted_by else "",
            ]
            for s in rows
        ],
    )
