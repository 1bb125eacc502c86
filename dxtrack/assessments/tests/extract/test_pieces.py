"""The extractor's pieces on the phrasings decisions use: requirements, tiers, cycle steps,
subjects, and the other ways a table marks flags and groups."""

import pytest

from dxtrack.assessments.extract import extract, prose
from dxtrack.assessments.extract.requirement import Threshold, parse_requirement
from dxtrack.plans.tests.layouts import Layout, Table, to_docx

from . import decisions as d


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥ 80%", (">=", 80, None, "%")),
        (">= 2 lần/năm", (">=", 2, None, "lần/năm")),
        ("Từ 80% trở lên", (">=", 80, None, "%")),
        ("Đạt 100%", (">=", 100, None, "%")),
        ("Tối thiểu 02 hệ thống", (">=", 2, None, "hệ thống")),
        ("≤ 5%", ("<=", 5, None, "%")),
        ("Không quá 3 ngày làm việc", ("<=", 3, None, "ngày")),
        ("Dưới 5%", ("<=", 5, None, "%")),
        ("= 100%", ("=", 100, None, "%")),
        ("từ 3 đến 5", ("range", 3, 5, "")),
        ("Từ 3 đến 5 lần", ("range", 3, 5, "lần")),
        ("3 – 5 buổi", ("range", 3, 5, "buổi")),
        ("từ 20% đến 40%", ("range", 20, 40, "%")),
        ("Có/Không", ("boolean", None, None, "")),
        ("Đạt/Không đạt", ("boolean", None, None, "")),
        ("Ban hành kế hoạch trước ngày 31/3", ("boolean", None, None, "")),
        ("Ban hành kế hoạch chuyển đổi số năm 2026", ("boolean", None, None, "")),
        ("", ("boolean", None, None, "")),
    ],
)
def test_requirements_as_thresholds(text, expected):
    comparator, value, value_max, unit = expected
    assert parse_requirement(text) == Threshold(comparator, value, value_max, unit)


def test_the_briefs_tier_sentence_without_quotes():
    # given the rule written as one sentence, the level named by "công nhận … khi"
    line = (
        "Xã được công nhận đạt chuẩn chuyển đổi số khi đạt từ 70 điểm trở lên, 100% chỉ tiêu bắt buộc "
        "và ít nhất 30% chỉ tiêu mở rộng."
    )
    # then one tier with its points and both shares as fractions
    assert prose.find_tiers([line]) == [
        {"level": "đạt chuẩn chuyển đổi số", "min_points": 70, "mandatory_share": 1.0, "extended_share": 0.3}
    ]


def test_tiers_named_before_a_colon_and_shares_alone():
    # given a department rule (no points: 100% mandatory) and a district rule, as bullets
    lines = [
        "- Mức hoàn thành: đạt 100% tiêu chí bắt buộc.",
        "- Mức nâng cao: đạt 90 điểm, toàn bộ tiêu chí bắt buộc và 50% tiêu chí mở rộng.",
        "Tổng điểm tối đa của bộ tiêu chí là 100 điểm.",
    ]
    assert prose.find_tiers(lines) == [
        {"level": "Mức hoàn thành", "min_points": None, "mandatory_share": 1.0, "extended_share": None},
        {"level": "Mức nâng cao", "min_points": 90, "mandatory_share": 1.0, "extended_share": 0.5},
    ]
    assert prose.stated_total(lines)[0] == 100


def test_cycle_steps_dates_in_words_and_an_unnamed_step():
    lines = [
        "Chậm nhất là ngày 5 tháng 11 hằng năm, các xã gửi hồ sơ tự đánh giá; Hội đồng thẩm định "
        "hoàn thành trước ngày 30/11.",
        "Trước ngày 25/12, Sở Khoa học và Công nghệ tổng hợp kết quả, báo cáo UBND tỉnh.",
        "Thanh Hóa, ngày 12 tháng 6 năm 2026",
    ]
    assert prose.find_cycle(lines) == [
        {"step": "self_assessment", "due": "05/11"},
        {"step": "appraisal", "due": "30/11"},
        {"step": "Trước ngày 25/12, Sở Khoa học và Công nghệ tổng hợp kết quả, báo cáo UBND tỉnh", "due": "25/12"},
    ]


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        ("Ban hành Bộ tiêu chí chuyển đổi số cấp xã giai đoạn 2026 – 2030", "commune"),
        ("Bộ chỉ số đánh giá chuyển đổi số của các sở, ban, ngành cấp tỉnh", "department"),
        ("Bộ chỉ số đánh giá mức độ chuyển đổi số doanh nghiệp", "enterprise"),
        ("Bộ chỉ số chuyển đổi số cấp huyện năm 2022", "district"),
        ("Bộ chỉ số đánh giá chuyển đổi số cấp tỉnh (DTI)", "province"),
        ("Kế hoạch phát triển xã hội số", ""),
    ],
)
def test_subjects_from_titles(title, subject):
    assert prose.subject_of(title) == subject


