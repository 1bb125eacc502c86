"""The hand key of every quantified target of the five seed plans, and the two things it pins:
the extractor proposes each one (recall, and nothing more), and the reviewed register carries each
one on its document with its clause.

Read by hand from ../shared/seeds: a target is a number with a unit, or a percentage, that a plan
sets for a year or for its horizon — in its objectives and inside its task sections and tables
(where a task table only restates an objective, the objective is the target). A row is a fact:
(clause, a phrase of the seed naming what is measured, value, value_max, unit, year). Without a
year written, the plan's horizon: 000 "đến năm 2025", 002 the year 2024, 003 "2021-2025".
"""

from pathlib import Path

import pytest

from dxtrack.accounts.access import SYSTEM
from dxtrack.core.testing import require_seeds
from dxtrack.core.text import fold
from dxtrack.plans.extract import extract
from dxtrack.plans.extract.model import SourceText

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
DOCUMENTS = {"000": "qd-4216-2020", "001": "nq-06-tu-2021", "002": "kh-bcd-cds-2024", "003": "kh-cmcn4-2020"}
DOCUMENTS["004"] = "kh-ktsxhs-2022"
YEAR_CONTEXT = {"000": None, "001": 2021, "002": 2024, "003": 2020, "004": 2022}

# fmt: off
KEY = {
    "000": [
        ("II.2.1.a", "hồ sơ công việc được trao đổi", 100, None, "%", 2020),
        ("II.2.1.a", "mức độ 4 trên Cổng dịch vụ công", 70, None, "%", 2022),
        ("II.2.1.a", "Tỷ lệ hồ sơ giải quyết dịch vụ công trực tuyến", 60, None, "%", 2022),
        ("II.2.1.a", "hài lòng về việc giải quyết thủ tục hành chính", 90, None, "%", 2022),
        ("II.2.1.a", "chế độ báo cáo, chỉ tiêu tổng hợp", 80, None, "%", 2022),
        ("II.2.1.a", "hoạt động kiểm tra của cơ quan quản lý", 20, None, "%", 2022),
        ("II.2.1.a", "mức độ 4 trên Cổng dịch vụ công", 90, None, "%", 2025),
        ("II.2.1.a", "Tỷ lệ hồ sơ giải quyết dịch vụ công trực tuyến", 75, None, "%", 2025),
        ("II.2.1.a", "hài lòng về việc giải quyết thủ tục hành chính", 95, None, "%", 2025),
        ("II.2.1.a", "chế độ báo cáo, chỉ tiêu tổng hợp", 100, None, "%", 2025),
        ("II.2.1.a", "hoạt động kiểm tra của cơ quan quản lý", 50, None, "%", 2025),
        ("II.2.1.b", "Kinh tế số", 15, None, "%", 2022),
        ("II.2.1.b", "Kinh tế số", 20, None, "%", 2025),
        ("II.2.1.b", "Tỷ trọng kinh tế số trong từng ngành", 10, None, "%", 2025),
        ("II.2.1.b", "Năng suất lao động hàng năm", 7, None, "%", 2025),
        ("II.2.1.c", "hộ gia đình", 50, None, "%", 2022),
        ("II.2.1.c", "xã, phường, thị trấn", 100, None, "%", 2022),
        ("II.2.1.c", "hộ gia đình", 80, None, "%", 2025),
        ("II.2.1.c", "tài khoản thanh toán điện tử", 25, None, "%", 2022),
        ("II.2.1.c", "tài khoản thanh toán điện tử", 50, None, "%", 2025),
        ("II.2.2.a", "dịch vụ công trực tuyến mức độ 4", 100, None, "%", 2030),
        ("II.2.2.a", "Tỷ lệ hồ sơ giải quyết dịch vụ công trực tuyến", 80, None, "%", 2030),
        ("II.2.2.a", "giảm 30% thủ tục hành chính", 30, None, "%", 2030),
        ("II.2.2.a", "dịch vụ sáng tạo dựa trên dữ liệu", 30, None, "%", 2030),
        ("II.2.2.a", "hoạt động kiểm tra của cơ quan quản lý", 70, None, "%", 2030),
        ("II.2.2.b", "Kinh tế số chiếm", 30, None, "%", 2030),
        ("II.2.2.b", "Tỷ trọng kinh tế số trong từng ngành", 20, None, "%", 2030),
        ("II.2.2.b", "Năng suất lao động hàng năm", 8, None, "%", 2030),
        ("II.2.2.c", "tài khoản thanh toán điện tử", 80, None, "%", 2030),
        # Inside the task sections.
        ("III.1.5.đ", "kinh phí triển khai dự án CNTT cho công tác đảm bảo an toàn thông tin", 10, None, "%", 2025),
        ("III.5.1.a", "cơ sở y tế có bộ phận hỗ trợ khám bệnh từ xa", 100, None, "%", 2025),
        ("III.5.2.b", "trường được kết nối đường truyền Internet băng thông rộng", 100, None, "%", 2025),
        ("III.5.2.b", "học sinh được tiếp cận dịch vụ Internet", 100, None, "%", 2025),
        ("III.5.2.b", "trường học có trang thông tin điện tử", 100, None, "%", 2025),
        ("III.5.2.đ", "cơ sở giáo dục triển khai công tác dạy và học từ xa", 100, None, "%", 2025),
        ("V.2", "xã, phường, thị trấn để triển khai thử nghiệm", 3, 5, "xã", 2025),
    ],
    "001": [
        ("II.2.1", "dẫn đầu cả nước về chuyển đổi số", 10, None, "hạng", 2025),
        ("II.2.1", "dẫn đầu cả nước về chuyển đổi số", 10, None, "hạng", 2030),
        ("II.2.1", "dẫn đầu về chính quyền số", 5, None, "hạng", 2030),
        ("II.2.2", "cơ sở dữ liệu dùng chung", 100, None, "%", 2025),
        ("II.2.2", "hoạt động kiểm tra của cơ quan quản lý", 50, None, "%", 2025),
        ("II.2.2", "hồ sơ thủ tục hành chính đủ điều kiện", 100, None, "%", 2025),
        ("II.2.2", "hài lòng với giải quyết thủ tục hành chính", 90, None, "%", 2025),
        ("II.2.2", "được định danh và xác thực điện tử", 100, None, "%", 2025),
        ("II.2.2", "Kinh tế số chiếm", 20, None, "%", 2025),
        ("II.2.2", "năng suất lao động tăng bình quân", 9.6, None, "%", 2025),
        ("II.2.2", "Doanh nghiệp chuyển đổi số chiếm", 50, None, "%", 2025),
        ("II.2.2", "huyện, thị xã, thành phố trở lên", 6, None, "huyện", 2025),
        ("II.2.2", "xã, phường, thị trấn trở lên hoàn thành chuyển đổi số", 300, None, "xã", 2025),
        ("II.2.2", "tài khoản thanh toán điện tử", 50, None, "%", 2025),
        ("II.2.3", "hài lòng với việc giải quyết thủ tục hành chính", 98, None, "%", 2030),
        ("II.2.3", "hoạt động kiểm tra của cơ quan quản lý", 70, None, "%", 2030),
        ("II.2.3", "Kinh tế số chiếm", 30, None, "%", 2030),
        ("II.2.3", "năng suất lao động tăng bình quân", 8.1, None, "%", 2030),
        ("II.2.3", "Doanh nghiệp chuyển đổi số chiếm", 80, None, "%", 2030),
        ("II.2.3", "các huyện, thị xã, thành phố", 100, None, "%", 2030),
        ("II.2.3", "các xã, phường, thị trấn hoàn thành chuyển đổi số", 80, None, "%", 2030),
        ("II.2.3", "tài khoản thanh toán điện tử", 80, None, "%", 2030),
        # Inside III. Nhiệm vụ, giải pháp.
        ("III.2", "cáp quang phủ đến 100% số thôn, bản, cụm dân cư", 100, None, "%", 2025),
        ("III.2", "80% trở lên số hộ gia đình", 80, None, "%", 2025),
        ("III.2", "4G phủ đến 100% thôn, bản, cụm dân cư", 100, None, "%", 2025),
        ("III.2", "5G phủ đến 100% xã, phường, thị trấn", 100, None, "%", 2025),
        ("III.2", "thị trấn của các huyện miền núi", 100, None, "%", 2025),
        ("III.3", "các đô thị thông minh", 4, None, "đô thị", 2025),
        ("III.4", "cơ sở dữ liệu của lĩnh vực nông, lâm nghiệp, thủy sản", 80, None, "%", 2025),
        ("III.4", "cơ sở dữ liệu về tài nguyên, môi trường", 80, None, "%", 2025),
        ("III.5", "cơ sở y tế có bộ phận hỗ trợ khám bệnh từ xa", 100, None, "%", 2025),
    ],
    "002": [
        ("I.1.b", "doanh nghiệp công nghệ số hoạt động", 10, 20, "doanh nghiệp", 2024),
        ("I.1.b", "doanh nghiệp tại các khu công nghiệp, cụm công nghiệp", 60, None, "%", 2024),
        ("I.1.b", "người dân trưởng thành có sử dụng dịch vụ công trực tuyến", 40, None, "%", 2024),
        ("I.1.b", "53 dịch vụ công thiết yếu", 53, None, "dịch vụ công", 2024),
        ("I.1.b", "25 dịch vụ công thiết yếu theo Đề án 06", 25, None, "dịch vụ công", 2024),
        ("I.1.b", "28 dịch vụ công thiết yếu theo Quyết định", 28, None, "dịch vụ công", 2024),
        ("I.1.b", "được phủ sóng băng rộng di động", 100, None, "%", 2024),
        ("I.1.b", "Nền tảng hỗ trợ quản lý bảo đảm an toàn thông tin", 100, None, "%", 2024),
        # The task table of II: the three e-invoice targets and fibre to village cultural houses.
        ("II", "100% cửa hàng bán lẻ xăng dầu", 100, None, "%", 2024),
        ("II", "80% trung tâm thương mại", 80, None, "%", 2024),
        ("II", "50% cơ sở cung cấp dịch vụ ăn uống, bán lẻ hàng hóa", 50, None, "%", 2024),
        ("II", "100% nhà văn hóa thôn, bản", 100, None, "%", 2024),
    ],
    "003": [
        ("2.1", "kinh tế số chiếm khoảng 20% GRDP", 20, None, "%", 2025),
        ("2.1", "năng suất lao động tăng tối thiểu 7,0%", 7, None, "%", 2025),
        ("2.1", "hạ tầng internet băng thông rộng phủ 100% các xã", 100, None, "%", 2025),
        ("2.1", "kinh tế số chiếm khoảng 30% GRDP", 30, None, "%", 2030),
        ("2.1", "năng suất lao động tăng tối thiểu 8,0%", 8, None, "%", 2030),
        ("2.2.1", "dịch vụ công trực tuyến phổ biến", 90, None, "%", 2025),
        ("2.2.1", "xác thực định danh điện tử", 40, None, "%", 2025),
        ("2.2.1", "Tỷ lệ hồ sơ giải quyết theo dịch vụ công trực tuyến", 75, None, "%", 2025),
        ("2.2.1", "hài lòng về việc giải quyết thủ tục hành chính", 95, None, "%", 2025),
        ("2.2.1", "hệ thống thông tin của tỉnh", 60, None, "%", 2025),
        ("2.2.1", "văn bản được gửi, nhận trên môi trường điện tử", 100, None, "%", 2025),
        ("2.2.1", "báo cáo định kỳ", 80, None, "%", 2025),
        ("2.2.1", "100% báo cáo của UBND tỉnh", 100, None, "%", 2025),
        ("2.2.1", "cấp huyện thực hiện họp thông qua hệ thống điện tử", 80, None, "%", 2025),
        ("2.2.1", "hồ sơ dịch vụ công mức độ 3, mức độ 4", 100, None, "%", 2030),
        ("2.2.1", "hài lòng về việc giải quyết TTHC", 98, None, "%", 2030),
        ("2.2.1", "dịch vụ công trực tuyến mức độ 4", 100, None, "%", 2030),
        ("2.2.1", "xác thực định danh điện tử", 90, None, "%", 2030),
        ("2.2.1", "đô thị trên địa bàn tỉnh có cơ sở hạ tầng hiện đại", 60, None, "%", 2030),
        ("2.2.2.a", "phần mềm quản lý chuỗi cung ứng", 30, None, "%", 2025),
        ("2.2.2.a", "phần mềm quản lý chuỗi cung ứng", 50, None, "%", 2030),
        ("2.2.2.b", "02 bệnh viện tuyến tỉnh", 2, None, "bệnh viện", 2025),
        ("2.2.2.b", "06 bệnh viện tuyến huyện", 6, None, "bệnh viện", 2025),
        ("2.2.2.b", "Hệ thống hồ sơ quản lý sức khỏe điện tử", 100, None, "%", 2025),
        ("2.2.2.b", "100% bệnh viện thông minh", 100, None, "%", 2030),
        ("2.2.2.b", "quản lý hồ sơ sức khỏe điện tử tại cơ sở", 100, None, "%", 2030),
        ("2.2.2.c", "website thương mại điện tử", 80, None, "%", 2025),
        ("2.2.2.c", "kinh doanh trên sàn giao dịch", 50, None, "%", 2025),
        ("2.2.2.c", "thương mại điện tử trên các ứng dụng di động", 40, None, "%", 2025),
        ("2.2.2.c", "website thương mại điện tử", 90, None, "%", 2030),
        ("2.2.2.c", "kinh doanh trên sàn giao dịch", 70, None, "%", 2030),
        ("2.2.2.c", "thương mại điện tử trên các ứng dụng di động", 50, None, "%", 2030),
        ("2.2.3", "400 Doanh nghiệp CNTT", 400, None, "doanh nghiệp", 2025),
        ("2.2.3", "doanh thu của ngành công nghiệp CNTT", 800, None, "tỷ đồng", 2025),
        ("2.2.3", "tăng trung bình 15 - 20%/năm", 15, 20, "%", 2025),
        ("2.2.3", "vào tổng sản phẩm trên địa bàn (GRDP)", 3, 5, "%", 2025),
        ("2.2.3", "550 Doanh nghiệp CNTT", 550, None, "doanh nghiệp", 2030),
        ("2.2.3", "doanh thu của ngành công nghiệp CNTT", 1750, None, "tỷ đồng", 2030),
        ("2.2.3", "tăng trung bình 20 đến 25%/năm", 20, 25, "%", 2030),
        ("2.2.3", "vào tổng sản phẩm trên địa bàn (GRDP)", 5, 7, "%", 2030),
        ("2.2.4", "nhân lực CNTT chất lượng cao", 150, None, "nhân lực", 2025),
        ("2.2.4", "cán bộ công chức, viên chức thành thạo", 100, None, "%", 2025),
        ("2.2.4", "người lao động trong doanh nghiệp được tập huấn", 50, None, "%", 2025),
        ("2.2.4", "nhân lực Công nghệ thông tin chất lượng cao", 500, None, "nhân lực", 2030),
        # Inside 3. Nhiệm vụ chủ yếu and the appendix.
        ("3.1", "nội dung tuyên truyền về CMCN 4.0", 1, 2, "nội dung tuyên truyền", 2025),
        ("3.1", "lớp/hội nghị", 1, 3, "lớp", 2025),
        ("3.1", "học viên từ 50-100 người", 50, 100, "người", 2025),
        ("PL", "14 dự án thuộc 5 nhóm lĩnh vực trụ cột", 14, None, "dự án", 2025),
    ],
    "004": [
        ("I.1.2", "Tỷ trọng kinh tế số đạt 20% GRDP", 20, None, "%", 2025),
        ("I.1.2", "Tỷ trọng kinh tế số trong từng ngành", 10, None, "%", 2025),
        ("I.1.2", "thương mại điện tử trong tổng mức bán lẻ", 10, None, "%", 2025),
        ("I.1.2", "hợp đồng điện tử", 80, None, "%", 2025),
        ("I.1.2", "doanh nghiệp nhỏ và vừa sử dụng nền tảng số", 50, None, "%", 2025),
        ("I.1.2", "nhân lực lao động kinh tế số", 2, None, "%", 2025),
        ("I.2.2", "có điện thoại thông minh", 80, None, "%", 2025),
        ("I.2.2", "tài khoản giao dịch thanh toán tại ngân hàng", 80, None, "%", 2025),
        ("I.2.2", "chữ ký số hoặc chữ ký điện tử cá nhân", 50, None, "%", 2025),
        ("I.2.2", "đào tạo kỹ năng số cơ bản", 70, None, "%", 2025),
        ("I.2.2", "Internet băng rộng cáp quang", 80, None, "%", 2025),
        ("I.2.2", "kết nối mạng được bảo vệ ở mức cơ bản", 70, None, "%", 2025),
        ("I.2.2", "sử dụng dịch vụ công trực tuyến", 50, None, "%", 2025),
        ("I.2.2", "tư vấn sức khỏe trực tuyến, khám chữa bệnh từ xa", 30, None, "%", 2025),
        ("I.2.2", "hồ sơ sức khỏe điện tử", 90, None, "%", 2025),
        ("I.2.2", "cơ sở đào tạo đại học, cao đẳng, giáo dục nghề nghiệp", 80, None, "%", 2025),
        ("I.2.2", "từ tiểu học đến trung học phổ thông", 70, None, "%", 2025),
        # Inside II. Nội dung kế hoạch (and restated in the appendix).
        ("II.1.1", "tỷ lệ hoạt động trực tuyến chiếm tối thiểu 50%", 50, None, "%", 2025),
    ],
}
# fmt: on


