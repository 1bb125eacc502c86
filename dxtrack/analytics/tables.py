"""The dashboards' tables as downloads (dxtrack.core.exports), built from the selectors' results
the pages render (Summary, TargetRow, Ranking, LateList, TargetPage, BodyPage): a file holds the
figures the page shows, unrounded (the XLSX shows them with the page's decimals)."""

from dxtrack.core.exports import DATE, NUMBER, PERCENT, YEAR, Column, Table
from dxtrack.core.templatetags.vn import target_value

from . import progress as p
from .selectors import BodyPage, LateList, Ranking, Summary, TargetPage, TargetRow


def pillars(summary: Summary) -> Table:
    """The status-per-pillar table under the stacked chart."""
    columns = [
        Column("Trụ cột"),
        *(Column(c.label, NUMBER) for c in summary.cards),
        Column("Tổng", NUMBER),
        Column("Đánh giá"),
        Column("Điểm", NUMBER, decimals=2),
    ]
    rows = [[r.label, *r.counts, r.total, r.status_label, r.score] for r in summary.pillars]
    return Table("Số chỉ tiêu theo tình trạng, theo trụ cột", columns, rows)


def targets(title: str, rows: list[TargetRow], *, projected: bool = False) -> Table:
    """A list of targets with their stored progress (at risk, the public list, an agency's)."""
    columns = [
        Column("Chỉ tiêu"),
        Column("Văn bản"),
        Column("Điều khoản"),
        Column("Mục tiêu"),
        Column("Năm mục tiêu", YEAR),
        Column("Giá trị mới nhất", NUMBER, decimals=1),
        Column("Năm của giá trị mới nhất", YEAR),
        Column("Đơn vị tính"),
        *([Column("Dự báo năm mục tiêu", NUMBER, decimals=1)] if projected else []),
        Column("Tình trạng"),
    ]

    def row(r: TargetRow) -> list:
        t, tp = r.target, r.progress
        latest = tp.latest_value is not None
        return [
            t.label,
            t.document.reference,
            t.clause.path if t.clause else "",
            target_value(t),
            t.year,
            tp.latest_value if latest else None,
            tp.latest_year if latest else None,
            t.indicator.unit if t.indicator else t.unit,
            *([r.projected] if projected else []),
            r.status_label,
        ]

    return Table(title, columns, [row(r) for r in rows])


def late(rows: LateList) -> Table:
    columns = [
        Column("Đơn vị"),
        Column("Kỳ"),
        Column("Kế hoạch"),
        Column("Hạn gửi", DATE),
        Column("Tình trạng"),
        Column("Số ngày chậm", NUMBER),
    ]

    def row(item) -> list:
        o = item.obligation
        body = o.agency.name if o.agency else o.admin_unit.name
        return [body, o.period.label, o.rule.document.reference, o.due, str(item.label), item.days_late]

    return Table("Báo cáo chậm", columns, [row(item) for item in rows.rows])


def ranking(title: str, ranking: Ranking) -> Table:
    """The ranked places the page lists: the top, then the bottom."""
    columns = [
        Column("Hạng", NUMBER),
        Column("Tên"),
        Column("Đánh giá"),
        Column("Điểm", NUMBER, decimals=2),
        Column("Lý do"),
    ]
    rows = [
        [c.rank, c.label, c.status_label, c.score, "; ".join(c.reasons or [])] for c in [*ranking.top, *ranking.bottom]
    ]
    return Table(title, columns, rows)


# ---- one target ----------------------------------------------------------------------------------


def observations(page: TargetPage) -> Table:
    """The yearly figures under the chart, and the projection row the page adds."""
    columns = [
        Column("Năm", YEAR),
        Column("Giá trị", NUMBER, decimals=1),
        Column("Nguồn"),
        Column("Số đơn vị", NUMBER),
        Column("Kỳ báo cáo"),
    ]
    rows = [[o["year"], o["value"], o["source_label"], o.get("units"), o.get("period", "")] for o in page.observations]
    if page.projected is not None:
        rows.append([page.target.year, page.projected, "Dự báo (theo tốc độ tăng bình quân đã đạt)", None, ""])
    return Table(f"Số liệu theo năm: {page.target.label}", columns, rows)


def milestones(page: TargetPage) -> Table:
    columns = [
        Column("Năm", YEAR),
        Column("Mục tiêu"),
        Column("Giá trị", NUMBER, decimals=None),
        Column("Tình trạng"),
        Column("Mốc đã qua"),
    ]
    rows = [
        [m["year"], target_value(m["target"]), m["value"], m["status_label"] if m["status"] else "", _yes(m["passed"])]
        for m in page.milestones
    ]
    return Table(f"Các mốc kế hoạch: {page.target.label}", columns, rows)


def points(page: TargetPage) -> Table:
    columns = [
        Column("Đơn vị"),
        Column("Giá trị", NUMBER, decimals=1),
        Column("Tử số", NUMBER, decimals=None),
        Column("Mẫu số", NUMBER, decimals=None),
    ]
    rows = [
        [v.admin_unit.name if v.admin_unit else v.agency.name, v.value, v.numerator, v.denominator] for v in page.points
    ]
    return Table(f"Các giá trị đã duyệt năm {page.year}: {page.target.label}", columns, rows)


# ---- an agency, a commune ------------------------------------------------------------------------


def status_counts(name: str, page: BodyPage) -> Table:
    rows = [[c.label, c.count] for c in page.cards]
    return Table(f"Chỉ tiêu theo tình trạng: {name}", [Column("Tình trạng"), Column("Số chỉ tiêu", NUMBER)], rows)


def task_counts(name: str, page: BodyPage) -> Table:
    rows = [[label, n] for _key, label, n in page.task_counts]
    return Table(f"Nhiệm vụ theo tình trạng: {name}", [Column("Tình trạng"), Column("Số nhiệm vụ", NUMBER)], rows)


def agency_tasks(name: str, page: BodyPage) -> Table:
    columns = [
        Column("Nhiệm vụ"),
        Column("Văn bản"),
        Column("Điều khoản"),
        Column("Thời hạn", DATE),
        Column("Thời hạn (như văn bản ghi)"),
        Column("Tình trạng"),
        Column("Tỷ lệ hoàn thành (%)", PERCENT),
        Column("Cập nhật gần nhất"),
    ]
    rows = [
        [
            r.task.title,
            r.task.document.reference,
            r.task.clause.path if r.task.clause else "",
            r.task.deadline,
            r.task.deadline_text,
            r.label,
            # The page shows the reported percentage only while the task is in progress.
            r.percent if r.state == p.IN_PROGRESS else None,
            r.period,
        ]
        for r in page.extra["tasks"]
    ]
    return Table(f"Nhiệm vụ chủ trì: {name}", columns, rows)


def commune_series(name: str, page: BodyPage) -> Table:
    """One row per indicator, one column per year, as the page's table."""
    years = page.extra["years"]
    columns = [Column("Chỉ tiêu"), Column("Đơn vị tính"), *(Column(str(y), NUMBER, decimals=1) for y in years)]
    rows = [
        [s["indicator"].name, s["indicator"].unit, *(o.value if o else None for o in s["values"])]
        for s in page.extra["series"]
    ]
    return Table(f"Số liệu theo năm: {name}", columns, rows)


def _yes(flag: bool) -> str:
    return "Có" if flag else ""
