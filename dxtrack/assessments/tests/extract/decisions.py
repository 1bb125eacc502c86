"""Criteria-set decisions written for the tests, each with its hand key.

The wording is ours; the facts follow ../shared/docs/ASSESSMENTS.md: QĐ 1829/2023's four groups
for communes (chính quyền số, kinh tế số, xã hội số, hạ tầng số) with its known thresholds
(≥ 60% of households paying electricity without cash, ≥ 30% of adults with a digital signature,
≥ 95% of residents with an electronic health record), the mandatory/extended flags and the
"100% mandatory, ≥ 30% extended" rule seen in Yên Bái, score bands as TP.HCM sets them. The
numbers, dates and the other criteria are invented. The documents are rendered by the plan
tests' renderers (plans/tests/layouts: python-docx, fpdf2 ruled tables, openpyxl).
"""

from dxtrack.plans.tests.layouts import Layout, Table, header

# ---- the commune set: DOCX, one row per criterion with its type in words -----------------------

COMMUNE_TITLE = (
    "Ban hành Bộ tiêu chí đánh giá, công nhận xã, phường đạt chuẩn chuyển đổi số trên địa bàn tỉnh Thanh Hóa năm 2026"
)

COMMUNE_PROSE = [
    *header("Thanh Hóa", "1547/QĐ-UBND", "ngày 12 tháng 6 năm 2026", "QUYẾT ĐỊNH", COMMUNE_TITLE),
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH",
    "Căn cứ Luật Tổ chức chính quyền địa phương; xét đề nghị của Giám đốc Sở Khoa học và Công nghệ,",
    "QUYẾT ĐỊNH:",
    "Điều 1. Ban hành kèm theo Quyết định này Bộ tiêu chí đánh giá, công nhận xã, phường đạt chuẩn chuyển "
    "đổi số (Phụ lục). Bộ tiêu chí gồm 4 nhóm, tổng điểm tối đa là 100 điểm.",
    "Điều 2. Mức công nhận",
    "1. Xã, phường được công nhận “Đạt chuẩn chuyển đổi số” khi đạt từ 70 điểm trở lên, 100% chỉ tiêu bắt "
    "buộc và ít nhất 30% chỉ tiêu mở rộng.",
    "2. Xã, phường được công nhận “Chuyển đổi số nâng cao” khi đạt từ 85 điểm trở lên, đáp ứng tất cả tiêu "
    "chí bắt buộc và tối thiểu 60% tiêu chí mở rộng.",
    "Điều 3. Trình tự đánh giá hằng năm",
    "- Trước ngày 30/9 hằng năm, Sở Khoa học và Công nghệ hướng dẫn và gửi biểu mẫu đánh giá đến UBND các xã, phường.",
    "- Chậm nhất ngày 15/10, UBND xã, phường tự đánh giá, chấm điểm và gửi hồ sơ kèm tài liệu kiểm chứng về "
    "Sở Khoa học và Công nghệ.",
    "- Trước ngày 15/11, Hội đồng thẩm định của tỉnh thẩm định hồ sơ, đề nghị đơn vị giải trình những tiêu chí "
    "chưa thống nhất.",
    "- Trước ngày 15/12, Chủ tịch UBND tỉnh ban hành quyết định công nhận các xã, phường đạt chuẩn.",
    "Điều 4. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng UBND tỉnh, Giám đốc các sở, Chủ tịch "
    "UBND các xã, phường chịu trách nhiệm thi hành Quyết định này.",
    "PHỤ LỤC",
    "BỘ TIÊU CHÍ ĐÁNH GIÁ, CÔNG NHẬN XÃ, PHƯỜNG ĐẠT CHUẨN CHUYỂN ĐỔI SỐ",
    "(Kèm theo Quyết định số 1547/QĐ-UBND ngày 12/6/2026 của Chủ tịch UBND tỉnh Thanh Hóa)",
]

