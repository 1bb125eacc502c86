"""find_targets: quantified targets of a plan's objective and task sections. No database.

The seed tables below are the ground truth, read by hand from each seed (one row
per quantity and year: source line, value, value_max, unit, year, direction; the comment says what is
measured). Numbers that are not targets and were left out on purpose are listed under each table.
"""

from pathlib import Path

import pytest

from dxtrack.core.testing import require_seeds
from dxtrack.plans.extract import extract as extract_document
from dxtrack.plans.extract.model import ExtractedTarget, SourceText
from dxtrack.plans.extract.structure import parse_clauses
from dxtrack.plans.extract.targets import find_targets

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
SEED_FILES = {
    "000": "000_d2393ab346833def.txt",
    "001": "001_c7ed606fd43ceda3.txt",
    "002": "002_1454c6ee8fd59a30.txt",
    "003": "003_32b25852142fd617.txt",
    "004": "004_67e7729b7963d004.txt",
}
YEAR_CONTEXT = {"002": 2024}  # the 2024 plan of the steering committee

# fmt: off
TRUTH = {
    # 000 — QĐ 4216/QĐ-UBND, II. MỤC TIÊU (2.1 to 2025, 2.2 to 2030; a/b/c = chính quyền/kinh tế/xã hội số).
    # Left out: "mức độ 3, mức độ 4", "4G/5G", the 749/QĐ-TTg references, "04 loại hình" (a list's size).
    "000": [
        (92, 100, None, "%", 2020, ">="),   # work files handled electronically, end 2020
        (96, 70, None, "%", 2022, ">="),    # online public services at level 4 ("- Đến hết năm 2022:")
        (98, 60, None, "%", 2022, ">="),    # files handled online, "đạt từ 60% trở lên"
        (98, 90, None, "%", 2022, ">="),    # satisfaction, "tối thiểu 90%"
        (100, 80, None, "%", 2022, ">="),   # reports on the reporting system
        (102, 20, None, "%", 2022, ">="),   # inspections done digitally
        (106, 90, None, "%", 2025, ">="),   # level-4 services ("- Đến năm 2025:")
        (108, 75, None, "%", 2025, ">="),   # files handled online
        (108, 95, None, "%", 2025, ">="),   # satisfaction
        (110, 100, None, "%", 2025, ">="),  # reports on the reporting system
        (114, 50, None, "%", 2025, ">="),   # inspections done digitally
        (120, 15, None, "%", 2022, ">="),   # digital economy share of GRDP
        (120, 20, None, "%", 2025, ">="),
        (122, 10, None, "%", 2025, ">="),   # digital economy share in each sector, "tối thiểu"
        (124, 7, None, "%", 2025, ">="),    # labour productivity growth per year
        (128, 50, None, "%", 2022, ">="),   # fibre to households, "trên 50%"
        (128, 100, None, "%", 2022, ">="),  # fibre to communes
        (128, 80, None, "%", 2025, ">="),   # fibre to households
        (132, 25, None, "%", 2022, ">="),   # population with e-payment account, "trên 25%"
        (132, 50, None, "%", 2025, ">="),
        (138, 100, None, "%", 2030, ">="),  # level-4 services on all devices
        (140, 80, None, "%", 2030, ">="),   # files handled online
        (142, 30, None, "%", 2030, ">="),   # "giảm 30%" administrative procedures (a cut of at least 30%)
        (142, 30, None, "%", 2030, ">="),   # "tăng 30%" data-driven services
        (144, 70, None, "%", 2030, ">="),   # inspections done digitally
        (148, 30, None, "%", 2030, ">="),   # digital economy share of GRDP
        (150, 20, None, "%", 2030, ">="),   # share in each sector
        (152, 8, None, "%", 2030, ">="),    # labour productivity growth
        (160, 80, None, "%", 2030, ">="),   # e-payment accounts, "trên 80%"
        # Stated inside the task sections (III, V); no year written: the plan's horizon, 2025.
        (210, 10, None, "%", 2025, ">="),   # share of IT project budgets for information security, "tối thiểu"
        (302, 100, None, "%", 2025, ">="),  # health facilities with a remote-consultation unit
        (316, 100, None, "%", 2025, ">="),  # schools on broadband ("Đến năm 2025, có 100% …")
        (316, 100, None, "%", 2025, ">="),  # pupils with Internet and online learning materials
        (316, 100, None, "%", 2025, ">="),  # schools with a website
        (322, 100, None, "%", 2025, ">="),  # schools teaching remotely
        (400, 3, 5, "xã", 2025, "range"),   # communes piloting digital-skills outreach, "từ 03 đến 05"
    ],
    # 001 — NQ 06-NQ/TU, II.2 Mục tiêu (2.1 general with the ranks, 2.2 to 2025, 2.3 to 2030; the
    # "a, / b, / c," sub-heads are lines, not clauses). Left out: "15/63" (2020 result in I), "mức độ 4",
    # "4G/5G".
    "001": [
        (13, 10, None, "hạng", 2025, "<="),  # in the group of 10 leading provinces
        (13, 10, None, "hạng", 2030, "<="),
        (13, 5, None, "hạng", 2030, "<="),   # group of 5 leading in chính quyền số
        (16, 100, None, "%", 2025, ">="),    # systems and databases connected
        (17, 50, None, "%", 2025, ">="),     # inspections online
        (18, 100, None, "%", 2025, ">="),    # eligible procedures online at level 4
        (19, 90, None, "%", 2025, ">="),     # satisfaction, "trở lên"
        (20, 100, None, "%", 2025, ">="),    # e-identification of online service users
        (22, 20, None, "%", 2025, ">="),     # digital economy share of GRDP
        (23, 9.6, None, "%", 2025, ">="),    # productivity growth, "giai đoạn 2021 - 2025"
        (24, 50, None, "%", 2025, ">="),     # enterprises transformed
        (26, 6, None, "huyện", 2025, ">="),  # districts completing transformation, "06 … trở lên"
        (26, 300, None, "xã", 2025, ">="),   # communes completing transformation
        (27, 50, None, "%", 2025, ">="),     # e-payment accounts
        (30, 98, None, "%", 2030, ">="),     # satisfaction
        (31, 70, None, "%", 2030, ">="),     # inspections online
        (33, 30, None, "%", 2030, ">="),     # digital economy share of GRDP
        (34, 8.1, None, "%", 2030, ">="),    # productivity growth, "giai đoạn 2026 - 2030"
        (35, 80, None, "%", 2030, ">="),     # enterprises transformed
        (37, 100, None, "%", 2030, ">="),    # districts completing transformation
        (37, 80, None, "%", 2030, ">="),     # communes completing transformation
        (38, 80, None, "%", 2030, ">="),     # e-payment accounts
        # Stated inside III. Nhiệm vụ, giải pháp.
        (45, 100, None, "%", 2025, ">="),    # fibre to villages and residential clusters
        (45, 80, None, "%", 2025, ">="),     # fibre to households, "80% trở lên"
        (45, 100, None, "%", 2025, ">="),    # 4G to villages
        (45, 100, None, "%", 2025, ">="),    # 5G to communes of lowland districts
        (45, 100, None, "%", 2025, ">="),    # 5G to townships of mountain districts
        (54, 4, None, "đô thị", 2025, "="),  # smart cities, "trước mắt là 04 đô thị"
        (58, 80, None, "%", 2025, ">="),     # agriculture databases on the big-data system
        (62, 80, None, "%", 2025, ">="),     # natural-resources databases on the big-data system
        (67, 100, None, "%", 2025, ">="),    # health facilities with a remote-consultation unit
    ],
    # 002 — KH-BCĐ 2024, I.1.b Mục tiêu cụ thể (year from the single-year plan).
    # Left out: "04 trụ cột" (inside the quoted theme), "Đề án 06", 06/QĐ-TTg, 422/QĐ-TTg, their dates,
    # the footnote mark, "28 nhóm dịch vụ công" (groups, a list's size), "01 quý/01 lần" (a frequency).
    "002": [
        (28, 10, 20, "doanh nghiệp", 2024, "range"),  # digital technology enterprises, "từ 10-20"
        (30, 60, None, "%", 2024, ">="),   # enterprises in industrial zones using platforms
        (32, 40, None, "%", 2024, ">="),   # adults using online public services
        (34, 53, None, "dịch vụ công", 2024, "="),  # essential services deployed …
        (34, 25, None, "dịch vụ công", 2024, "="),  # … of which under Đề án 06
        (34, 28, None, "dịch vụ công", 2024, "="),  # … of which under QĐ 422
        (36, 100, None, "%", 2024, ">="),  # villages with grid power covered by mobile broadband
        (38, 100, None, "%", 2024, ">="),  # agencies on the information-security platform
        # The task table of II: new figures only (its rows 2, 4 of II, 2 of IV.B and 1 of VII restate I.1.b).
        (84, 100, None, "%", 2024, ">="),  # e-invoices from cash registers: petrol retailers
        (84, 80, None, "%", 2024, ">="),   # … shopping centres
        (84, 50, None, "%", 2024, ">="),   # … food and retail outlets
        (114, 100, None, "%", 2024, ">="),  # village cultural houses on fibre (the result cell of "tới 100% thôn, bản")
    ],
    # 003 — KH on Nghị quyết 50/NQ-CP (CMCN 4.0), 2. Mục tiêu (2.1 general, 2.2.1–2.2.4 by field,
    # "- Giai đoạn 2021-2025:" / "2026-2030:" lead-ins). Lines 29/31 and 59/61 are one wrapped bullet each.
    # Left out: "CMCN 4.0", "mức độ 3, 4", "5G", "2045" (vision, no figure), "1 năm/1 lần" and "6 tháng/1 lần"
    # (frequencies), "5 nhóm lĩnh vực" (a list's size).
    "003": [
        (29, 20, None, "%", 2025, ">="),   # digital economy share of GRDP ("khoảng")
        (29, 7, None, "%", 2025, ">="),    # productivity growth "tối thiểu 7,0%/năm"
        (29, 100, None, "%", 2025, ">="),  # broadband to communes
        (31, 30, None, "%", 2030, ">="),   # digital economy share of GRDP
        (31, 8, None, "%", 2030, ">="),    # productivity growth "8,0%"
        (41, 90, None, "%", 2025, ">="),   # level-4 services
        (41, 40, None, "%", 2025, ">="),   # people and firms with e-identification
        (43, 75, None, "%", 2025, ">="),   # files handled online
        (43, 95, None, "%", 2025, ">="),   # satisfaction
        (45, 60, None, "%", 2025, ">="),   # systems on the integration platform
        (47, 100, None, "%", 2025, ">="),  # documents exchanged electronically ("Duy trì")
        (49, 80, None, "%", 2025, ">="),   # periodic reports on the national system
        (49, 100, None, "%", 2025, ">="),  # … of which the provincial People's Committee's
        (51, 80, None, "%", 2025, ">="),   # districts meeting online
        (59, 100, None, "%", 2030, ">="),  # level 3-4 files online
        (61, 98, None, "%", 2030, ">="),   # satisfaction, "trên 98%"
        (63, 100, None, "%", 2030, ">="),  # level-4 services on all devices
        (65, 90, None, "%", 2030, ">="),   # e-identification
        (71, 60, None, "%", 2030, ">="),   # cities with modern infrastructure
        (79, 30, None, "%", 2025, ">="),   # agri-food firms with supply-chain software, "Trên 30%"
        (85, 50, None, "%", 2030, ">="),
        (91, 2, None, "bệnh viện", 2025, "="),  # provincial smart hospitals
        (91, 6, None, "bệnh viện", 2025, "="),  # district smart hospitals
        (91, 100, None, "%", 2025, ">="),  # health stations with e-health records
        (93, 100, None, "%", 2030, ">="),  # smart hospitals
        (93, 100, None, "%", 2030, ">="),  # health facilities managing e-health records
        (101, 80, None, "%", 2025, ">="),  # e-commerce sites with online ordering
        (101, 50, None, "%", 2025, ">="),  # firms trading on exchanges
        (101, 40, None, "%", 2025, ">="),  # firms on mobile e-commerce
        (103, 90, None, "%", 2030, ">="),
        (103, 70, None, "%", 2030, ">="),
        (103, 50, None, "%", 2030, ">="),
        (115, 400, None, "doanh nghiệp", 2025, "="),  # IT enterprises
        (117, 800, None, "tỷ đồng", 2025, ">="),      # IT industry revenue "đạt khoảng 800 tỷ"
        (117, 15, 20, "%", 2025, "range"),            # revenue growth "15 - 20%/năm"
        (117, 3, 5, "%", 2025, "range"),              # share of GRDP "từ 3-5%"
        (121, 550, None, "doanh nghiệp", 2030, "="),
        (123, 1750, None, "tỷ đồng", 2030, ">="),     # "1.750 tỷ đồng"
        (123, 20, 25, "%", 2030, "range"),            # "20 đến 25%/năm"
        (123, 5, 7, "%", 2030, "range"),              # "từ 5-7%"
        (127, 150, None, "nhân lực", 2025, ">="),     # high-quality IT staff, "ít nhất"
        (127, 100, None, "%", 2025, ">="),            # civil servants with computer skills
        (127, 50, None, "%", 2025, ">="),             # workers trained, "trên 50%"
        (129, 500, None, "nhân lực", 2030, ">="),
        # Stated in 3. Nhiệm vụ chủ yếu and the appendix (its rows 1 and 2 restate 3.1); horizon 2025.
        (139, 1, 2, "nội dung tuyên truyền", 2025, "range"),  # CMCN 4.0 items on radio/TV and the paper each quarter
        (141, 1, 3, "lớp", 2025, "range"),      # training classes a year
        (141, 50, 100, "người", 2025, "range"),  # trainees per class
        (232, 14, None, "dự án", 2025, "="),    # investment projects approved in principle
    ],
    # 004 — KH kinh tế số và xã hội số 2022–2025, I. MỤC TIÊU (1.2 and 2.2 "Mục tiêu cơ bản đến năm 2025",
    # tab-indented "- " bullets): 6 digital-economy and 11 digital-society targets.
    # Left out: "từ 15 tuổi trở lên" (an age bracket), 411/QĐ-TTg, "mô hình bảo vệ 04 lớp" (a model's name),
    # "05 - 10 năm tới" (a duration).
    "004": [
        (10, 20, None, "%", 2025, ">="),  # digital economy share of GRDP
        (11, 10, None, "%", 2025, ">="),  # share in each sector, "tối thiểu"
        (12, 10, None, "%", 2025, ">="),  # e-commerce share of retail, "trên"
        (13, 80, None, "%", 2025, ">="),  # firms using e-contracts
        (14, 50, None, "%", 2025, ">="),  # SMEs using digital platforms
        (15, 2, None, "%", 2025, ">="),   # digital-economy workforce share
        (19, 80, None, "%", 2025, ">="),  # adults with smartphones
        (20, 80, None, "%", 2025, ">="),  # people 15+ with a bank or payment account
        (21, 50, None, "%", 2025, ">="),  # adults with digital signatures
        (22, 70, None, "%", 2025, ">="),  # working-age people trained in basic digital skills
        (23, 80, None, "%", 2025, ">="),  # households with fibre
        (24, 70, None, "%", 2025, ">="),  # connected people protected
        (25, 50, None, "%", 2025, ">="),  # adults using online public services
        (26, 30, None, "%", 2025, ">="),  # adults using telehealth
        (27, 90, None, "%", 2025, ">="),  # people with e-health records
        (28, 80, None, "%", 2025, ">="),  # universities and colleges with digital management
        (29, 70, None, "%", 2025, ">="),  # schools with digital management
        # Stated in II.1.1 (and restated in the appendix): online share of each body's activities.
        (33, 50, None, "%", 2025, ">="),
    ],
}

