"""A conclusions notice's directives read out of their sentences: lead, coordinating agencies,
deadline as written and as a date (plans/extract/directives.py). No database: the registry is read
from the bundled files."""

import datetime

import pytest

from dxtrack.org.resolver import NameResolver
from dxtrack.plans.extract import extract
from dxtrack.plans.extract.directives import split_deadline
from dxtrack.plans.extract.model import SourceText

NOTICE = """BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ TỈNH\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 7/TB-BCĐ\tThanh Hóa, ngày 20 tháng 10 năm 2025
THÔNG BÁO
Kết luận của Trưởng Ban Chỉ đạo tại phiên họp sơ kết 9 tháng năm 2025
I. NHIỆM VỤ TRỌNG TÂM
1. Giao Sở Y tế chủ trì, phối hợp với Bảo hiểm xã hội tỉnh, Công an tỉnh triển khai bệnh án số; thời hạn: 31/12/2025.
2. Sở Xây dựng chủ trì số hóa hồ sơ cấp phép xây dựng, hoàn thành trước ngày 15/11/2025.
3. Giao Sở Công Thương chủ trì hỗ trợ doanh nghiệp lên sàn thương mại điện tử (thời hạn hoàn thành: Quý IV/2025).
"""


@pytest.fixture(scope="module")
def document():
    return extract(SourceText(NOTICE, "tb.txt"), resolver=NameResolver.from_data())


def test_the_header_of_a_notice_with_a_two_column_table(document):
    assert (document.number, document.type, document.date) == ("7/TB-BCĐ", "Thông báo", datetime.date(2025, 10, 20))


def test_each_directive_with_its_agencies_and_deadline(document):
    rows = [
        (t.clause, [r.code for r in t.lead], [r.code for r in t.coordinating], t.deadline_text, t.deadline)
        for t in document.tasks
    ]
    assert rows == [
        ("I.1", ["SO_Y_TE"], [None, "CONG_AN_TINH"], "31/12/2025", datetime.date(2025, 12, 31)),
        ("I.2", ["SO_XAY_DUNG"], [], "trước ngày 15/11/2025", datetime.date(2025, 11, 15)),
        ("I.3", ["SO_CONG_THUONG"], [], "Quý IV/2025", datetime.date(2025, 12, 31)),
    ]
    # a body the registry does not know is kept as written, for the reviewer
    assert document.tasks[0].coordinating[0].text == "Bảo hiểm xã hội tỉnh"
    assert document.tasks[1].title == "Sở Xây dựng chủ trì số hóa hồ sơ cấp phép xây dựng"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Giao X chủ trì làm Y; thời hạn: trước ngày 30/9/2025.", ("Giao X chủ trì làm Y", "trước ngày 30/9/2025")),
        ("Giao X chủ trì làm Y, hoàn thành trong Quý IV năm 2025.", ("Giao X chủ trì làm Y", "trong Quý IV năm 2025")),
        ("Giao X chủ trì làm Y.", ("Giao X chủ trì làm Y", "")),
    ],
)
def test_the_deadline_phrase_is_split_off(sentence, expected):
    assert split_deadline(sentence) == expected