# The key: code, group, name, requirement, value, value_max, comparator, unit, points, mandatory, evidence.
CQS, KTS, XHS, HTS = "Chính quyền số", "Kinh tế số", "Xã hội số", "Hạ tầng số"
COMMUNE_KEY = [
    ("1", CQS, "Ban hành kế hoạch chuyển đổi số năm của xã", "Có/Không", None, None, "boolean", "", 5, True,
     "Kế hoạch đã ban hành"),
    ("2", CQS, "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình", "≥ 80%", 80, None, ">=", "%", 10,
     True, "Số liệu trên Hệ thống giải quyết thủ tục hành chính"),
    ("3", CQS, "Tỷ lệ văn bản đi được ký số và gửi trên môi trường mạng", "Từ 90% trở lên", 90, None, ">=", "%", 5,
     True, "Báo cáo của hệ thống quản lý văn bản"),
    ("4", CQS, "Thời gian khắc phục sự cố trang thông tin điện tử của xã", "Không quá 2 ngày làm việc", 2, None, "<=",
     "ngày", 5, False, "Nhật ký vận hành"),
    ("5", CQS, "Số cuộc họp trực tuyến với cấp tỉnh trong năm", "Từ 4 đến 6 cuộc", 4, 6, "range", "cuộc", 5, False,
     "Biên bản các cuộc họp"),
    ("6.a", CQS, "Tổ công nghệ số cộng đồng được thành lập ở tất cả thôn, tổ dân phố", "Có/Không", None, None,
     "boolean", "", 3, True, "Quyết định thành lập Tổ"),
    ("6.b", CQS, "Tỷ lệ thành viên Tổ công nghệ số cộng đồng được tập huấn kỹ năng số", "≥ 50%", 50, None, ">=", "%",
     2, False, "Danh sách học viên"),
    ("7", KTS, "Tỷ lệ hộ gia đình thanh toán tiền điện không dùng tiền mặt", "≥ 60%", 60, None, ">=", "%", 10, True,
     "Số liệu của Điện lực"),
    ("8", KTS, "Số hộ kinh doanh bán hàng trên sàn thương mại điện tử", "Tối thiểu 20 hộ", 20, None, ">=", "hộ", 5,
     False, "Danh sách hộ kinh doanh"),
    ("9", KTS, "Tỷ lệ doanh nghiệp trên địa bàn dùng hóa đơn điện tử", "100%", 100, None, ">=", "%", 5, False,
     "Số liệu của cơ quan thuế"),
    ("10", XHS, "Tỷ lệ người trưởng thành có chữ ký số hoặc chữ ký điện tử cá nhân", "≥ 30%", 30, None, ">=", "%", 10,
     True, "Báo cáo của tổ chức cung cấp dịch vụ chứng thực"),
    ("11", XHS, "Tỷ lệ người dân có hồ sơ sức khỏe điện tử", "≥ 95%", 95, None, ">=", "%", 10, True,
     "Số liệu của Trạm y tế"),
    ("12", XHS, "Xã có kênh tương tác trực tuyến chính thức với người dân", "Có/Không", None, None, "boolean", "", 5,
     False, "Đường dẫn đến kênh tương tác"),
    ("13", HTS, "Tỷ lệ thôn, tổ dân phố được phủ sóng di động băng rộng", "= 100%", 100, None, "=", "%", 10, True,
     "Xác nhận của doanh nghiệp viễn thông"),
    ("14", HTS, "Tỷ lệ hộ gia đình có đường Internet cáp quang", "≥ 70%", 70, None, ">=", "%", 5, False,
     "Số liệu của doanh nghiệp viễn thông"),
    ("15", HTS, "Tỷ lệ thời gian mất kết nối mạng nội bộ của UBND xã trong năm", "≤ 5%", 5, None, "<=", "%", 5,
     False, "Nhật ký hệ thống mạng"),
]  # fmt: skip
GROUP_POINTS = {CQS: 35, KTS: 20, XHS: 25, HTS: 20}
NUMERALS = {CQS: "I", KTS: "II", XHS: "III", HTS: "IV"}
FLAG_WORDS = {True: "Bắt buộc", False: "Mở rộng"}