# Hand-checked samples: (line, value, value_max, unit, year, direction, clause, pillar, sector).
SAMPLES = {
    "000": [
        (98, 60, None, "%", 2022, ">=", "II.2.1.a", "chinh_quyen_so", ""),
        (98, 90, None, "%", 2022, ">=", "II.2.1.a", "chinh_quyen_so", ""),
        (120, 20, None, "%", 2025, ">=", "II.2.1.b", "kinh_te_so", ""),
        (128, 50, None, "%", 2022, ">=", "II.2.1.c", "xa_hoi_so", ""),
        (160, 80, None, "%", 2030, ">=", "II.2.2.c", "xa_hoi_so", ""),
    ],
    "001": [
        (13, 10, None, "hạng", 2025, "<=", "II.2.1", "", ""),
        (13, 5, None, "hạng", 2030, "<=", "II.2.1", "chinh_quyen_so", ""),
        (23, 9.6, None, "%", 2025, ">=", "II.2.2", "kinh_te_so", ""),
        (26, 6, None, "huyện", 2025, ">=", "II.2.2", "xa_hoi_so", ""),
        (37, 80, None, "%", 2030, ">=", "II.2.3", "xa_hoi_so", ""),
    ],
    "002": [
        (28, 10, 20, "doanh nghiệp", 2024, "range", "I.1.b", "kinh_te_so", ""),
        (34, 53, None, "dịch vụ công", 2024, "=", "I.1.b", "chinh_quyen_so", ""),
        (36, 100, None, "%", 2024, ">=", "I.1.b", "ha_tang_so", ""),
        (38, 100, None, "%", 2024, ">=", "I.1.b", "an_toan_thong_tin", ""),
    ],
    "003": [
        (29, 7, None, "%", 2025, ">=", "2.1", "kinh_te_so", ""),
        (29, 100, None, "%", 2025, ">=", "2.1", "ha_tang_so", ""),
        (79, 30, None, "%", 2025, ">=", "2.2.2.a", "kinh_te_so", "nông nghiệp"),
        (91, 2, None, "bệnh viện", 2025, "=", "2.2.2.b", "", "y tế"),
        (123, 1750, None, "tỷ đồng", 2030, ">=", "2.2.3", "kinh_te_so", ""),
        (127, 150, None, "nhân lực", 2025, ">=", "2.2.4", "nhan_luc_so", ""),
    ],
    "004": [
        (10, 20, None, "%", 2025, ">=", "I.1.2", "kinh_te_so", ""),
        (15, 2, None, "%", 2025, ">=", "I.1.2", "kinh_te_so", ""),
        (20, 80, None, "%", 2025, ">=", "I.2.2", "xa_hoi_so", ""),
        (29, 70, None, "%", 2025, ">=", "I.2.2", "xa_hoi_so", ""),
    ],
}
# fmt: on


