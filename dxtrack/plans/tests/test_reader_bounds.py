"""Plan files are parsed within bounds: an archive or a stream that inflates past them is refused
with a Vietnamese message before it costs the server its memory."""

import io
import zipfile

import pytest

from dxtrack.core.tests import samples
from dxtrack.plans.extract.readers import ReadError, read_upload


def test_a_pdf_whose_stream_inflates_past_the_limit_is_refused_in_vietnamese():
    # Given a PDF of a few hundred KB whose content stream inflates to 80 MB
    bomb = samples.pdf(b"0 0 m " * (80 * 1024 * 1024 // 6))
    assert len(bomb) < 1024 * 1024
    # When it is read as a plan
    with pytest.raises(ReadError) as refused:
        read_upload(bomb, "ke-hoach.pdf")
    # Then it is refused with a message, not a server error
    assert refused.value.message == (
        "Nội dung các trang của tệp PDF “ke-hoach.pdf” giải nén ra quá 30 MB; không xử lý."
    )


def test_a_docx_that_unpacks_past_the_bound_is_refused_before_parsing():
    # Given a DOCX of under 1 MB that unpacks to 100 MB
    bomb = samples.office("word/document.xml", extra={"word/media/anh.bin": b"\x00" * (100 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    # When it is read as a plan
    with pytest.raises(ReadError) as refused:
        read_upload(bomb, "ke-hoach.docx")
    # Then it is refused on its declared sizes
    assert refused.value.message == "Tệp “ke-hoach.docx”: Tệp giải nén ra quá lớn (trên 60 MB); không xử lý."


def test_a_docx_whose_body_alone_is_too_large_is_refused_before_parsing():
    # Given a DOCX whose document.xml unpacks to 11 MB (the rest of the package is small)
    body = b"<w:document>" + b" " * (11 * 1024 * 1024) + b"</w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", body)
    assert len(out.getvalue()) < 1024 * 1024
    # When it is read as a plan, then it is refused on the body's declared size
    with pytest.raises(ReadError) as refused:
        read_upload(out.getvalue(), "ke-hoach.docx")
    assert refused.value.message == (
        "Tệp “ke-hoach.docx”: Nội dung chính của tệp giải nén ra quá lớn (trên 10 MB); không xử lý."
    )


def test_reading_a_pdf_stops_at_its_budget(monkeypatch):
    # Given a reading budget already spent before the first page
    from dxtrack.plans.extract import readers

    monkeypatch.setattr(readers, "PDF_SECONDS", -1.0)
    # When a PDF is read, then it is refused with the reason, not read on
    with pytest.raises(ReadError) as refused:
        read_upload(samples.pdf(), "ke-hoach.pdf")
    assert refused.value.message.startswith("Tệp PDF “ke-hoach.pdf” cần quá nhiều công sức để đọc")


def test_a_pdf_of_too_many_pages_is_refused(monkeypatch):
    from dxtrack.plans.extract import readers

    monkeypatch.setattr(readers, "MAX_PDF_PAGES", 0)
    with pytest.raises(ReadError) as refused:
        read_upload(samples.pdf(), "ke-hoach.pdf")
    assert refused.value.message == "Tệp PDF “ke-hoach.pdf” có 1 trang; tối đa 0 trang."


def test_a_pdf_of_many_streams_each_under_the_readers_limit_is_refused_on_their_sum():
    # Given 40 pages whose content streams each inflate to 1 MB (pypdf's own limit is per stream)
    bomb = samples.pdf(b"0 0 m " * (1024 * 1024 // 6), pages=40)
    assert len(bomb) < 200 * 1024
    # When it is read as a plan, then their sum is refused before any text is extracted
    with pytest.raises(ReadError) as refused:
        read_upload(bomb, "ke-hoach.pdf")
    assert refused.value.message == (
        "Nội dung các trang của tệp PDF “ke-hoach.pdf” giải nén ra quá 30 MB; không xử lý."
    )