COMMUNE_RECOGNITION = [
    {"level": "Đạt chuẩn chuyển đổi số", "min_points": 70, "mandatory_share": 1.0, "extended_share": 0.3},
    {"level": "Chuyển đổi số nâng cao", "min_points": 85, "mandatory_share": 1.0, "extended_share": 0.6},
]
COMMUNE_CYCLE = [
    {"step": "guidance", "due": "30/09"},
    {"step": "self_assessment", "due": "15/10"},
    {"step": "appraisal", "due": "15/11"},
    {"step": "recognition", "due": "15/12"},
]
COMMUNE_FRAMEWORK = {
    "number": "1547/QĐ-UBND",
    "date": "2026-06-12",
    "issuer": "UBND tỉnh Thanh Hóa",
    "title": COMMUNE_TITLE,
    "subject": "commune",
    "max_points": 100,
}


def key_dicts(key: list[tuple], codes: list[str] | None = None) -> list[dict]:
    fields = ("code", "group", "name", "requirement", "value", "value_max", "comparator", "unit", "points",
              "mandatory", "evidence")  # fmt: skip
    out = [dict(zip(fields, row, strict=True)) for row in key]
    for entry, code in zip(out, codes or [], strict=False):
        entry["code"] = code
    return out


def _typed_rows() -> list[list[str]]:
    """The DOCX table: a group row with its points, a type column in words, sub-criteria a), b)."""
    rows = [["TT", "Tên tiêu chí", "Yêu cầu cần đạt", "Điểm tối đa", "Loại tiêu chí", "Tài liệu kiểm chứng"]]
    group = ""
    for code, grp, name, requirement, *_rest, points, mandatory, evidence in COMMUNE_KEY:
        if grp != group:
            group = grp
            rows.append([NUMERALS[grp], grp.upper(), "", str(GROUP_POINTS[grp]), "", ""])
        if code == "6.a":
            rows.append(["6", "Hoạt động của Tổ công nghệ số cộng đồng", "", "5", "", ""])
        number = f"{code[-1]})" if "." in code else code
        rows.append([number, name, requirement, str(points), FLAG_WORDS[mandatory], evidence])
    rows.append(["Tổng cộng", "", "", "100", "", ""])
    return rows


COMMUNE_DOCX = Layout(
    "DOCX: typed flags, group rows with points, sub-criteria, a total row",
    "qd-1547-bo-tieu-chi-xa.docx",
    [*COMMUNE_PROSE, Table(_typed_rows())],
)


def _marked_rows() -> list[list[str]]:
    """The PDF table: group rows merged across, numbering that starts again in every group,
    "x" marks in a "Bắt buộc" and a "Mở rộng" column; no total row (the prose states it)."""
    rows = [["STT", "Nội dung tiêu chí", "Chỉ tiêu cần đạt", "Điểm", "Bắt buộc", "Mở rộng", "Minh chứng"]]
    group, n = "", 0
    for code, grp, name, requirement, *_rest, points, mandatory, evidence in COMMUNE_KEY:
        if grp != group:
            group, n = grp, 0
            rows.append([f"{NUMERALS[grp]}. {grp.upper()}"])
        if code == "6.b":
            number = "b)"
        elif code == "6.a":
            n += 1
            rows.append([str(n), "Hoạt động của Tổ công nghệ số cộng đồng", "", "", "", "", ""])
            number = "a)"
        else:
            n += 1
            number = str(n)
        mark = ("x", "") if mandatory else ("", "x")
        rows.append([number, name, requirement, str(points), *mark, evidence])
    return rows


COMMUNE_PDF_CODES = ["I.1", "I.2", "I.3", "I.4", "I.5", "I.6.a", "I.6.b", "II.1", "II.2", "II.3", "III.1", "III.2",
                     "III.3", "IV.1", "IV.2", "IV.3"]  # fmt: skip

COMMUNE_PDF = Layout(
    "text PDF: merged group rows, numbering restarting per group, x marks, no total row",
    "qd-1547-bo-tieu-chi-xa.pdf",
    [*COMMUNE_PROSE, Table(_marked_rows(), widths=[10, 46, 26, 10, 14, 14, 40])],
)


# ---- the department set: an XLSX appendix alone, score bands, a level-scale criterion ---------