def extract(text: str, year_context: int | None = None) -> list[ExtractedTarget]:
    source = SourceText(text)
    return find_targets(source, parse_clauses(source), year_context=year_context)


def row(t: ExtractedTarget) -> tuple:
    return (t.line, t.value, t.value_max, t.unit, t.year, t.direction)


def seed_targets(key: str) -> list[ExtractedTarget]:
    require_seeds(SEEDS)
    path = SEEDS / SEED_FILES[key]
    source = SourceText(path.read_text(encoding="utf-8"), path.name)
    # The whole extractor, for the horizon it reads from the title (000: "đến năm 2025, …").
    return extract_document(source, year_context=YEAR_CONTEXT.get(key)).targets


# --- the five seeds --------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "count"), [("000", 36), ("001", 31), ("002", 12), ("003", 48), ("004", 18)])
def test_seed_count_is_the_hand_count(key, count):
    assert len(TRUTH[key]) == count
    assert len(seed_targets(key)) == count


@pytest.mark.parametrize("key", sorted(TRUTH))
def test_seed_targets_are_the_hand_list(key):
    assert [row(t) for t in seed_targets(key)] == TRUTH[key]


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_seed_samples(key):
    targets = seed_targets(key)
    for line, value, value_max, unit, year, direction, clause, pillar, sector in SAMPLES[key]:
        matches = [t for t in targets if t.line == line and t.value == value and t.year == year]
        assert len(matches) == 1, (line, value, year)
        t = matches[0]
        assert (t.value_max, t.unit, t.direction) == (value_max, unit, direction)
        assert (t.clause, t.pillar, t.sector) == (clause, pillar, sector)


