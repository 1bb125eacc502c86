"""Grounding: a figure only when the question's subject is what the indicator measures. Pure
functions over a small index of real indicator names (no database)."""

import pytest

from dxtrack.assistant.grounding import GROUNDED, grounding, marked_content, name_words, subject
from dxtrack.assistant.knowledge import _words
from dxtrack.assistant.normalize import normalise
from dxtrack.assistant.retrieval import Bm25

NAMES = [
    "Tỷ lệ hộ gia đình có kết nối Internet băng rộng cáp quang",
    "Tỷ lệ dân số có tài khoản thanh toán điện tử",
    "Tỷ lệ dân số trưởng thành sử dụng dịch vụ công trực tuyến",
    "Số xã, phường, thị trấn thí điểm truyền thông, phổ biến kỹ năng số cơ bản cho người dân",
    "Tỷ lệ cửa hàng bán lẻ xăng dầu sử dụng hóa đơn điện tử khởi tạo từ máy tính tiền",
    "Tỷ lệ hồ sơ thủ tục hành chính giải quyết theo dịch vụ công trực tuyến mức độ 3, 4 trên tổng số hồ sơ",
    "Tốc độ tăng doanh thu ngành công nghiệp công nghệ thông tin bình quân năm",
    "Tỷ trọng kinh tế số trong GRDP của tỉnh",
]


@pytest.fixture(scope="module")
def index():
    return Bm25([_words(n) for n in NAMES]), [name_words(normalise(n)) for n in NAMES]


def _grounding(index, question: str, name: str) -> float:
    bm25, names = index
    i = NAMES.index(name)
    return grounding(bm25, i, subject(normalise(question), content=marked_content(question)), names[i])


def test_subject_sets_aside_question_words_period_unit_and_place():
    # given questions with question words, a period, a unit asked in and the province's name
    # when their subjects are read
    # then only the content words remain, in the runs they stand in
    assert subject(normalise("ty le ho ngheo nam 2025 la bao nhieu")).runs == [["ty", "le", "ho", "ngheo"]]
    assert subject(normalise("Dân số tỉnh Thanh Hóa là bao nhiêu người?")).runs == [["dan", "so"]]
    assert subject(normalise("Đến 2030 kinh tế số chiếm bao nhiêu phần trăm GRDP?")).runs == [
        ["kinh", "te", "so"],
        ["grdp"],
    ]
    assert subject(normalise("Giá xăng dầu hôm nay là bao nhiêu?")).runs == [["gia", "xang", "dau"]]
    assert subject(normalise("Sở Tài chính có tỷ lệ gì"), scope_words=frozenset({"so", "tai", "chinh"})).runs == [
        ["ty", "le"]
    ]


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Chỉ tiêu tỷ lệ hộ gia đình có kết nối Internet băng rộng cáp quang năm 2025 là bao nhiêu?", NAMES[0]),
        ("Mục tiêu đến năm 2025 tỷ lệ hộ gia đình có cáp quang là bao nhiêu %?", NAMES[0]),
        # a one-letter slip in a long word is still the indicator's word
        ("Chỉ tiêu tỷ lệ hộ gia đình có kết nối Intenet băng rộng cáp quang năm 2025?", NAMES[0]),
        ("Chỉ tiêu tỷ lệ dân số trưng thành sử dụng dịch vụ công trực tuyến năm 2025 là bao nhiu?", NAMES[2]),
        ("Đến 2030 kinh tế số chiếm bao nhiêu phần trăm GRDP?", NAMES[7]),
        # "tài" (tài khoản) typed with its marks is a content word, and the indicator's
        ("Tỷ lệ dân số có tài khoản thanh toán điện tử năm 2025 là bao nhiêu?", NAMES[1]),
    ],
)
def test_in_scope_questions_are_grounded(index, question, name):
    # given a question about what the indicator measures
    # when its grounding is measured
    # then it reaches the bar
    assert _grounding(index, question, name) >= GROUNDED


@pytest.mark.parametrize(
    ("question", "name"),
    [
        # "nghèo" is not "nghệ": a short syllable is never read as another
        ("ty le ho ngheo nam 2025 la bao nhieu", NAMES[0]),
        ("Tỷ lệ hộ nghèo năm 2025 là bao nhiêu?", NAMES[0]),
        ("Số hộ nghèo của tỉnh năm 2025 là bao nhiêu hộ?", NAMES[5]),
        # "thiểu" is not "thiện"; "số … người dân" shares words, not the subject
        ("Số người dân tộc thiểu số trong tỉnh là bao nhiêu?", NAMES[3]),
        # "dân số thành thị": "thành" stands with "thị", not with "toán"
        ("Tỷ lệ dân số thành thị năm 2025 là bao nhiêu?", NAMES[1]),
        # a price is not the share of shops issuing e-invoices
        ("Giá xăng dầu hôm nay là bao nhiêu?", NAMES[4]),
        # typed with marks, "bảo hiểm xã hội" and "biết chữ" are no question words
        ("Tỷ lệ dân số có bảo hiểm xã hội năm 2025?", NAMES[1]),
        ("Tỷ lệ dân số trưởng thành biết chữ năm 2025?", NAMES[2]),
    ],
)
def test_questions_that_only_share_words_are_not_grounded(index, question, name):
    # given a question about something else that shares words with the indicator
    # when its grounding is measured
    # then it stays under the bar: no figure will be given
    assert _grounding(index, question, name) < GROUNDED


def test_marked_content_keeps_stop_words_typed_in_another_spelling():
    # given questions whose folded words meet stop words ("bao", "hoi", "chu", "tai")
    # when the content among them is read
    # then only the marked spellings no question word has count, and unmarked typing keeps all out
    assert marked_content("Tỷ lệ dân số có bảo hiểm xã hội bao nhiêu?") == {"bao", "hoi"}
    assert marked_content("Xin hỏi tỷ lệ biết chữ là bao nhiêu?") == {"chu"}
    assert marked_content("ty le dan so co bao hiem xa hoi") == frozenset()
