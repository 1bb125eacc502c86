"""A criteria-set decision written for the import pages' tests, in an appendix-table layout.

The wording and the figures are ours (no decision's prose is copied): a provincial set for
departments with three groups, a type column in words ("Bắt buộc" / "Mở rộng"), group rows with
their points, a total row, a tier sentence and a yearly cycle, as ASSESSMENTS.md describes such
sets. Variants: a criterion's points written wrong (the groups and the total then do not add
up), a criterion with both a threshold and a level scale, and a decision with no criteria table.
Rendered by the plan tests' DOCX renderer (plans/tests/layouts).
"""

from dxtrack.plans.tests.layouts import Layout, Table, header, to_docx

NUMBER = "3120/QĐ-UBND"
TITLE = "Ban hành Bộ tiêu chí đánh giá mức độ chuyển đổi số của các sở, ban, ngành cấp tỉnh năm 2027"
FILENAME = "qd-3120-bo-tieu-chi-so-nganh.docx"

PROSE = [
    *header("Thanh Hóa", NUMBER, "ngày 14 tháng 9 năm 2026", "QUYẾT ĐỊNH", TITLE),
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH",
    "QUYẾT ĐỊNH:",
    "Điều 1. Ban hành kèm theo Quyết định này Bộ tiêu chí (Phụ lục). Bộ tiêu chí gồm 3 nhóm, tổng điểm tối đa là "
    "100 điểm.",
    "Điều 2. Cơ quan được công nhận “Hoàn thành chuyển đổi số” khi đạt từ 75 điểm trở lên, 100% chỉ tiêu bắt buộc "
    "và ít nhất 50% chỉ tiêu mở rộng.",
    "Điều 3. Trình tự đánh giá hằng năm",
    "- Trước ngày 31/10 hằng năm, các sở, ban, ngành tự đánh giá và gửi hồ sơ về Sở Khoa học và Công nghệ.",
    "- Trước ngày 30/11, Hội đồng thẩm định của tỉnh thẩm định hồ sơ.",
    "- Trước ngày 20/12, Chủ tịch UBND tỉnh ban hành quyết định công nhận.",
    "Điều 4. Quyết định này có hiệu lực kể từ ngày ký.",
    "PHỤ LỤC",
    "BỘ TIÊU CHÍ ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ CÁC SỞ, BAN, NGÀNH",
]

NTS, CQS, ATTT = "Nhận thức số", "Chính quyền số", "An toàn thông tin mạng"
GROUPS = [("I", NTS, 20), ("II", CQS, 50), ("III", ATTT, 30)]
# code, group, name, requirement, points, mandatory, evidence; with the extractor's reading of it
CRITERIA = [
    ("1", NTS, "Ban hành kế hoạch chuyển đổi số năm của cơ quan", "Có/Không", 10, True, "Kế hoạch đã ban hành"),
    ("2", NTS, "Số buổi người đứng đầu chủ trì họp chuyên đề về chuyển đổi số", "Tối thiểu 02 buổi", 10, False,
     "Thông báo kết luận"),
    ("3", CQS, "Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình", "≥ 80%", 20, True,
     "Số liệu Cổng dịch vụ công"),
    ("4", CQS, "Tỷ lệ hồ sơ giải quyết quá hạn", "≤ 2%", 15, True, "Số liệu Cổng dịch vụ công"),
    ("5", CQS, "Tỷ lệ văn bản điện tử được ký số", "Từ 95% trở lên", 15, False, "Báo cáo hệ thống văn bản"),
    ("6", ATTT, "Hệ thống thông tin được phê duyệt hồ sơ cấp độ an toàn", "Có/Không", 15, True,
     "Quyết định phê duyệt"),
    ("7", ATTT, "Số lần diễn tập ứng cứu sự cố trong năm", "Từ 1 đến 2 lần", 15, False, "Báo cáo diễn tập"),
]  # fmt: skip
THRESHOLDS = {
    "1": ("boolean", None, None, ""),
    "2": (">=", 2, None, "buổi"),
    "3": (">=", 80, None, "%"),
    "4": ("<=", 2, None, "%"),
    "5": (">=", 95, None, "%"),
    "6": ("boolean", None, None, ""),
    "7": ("range", 1, 2, "lần"),
}
LEVEL_SCALE = "Tối thiểu 02 buổi; chấm theo 5 mức (mức 1–5)"


def _rows(points: dict[str, float], requirements: dict[str, str]) -> list[list[str]]:
    rows = [["STT", "Tên tiêu chí", "Yêu cầu cần đạt", "Điểm", "Phân loại", "Tài liệu kiểm chứng"]]
    for numeral, group, group_points in GROUPS:
        rows.append([numeral, group.upper(), "", str(group_points), "", ""])
        for code, grp, name, requirement, pts, mandatory, evidence in CRITERIA:
            if grp != group:
                continue
            rows.append(
                [
                    code,
                    name,
                    requirements.get(code, requirement),
                    str(points.get(code, pts)),
                    "Bắt buộc" if mandatory else "Mở rộng",
                    evidence,
                ]
            )
    rows.append(["Tổng cộng", "", "", "100", "", ""])
    return rows


def decision_docx(*, points: dict[str, float] | None = None, requirements: dict[str, str] | None = None) -> bytes:
    """The decision; `points` / `requirements` override criteria by code (the bad variants)."""
    return to_docx(Layout("department set", FILENAME, [*PROSE, Table(_rows(points or {}, requirements or {}))]))


def wrong_points_docx() -> bytes:
    """Criterion 5 written with 10 points: group II sums 45 (not 50), the criteria 95 (not 100)."""
    return decision_docx(points={"5": 10})


def level_and_threshold_docx() -> bytes:
    """Criterion 2 sets a threshold and a 1–5 level scale at once."""
    return decision_docx(requirements={"2": LEVEL_SCALE})


def no_table_docx() -> bytes:
    return to_docx(Layout("no table", "qd-khong-co-bang.docx", PROSE))