def test_seed_texts_are_the_bullets():
    targets = seed_targets("001")
    rank = targets[0]
    assert rank.text.startswith("Phấn đấu đến năm 2025 tỉnh Thanh Hóa trong nhóm 10 tỉnh")
    assert all(0 < len(t.text) <= 500 for t in targets)
    wrapped = next(t for t in seed_targets("003") if t.line == 61)
    assert "trực tuyển; trên 98%" in wrapped.text  # the bullet wrapped over lines 59 and 61


# --- constructed sentences -------------------------------------------------------------------------

HEAD = "II. MỤC TIÊU\n1. Mục tiêu cụ thể\n"


def one(text: str, year_context: int | None = 2026) -> ExtractedTarget:
    targets = extract(HEAD + text, year_context)
    assert len(targets) == 1, [row(t) for t in targets]
    return targets[0]


def test_several_years_in_one_sentence():
    targets = extract(HEAD + "- Tỷ lệ hộ gia đình dùng cáp quang đến năm 2026 đạt 50%, đến năm 2030 đạt 80%.")
    assert [(t.value, t.year, t.direction) for t in targets] == [(50, 2026, ">="), (80, 2030, ">=")]
    assert {t.line for t in targets} == {3}


def test_a_year_right_after_the_quantity_binds_to_it():
    targets = extract(HEAD + "- Thanh toán không dùng tiền mặt đạt 40% vào năm 2026 và 60% vào năm 2028.")
    assert [(t.value, t.year) for t in targets] == [(40, 2026), (60, 2028)]


