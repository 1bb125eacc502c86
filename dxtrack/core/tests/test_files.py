"""Uploaded files are what their names say, checked past their first bytes, within bounds."""

import pytest

from dxtrack.core import files
from dxtrack.core.errors import InvalidData

from . import samples

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize(
    ("data", "ext"),
    [
        (samples.pdf(), ".pdf"),
        (samples.png(), ".png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100 + b"\xff\xd9", ".jpg"),
        (samples.office("word/document.xml"), ".docx"),
        (samples.office("xl/workbook.xml"), ".xlsx"),
    ],
)
def test_a_whole_file_of_its_kind_passes(data, ext):
    files.check_content(data, ext)


@pytest.mark.parametrize(
    ("data", "ext", "message"),
    [
        (b"%PDF-1.4\n" + HTML, ".pdf", "Nội dung tệp không phải PDF như tên tệp ghi."),
        (b"%PDF-1.4\n" + HTML + b"\nstartxref\n0\n%%EOF", ".pdf", "Nội dung tệp không phải PDF như tên tệp ghi."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, ".png", "Nội dung tệp không phải PNG như tên tệp ghi."),
        (samples.png() + HTML, ".png", "Nội dung tệp không phải PNG như tên tệp ghi."),
        (b"\xff\xd8\xff" + HTML, ".jpg", "Nội dung tệp không phải JPG như tên tệp ghi."),
        (samples.office("xl/workbook.xml"), ".docx", "Nội dung tệp không phải DOCX như tên tệp ghi."),
        (b"PK\x03\x04" + HTML, ".xlsx", "Tệp XLSX bị hỏng, không đọc được."),
        (HTML, ".pdf", "Nội dung tệp không phải PDF như tên tệp ghi."),
        (b"", ".png", "Nội dung tệp không phải PNG như tên tệp ghi."),
        (samples.pdf(), ".exe", "Loại tệp này không được nhận."),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(data, ext, message):
    with pytest.raises(InvalidData) as refused:
        files.check_content(data, ext)
    assert refused.value.message == message


def test_an_office_file_inflating_past_the_bound_is_refused_before_parsing():
    # Given a small DOCX whose one part inflates to 101 MB of zeros
    bomb = samples.office("word/document.xml", extra={"word/media/x.bin": b"\x00" * (101 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    # When it is checked
    with pytest.raises(InvalidData) as refused:
        files.check_content(bomb, ".docx")
    # Then it is refused on its declared size
    assert refused.value.message == "Tệp giải nén ra quá lớn (trên 100 MB); không xử lý."


def test_an_office_file_with_too_many_parts_is_refused():
    parts = {f"word/p{i}.xml": b"" for i in range(files.MAX_PARTS)}
    with pytest.raises(InvalidData) as refused:
        files.check_content(samples.office("word/document.xml", extra=parts), ".docx")
    assert (
        refused.value.message
        == f"Tệp có quá nhiều thành phần ({files.MAX_PARTS + 2}; tối đa {files.MAX_PARTS}); không xử lý."
    )
