"""Decisions that cannot be read as a criteria set: a clear Vietnamese message, nothing returned."""

import io

import pytest

from dxtrack.assessments.extract import ExtractError, extract
from dxtrack.assessments.extract import table as criteria_table
from dxtrack.plans.tests.layouts import Layout, Table, fonts_available, to_docx, to_pdf

from . import decisions as d


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path) -> str:
    with pytest.raises(ExtractError) as caught:
        extract(path)
    return caught.value.message


def commune_docx(rows: list[list[str]], prose: list[str] | None = None) -> bytes:
    return to_docx(Layout("", "x.docx", [*(d.COMMUNE_PROSE if prose is None else prose), Table(rows)]))


def typed_rows() -> list[list[str]]:
    return [list(row) for row in d.COMMUNE_DOCX.blocks[-1].rows]


def row_of(rows: list[list[str]], code: str) -> list[str]:
    return next(r for r in rows if r[0] == code)


def test_a_decision_without_a_criteria_table_is_refused(tmp_path):
    # given the decision's articles and appendix heading but no table at all
    path = write(tmp_path, "khong-bang.docx", to_docx(Layout("", "x.docx", list(d.COMMUNE_PROSE))))
    # when it is extracted, then it is refused, saying what table was looked for
    assert refused(path) == (
        "Không tìm thấy bảng tiêu chí trong tệp “khong-bang.docx”: cần một bảng (thường ở phụ lục) có cột "
        "tên tiêu chí và cột điểm hoặc yêu cầu cần đạt. Hãy kiểm tra lại tệp; chưa có gì được đọc."
    )


@pytest.mark.parametrize(
    "rows",
    [
        [["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"], ["1", "Hướng dẫn các xã tự đánh giá", "Sở KH&CN", "2026"]],
        [["STT", "Tên chỉ tiêu", "Đơn vị tính", "Mục tiêu 2026"], ["1", "Tỷ lệ hộ có cáp quang", "%", "80"]],
    ],
    ids=["tasks", "plan-targets"],
)
def test_a_table_that_is_not_a_criteria_table_is_not_taken_for_one(tmp_path, rows):
    # given an appendix whose only table lists a plan's tasks or targets (no points, requirement, flag)
    path = write(tmp_path, "nhiem-vu.docx", commune_docx(rows))
    # when it is extracted, then no criteria table is found
    assert refused(path).startswith("Không tìm thấy bảng tiêu chí trong tệp “nhiem-vu.docx”")


def test_points_that_do_not_add_up_to_the_group_and_the_total_are_refused(tmp_path):
    # given criterion 2 worth 5 points where its group (35) and the total (100) count 10
    rows = typed_rows()
    row_of(rows, "2")[3] = "5"
    path = write(tmp_path, "lech-diem.docx", commune_docx(rows))
    # when it is extracted, then both sums are named, and nothing is returned
    with pytest.raises(ExtractError) as caught:
        extract(path)
    assert caught.value.problems == [
        "Điểm của nhóm I “Chính quyền số” là 35 nhưng các tiêu chí thành phần cộng lại được 30.",
        "Điểm các tiêu chí cộng lại được 95, không bằng tổng điểm 100 văn bản ghi.",
    ]
    assert caught.value.message.startswith("Bộ tiêu chí trong văn bản chưa nhất quán, chưa có gì được đọc:\n- Điểm")


def test_points_short_of_the_total_stated_in_prose_alone_are_refused(tmp_path):
    # given a table with no group points and no total row, and prose stating 100 points
    rows = [list(r) for r in d.COMMUNE_PDF.blocks[-1].rows]
    rows.remove(next(r for r in rows if r[1:2] == ["Tỷ lệ hộ gia đình có đường Internet cáp quang"]))
    path = write(tmp_path, "thieu-diem.docx", commune_docx(rows))
    # when it is extracted, then the 95 counted against the 100 stated is the problem
    with pytest.raises(ExtractError) as caught:
        extract(path)
    assert caught.value.problems == ["Điểm các tiêu chí cộng lại được 95, không bằng tổng điểm 100 văn bản ghi."]


def test_sub_criteria_that_do_not_add_up_to_their_heading_are_refused(tmp_path):
    # given criterion 6 worth 5 points split into a) 3 and b) 1, and the total row adjusted
    rows = typed_rows()
    row_of(rows, "b)")[3] = "1"
    path = write(tmp_path, "tieu-chi-con.docx", commune_docx(rows))
    # when it is extracted, then the heading's sum is among the problems
    with pytest.raises(ExtractError) as caught:
        extract(path)
    assert caught.value.problems[0] == "Điểm của tiêu chí 6 là 5 nhưng các tiêu chí thành phần cộng lại được 4."


def test_a_criterion_with_both_a_threshold_and_a_level_scale_is_refused(tmp_path):
    # given criterion 3 asking for 90% and also scored on a five-level scale
    rows = typed_rows()
    row_of(rows, "3")[2] = "Từ 90% trở lên; chấm theo 5 mức (mức 1–5)"
    path = write(tmp_path, "nguong-va-muc.docx", commune_docx(rows))
    # when it is extracted, then that criterion is named
    with pytest.raises(ExtractError) as caught:
        extract(path)
    assert caught.value.problems == [
        "Tiêu chí 3 (“Tỷ lệ văn bản đi được ký số và gửi trên môi trường mạng”) vừa đặt ngưỡng vừa chấm theo "
        "thang mức; một tiêu chí chỉ được chấm một cách. Hãy sửa văn bản hoặc nhập tiêu chí này bằng tay."
    ]