def test_several_quantities_in_one_bullet():
    targets = extract(HEAD + "- Tỷ lệ hồ sơ xử lý trực tuyến đạt 70%; tối thiểu 85% người dân hài lòng.", 2026)
    assert [(t.value, t.unit, t.direction) for t in targets] == [(70, "%", ">="), (85, "%", ">=")]


def test_ranges():
    targets = extract(HEAD + "- Phát triển từ 12 đến 18 doanh nghiệp công nghệ số; doanh thu tăng 15-25%/năm.", 2026)
    assert [(t.value, t.value_max, t.unit, t.direction) for t in targets] == [
        (12, 18, "doanh nghiệp", "range"),
        (15, 25, "%", "range"),
    ]


def test_from_up():
    t = one("- Tỷ lệ hồ sơ trực tuyến toàn trình đạt từ 65% trở lên.")
    assert (t.value, t.unit, t.direction, t.year) == (65, "%", ">=", 2026)


def test_trailing_tro_len_after_the_noun():
    t = one("- Có 08 huyện trở lên hoàn thành chuyển đổi số.")
    assert (t.value, t.unit, t.direction) == (8, "huyện", ">=")


def test_upper_bounds():
    targets = extract(
        HEAD + "- Thời gian xử lý không quá 3 ngày làm việc; hồ sơ trễ hạn dưới 2%; "
        "giảm tỷ lệ văn bản giấy xuống 5%; chi phí tối đa 10 triệu đồng.",
        2026,
    )
    assert [(t.value, t.unit, t.direction) for t in targets] == [
        (3, "ngày", "<="),
        (2, "%", "<="),
        (5, "%", "<="),
        (10, "triệu đồng", "<="),
    ]