def seed(prefix: str) -> SourceText:
    require_seeds(SEEDS)
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return SourceText(path.read_text(encoding="utf-8"), filename=path.name)


def facts(row: tuple) -> tuple:
    clause, _phrase, value, value_max, unit, year = row
    return (clause, float(value), None if value_max is None else float(value_max), unit, year)


def test_the_key_phrases_are_the_seeds_own_words():
    for prefix, rows in KEY.items():
        text = fold(" ".join(seed(prefix).text.split()))
        assert [row[1] for row in rows if fold(row[1]) not in text] == [], prefix


@pytest.mark.parametrize("prefix", sorted(KEY))
def test_the_extractor_proposes_every_target_of_the_key_and_nothing_else(prefix):
    proposed = extract(seed(prefix), year_context=YEAR_CONTEXT[prefix]).targets
    unmatched = list(proposed)
    missing = []
    for row in KEY[prefix]:
        match = next(
            (
                t
                for t in unmatched
                if (t.clause, t.value, t.value_max, t.unit, t.year) == facts(row)
                and fold(row[1]) in fold(" ".join(t.text.split()))
            ),
            None,
        )
        if match is None:
            missing.append(row)
        else:
            unmatched.remove(match)
    assert missing == []  # recall: every target of the key is proposed, with its clause and phrase
    assert [(t.clause, t.value, t.unit, t.year, t.text[:60]) for t in unmatched] == []  # and nothing else


@pytest.mark.django_db
def test_the_reviewed_register_carries_every_target_of_the_key():
    from dxtrack.plans.models import Target
    from dxtrack.plans.register import register_load

    register_load(actor=SYSTEM)
    for prefix, rows in KEY.items():
        carried = [
            (t.clause.path, t.value, t.value_max, t.unit, t.year)
            for t in Target.objects.filter(document__code=DOCUMENTS[prefix]).select_related("clause")
        ]
        assert sorted(carried, key=str) == sorted((facts(row) for row in rows), key=str), prefix
        assert not Target.objects.filter(document__code=DOCUMENTS[prefix], indicator__isnull=True).exists()