def test_a_criterion_number_that_cannot_be_read_is_refused(tmp_path):
    rows = typed_rows()
    row_of(rows, "5")[0] = "TC-5"
    path = write(tmp_path, "so-tt.docx", commune_docx(rows))
    assert refused(path) == "Hàng 7 của bảng tiêu chí: không đọc được số thứ tự “TC-5”."


def test_points_that_are_not_a_number_are_refused(tmp_path):
    rows = typed_rows()
    row_of(rows, "4")[3] = "năm"
    path = write(tmp_path, "diem-chu.docx", commune_docx(rows))
    # criterion 4 is the table's 6th row: header, group I, criteria 1, 2, 3, then 4
    assert refused(path) == "Hàng 6 của bảng tiêu chí: điểm “năm” không phải là số."


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("quyet-dinh.txt", "Bộ tiêu chí".encode() * 50, "Tệp “quyet-dinh.txt” không phải .docx, .pdf hoặc .xlsx; "
         "hãy tải lên quyết định ở một trong ba định dạng đó."),
        ("quyet-dinh.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "Tệp “quyet-dinh.doc” không phải .docx, .pdf hoặc "
         ".xlsx; hãy tải lên quyết định ở một trong ba định dạng đó."),
        ("anh.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "Tệp “anh.pdf” mang đuôi .pdf nhưng không phải PDF."),
        ("hong.docx", b"PK\x03\x04 not a zip at all",
         "Tệp “hong.docx” không phải tệp Word (.docx) hợp lệ hoặc đã hỏng."),
        ("rong.docx", b"", "Tệp “rong.docx” rỗng."),
    ],
)  # fmt: skip
def test_a_file_of_the_wrong_kind_or_empty_is_refused(tmp_path, name, data, message):
    assert refused(write(tmp_path, name, data)) == message


def test_a_scan_is_refused_without_running_ocr(tmp_path):
    # given a PDF of one page image and no text layer
    from dxtrack.plans.tests.builders import make_pdf

    path = write(tmp_path, "ban-quet.pdf", make_pdf([]))
    # then it is refused at once: OCR reads lines, never the criteria table
    assert refused(path) == (
        "Tệp PDF “ban-quet.pdf” chỉ có ảnh quét, không có lớp chữ: bảng tiêu chí không đọc được từ ảnh quét. "
        "Hãy tải lên bản PDF xuất từ Word, tệp .docx hoặc .xlsx."
    )


def test_a_missing_file_is_named(tmp_path):
    assert refused(tmp_path / "khong-co.docx") == f"Không tìm thấy tệp “{tmp_path / 'khong-co.docx'}”."


@pytest.mark.skipif(not fonts_available(), reason="DejaVu fonts (make ocr) are needed to draw the PDF")
def test_an_encrypted_pdf_is_refused(tmp_path):
    # given the decision's PDF with a password
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(to_pdf(d.COMMUNE_PDF))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="matkhau", owner_password="matkhau")
    out = io.BytesIO()
    writer.write(out)
    path = write(tmp_path, "mat-khau.pdf", out.getvalue())
    # when it is extracted, then it is refused before any reading
    assert refused(path) == "Tệp PDF “mat-khau.pdf” được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại."


def test_a_table_of_too_many_criteria_stops_at_the_bound(tmp_path, monkeypatch):
    # given a criteria table of 60 rows where the bound is lowered to 50 (the real one is 500:
    # the bound, not the file's size, is what is tested, so the test stays cheap)
    monkeypatch.setattr(criteria_table, "MAX_CRITERIA", 50)
    rows = [["TT", "Tên tiêu chí", "Yêu cầu cần đạt", "Điểm"]]
    rows += [[str(i), f"Tiêu chí thứ {i} về chuyển đổi số của xã", "Có/Không", "1"] for i in range(1, 61)]
    path = write(tmp_path, "qua-nhieu.docx", commune_docx(rows))
    # when it is extracted, then the reading stops with the bound named
    assert refused(path) == "Bảng tiêu chí có hơn 50 tiêu chí; một bộ tiêu chí không lớn như vậy."


def test_a_table_of_too_many_rows_stops_at_the_bound(tmp_path, monkeypatch):
    # given a table whose rows are all group rows (no criterion to count), past a lowered bound
    monkeypatch.setattr(criteria_table, "MAX_TABLE_ROWS", 30)
    rows = [["TT", "Tên tiêu chí", "Điểm"], *[["I", f"NHÓM {i}", ""] for i in range(40)]]
    path = write(tmp_path, "qua-dai.docx", commune_docx(rows))
    assert refused(path) == "Bảng tiêu chí có hơn 30 dòng; không xử lý."


def test_a_table_too_wide_is_refused_by_the_reader(tmp_path):
    # given a criteria table of 70 columns (a table split wrongly by a conversion)
    rows = [["TT", "Tên tiêu chí", "Điểm", *[f"Cột {i}" for i in range(67)]], ["1", "Tiêu chí", "5", *[""] * 67]]
    path = write(tmp_path, "qua-rong.docx", commune_docx(rows))
    assert refused(path).startswith("Bảng thứ 1 của tệp “qua-rong.docx” có 70 cột")


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    # given a 21 MB file (sparse: nothing is written, and nothing is read)
    path = tmp_path / "qua-lon.pdf"
    with path.open("wb") as f:
        f.truncate(21 * 1024 * 1024)
    assert refused(path) == "Tệp “qua-lon.pdf” quá lớn; tối đa 20 MB."