def test_decimal_comma_and_thousands_dot():
    targets = extract(HEAD + "- Kinh tế số chiếm 7,5% GRDP; doanh thu đạt 1.250 tỷ đồng; 2,5 triệu người có tài khoản.")
    assert [(t.value, t.unit) for t in targets] == [(7.5, "%"), (1250, "tỷ đồng"), (2_500_000, "người")]
    assert [t.pillar for t in targets] == ["kinh_te_so", "kinh_te_so", "xa_hoi_so"]


def test_ranks():
    targets = extract(
        HEAD + "- Chỉ số DTI xếp hạng trong top 20 cả nước; nằm trong nhóm 15 tỉnh dẫn đầu; xếp thứ 8/63.", 2026
    )
    assert [(t.value, t.unit, t.direction) for t in targets] == [
        (20, "hạng", "<="),
        (15, "hạng", "<="),
        (8, "hạng", "<="),
    ]


def test_exact_count_without_comparator():
    t = one("- Xây dựng 05 đô thị thông minh.")
    assert (t.value, t.unit, t.direction) == (5, "đô thị", "=")


def test_non_target_numbers_are_left_out():
    t = one(
        "- Thực hiện Quyết định số 749/QĐ-TTg ngày 03/6/2020 và Nghị quyết 06-NQ/TU theo Đề án 06, "
        "100% dịch vụ công trực tuyến mức độ 3, mức độ 4 được cung cấp qua mạng 5G, ứng dụng CMCN 4.0."
    )
    assert (t.value, t.unit, t.year) == (100, "%", 2026)  # neither 2020 nor any reference dates it
    assert extract(HEAD + "- Tổ chức thực hiện chủ đề “Phát triển 3 trụ cột” với 5 nhóm giải pháp.") == []
    t = one("- Tỷ lệ dân số từ 15 tuổi trở lên có tài khoản thanh toán đạt 70%.")
    assert (t.value, t.direction) == (70, ">=")


def test_figures_already_reached_are_not_targets():
    t = one("- Tỷ lệ hồ sơ trực tuyến năm 2023 đã đạt 45%, phấn đấu đạt 60%.")
    assert (t.value, t.year) == (60, 2026)
    targets = extract(HEAD + "- Tăng tỷ lệ thanh toán số từ 30% lên 50%; giảm thời gian từ 10 ngày xuống còn 5 ngày.")
    assert [(t.value, t.direction) for t in targets] == [(50, ">="), (5, "<=")]


def test_baseline_year_does_not_date_a_target():
    t = one("- Dịch vụ sáng tạo dựa trên dữ liệu tăng 30% so với năm 2020.")
    assert (t.value, t.year, t.direction) == (30, 2026, ">=")


def test_targets_come_from_objective_and_task_sections_not_from_situation_or_viewpoints():
    text = (
        "I. TÌNH HÌNH THỰC HIỆN NĂM 2023\n"
        "Năm 2023, tỷ lệ hồ sơ trực tuyến đạt 45%.\n"
        "II. QUAN ĐIỂM, MỤC TIÊU\n"
        "1. Quan điểm\n"
        "- Ít nhất 3 đột phá, lấy 100% người dân làm trung tâm.\n"
        "2. Mục tiêu\n"
        "- 80% hộ gia đình có cáp quang đến năm 2025.\n"
        "III. NHIỆM VỤ, GIẢI PHÁP\n"
        "a) Thực hiện các mục tiêu, nhiệm vụ; bảo đảm 50% cơ quan dùng chữ ký số.\n"
    )
    targets = extract(text)
    # The task's 50% states no year: the nearest year the objectives set.
    assert [(t.clause, t.value, t.year) for t in targets] == [("II.2", 80, 2025), ("III.a", 50, 2025)]


