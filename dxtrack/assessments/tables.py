"""The assessment pages' tables as downloads (dxtrack.core.exports)."""

from dxtrack.core.exports import NUMBER, Column, Table


def ranking(round_, criteria, rows) -> Table:
    columns = [
        Column("Hạng", NUMBER),
        Column("Đơn vị"),
        Column("Trạng thái"),
        Column("Gửi muộn"),
        Column("Điểm tự đánh giá", NUMBER, None),
        Column("Điểm hội đồng thẩm định", NUMBER, None),
        Column("Điểm đạt được", NUMBER, None),
        Column("Mức đạt"),
        *[Column(f"{c.code}. {c.name}"[:120], NUMBER, None) for c in criteria],
    ]
    return Table(
        title=f"Xếp hạng {round_}"[:200],
        columns=columns,
        rows=[
            [
                r.rank,
                str(r.submission.subject),
                str(r.submission.get_status_display()),
                "Có" if r.submission.late else "",
                r.submission.self_total,
                r.submission.council_total,
                r.submission.final_total,
                r.submission.tier.name if r.submission.tier else "",
                *r.contributions,
            ]
            for r in rows
        ],
    )


def enterprise_levels(distribution, by: str) -> Table:
    """Enterprises by level of the enterprise index, per sector or per commune."""
    from .scoring import LEVEL_NAMES_1970

    first = "Ngành kinh tế" if by == "nganh" else "Xã, phường"
    rows = distribution.by_sector if by == "nganh" else distribution.by_commune
    return Table(
        title=f"Doanh nghiệp theo mức chuyển đổi số năm {distribution.year} — theo {first.lower()}",
        columns=[
            Column(first),
            *[Column(f"Mức {level} — {LEVEL_NAMES_1970[level]}", NUMBER) for level in distribution.levels],
            Column("Tổng số", NUMBER),
        ],
        rows=[[r.label, *r.counts, r.total] for r in rows],
    )
