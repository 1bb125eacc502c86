"""Six synthetic plans of other provinces, in the layouts plans arrive in, each with its hand key.

The provinces are invented; the facts (values, years, units, bodies) are written here, not copied
from any document. Each layout is a list of blocks rendered by code into the file format it tests:
a text PDF (fpdf2, ruled tables), a DOCX (python-docx, merged group rows), an XLSX appendix
(openpyxl), a scan (the page drawn as an image with Pillow, saved as an image-only PDF).

A key's target is (value, value_max, unit, year, comparator); a key's task is the start of its title.
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


@dataclass
class Table:
    rows: list[list[str]]  # the first row is the header; a row of one cell spans the table (a group row)
    widths: list[float] | None = None


@dataclass
class Layout:
    name: str
    filename: str
    blocks: list  # str (a paragraph) or Table
    targets: list[tuple] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    year_context: int | None = None


def header(province: str, number: str, date: str, kind: str, title: str) -> list[str]:
    return [
        f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Số: {number}",
        f"{province}, {date}",
        kind,
        title,
    ]


# ---- the six layouts -----------------------------------------------------------------------------

HOA_SON = Layout(
    "text PDF, targets by year columns, tasks with other column names",
    "ke-hoach-hoa-son.pdf",
    [
        *header(
            "Hòa Sơn",
            "112/KH-UBND",
            "ngày 12 tháng 3 năm 2026",
            "KẾ HOẠCH",
            "Chuyển đổi số tỉnh Hòa Sơn giai đoạn 2026 - 2030",
        ),
        "I. MỤC TIÊU",
        "1. Mục tiêu chung",
        "Phát triển chính quyền số, kinh tế số và xã hội số của tỉnh một cách đồng bộ, lấy người dân làm trung tâm.",
        "2. Các chỉ tiêu cụ thể",
        Table(
            [
                ["TT", "Chỉ tiêu", "Đơn vị tính", "Năm 2026", "Năm 2027", "Năm 2028", "Năm 2030"],
                [
                    "1",
                    "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình",
                    "%",
                    "60",
                    "70",
                    "80",
                    "100",
                ],
                ["2", "Số doanh nghiệp công nghệ số đang hoạt động", "Doanh nghiệp", "350", "400", "-", "600"],
                ["3", "Thời gian xử lý hồ sơ đất đai tối đa", "Ngày", "10", "8", "7", "5"],
                ["4", "Tỷ trọng kinh tế số trong GRDP tối thiểu", "%", "12", "13,5", "15", "20"],
                ["5", "Tỷ lệ người trưởng thành có điện thoại thông minh", "%", "85", "88", "", "95"],
            ],
            [10, 70, 22, 22, 22, 22, 22],
        ),
        "II. NHIỆM VỤ, GIẢI PHÁP",
        Table(
            [
                ["TT", "Nội dung công việc", "Đơn vị thực hiện", "Đơn vị phối hợp", "Thời gian", "Kết quả, sản phẩm"],
                ["I. HẠ TẦNG SỐ"],
                [
                    "1",
                    "Nâng cấp mạng truyền số liệu chuyên dùng đến cấp xã",
                    "Sở Khoa học và Công nghệ",
                    "UBND các xã, phường",
                    "2026",
                    "Mạng được nâng cấp",
                ],
                [
                    "2",
                    "Xây dựng trung tâm dữ liệu dùng chung của tỉnh",
                    "Sở Khoa học và Công nghệ",
                    "Sở Tài chính",
                    "2026 - 2027",
                    "Trung tâm dữ liệu",
                ],
                ["II. CHÍNH QUYỀN SỐ"],
                [
                    "3",
                    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
                    "Văn phòng UBND tỉnh",
                    "Các sở, ban, ngành",
                    "Hằng năm",
                    "Hồ sơ được số hóa",
                ],
                [
                    "4",
                    "Triển khai hệ thống thông tin báo cáo của tỉnh",
                    "Văn phòng UBND tỉnh",
                    "Sở Khoa học và Công nghệ",
                    "Quý IV/2026",
                    "Hệ thống báo cáo",
                ],
                ["III. KINH TẾ SỐ"],
                [
                    "5",
                    "Hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số",
                    "Sở Công Thương",
                    "Sở Tài chính",
                    "2026 - 2030",
                    "Doanh nghiệp được hỗ trợ",
                ],
                [
                    "6",
                    "Phát triển sàn thương mại điện tử cho sản phẩm OCOP",
                    "Sở Công Thương",
                    "UBND các xã, phường",
                    "2027",
                    "Sàn thương mại điện tử",
                ],
            ],
            [10, 62, 34, 32, 22, 30],
        ),
        "III. TỔ CHỨC THỰC HIỆN",
        "Các sở, ban, ngành và UBND các xã, phường căn cứ Kế hoạch này xây dựng kế hoạch của cơ quan, đơn vị mình.",
    ],
    targets=[
        (60, None, "%", 2026, ">="),
        (70, None, "%", 2027, ">="),
        (80, None, "%", 2028, ">="),
        (100, None, "%", 2030, ">="),
        (350, None, "doanh nghiệp", 2026, "="),
        (400, None, "doanh nghiệp", 2027, "="),
        (600, None, "doanh nghiệp", 2030, "="),
        (10, None, "ngày", 2026, "<="),
        (8, None, "ngày", 2027, "<="),
        (7, None, "ngày", 2028, "<="),
        (5, None, "ngày", 2030, "<="),
        (12, None, "%", 2026, ">="),
        (13.5, None, "%", 2027, ">="),
        (15, None, "%", 2028, ">="),
        (20, None, "%", 2030, ">="),
        (85, None, "%", 2026, ">="),
        (88, None, "%", 2027, ">="),
        (95, None, "%", 2030, ">="),
    ],
    tasks=[
        "Nâng cấp mạng truyền số liệu",
        "Xây dựng trung tâm dữ liệu",
        "Số hóa hồ sơ, kết quả",
        "Triển khai hệ thống thông tin báo cáo",
        "Hỗ trợ doanh nghiệp nhỏ",
        "Phát triển sàn thương mại",
    ],
)

LAM_GIANG = Layout(
    "DOCX with merged group rows",
    "ke-hoach-lam-giang.docx",
    [
        *header(
            "Lam Giang",
            "45/KH-UBND",
            "ngày 20 tháng 01 năm 2026",
            "KẾ HOẠCH",
            "Chuyển đổi số tỉnh Lam Giang đến năm 2030",
        ),
        "I. MỤC TIÊU VÀ CHỈ TIÊU",
        Table(
            [
                ["STT", "Chỉ tiêu", "ĐVT", "2026", "2028", "2030"],
                ["A. CHÍNH QUYỀN SỐ"],
                ["1", "Tỷ lệ dịch vụ công trực tuyến toàn trình", "%", "50", "70", "90"],
                ["2", "Thời gian trả kết quả thủ tục hành chính không quá", "ngày", "5", "3", "2"],
                ["B. KINH TẾ SỐ"],
                ["3", "Tỷ lệ doanh nghiệp sử dụng hóa đơn điện tử", "%", "95", "100", "100"],
                ["4", "Doanh thu thương mại điện tử", "tỷ đồng", "1.200", "1.800", "2.500"],
                ["C. XÃ HỘI SỐ"],
                ["5", "Tỷ lệ hộ gia đình có cáp quang", "%", "85", "-", "98"],
            ]
        ),
        "II. NHIỆM VỤ TRỌNG TÂM",
        Table(
            [
                ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn hoàn thành"],
                ["I. Nhóm nhiệm vụ về thể chế"],
                [
                    "1",
                    "Ban hành quy chế quản lý, khai thác dữ liệu của tỉnh",
                    "Sở Khoa học và Công nghệ",
                    "Sở Tư pháp",
                    "Tháng 6/2026",
                ],
                [
                    "2",
                    "Rà soát, bổ sung danh mục dịch vụ công trực tuyến toàn trình",
                    "Văn phòng UBND tỉnh",
                    "Các sở, ban, ngành",
                    "Hằng quý",
                ],
                ["II. Nhóm nhiệm vụ về dữ liệu"],
                [
                    "3",
                    "Xây dựng kho dữ liệu dùng chung của tỉnh",
                    "Sở Khoa học và Công nghệ",
                    "Sở Tài chính",
                    "2026 - 2027",
                ],
                [
                    "4",
                    "Kết nối cơ sở dữ liệu dân cư với hệ thống giải quyết thủ tục hành chính",
                    "Công an tỉnh",
                    "Văn phòng UBND tỉnh",
                    "Quý II/2026",
                ],
                ["5", "Chuẩn hóa dữ liệu đất đai", "Sở Nông nghiệp và Môi trường", "UBND các xã, phường", "2027"],
            ]
        ),
    ],
    targets=[
        (50, None, "%", 2026, ">="),
        (70, None, "%", 2028, ">="),
        (90, None, "%", 2030, ">="),
        (5, None, "ngày", 2026, "<="),
        (3, None, "ngày", 2028, "<="),
        (2, None, "ngày", 2030, "<="),
        (95, None, "%", 2026, ">="),
        (100, None, "%", 2028, ">="),
        (100, None, "%", 2030, ">="),
        (1200, None, "tỷ đồng", 2026, "="),
        (1800, None, "tỷ đồng", 2028, "="),
        (2500, None, "tỷ đồng", 2030, "="),
        (85, None, "%", 2026, ">="),
        (98, None, "%", 2030, ">="),
    ],
    tasks=[
        "Ban hành quy chế quản lý",
        "Rà soát, bổ sung danh mục",
        "Xây dựng kho dữ liệu dùng chung",
        "Kết nối cơ sở dữ liệu dân cư",
        "Chuẩn hóa dữ liệu đất đai",
    ],
)

KIM_DAI = Layout(
    "XLSX appendix: targets and tasks on two sheets",
    "phu-luc-kim-dai.xlsx",
    [
        "Phụ lục I",
        Table(
            [
                ["PHỤ LỤC I. CÁC CHỈ TIÊU CHUYỂN ĐỔI SỐ TỈNH KIM ĐÀI ĐẾN NĂM 2030"],
                ["STT", "Tên chỉ tiêu", "Đơn vị tính", "Năm 2026", "Năm 2027", "Năm 2030"],
                [1, "Tỷ lệ cán bộ, công chức được bồi dưỡng kỹ năng số", "%", 70, 85, 100],
                [2, "Số người dân có tài khoản định danh điện tử mức độ 2", "nghìn người", 450, 520, 700],
                [3, "Tỷ lệ trường học triển khai sổ điểm điện tử", "%", 90, 95, 100],
                [4, "Xếp hạng chỉ số chuyển đổi số cấp tỉnh (DTI)", "hạng", "Top 20", "Top 15", "Top 10"],
            ]
        ),
        "Phụ lục II",
        Table(
            [
                ["PHỤ LỤC II. NHIỆM VỤ TRỌNG TÂM"],
                ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện", "Sản phẩm"],
                [
                    1,
                    "Triển khai nền tảng học tập trực tuyến cho cán bộ",
                    "Sở Nội vụ",
                    "Sở Khoa học và Công nghệ",
                    2026,
                    "Nền tảng học tập",
                ],
                [
                    2,
                    "Phát triển ứng dụng công dân số của tỉnh",
                    "Sở Khoa học và Công nghệ",
                    "Công an tỉnh",
                    "2026 - 2027",
                    "Ứng dụng công dân số",
                ],
                [
                    3,
                    "Số hóa sổ điểm, học bạ trong các trường học",
                    "Sở Giáo dục và Đào tạo",
                    "UBND các xã, phường",
                    "2026 - 2027",
                    "Học bạ số",
                ],
                [
                    4,
                    "Đánh giá chỉ số chuyển đổi số các sở, ngành, địa phương",
                    "Sở Khoa học và Công nghệ",
                    "Sở Nội vụ",
                    "Hằng năm",
                    "Báo cáo đánh giá",
                ],
            ]
        ),
    ],
    targets=[
        (70, None, "%", 2026, ">="),
        (85, None, "%", 2027, ">="),
        (100, None, "%", 2030, ">="),
        (450, None, "nghìn người", 2026, "="),
        (520, None, "nghìn người", 2027, "="),
        (700, None, "nghìn người", 2030, "="),
        (90, None, "%", 2026, ">="),
        (95, None, "%", 2027, ">="),
        (100, None, "%", 2030, ">="),
        (20, None, "hạng", 2026, "<="),
        (15, None, "hạng", 2027, "<="),
        (10, None, "hạng", 2030, "<="),
    ],
    tasks=[
        "Triển khai nền tảng học tập",
        "Phát triển ứng dụng công dân số",
        "Số hóa sổ điểm, học bạ",
        "Đánh giá chỉ số chuyển đổi số",
    ],
)

NGOC_LAM = Layout(
    "a scanned PDF (page images, no text layer)",
    "ke-hoach-ngoc-lam-scan.pdf",
    [
        *header(
            "Ngọc Lâm",
            "78/KH-UBND",
            "ngày 05 tháng 02 năm 2026",
            "KẾ HOẠCH",
            "Phát triển xã hội số tỉnh Ngọc Lâm năm 2026",
        ),
        "I. MỤC TIÊU",
        "- Tỷ lệ người dân trưởng thành có chữ ký số cá nhân đạt 80%.",
        "- Tỷ lệ hộ gia đình có đường truyền cáp quang đạt 95%.",
        "- Lắp đặt 300 điểm phát sóng wifi miễn phí tại nơi công cộng.",
        "- Thời gian xử lý hồ sơ trực tuyến không quá 3 ngày.",
        "II. NHIỆM VỤ",
        "1. Phát triển hạ tầng số",
        "a) Sở Khoa học và Công nghệ chủ trì mở rộng vùng phủ sóng di động đến các thôn, bản.",
        "b) Công an tỉnh chủ trì cấp chữ ký số cho người dân.",
        "2. Phát triển kỹ năng số",
        "a) Sở Giáo dục và Đào tạo chủ trì tổ chức các lớp kỹ năng số cho học sinh.",
    ],
    targets=[
        (80, None, "%", 2026, ">="),
        (95, None, "%", 2026, ">="),
        (300, None, "điểm", 2026, "="),
        (3, None, "ngày", 2026, "<="),
    ],
    tasks=["Sở Khoa học và Công nghệ chủ trì mở rộng", "Công an tỉnh chủ trì cấp", "Sở Giáo dục và Đào tạo chủ trì"],
)

_LONG_TASKS = [
    ("Xây dựng kiến trúc chính quyền số của tỉnh phiên bản 4.0", "Sở Khoa học và Công nghệ", "Các sở, ban, ngành"),
    ("Triển khai hệ thống quản lý văn bản và điều hành liên thông bốn cấp", "Văn phòng UBND tỉnh", "Sở Nội vụ"),
    (
        "Nâng cấp cổng dịch vụ công và hệ thống thông tin giải quyết thủ tục hành chính",
        "Văn phòng UBND tỉnh",
        "Sở Khoa học và Công nghệ",
    ),
    ("Xây dựng cơ sở dữ liệu cán bộ, công chức, viên chức của tỉnh", "Sở Nội vụ", "Sở Tài chính"),
    ("Triển khai bệnh án điện tử tại các bệnh viện công lập", "Sở Y tế", "Bảo hiểm xã hội tỉnh"),
    ("Xây dựng hệ thống camera giám sát an ninh, trật tự công cộng", "Công an tỉnh", "UBND các xã, phường"),
    ("Phát triển hệ thống thông tin quản lý đất đai đa mục tiêu", "Sở Nông nghiệp và Môi trường", "Sở Tài chính"),
    (
        "Số hóa di sản văn hóa và quảng bá du lịch trên môi trường số",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Khoa học và Công nghệ",
    ),
    (
        "Triển khai thanh toán không dùng tiền mặt trong trường học",
        "Sở Giáo dục và Đào tạo",
        "Ngân hàng Nhà nước chi nhánh tỉnh",
    ),
    ("Xây dựng trung tâm giám sát, điều hành đô thị thông minh", "Sở Khoa học và Công nghệ", "Công an tỉnh"),
    ("Đào tạo kỹ năng số cho tổ công nghệ số cộng đồng", "Sở Khoa học và Công nghệ", "UBND các xã, phường"),
    ("Hỗ trợ hộ sản xuất đưa sản phẩm lên sàn thương mại điện tử", "Sở Công Thương", "UBND các xã, phường"),
    ("Bảo đảm an toàn thông tin theo mô hình bốn lớp cho các hệ thống", "Công an tỉnh", "Sở Khoa học và Công nghệ"),
    ("Đánh giá, xếp hạng mức độ chuyển đổi số của các cơ quan, địa phương", "Sở Khoa học và Công nghệ", "Sở Nội vụ"),
]

PHU_VAN = Layout(
    "text PDF whose task table breaks across pages (header repeated, page numbers between)",
    "ke-hoach-phu-van.pdf",
    [
        *header(
            "Phú Vân",
            "203/KH-UBND",
            "ngày 30 tháng 6 năm 2026",
            "KẾ HOẠCH",
            "Chuyển đổi số tỉnh Phú Vân giai đoạn 2026 - 2030",
        ),
        "I. MỤC TIÊU",
        "1. Chỉ tiêu chủ yếu",
        "- Đến năm 2027, 100% cơ quan nhà nước cấp tỉnh sử dụng văn bản điện tử có ký số.",
        "- Phấn đấu 70% người dân có tài khoản thanh toán điện tử vào năm 2028.",
        "- Kinh tế số chiếm tối thiểu 15% GRDP đến năm 2030.",
        "II. NHIỆM VỤ CỤ THỂ",
        Table(
            [["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm"]]
            + [
                [
                    str(i),
                    title,
                    lead,
                    coord,
                    str(2026 + i % 4),
                    "Báo cáo kết quả, hệ thống đưa vào sử dụng trong toàn tỉnh",
                ]
                for i, (title, lead, coord) in enumerate(_LONG_TASKS, start=1)
            ],
            [10, 62, 34, 32, 22, 30],
        ),
        "III. TỔ CHỨC THỰC HIỆN",
        "Các cơ quan, đơn vị căn cứ Kế hoạch này chủ động triển khai thực hiện.",
    ],
    targets=[(100, None, "%", 2027, ">="), (70, None, "%", 2028, ">="), (15, None, "%", 2030, ">=")],
    tasks=[title[:40] for title, _lead, _coord in _LONG_TASKS],
)

AN_THUY = Layout(
    "DOCX with targets only in prose",
    "ke-hoach-an-thuy.docx",
    [
        *header(
            "An Thủy", "17/KH-UBND", "ngày 09 tháng 4 năm 2026", "KẾ HOẠCH", "Chuyển đổi số tỉnh An Thủy đến năm 2030"
        ),
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Bảo đảm sự lãnh đạo, chỉ đạo thống nhất trong triển khai chuyển đổi số.",
        "II. MỤC TIÊU CỤ THỂ",
        "a) Chính quyền số: đến năm 2027, 100% văn bản trao đổi giữa các cơ quan nhà nước dưới dạng điện tử; "
        "90% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng.",
        "b) Kinh tế số: phấn đấu đến năm 2030 có 500 doanh nghiệp công nghệ số; tỷ lệ thanh toán không dùng tiền "
        "mặt đạt 80%.",
        "c) Xã hội số: đến năm 2028, tối thiểu 70% dân số trưởng thành có kỹ năng số cơ bản; thời gian cấp giấy "
        "phép xây dựng trực tuyến tối đa 7 ngày.",
        "III. NHIỆM VỤ, GIẢI PHÁP",
        "1. Hoàn thiện thể chế",
        "a) Sở Tư pháp chủ trì rà soát các quy định về giao dịch điện tử của tỉnh.",
        "b) Văn phòng UBND tỉnh chủ trì xây dựng quy chế làm việc trên môi trường số.",
        "2. Phát triển dữ liệu",
        "a) Sở Khoa học và Công nghệ chủ trì xây dựng kho dữ liệu mở của tỉnh.",
    ],
    targets=[
        # "phấn đấu … có 500 doanh nghiệp": "phấn đấu" is a floor (≥), as in prose targets everywhere
        (100, None, "%", 2027, ">="),
        (90, None, "%", 2027, ">="),
        (500, None, "doanh nghiệp", 2030, ">="),
        (80, None, "%", 2030, ">="),
        (70, None, "%", 2028, ">="),
        (7, None, "ngày", 2028, "<="),
    ],
    tasks=["Sở Tư pháp chủ trì rà soát", "Văn phòng UBND tỉnh chủ trì xây dựng", "Sở Khoa học và Công nghệ chủ trì"],
)

LAYOUTS = {
    "hoa_son_pdf": HOA_SON,
    "lam_giang_docx": LAM_GIANG,
    "kim_dai_xlsx": KIM_DAI,
    "ngoc_lam_scan": NGOC_LAM,
    "phu_van_pdf": PHU_VAN,
    "an_thuy_docx": AN_THUY,
}


# ---- renderers -----------------------------------------------------------------------------------


def fonts_available() -> bool:
    return FONT.exists() and FONT_BOLD.exists()


def to_pdf(layout: Layout, *, page_numbers: bool = True, repeat: int = 1) -> bytes:
    """A text PDF: paragraphs, ruled tables (a one-cell row spans the table); page numbers on top
    from page 2, as Nghị định 30 sets. `repeat` copies the body (the 60-page benchmark)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    class Pdf(FPDF):
        def header(self):
            if page_numbers and self.page_no() > 1:
                self.set_font("DejaVu", size=10)
                self.cell(0, 6, str(self.page_no()), align="C")
                self.ln(8)

    pdf = Pdf(format="A4")
    pdf.set_margins(20, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.add_page()
    for _copy in range(repeat):
        for block in layout.blocks:
            pdf.set_font("DejaVu", size=10)
            if isinstance(block, Table):
                width = len(block.rows[0])
                with pdf.table(
                    col_widths=block.widths,
                    text_align="LEFT",
                    line_height=5,
                    headings_style=FontFace(emphasis="BOLD"),
                    repeat_headings=1,
                ) as table:
                    for row in block.rows:
                        out = table.row()
                        if len(row) == 1:
                            out.cell(str(row[0]), colspan=width)
                        else:
                            for cell in row:
                                out.cell(str(cell))
                pdf.ln(3)
            else:
                pdf.multi_cell(0, 6, block, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def to_docx(layout: Layout) -> bytes:
    import docx

    document = docx.Document()
    for block in layout.blocks:
        if isinstance(block, Table):
            width = len(block.rows[0])
            table = document.add_table(rows=0, cols=width)
            table.style = "Table Grid"
            for row in block.rows:
                cells = table.add_row().cells
                if len(row) == 1:
                    merged = cells[0].merge(cells[-1])
                    merged.text = str(row[0])
                else:
                    for cell, text in zip(cells, row, strict=True):
                        cell.text = str(text)
        else:
            document.add_paragraph(block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_xlsx(layout: Layout, *, formula: bool = False) -> bytes:
    """One sheet per "Phụ lục" paragraph, holding the tables after it."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = None
    for block in layout.blocks:
        if isinstance(block, str):
            sheet = book.create_sheet(block)
            continue
        width = max(len(r) for r in block.rows)
        for row in block.rows:
            sheet.append(list(row))
            if len(row) == 1:
                r = sheet.max_row
                sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    if formula:
        sheet.append([9, "Tổng số", "", "=SUM(D3:D6)"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def page_images(lines: list[str], *, dpi: int = 200, pages: int = 1) -> list:
    """The lines drawn on A4 pages (black on white, DejaVu Sans 12 pt), as a scanner gives them."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    font = ImageFont.truetype(str(FONT), size=int(12 * dpi / 72))
    step = int(12 * dpi / 72 * 1.6)
    images = []
    for _ in range(pages):
        image = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(image)
        y = int(0.8 * dpi)
        for line in lines:
            for piece in _wrap(draw, line, font, width - int(1.6 * dpi)):
                draw.text((int(0.9 * dpi), y), piece, font=font, fill=0)
                y += step
        images.append(image)
    return images


def _wrap(draw, text: str, font, limit: int) -> list[str]:
    words, out, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= limit:
            line = candidate
        else:
            out.append(line)
            line = word
    return [*out, line] if line else out


def to_scan(layout: Layout, *, dpi: int = 200, pages: int = 1) -> bytes:
    """An image-only PDF: every page a picture of the text, no text layer."""
    lines = [b for b in layout.blocks if isinstance(b, str)]
    images = page_images(lines, dpi=dpi, pages=pages)
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def render(key: str) -> tuple[bytes, str]:
    layout = LAYOUTS[key]
    if key.endswith("_pdf"):
        return to_pdf(layout), layout.filename
    if key.endswith("_docx"):
        return to_docx(layout), layout.filename
    if key.endswith("_xlsx"):
        return to_xlsx(layout), layout.filename
    return to_scan(layout), layout.filename