def test_another_province_layout_with_articles_and_letters():
    text = (
        "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN\n"
        "KẾ HOẠCH\nChuyển đổi số năm 2025\n"
        "Điều 1. Phạm vi\nKế hoạch áp dụng cho 21 huyện và 412 xã.\n"
        "Điều 2. Mục tiêu\n"
        "a) Đến năm 2025, 95% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng.\n"
        "b) Có ít nhất 1.200 doanh nghiệp sử dụng nền tảng số.\n"
        "c) Thời gian xử lý hồ sơ trực tuyến không quá 3 ngày làm việc.\n"
        "Điều 3. Nhiệm vụ\n"
        "a) Sở Thông tin và Truyền thông bảo đảm 100% cơ quan kết nối mạng.\n"
    )
    targets = extract(text, year_context=2025)
    assert [(t.clause, t.value, t.unit, t.year, t.direction, t.pillar) for t in targets] == [
        ("Điều 2.a", 95, "%", 2025, ">=", "chinh_quyen_so"),
        ("Điều 2.b", 1200, "doanh nghiệp", 2025, ">=", "kinh_te_so"),
        ("Điều 2.c", 3, "ngày", 2025, "<=", "chinh_quyen_so"),
        ("Điều 3.a", 100, "%", 2025, ">=", ""),
    ]


def test_unnumbered_lead_in_lines_open_a_zone_and_set_the_year():
    text = (
        "II. ĐỊNH HƯỚNG\n"
        "Mục tiêu cụ thể:\n"
        "- Đến hết năm 2026:\n"
        "+ 70% người dân có danh tính số.\n"
        "- Giai đoạn 2026-2030:\n"
        "+ 90% người dân có danh tính số.\n"
        "III. GIẢI PHÁP\n"
        "- 50% cơ quan có camera.\n"
    )
    assert [(t.value, t.year, t.pillar) for t in extract(text)] == [
        (70, 2026, "xa_hoi_so"),
        (90, 2030, "xa_hoi_so"),
        (50, 2026, ""),  # in III, no year stated: the nearest objective year
    ]


def test_heading_governs_year_pillar_and_sector():
    text = (
        "IV. MỤC TIÊU\n"
        "2.1. Mục tiêu đến năm 2027\n"
        "a) Phát triển hạ tầng số\n"
        "- 95% thôn, bản có sóng 4G; 100% người dân dùng điện thoại thông minh.\n"
        "b) Lĩnh vực y tế\n"
        "- 100% bệnh viện triển khai bệnh án điện tử; phấn đấu 80% người dân có hồ sơ sức khỏe\n"
        "\n"
        "điện tử.\n"
    )
    targets = extract(text, year_context=2024)
    assert [(t.clause, t.value, t.year, t.pillar, t.sector, t.line) for t in targets] == [
        ("IV.2.1.a", 95, 2027, "ha_tang_so", "", 4),
        ("IV.2.1.a", 100, 2027, "ha_tang_so", "", 4),
        ("IV.2.1.b", 100, 2027, "", "y tế", 6),
        ("IV.2.1.b", 80, 2027, "xa_hoi_so", "y tế", 6),
    ]
    assert targets[-1].text.endswith("hồ sơ sức khỏe điện tử.")  # the wrapped line is one bullet


def test_year_context_is_the_last_resort():
    assert one("- 60% doanh nghiệp dùng hóa đơn điện tử.", year_context=2024).year == 2024
    assert one("- 60% doanh nghiệp dùng hóa đơn điện tử.", year_context=None).year is None


def test_long_bullets_give_their_sentence():
    filler = "Đẩy mạnh chuyển đổi số trong các cơ quan, đơn vị, địa phương trên địa bàn tỉnh. " * 8
    t = one(f"- {filler}Phấn đấu 90% hồ sơ được số hóa.")
    assert t.text == "Phấn đấu 90% hồ sơ được số hóa."


# --- targets stated in task sections ----------------------------------------------------------------

