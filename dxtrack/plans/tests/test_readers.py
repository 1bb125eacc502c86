"""Reading uploads: text, DOCX (tables, merged cells), PDF; and every bad file refused clearly."""

import pytest

from dxtrack.plans.extract.readers import MAX_BYTES, ReadError, read_upload

from .builders import make_docx, make_pdf

PLAN = [
    "KẾ HOẠCH",
    "Chuyển đổi số năm 2026",
    "I. MỤC TIÊU",
    "1. Mục tiêu cụ thể",
    "- Đến năm 2026, 90% hồ sơ công việc được xử lý trên môi trường mạng.",
] + ["Nội dung thực hiện chuyển đổi số trong các cơ quan nhà nước trên địa bàn tỉnh." for _ in range(5)]


def test_utf8_text_with_bom_and_windows_line_ends():
    source = read_upload(("\ufeff" + "\r\n".join(PLAN)).encode("utf-8"), "kh.txt")
    assert source.lines[0].text == "KẾ HOẠCH" and source.lines[2].text == "I. MỤC TIÊU"


def test_utf16_text():
    assert read_upload("\n".join(PLAN).encode("utf-16"), "kh.txt").lines[1].text == "Chuyển đổi số năm 2026"


def test_docx_paragraphs_and_tables_become_lines_with_tabs():
    data = make_docx(PLAN, [["TT", "Nhiệm vụ", "Cơ quan chủ trì"], ["1", "Xây dựng kho dữ liệu", "Sở KH&CN"]])
    source = read_upload(data, "kh.docx")
    assert [ln.text for ln in source.lines[-2:]] == [
        "TT\tNhiệm vụ\tCơ quan chủ trì",
        "1\tXây dựng kho dữ liệu\tSở KH&CN",
    ]


def test_docx_merged_cells_are_read_once():
    data = make_docx(PLAN, [["Nhóm 1: Hạ tầng", "", ""], ["1", "Phủ sóng 5G", "Sở KH&CN"]], merge_first_row=True)
    source = read_upload(data, "kh.docx")
    assert source.lines[-2].text == "Nhóm 1: Hạ tầng\t" and source.lines[-2].is_table_row


def test_text_pdf_is_read():
    lines = ["KE HOACH chuyen doi so", "I. MUC TIEU"] + ["Noi dung ke hoach chuyen doi so cua tinh." for _ in range(8)]
    source = read_upload(make_pdf(lines), "kh.pdf")
    assert "I. MUC TIEU" in source.text


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "kh.txt", "rỗng"),
        (b"x" * (MAX_BYTES + 1), "kh.txt", "quá lớn"),
        (b"\x00\x01\x02\x03" * 100, "kh.txt", "tệp nhị phân"),
        ("Thµnh phè Thanh Hãa".encode("cp1252"), "kh.txt", "không ở mã Unicode"),
        (("Kế hoạch " * 50 + "Thµnh phè Thanh Hãa ¸µ¶·¹ " * 20).encode("utf-8"), "kh.txt", "bảng mã cũ"),
        (b"PK\x03\x04 not really a zip", "kh.docx", "không phải tệp Word"),
        (b"%PDF-1.4 broken", "kh.pdf", "không phải PDF hợp lệ"),
        (b"hello", "kh.pdf", "không phải PDF"),
        (b"short", "kh.txt", "không có nội dung chữ"),
        (b"{\\rtf1}", "kh.rtf", "chưa được hỗ trợ"),
    ],
    ids=[
        "empty",
        "huge",
        "binary",
        "legacy-bytes",
        "legacy-as-unicode",
        "bad-docx",
        "bad-pdf",
        "fake-pdf",
        "too-short",
        "rtf",
    ],
)
def test_bad_files_are_refused_with_a_vietnamese_message(data, name, message):
    with pytest.raises(ReadError) as caught:
        read_upload(data, name)
    assert message in caught.value.message


def test_a_scanned_pdf_is_refused():
    with pytest.raises(ReadError) as caught:
        read_upload(make_pdf([]), "scan.pdf")
    assert "chỉ có ảnh quét" in caught.value.message
