"""Tasks of the five seed plans, counted by hand, and constructed plans in the same forms.

Expected counts were established by reading each seed, not by running the extractor:
- 000: 81 prose items in III (79 lettered items + the numbered leaves 1.4 and 3.1) and 30 duties
  in V (18 agencies: dashes, or plain paragraphs when there are none; the closing "Yêu cầu …./."
  is not a duty) = 111.
- 001: 6 numbered leaves in III (no lettered items) and 4 numbered paragraphs in IV, each a duty
  naming its own subject = 10.
- 002: 34 numbered rows in the task table of II (8 groups; rows cut by page breaks counted once),
  7 numbered activities in III and 9 dashed duties in V (2 + 4 + 3) = 50.
- 003: 8 rows in the appendix table, 8 numbered leaves in 3 and 4 numbered paragraphs in 5 = 20.
- 004: 27 rows of the header-less appendix (23 numbered, 4 whose number was lost), 60 prose items
  in II and 15 in III (lettered items; the numbered leaves II.1.1, 1.3, 1.5 and III.5; the field
  labels "a) Thương mại" and "b) Công nghiệp và năng lượng" counted by their 3 dashes each) and
  47 duties in V (41 lettered + 6 agencies without letters) = 149.
"""

import datetime
from collections import Counter
from pathlib import Path

import pytest

from dxtrack.core.testing import require_seeds
from dxtrack.org.resolver import NameResolver
from dxtrack.plans.extract.model import SourceText
from dxtrack.plans.extract.structure import parse_clauses
from dxtrack.plans.extract.tasks import find_tasks

pytestmark = pytest.mark.django_db
SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
D = datetime.date