TASK_PLAN = (
    "KẾ HOẠCH\nChuyển đổi số đến năm 2025, định hướng đến năm 2030\n"
    "I. MỤC TIÊU\n"
    "- 60% doanh nghiệp tại các khu công nghiệp ứng dụng nền tảng số.\n"
    "- Đến năm 2030, 90% người dân có danh tính số.\n"
    "II. NHIỆM VỤ, GIẢI PHÁP\n"
    "1. Y tế\n"
    "a) Triển khai khám bệnh từ xa; 100% cơ sở y tế có bộ phận hỗ trợ khám bệnh từ xa.\n"
    "b) Đến năm 2027, 100% trường học có trang thông tin điện tử; 100% học sinh học trực tuyến.\n"
    "c) Hỗ trợ doanh nghiệp thực hiện mô hình bảo vệ 04 lớp.\n"
    "TT\tNhiệm vụ\tKết quả thực hiện\tThời gian hoàn thành\tCơ quan thực hiện\n"
    "1\tHỗ trợ doanh nghiệp\t60% doanh nghiệp tại các khu công nghiệp được ứng dụng nền tảng số\t30/6/2026\t"
    "Sở Công Thương\n"
    "2\tPhổ cập cáp quang tới 100% thôn\t100% nhà văn hóa thôn có cáp quang\tNăm 2026\tSở Khoa học và Công nghệ\n"
    "3\tHóa đơn điện tử\t- 100% cửa hàng xăng dầu. - 80% trung tâm thương mại.\tTháng 11\tCục Thuế\n"
)


def task_targets(text: str = TASK_PLAN, year_context: int | None = None) -> list[tuple]:
    document = extract_document(SourceText(text), year_context=year_context)
    return [(t.clause, t.value, t.unit, t.year) for t in document.targets]


def test_a_target_stated_in_a_task_section_is_proposed_with_its_clause_and_the_plans_horizon():
    targets = task_targets()
    assert ("II.1.a", 100, "%", 2025) in targets  # no year written: the title's "đến năm 2025"
    assert ("II.1.b", 100, "%", 2027) in targets  # "Đến năm 2027, …" binds both shares of its sentence
    assert targets.count(("II.1.b", 100, "%", 2027)) == 2


def test_a_task_table_restating_an_objective_adds_nothing_and_its_new_figures_are_kept_once():
    targets = task_targets()
    assert targets == [
        ("I", 60, "%", 2025),
        ("I", 90, "%", 2030),
        ("II.1.a", 100, "%", 2025),
        ("II.1.b", 100, "%", 2027),
        ("II.1.b", 100, "%", 2027),
        ("II.1.c", 100, "%", 2025),  # row 2: "tới 100% thôn" and its result are one target (the result's wording)
        ("II.1.c", 100, "%", 2025),  # row 3: petrol retailers
        ("II.1.c", 80, "%", 2025),  # row 3: shopping centres
    ]


def test_the_result_cell_wording_is_kept_for_a_figure_stated_twice_in_one_row():
    document = extract_document(SourceText(TASK_PLAN))
    [fibre] = [t for t in document.targets if "cáp quang" in t.text]
    assert fibre.text.startswith("Phổ cập cáp quang") and fibre.line == 13


def test_a_deadline_or_a_year_elsewhere_in_a_row_does_not_date_a_task_tables_target():
    # "Năm 2026" is when the task is due; the target is the plan's (horizon 2024, a one-year plan).
    text = (
        "II. NHIỆM VỤ\n"
        "TT\tNhiệm vụ\tKết quả thực hiện\tThời gian hoàn thành\tCơ quan thực hiện\n"
        "1\tPhổ cập cáp quang\t100% nhà văn hóa thôn có cáp quang\tNăm 2026\tSở Khoa học và Công nghệ\n"
    )
    assert task_targets(text, year_context=2024) == [("II", 100, "%", 2024)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Hỗ trợ doanh nghiệp thực hiện mô hình bảo vệ 04 lớp.",  # a model's name
        "Tổ chức các phiên họp định kỳ 01 quý/01 lần.",  # a frequency
        "Bổ sung kiến thức phù hợp nhu cầu trong 05 - 10 năm tới.",  # a duration
        "Phát triển 04 loại hình doanh nghiệp công nghệ số.",  # the size of a list
        "Thực hiện Quyết định số 749/QĐ-TTg ngày 03/6/2020 về 28 nhóm dịch vụ.",  # references, groups
        "",
        "%%% 100 ;;; ---",
    ],
)
def test_numbers_in_task_sections_that_are_not_targets(sentence):
    assert task_targets(f"II. NHIỆM VỤ, GIẢI PHÁP\na) {sentence}\n", year_context=2024) == []