def test_flag_sections_name_suffixes_and_numbered_groups(tmp_path):
    # given a table split into "A. TIÊU CHÍ BẮT BUỘC" / "B. TIÊU CHÍ MỞ RỘNG" sections, groups
    # written "Nhóm 1: …" inside them, one flag written after a name, and no requirement column
    rows = [
        ["STT", "Tên chỉ số", "Điểm"],
        ["A. TIÊU CHÍ BẮT BUỘC"],
        ["Nhóm 1: Hạ tầng số"],
        ["1", "Tỷ lệ thôn có cáp quang ≥ 90%", "20"],
        ["Nhóm 2: Xã hội số"],
        ["2", "Tỷ lệ người dân có tài khoản định danh điện tử từ 70% trở lên", "30"],
        ["B. TIÊU CHÍ MỞ RỘNG"],
        ["3", "Số buổi tập huấn kỹ năng số từ 3 đến 5 buổi", "10"],
        ["4", "Tỷ lệ chợ có thanh toán không dùng tiền mặt ≥ 50% (bắt buộc)", "40"],
    ]
    path = tmp_path / "nhom.docx"
    path.write_bytes(to_docx(Layout("", "nhom.docx", [*d.COMMUNE_PROSE, Table(rows)])))
    criteria = extract(path)["criteria"]
    assert [(c["code"], c["group"], c["name"], c["mandatory"], c["comparator"], c["value"], c["value_max"], c["unit"])
            for c in criteria] == [
        ("1", "Hạ tầng số", "Tỷ lệ thôn có cáp quang ≥ 90%", True, ">=", 90, None, "%"),
        ("2", "Xã hội số", "Tỷ lệ người dân có tài khoản định danh điện tử từ 70% trở lên", True, ">=", 70, None, "%"),
        ("3", "Xã hội số", "Số buổi tập huấn kỹ năng số từ 3 đến 5 buổi", False, "range", 3, 5, "buổi"),
        ("4", "Xã hội số", "Tỷ lệ chợ có thanh toán không dùng tiền mặt ≥ 50%", True, ">=", 50, None, "%"),
    ]  # fmt: skip


def test_unsaid_flags_and_an_unread_threshold_are_warnings_beside_the_data():
    # given a pass/fail table (no points column) with no flag column, one requirement in words
    from dxtrack.assessments.extract import read_decision

    rows = [
        ["STT", "Tên tiêu chí", "Yêu cầu"],
        ["1", "Hộ gia đình có đường Internet cáp quang", "≥ một nửa số hộ"],
        ["2", "Tỷ lệ người dân có hồ sơ sức khỏe điện tử", "≥ 95%"],
    ]
    data = to_docx(Layout("", "x.docx", [*d.COMMUNE_PROSE[:8], Table(rows)]))
    # when it is read
    result = read_decision(data, "khong-diem.docx")
    # then the data is there (no points, no flags) and the reviewer is told what to settle
    assert [(c["points"], c["mandatory"], c["comparator"], c["value"]) for c in result.data["criteria"]] == [
        (None, None, "boolean", None),
        (None, None, ">=", 95),
    ]
    assert result.data["framework"]["max_points"] is None
    assert result.warnings == [
        "Văn bản không ghi tiêu chí nào là bắt buộc hay mở rộng; hãy xác định khi duyệt.",
        "Tiêu chí 1: không đọc được ngưỡng từ “≥ một nửa số hộ”; hãy nhập khi duyệt.",
    ]


def test_a_two_row_header_splitting_the_type_into_mandatory_and_extended(tmp_path):
    # given a DOCX whose header merges "Phân loại" over a "Bắt buộc" and a "Mở rộng" column (the
    # other header cells merged down), so the first header row has one cell fewer than the rows
    import io

    import docx

    document = docx.Document()
    for text in d.COMMUNE_PROSE:
        document.add_paragraph(text)
    table = document.add_table(rows=4, cols=7)
    for i, text in enumerate(["TT", "Tiêu chí", "Yêu cầu cần đạt", "Điểm", "Phân loại", "", "Minh chứng"]):
        table.cell(0, i).text = text
    for i in (0, 1, 2, 3, 6):
        table.cell(0, i).merge(table.cell(1, i))
    table.cell(0, 4).merge(table.cell(0, 5))
    table.cell(1, 4).text, table.cell(1, 5).text = "Bắt buộc", "Mở rộng"
    criteria = [
        ["1", "Tỷ lệ hộ gia đình có đường Internet cáp quang", "≥ 80%", "60", "", "x", "Số liệu nhà mạng"],
        ["2", "Tỷ lệ người dân có hồ sơ sức khỏe điện tử", "≥ 95%", "40", "x", "", "Số liệu Trạm y tế"],
    ]
    for r, row in enumerate(criteria, start=2):
        for i, text in enumerate(row):
            table.cell(r, i).text = text
    out = io.BytesIO()
    document.save(out)
    path = tmp_path / "hai-dong.docx"
    path.write_bytes(out.getvalue())
    # when it is extracted, then the flags and the evidence come from the columns the rows have
    found = extract(path)["criteria"]
    assert [(c["code"], c["points"], c["mandatory"], c["evidence"]) for c in found] == [
        ("1", 60, False, "Số liệu nhà mạng"),
        ("2", 40, True, "Số liệu Trạm y tế"),
    ]


@pytest.mark.parametrize(
    ("sentence", "tier"),
    [
        ("Mức “Đạt”: tổng điểm đạt tối thiểu 70/100 điểm và đạt đủ 12 tiêu chí bắt buộc.", ("Đạt", 70, 1.0, None)),
        ("Mức “Tốt”: đạt tất cả 12 chỉ tiêu bắt buộc và từ 40% số chỉ tiêu mở rộng trở lên.", ("Tốt", None, 1.0, 0.4)),
        ("Xếp loại “Xuất sắc” khi có ≥ 90 điểm.", ("Xuất sắc", 90, None, None)),
    ],
)
def test_other_ways_of_writing_a_tier(sentence, tier):
    level, min_points, mandatory, extended = tier
    assert prose.find_tiers([sentence]) == [
        {"level": level, "min_points": min_points, "mandatory_share": mandatory, "extended_share": extended}
    ]