@pytest.fixture(scope="module")
def resolver(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return NameResolver.from_db()


def seed(prefix: str) -> SourceText:
    require_seeds(SEEDS)
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return SourceText(path.read_text(encoding="utf-8"), filename=path.name)


def tasks_of(source: SourceText, resolver, year: int | None, warnings: list[str] | None = None):
    return find_tasks(source, parse_clauses(source), year_context=year, resolver=resolver, warnings=warnings)


def codes(refs) -> list[str]:
    """Agency codes, with "?name" for a name kept unresolved."""
    return [r.code if r.code else f"?{r.text}" for r in refs]


def at(tasks, line: int):
    [task] = [t for t in tasks if t.line == line]
    return task


def top(clause: str) -> str:
    return clause.split(".")[0]


# ---------------------------------------------------------------------------------------------
# The seeds


@pytest.fixture(scope="module")
def seed_tasks(resolver):
    years = {"000": 2020, "001": 2021, "002": 2024, "003": 2020, "004": 2022}
    return {prefix: tasks_of(seed(prefix), resolver, year) for prefix, year in years.items()}


def test_000_counts_prose_items_and_the_duties_of_18_agencies(seed_tasks):
    tasks = seed_tasks["000"]
    assert len(tasks) == 111
    assert Counter(top(t.clause) for t in tasks) == {"III": 81, "V": 30}
    assert len({t.clause for t in tasks if top(t.clause) == "V"}) == 18


def test_000_samples(seed_tasks):
    tasks = seed_tasks["000"]
    dd = at(tasks, 176)  # "đ) Ủy ban nhân dân các huyện … phối hợp với Sở Thông tin và Truyền thông triển khai …"
    assert (dd.clause, codes(dd.lead), codes(dd.coordinating)) == ("III.1.1.đ", ["UBND_HUYEN"], ["SO_TTTT"])
    # the whole first sentence, never cut to a length (its "…" is the plan's own, in its list)
    assert dd.title.startswith("Ủy ban nhân dân các huyện, thị xã, thành phố phối hợp")
    assert dd.title.endswith("bảo đảm an toàn thông tin cá nhân,…") and len(dd.title) == 363
    leaf = at(tasks, 196)  # "1.4. Phát triển nền tảng số:" — the title is its paragraph
    assert (leaf.clause, leaf.lead) == ("III.1.4", [])
    assert leaf.title.startswith("Xác định danh sách các nền tảng số có khả năng")
    health = at(tasks, 308)  # "d) Căn cứ các quy định …, Sở Y tế hướng dẫn …"
    assert (health.clause, codes(health.lead)) == ("III.5.1.d", ["SO_Y_TE"])
    duty = at(tasks, 396)
    assert (duty.clause, codes(duty.lead)) == ("V.2", ["SO_TTTT"])
    assert duty.title.startswith("Chủ trì hướng dẫn, triển khai thực hiện Kế hoạch; tổng hợp kết quả")
    assert codes(at(tasks, 420).lead) == ["SO_TAI_CHINH", "SO_KHDT"]
    home = at(tasks, 452)  # "Chủ trì, phối hợp với Sở Thông tin và Truyền thông tham mưu …"
    assert (home.clause, codes(home.lead), codes(home.coordinating)) == ("V.12", ["SO_NOI_VU"], ["SO_TTTT"])
    assert codes(at(tasks, 460).lead) == ["NHNN_TH", "CUC_HAI_QUAN", "CUC_THUE", "KHO_BAC"]
    community = at(tasks, 484)  # "18. Trách nhiệm của cộng đồng": no such body in the registry, kept
    assert (community.clause, codes(community.lead)) == ("V.18", ["?cộng đồng"])
    assert all((t.deadline_text, t.deadline, t.recurrence, t.group) == ("", None, None, "") for t in tasks)


def test_001_counts_numbered_leaves_and_duty_paragraphs(seed_tasks):
    tasks = seed_tasks["001"]
    assert len(tasks) == 10
    prose = ["III.1", "III.2", "III.3", "III.4", "III.5", "III.6"]
    assert [t.clause for t in tasks] == [*prose, "IV.1", "IV.2", "IV.3", "IV.4"]


def test_001_samples(seed_tasks):
    tasks = seed_tasks["001"]
    assert at(tasks, 40).title.startswith("Tăng cường sự lãnh đạo của cấp ủy đảng, chỉ đạo, điều hành")
    assert at(tasks, 40).lead == []
    party = at(tasks, 76)  # "Các cấp ủy đảng, chính quyền, Mặt trận Tổ quốc, các đoàn thể … xây dựng …"
    assert codes(party.lead) == ["CAP_UY_DANG", "?chính quyền", "MTTQ_TINH", "DOAN_THE"]
    assert codes(at(tasks, 77).lead) == ["BCS_DANG_UBND"]
    assert codes(at(tasks, 78).lead) == ["DANG_DOAN_HDND"]
    propaganda = at(tasks, 79)  # "… chủ trì, phối hợp với các cơ quan, đơn vị liên quan theo dõi …"
    assert (codes(propaganda.lead), codes(propaganda.coordinating)) == (["BAN_TUYEN_GIAO_TU"], ["CQ_DON_VI"])
    assert "Nghị quyết này được phổ biến" not in " ".join(t.title for t in tasks)


def test_002_counts_table_rows_activities_and_duties(seed_tasks):
    tasks = seed_tasks["002"]
    assert len(tasks) == 50
    assert Counter(top(t.clause) for t in tasks) == {"II": 34, "III": 7, "V": 9}
    groups = Counter(t.group.split(" / ")[0].split(".")[0] for t in tasks if t.clause == "II")
    assert groups == {"I": 3, "II": 4, "III": 6, "IV": 8, "V": 3, "VI": 3, "VII": 3, "VIII": 4}


def test_002_samples(seed_tasks):
    tasks = seed_tasks["002"]
    meetings = at(tasks, 56)
    assert (meetings.clause, meetings.title, meetings.output) == (
        "II",
        "Tổ chức các phiên họp thường kỳ hoặc đột xuất",
        "Các phiên họp, hội nghị được tổ chức",
    )
    assert (codes(meetings.lead), codes(meetings.coordinating)) == (["SO_TTTT"], ["VP_UBND"])
    assert (meetings.deadline_text, meetings.deadline, meetings.recurrence) == ("Hàng Quý", None, "quarterly")
    assert meetings.group == "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH, KIỂM TRA"
    chips = at(tasks, 60)
    assert (codes(chips.lead), chips.deadline_text, chips.deadline, chips.recurrence) == (
        ["DH_HONG_DUC"],
        "30/6/2024",
        D(2024, 6, 30),
        "once",
    )
    split = at(tasks, 62)  # cut by a page break after "Sở Thông tin và"; the rest is on line 71
    assert split.title == (
        "Thúc đẩy, kết nối các doanh nghiệp công nghệ số tham gia vào quá trình chuyển đổi số các ngành, lĩnh vực"
    )
    assert (codes(split.lead), codes(split.coordinating)) == (["SO_TTTT"], ["SO_BAN_NGANH", "UBND_HUYEN"])
    receipts = at(tasks, 76)  # "Quý" + "III/2024 (…)" and "Sở Tài" + "chính; …" across the break
    assert receipts.deadline_text == "Quý III/2024 (ngay sau khi Bộ Tài chính ban hành Kế hoạch)"
    assert (receipts.deadline, receipts.recurrence) == (D(2024, 9, 30), "once")
    assert (codes(receipts.lead), codes(receipts.coordinating)) == (
        ["CUC_THUE"],
        ["SO_TAI_CHINH", "SO_BAN_NGANH", "UBND_HUYEN"],
    )
    rules = at(tasks, 89)
    assert rules.group == "IV. QUẢN TRỊ SỐ / A. Thế chế, chính sách"
    assert (rules.deadline, rules.recurrence, rules.coordinating) == (None, None, [])  # "Theo tiến độ …", "-"
    vneid = at(tasks, 103)
    assert (codes(vneid.lead), vneid.deadline, vneid.group) == (
        ["CONG_AN_TINH"],
        D(2024, 11, 30),
        "IV. QUẢN TRỊ SỐ / C. Hoàn thiện, sử dụng các nền tảng hỗ trợ quản trị",
    )
    plenary = at(tasks, 134)  # "Đơn vị chủ trì tổ chức triển khai: Sở …; Tổ công tác giúp việc Ban Chỉ đạo."
    assert (plenary.clause, codes(plenary.lead)) == ("III.1", ["SO_TTTT", "TO_GIUP_VIEC_BCD"])
    assert at(tasks, 146).lead == []  # "Theo phân công tại Kế hoạch số 106/KH-BCĐ" names no body
    assert codes(at(tasks, 194).lead) == ["SO_BAN_NGANH", "UBND_HUYEN"]


def test_003_counts_appendix_rows_items_and_duties(seed_tasks):
    tasks = seed_tasks["003"]
    assert len(tasks) == 20
    assert Counter(top(t.clause) for t in tasks) == {"PL": 8, "3": 8, "5": 4}


def test_003_samples(seed_tasks):
    tasks = seed_tasks["003"]
    first = at(tasks, 226)
    assert first.title.startswith("Tuyên truyền nâng cao nhận thức của các cấp")
    assert (codes(first.lead), codes(first.coordinating)) == (["DAI_PTTH", "BAO_THANH_HOA"], ["UBND_HUYEN"])
    assert (first.deadline_text, first.deadline, first.recurrence) == ("Bắt đầu từ năm 2021", None, None)
    assert first.output.startswith("Nội dung tuyên truyền trên đài Phát thanh")
    park = at(tasks, 228)  # split by a page break, the second half wrapped in <p> tags
    assert park.title.startswith("Hoàn thiện đề án xây dựng Khu CNTT tập trung")
    assert "Tham mưu triển khai xây dựng phát triển hạ tầng băng thông rộng" in park.title
    assert "<p>" not in park.title + park.output + park.deadline_text
    assert (park.deadline, park.recurrence) == (D(2022, 12, 31), "yearly")
    assert (codes(park.lead), codes(park.coordinating)) == (["SO_TTTT"], ["SO_KHDT", "SO_TAI_CHINH"])
    appraisal = at(tasks, 233)
    assert (codes(appraisal.lead), appraisal.recurrence) == (["SO_KHDT", "SO_TTTT"], "continuous")
    schools = at(tasks, 237)
    assert (codes(schools.lead), codes(schools.coordinating), schools.recurrence) == (
        ["SO_GDDT", "SO_LDTBXH"],
        ["CO_SO_DAO_TAO", "DOANH_NGHIEP", "UBND_HUYEN"],
        "yearly",
    )
    assert at(tasks, 177).title.startswith("Đẩy mạnh thu hút và sử dụng hiệu quả")  # 3.7's paragraph
    assert codes(at(tasks, 195).lead) == ["SO_BAN_NGANH"]  # "Căn cứ …, Thủ trưởng các ngành, đơn vị xây dựng …"
    assert codes(at(tasks, 201).lead) == ["SO_KHCN"]


def test_004_counts_the_rebuilt_appendix_prose_items_and_duties(seed_tasks):
    tasks = seed_tasks["004"]
    assert len(tasks) == 149
    assert Counter(top(t.clause) for t in tasks) == {"PL": 27, "II": 60, "III": 15, "V": 47}
    appendix = [t for t in tasks if t.clause == "PL"]
    assert Counter(t.group for t in appendix) == {
        "I": 1,
        "II": 1,
        "III": 2,
        "IV": 1,
        "V": 2,
        "VI": 1,
        "VII": 4,
        "VIII": 3,
        "IX": 1,
        "X": 4,
        "XI": 7,
    }


def test_004_samples(seed_tasks):
    tasks = seed_tasks["004"]
    lone = at(tasks, 219)  # the first row kept only its title
    assert lone.title.startswith("Rà soát, chỉnh sửa, bổ sung cơ chế, chính sách")
    assert (lone.lead, lone.coordinating, lone.deadline_text, lone.group) == ([], [], "", "I")
    network = at(tasks, 220)  # coordinating cell continued on a line without the leading tab
    assert (codes(network.lead), codes(network.coordinating)) == (["SO_TTTT"], ["UBND_HUYEN", "DN_VIEN_THONG"])
    assert (network.deadline_text, network.deadline, network.recurrence) == ("2022 - 2025", D(2025, 12, 31), None)
    security = at(tasks, 241)
    assert (security.deadline_text, security.recurrence, security.group) == ("Hàng năm", "yearly", "V")
    sectors = at(tasks, 304)  # under the one surviving group numeral "X"
    assert (codes(sectors.lead), codes(sectors.coordinating), sectors.deadline, sectors.group) == (
        ["SO_BAN_NGANH", "UBND_HUYEN"],
        ["SO_TTTT"],
        D(2022, 12, 31),
        "X",
    )
    last = at(tasks, 363)  # the text ends after the lead cell
    assert (codes(last.lead), last.coordinating, last.deadline_text) == (["SO_TAI_CHINH"], [], "")
    trade = at(tasks, 93)  # "a) Thương mại" is a field label: its dashes are the tasks
    assert trade.clause == "II.2.5.a" and trade.title.startswith("Quản lý, giám sát hoạt động của các nền tảng")
    assert codes(at(tasks, 203).lead) == ["LDLD_TINH", "HOI_NONG_DAN", "LIEN_MINH_HTX"]
    ict = at(tasks, 145)
    assert (ict.clause, codes(ict.lead), codes(ict.coordinating)) == ("V.1.a", ["SO_TTTT"], ["CQ_DON_VI"])
    assert codes(at(tasks, 198).lead) == ["UBND_HUYEN"]  # the duty names its own subject


def test_004_says_what_the_broken_appendix_did_not_let_us_recover(resolver):
    warnings: list[str] = []
    tasks_of(seed("004"), resolver, 2022, warnings)
    assert len(warnings) == 3
    assert "không có dòng tiêu đề" in warnings[0] and "27 dòng" in warnings[0]
    assert "dòng 219: thiếu cột chủ trì, phối hợp, thời gian" in warnings[1]
    assert "dòng 363: thiếu cột phối hợp, thời gian" in warnings[2]


def test_every_seed_task_has_a_title_and_a_known_clause(seed_tasks):
    for prefix, tasks in seed_tasks.items():
        paths = {c.path for c in parse_clauses(seed(prefix))} | {"PL"}
        assert all(t.title and t.clause in paths for t in tasks), prefix
        assert [t.line for t in tasks] == sorted(t.line for t in tasks)


# ---------------------------------------------------------------------------------------------
# Constructed plans: the same forms, other layouts

HEADER = "TT\tNhiệm vụ\tKết quả thực hiện\tThời gian hoàn thành\tCơ quan thực hiện\tCơ quan phối hợp"


def plan(*lines: str) -> SourceText:
    return SourceText("\n".join(lines))


def test_a_row_split_by_a_page_break_under_a_repeated_header_is_joined(resolver):
    source = plan(
        "II. NHIỆM VỤ",
        HEADER,
        "I\tHẠ TẦNG SỐ\t\t\t\t",
        "1\tPhủ sóng di động đến\tBáo cáo kết quả\tQuý II/2026\tSở Khoa học và\tCác doanh nghiệp viễn",
        "",
        "¹ Theo Kế hoạch số 12/KH-UBND.",
        "",
        HEADER,
        "\ttất cả các thôn, bản\tphủ sóng\t\tCông nghệ\tthông",
        "2\tSố hóa hồ sơ\tHồ sơ số\tThường xuyên\tVăn phòng UBND tỉnh\t-",
    )
    tasks = tasks_of(source, resolver, 2026)
    assert [t.title for t in tasks] == ["Phủ sóng di động đến tất cả các thôn, bản", "Số hóa hồ sơ"]
    first = tasks[0]
    assert (first.output, first.deadline, first.recurrence) == ("Báo cáo kết quả phủ sóng", D(2026, 6, 30), "once")
    assert (codes(first.lead), codes(first.coordinating)) == (["SO_KHCN"], ["DN_VIEN_THONG"])
    assert first.group == "I. HẠ TẦNG SỐ" and first.clause == "II"
    assert (codes(tasks[1].lead), tasks[1].coordinating, tasks[1].recurrence) == (["VP_UBND"], [], "continuous")


def test_a_table_with_the_other_column_names_in_another_order(resolver):
    source = plan(
        "PHỤ LỤC",
        "STT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tSản phẩm\tTiến độ",
        "1\tHoàn thiện thể chế\t\t\t\t",
        "1.1\tBan hành quy chế quản lý dữ liệu\tSở Khoa học và Công nghệ\tSở Tư pháp\tQuyết định\tTháng 11",
        "1.2\tRà soát thủ tục\tCác sở, ban, ngành\tUBND cấp xã\tBáo cáo\tHằng năm",
        "2\tCập nhật cơ sở dữ liệu đất đai\tSở Nông nghiệp và Môi trường\t\tCơ sở dữ liệu\tGiai đoạn 2026-2030",
    )
    tasks = tasks_of(source, resolver, 2026)
    assert [(t.title, t.group) for t in tasks] == [
        ("Ban hành quy chế quản lý dữ liệu", "1. Hoàn thiện thể chế"),
        ("Rà soát thủ tục", "1. Hoàn thiện thể chế"),
        ("Cập nhật cơ sở dữ liệu đất đai", ""),
    ]
    regulation, review, land = tasks
    assert (regulation.output, regulation.deadline, regulation.clause) == ("Quyết định", D(2026, 11, 30), "PL")
    assert codes(regulation.lead) == ["SO_KHCN"]
    assert codes(regulation.coordinating) == ["?Sở Tư pháp"]  # not in the registry: kept as written
    assert (codes(review.lead), codes(review.coordinating), review.recurrence) == (
        ["SO_BAN_NGANH"],
        ["UBND_XA"],
        "yearly",
    )
    assert (codes(land.lead), land.deadline, land.recurrence) == (["SO_NN_MT"], D(2030, 12, 31), None)


def test_a_cell_holding_line_breaks_is_rebuilt_by_cell_count(resolver):
    source = plan(
        "III. NHIỆM VỤ, GIẢI PHÁP",
        "TT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian",
        "1\tTriển khai nền tảng số\tSở Khoa học và Công nghệ\tCông an tỉnh",
        "Sở Tài chính\tQuý IV",
        "2\tĐào tạo kỹ năng số\tSở Nội vụ\tSở Giáo dục và Đào tạo\t2026",
    )
    tasks = tasks_of(source, resolver, 2026)
    assert [(t.title, codes(t.coordinating), t.deadline) for t in tasks] == [
        ("Triển khai nền tảng số", ["CONG_AN_TINH", "SO_TAI_CHINH"], D(2026, 12, 31)),
        ("Đào tạo kỹ năng số", ["SO_GDDT"], D(2026, 12, 31)),
    ]


def test_an_unknown_agency_is_kept_unresolved_never_dropped(resolver):
    source = plan(
        "TT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian",
        "1\tXây dựng bản đồ số\tSở Du lịch Hạ Long; Sở Khoa học và Công nghệ\tBan Quản lý Vịnh Hạ Long\tNăm 2026",
    )
    [task] = tasks_of(source, resolver, 2026)
    assert codes(task.lead) == ["?Sở Du lịch Hạ Long", "SO_KHCN"]
    assert [(r.text, r.code, r.sure) for r in task.coordinating] == [("Ban Quản lý Vịnh Hạ Long", None, False)]


def test_duties_of_an_implementation_section_in_another_layout(resolver):
    source = plan(
        "IV. TỔ CHỨC THỰC HIỆN",
        "1. Sở Khoa học và Công nghệ:",
        "a) Chủ trì, phối hợp với Sở Tài chính hướng dẫn, đôn đốc triển khai Kế hoạch.",
        "b) Tổng hợp kết quả, báo cáo UBND tỉnh.",
        "2. Sở Tài chính: tham mưu bố trí kinh phí thực hiện Kế hoạch.",
        "3. Liên đoàn Lao động, Hội Nông dân, Liên minh HTX tỉnh",
        "- Tuyên truyền đến đoàn viên, hội viên.",
        "+ Phổ biến kỹ năng số.",
        "- Tham gia giám sát việc thực hiện.",
        "4. Các sở, ban, ngành cấp tỉnh chủ động triển khai các nhiệm vụ được giao.",
        "Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị phản ánh về Sở Khoa học và Công nghệ./.",
    )
    tasks = tasks_of(source, resolver, 2026)
    assert [(t.clause, t.title, codes(t.lead), codes(t.coordinating)) for t in tasks] == [
        (
            "IV.1.a",
            "Chủ trì, phối hợp với Sở Tài chính hướng dẫn, đôn đốc triển khai Kế hoạch",
            ["SO_KHCN"],
            ["SO_TAI_CHINH"],
        ),
        ("IV.1.b", "Tổng hợp kết quả, báo cáo UBND tỉnh", ["SO_KHCN"], []),
        ("IV.2", "tham mưu bố trí kinh phí thực hiện Kế hoạch", ["SO_TAI_CHINH"], []),
        ("IV.3", "Tuyên truyền đến đoàn viên, hội viên", ["LDLD_TINH", "HOI_NONG_DAN", "LIEN_MINH_HTX"], []),
        ("IV.3", "Tham gia giám sát việc thực hiện", ["LDLD_TINH", "HOI_NONG_DAN", "LIEN_MINH_HTX"], []),
        ("IV.4", "Các sở, ban, ngành cấp tỉnh chủ động triển khai các nhiệm vụ được giao", ["SO_BAN_NGANH"], []),
    ]


def test_prose_task_items_name_their_lead_when_the_text_does(resolver):
    source = plan(
        "II. NHIỆM VỤ VÀ GIẢI PHÁP",
        "1. Hạ tầng số",
        "a) Sở Khoa học và Công nghệ chủ trì, phối hợp với Công an tỉnh xây dựng Trung tâm dữ liệu của tỉnh. Hoàn "
        "thành trong năm 2026.",
        "b) Phát triển mạng 5G đến các xã.",
        "c) Nâng cấp Cổng dịch vụ công, giao Văn phòng UBND tỉnh chủ trì.",
        "2. Nhân lực số",
        "Đào tạo kỹ năng số cho cán bộ, công chức cấp xã.",
        "III. KINH PHÍ",
        "1. Ngân sách tỉnh bố trí theo phân cấp.",
    )
    tasks = tasks_of(source, resolver, 2026)
    assert [(t.clause, t.title, codes(t.lead), codes(t.coordinating)) for t in tasks] == [
        (
            "II.1.a",
            "Sở Khoa học và Công nghệ chủ trì, phối hợp với Công an tỉnh xây dựng Trung tâm dữ liệu của tỉnh",
            ["SO_KHCN"],
            ["CONG_AN_TINH"],
        ),
        ("II.1.b", "Phát triển mạng 5G đến các xã", [], []),
        ("II.1.c", "Nâng cấp Cổng dịch vụ công, giao Văn phòng UBND tỉnh chủ trì", ["VP_UBND"], []),
        ("II.2", "Đào tạo kỹ năng số cho cán bộ, công chức cấp xã", [], []),
    ]


def test_a_header_less_appendix_after_the_signature_is_rebuilt(resolver):
    source = plan(
        "I. TỔ CHỨC THỰC HIỆN",
        "1. Sở Khoa học và Công nghệ",
        "Theo dõi, đôn đốc thực hiện Kế hoạch./.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        " \t1",
        "\tXây dựng kho dữ liệu dùng chung",
        "\tSở Khoa học và Công nghệ",
        "\tCông an tỉnh",
        "Sở Tài chính",
        "\t2026 - 2027",
        "\t2",
        "\tĐào tạo kỹ năng số",
        "\tSở Nội vụ",
        "\tCác sở, ban, ngành",
        "\tHằng năm",
    )
    warnings: list[str] = []
    tasks = tasks_of(source, resolver, 2026, warnings)
    appendix = [t for t in tasks if t.clause == "PL"]
    assert [(t.title, codes(t.lead), codes(t.coordinating), t.deadline, t.recurrence) for t in appendix] == [
        ("Xây dựng kho dữ liệu dùng chung", ["SO_KHCN"], ["CONG_AN_TINH", "SO_TAI_CHINH"], D(2027, 12, 31), None),
        ("Đào tạo kỹ năng số", ["SO_NOI_VU"], ["SO_BAN_NGANH"], None, "yearly"),
    ]
    assert len(warnings) == 1 and "2 dòng" in warnings[0]


def test_a_last_row_without_its_trailing_cells_does_not_swallow_the_text_after_it(resolver):
    source = plan(
        "II. NHIỆM VỤ",
        HEADER,
        "Nhóm 1: Hạ tầng số",  # a merged group row, read from a DOCX as one plain cell
        "1\tPhủ sóng 5G đến các xã\tTrạm phát sóng\tNăm 2026\tSở Khoa học và Công nghệ",
        "",
        "III. KINH PHÍ",
        "Kinh phí từ ngân sách tỉnh.",
    )
    [task] = tasks_of(source, resolver, 2026)
    assert (task.title, task.group, codes(task.lead), task.coordinating, task.deadline) == (
        "Phủ sóng 5G đến các xã",
        "Nhóm 1: Hạ tầng số",
        ["SO_KHCN"],
        [],
        D(2026, 12, 31),
    )


def test_a_table_without_a_number_column_keeps_its_group_rows(resolver):
    source = plan(
        "Nhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện",
        "I. HẠ TẦNG SỐ\t\t\t",
        "Phủ sóng 5G đến các xã\tSở Khoa học và Công nghệ\tCác doanh nghiệp viễn thông\t2026-2027",
        "Nhóm dữ liệu số\t\t\t",
        "Mở dữ liệu đất đai\tSở Nông nghiệp và Môi trường\t\tHằng quý",
    )
    tasks = tasks_of(source, resolver, 2026)
    assert [(t.title, t.group, t.deadline, t.recurrence) for t in tasks] == [
        ("Phủ sóng 5G đến các xã", "I. HẠ TẦNG SỐ", D(2027, 12, 31), None),
        ("Mở dữ liệu đất đai", "I. HẠ TẦNG SỐ / Nhóm dữ liệu số", None, "quarterly"),
    ]


def test_without_a_resolver_names_are_kept_as_written():
    source = plan(HEADER, "1\tSố hóa hồ sơ\tHồ sơ số\tTháng 9\tSở Nội vụ\tSở Tài chính; UBND cấp xã")
    [task] = find_tasks(source, parse_clauses(source), year_context=2026, resolver=None)
    assert (codes(task.lead), codes(task.coordinating), task.deadline) == (
        ["?Sở Nội vụ"],
        ["?Sở Tài chính", "?UBND cấp xã"],
        D(2026, 9, 30),
    )