DEPT_KEY = [
    ("1", "Nhận thức số", "Người đứng đầu chủ trì họp chuyên đề về chuyển đổi số trong năm", "Tối thiểu 02 cuộc",
     2, None, ">=", "cuộc", 10, True, "Thông báo kết luận"),
    ("2", "Nhận thức số", "Mức độ ứng dụng nền tảng số trong chỉ đạo, điều hành", "Tự đánh giá theo 5 mức (mức 1–5)",
     1, 5, "range", "mức", 15, False, "Báo cáo tự đánh giá"),
    ("3", "Hoạt động chính quyền số", "Tỷ lệ dịch vụ công trực tuyến toàn trình có phát sinh hồ sơ", "≥ 70%", 70,
     None, ">=", "%", 25, True, "Số liệu Cổng dịch vụ công"),
    ("4", "Hoạt động chính quyền số", "Tỷ lệ hồ sơ giải quyết quá hạn", "≤ 2%", 2, None, "<=", "%", 20, True,
     "Số liệu Cổng dịch vụ công"),
    ("5", "An toàn thông tin mạng", "Hệ thống thông tin được phê duyệt hồ sơ cấp độ", "Có/Không", None, None,
     "boolean", "", 15, True, "Quyết định phê duyệt"),
    ("6", "An toàn thông tin mạng", "Số lần diễn tập ứng cứu sự cố trong năm", "Từ 1 đến 2 lần", 1, 2, "range",
     "lần", 15, False, "Báo cáo diễn tập"),
]  # fmt: skip
DEPT_TITLE = "BỘ TIÊU CHÍ ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ CÁC SỞ, BAN, NGÀNH CẤP TỈNH"
DEPT_RECOGNITION = [
    {"level": "Khởi động", "min_points": 0, "mandatory_share": None, "extended_share": None},
    {"level": "Hình thành", "min_points": 50, "mandatory_share": None, "extended_share": None},
    {"level": "Nâng cao", "min_points": 80, "mandatory_share": 1.0, "extended_share": None},
]
DEPT_CYCLE = [
    {"step": "self_assessment", "due": "31/10"},
    {"step": "appraisal", "due": "30/11"},
    {"step": "recognition", "due": "20/12"},
]
DEPT_FRAMEWORK = {
    "number": "2210/QĐ-UBND",
    "date": "2026-08-05",
    "issuer": "UBND tỉnh Thanh Hóa",
    "title": DEPT_TITLE,
    "subject": "department",
    "max_points": 100,
}


def _dept_rows() -> list[list]:
    rows: list[list] = [
        [DEPT_TITLE],
        ["(Kèm theo Quyết định số 2210/QĐ-UBND ngày 05/8/2026 của Chủ tịch UBND tỉnh Thanh Hóa)"],
        ["STT", "Tiêu chí", "Yêu cầu", "Điểm", "Bắt buộc", "Tài liệu kiểm chứng"],
    ]
    group, numeral = "", 0
    for code, grp, name, requirement, *_rest, points, mandatory, evidence in DEPT_KEY:
        if grp != group:
            group, numeral = grp, numeral + 1
            rows.append([f"{'I' * numeral if numeral < 4 else 'IV'}. {grp}"])
        # an extended criterion leaves the "Bắt buộc" cell empty: the reader must not shift the row
        rows.append([int(code), name, requirement, points, "x" if mandatory else None, evidence])
    rows += [
        ["Tổng cộng", None, None, 100, None, None],
        [
            "Xếp loại: mức “Khởi động” dưới 50 điểm; mức “Hình thành” từ 50 đến dưới 80 điểm; mức “Nâng cao” "
            "từ 80 điểm trở lên và đạt toàn bộ tiêu chí bắt buộc."
        ],
        [
            "Lịch đánh giá: các sở, ban, ngành tự đánh giá trước ngày 31/10; Hội đồng thẩm định hoàn thành thẩm "
            "định trước ngày 30/11; công bố kết quả trước ngày 20/12."
        ],
    ]
    return rows


DEPT_XLSX = Layout(
    "XLSX appendix alone, score bands", "phu-luc-tieu-chi-so-nganh.xlsx", ["Phụ lục", Table(_dept_rows())]
)


def dept_xlsx() -> bytes:
    """The XLSX with None cells left empty (the plan renderer writes what it is given)."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    for row in _dept_rows():
        sheet.append(row)
        if len(row) == 1:
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=6)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
