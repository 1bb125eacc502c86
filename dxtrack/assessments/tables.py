"""The assessment pages' tables as downloads (dxtrack.core.exports)."""

from dxtrack.core.exports import DATE, NUMBER, Column, Table


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


def _subject_code(subject) -> str:
    return getattr(subject, "code", "") or ""


def public_recognised(round_, rows) -> Table:
    """The subjects a signed decision recognised in a closed round."""
    return Table(
        title=f"Đơn vị được công nhận — {round_}"[:200],
        columns=[
            Column("Đơn vị"),
            Column("Mã"),
            Column("Mức công nhận"),
            Column("Điểm đạt được", NUMBER, None),
            Column("Quyết định công nhận"),
            Column("Ngày công nhận", DATE),
        ],
        rows=[
            [
                str(r.subject),
                _subject_code(r.subject),
                r.recognition.tier.name,
                r.final,
                r.recognition.decision.number,
                r.recognition.recognised_on,
            ]
            for r in rows
            if r.recognition is not None
        ],
    )


def public_ranking(round_, rows) -> Table:
    """A closed round's final ranking."""
    return Table(
        title=f"Xếp hạng theo điểm đạt được — {round_}"[:200],
        columns=[
            Column("Hạng", NUMBER),
            Column("Đơn vị"),
            Column("Mã"),
            Column("Điểm đạt được", NUMBER, None),
            Column("Mức đạt"),
            Column("Được công nhận"),
        ],
        rows=[
            [
                r.rank,
                str(r.subject),
                _subject_code(r.subject),
                r.final,
                r.tier.name if r.tier else "",
                "Có" if r.recognition is not None else "",
            ]
            for r in rows
        ],
    )


def round_submissions(round_, submissions) -> Table:
    """The round page's table of submissions (for those who see the whole round)."""
    return Table(
        title=f"Hồ sơ — {round_}"[:200],
        columns=[
            Column("Đơn vị"),
            Column("Trạng thái"),
            Column("Gửi muộn"),
            Column("Điểm tự đánh giá", NUMBER, None),
            Column("Điểm hội đồng thẩm định", NUMBER, None),
            Column("Điểm đạt được", NUMBER, None),
            Column("Mức đạt"),
        ],
        rows=[
            [
                str(s.subject),
                str(s.get_status_display()),
                "Có" if s.late else "",
                s.self_total,
                s.council_total,
                s.final_total,
                s.tier.name if s.tier else "",
            ]
            for s in submissions
        ],
    )


def submission_scores(submission, answers) -> Table:
    """A submission's criteria with the three scores (self, council, final)."""
    return Table(
        title=f"{submission.subject} — {submission.round}"[:200],
        columns=[
            Column("Mã tiêu chí"),
            Column("Tiêu chí"),
            Column("Nhóm"),
            Column("Bắt buộc"),
            Column("Điểm tối đa", NUMBER, None),
            Column("Điểm tự đánh giá", NUMBER, None),
            Column("Ý kiến hội đồng"),
            Column("Điểm hội đồng thẩm định", NUMBER, None),
            Column("Điểm đạt được", NUMBER, None),
        ],
        rows=[
            [
                a.criterion.code,
                a.criterion.name,
                a.criterion.group.name,
                "Có" if a.criterion.mandatory else "",
                a.criterion.points,
                a.self_score,
                str(a.get_verdict_display()) if a.verdict else "",
                a.council_score,
                a.final_score,
            ]
            for a in answers
        ],
    )


def own_submissions(submissions) -> Table:
    """A unit's (or agency's) own submissions, round by round."""
    return Table(
        title="Hồ sơ tự đánh giá của đơn vị",
        columns=[
            Column("Đợt"),
            Column("Trạng thái"),
            Column("Gửi muộn"),
            Column("Điểm tự đánh giá", NUMBER, None),
            Column("Điểm đạt được", NUMBER, None),
        ],
        rows=[
            [str(s.round), str(s.get_status_display()), "Có" if s.late else "", s.self_total, s.final_total]
            for s in submissions
        ],
    )
