"""The DOCX laid out per Nghị định 30/2020/NĐ-CP, its numbers equal to the dashboard's, and the
PDF LibreOffice makes of it."""

import datetime
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dxtrack.analytics import selectors as dashboard
from dxtrack.analytics.models import Scorecard
from dxtrack.analytics.templatetags.dashboard import measure
from dxtrack.publishing import compose, services
from dxtrack.publishing import facts as report_facts
from dxtrack.publishing.docx import date_line, number_line
from dxtrack.reports import selectors as reporting

from .conftest import fake_convert, office_or_skip

pytestmark = pytest.mark.django_db

ISSUED_ON = datetime.date(2026, 1, 5)


def _doc(data: bytes):
    return Document(io.BytesIO(data))


def _texts(container) -> list[str]:
    return [p.text for p in container.paragraphs]


def _table_with(document, first_head: str, second_head: str):
    for table in document.tables:
        cells = [c.text for c in table.rows[0].cells]
        if cells[:2] == [first_head, second_head]:
            return table
    raise AssertionError(f"no table headed {first_head}, {second_head}")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 1, 5), "Thanh Hóa, ngày 05 tháng 01 năm 2026"),
        (datetime.date(2026, 2, 1), "Thanh Hóa, ngày 01 tháng 02 năm 2026"),
        (datetime.date(2026, 3, 15), "Thanh Hóa, ngày 15 tháng 3 năm 2026"),
        (datetime.date(2026, 12, 9), "Thanh Hóa, ngày 09 tháng 12 năm 2026"),
    ],
)
def test_date_line_has_leading_zeros_for_days_under_10_and_months_1_2(day, expected):
    # given a day / when the place and date line is written / then as Nghị định 30 writes it
    assert date_line("Thanh Hóa", day, day.year) == expected


def test_number_line():
    assert number_line(5, "TGV") == "Số: 05/BC-TGV"
    assert number_line(123, "TGV") == "Số: 123/BC-TGV"
    assert number_line(None, "TGV") == "Số:      /BC-TGV"


def test_issued_docx_layout_follows_decree_30(secretariat, quarter):
    # given a draft for a quarter, issued on 05/01/2026 as the year's first report
    draft = services.report_compose(actor=secretariat, period=quarter, scope_kind="programme")
    issued = services.report_issue(actor=secretariat, report=draft, today=ISSUED_ON, convert=fake_convert)

    # when its stored DOCX is opened
    document = _doc(bytes(issued.docx))

    # then the page is A4 portrait with the decree's margins
    section = document.sections[0]

    # (Word keeps lengths in twentieths of a point: 210 mm is stored as 11906 twips = 210.0 mm to 0.01)
    def mm(length):
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20.0, 20.0)
    assert (mm(section.left_margin), mm(section.right_margin)) == (30.0, 15.0)
    # the body is Times New Roman 14 pt, justified, indented 1.27 cm, 6 pt after
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == {"Times New Roman"}
    intro = next(p for p in document.paragraphs if p.text.startswith("Tổ giúp việc Ban Chỉ đạo"))
    assert intro.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert intro.paragraph_format.first_line_indent == Cm(1.27)
    assert intro.paragraph_format.space_after == Pt(6)
    body = [p for p in document.paragraphs if p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY and p.text.strip()]
    assert len(body) > 10
    for paragraph in body:
        for run in paragraph.runs:
            assert (run.font.name, run.font.size) == ("Times New Roman", Pt(14)), paragraph.text
            assert run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "Times New Roman"
    # the header block: issuing body left, national title and motto right, number and date below
    header = document.tables[0]
    left, right = header.cell(0, 0), header.cell(0, 1)
    assert _texts(left)[:3] == ["UBND TỈNH THANH HÓA", "TỔ GIÚP VIỆC BAN CHỈ ĐẠO", "CHUYỂN ĐỔI SỐ TỈNH"]
    assert all(r.bold for p in left.paragraphs[1:3] for r in p.runs)
    assert _texts(right)[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert header.cell(1, 0).text == "Số: 01/BC-TGV"
    assert header.cell(1, 1).text == "Thanh Hóa, ngày 05 tháng 01 năm 2026"
    assert header.cell(1, 1).paragraphs[0].runs[0].italic is True
    # each rule is a bordered empty paragraph under the body's name and under the motto
    for cell in (left, right):
        assert any(p._p.find(".//" + qn("w:pBdr")) is not None for p in cell.paragraphs)
    # the title
    texts = _texts(document)
    title_at = texts.index("BÁO CÁO")
    assert texts[title_at + 1] == "Kết quả thực hiện chuyển đổi số quý III năm 2025"
    assert document.paragraphs[title_at].runs[0].bold is True
    assert document.paragraphs[title_at].alignment == WD_ALIGN_PARAGRAPH.CENTER
    # page numbers: none on the first page, a centred PAGE field on the others
    assert section.different_first_page_header_footer is True
    assert "PAGE" not in section.first_page_header._element.xml
    page_header = section.header.paragraphs[0]
    assert page_header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [e.text for e in page_header._p.iter(qn("w:instrText"))]
    assert instructions == [" PAGE "]
    # "Nơi nhận:" 12 pt bold italic, its list 11 pt; the signature block
    closing = next(t for t in document.tables if t.cell(0, 0).text.startswith("Nơi nhận:"))
    label = closing.cell(0, 0).paragraphs[0].runs[0]
    assert (label.text, label.font.size, label.bold, label.italic) == ("Nơi nhận:", Pt(12), True, True)
    recipients = closing.cell(0, 0).paragraphs[1:]
    assert recipients[-1].text == "- Lưu: VT, TGV."
    assert {r.font.size for p in recipients for r in p.runs} == {Pt(11)}
    assert _texts(closing.cell(0, 1))[:2] == ["TM. TỔ GIÚP VIỆC", "TỔ TRƯỞNG"]
    # data tables repeat their header row on every page
    targets = _table_with(document, "STT", "Chỉ tiêu")
    assert targets.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_targets_table_and_counts_equal_the_dashboard(demo_world, secretariat):
    # given the demo's reports of 2025, progress recomputed, and the quarterly report composed
    today = datetime.date(2025, 11, 30)
    report = services.report_compose(actor=secretariat, period=demo_world, scope_kind="programme", at=today)

    # when its DOCX is rendered and read back
    document = _doc(services.render_docx(report))

    # then Phụ lục I lists every target the dashboard lists, in its order, with the same values
    rows = dashboard.target_rows()
    assert len(rows) > 20
    table = _table_with(document, "STT", "Chỉ tiêu")
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(body) == len(rows)
    for cells, row in zip(body, rows, strict=True):
        unit = row.target.indicator.unit
        tp = row.progress
        latest = f"{measure(tp.latest_value, unit)} ({tp.latest_year})" if tp.latest_value is not None else "—"
        projection = measure(row.projected, unit) if row.projected is not None else "—"
        assert cells[1:] == [
            row.target.label,
            row.target.document.reference,
            cells[3],  # the milestone: the plan's own wording (checked below for one target)
            latest,
            row.status_label,
            projection,
        ]
    # the status counts equal the province scorecard (the dashboard's cards)
    province = Scorecard.objects.get(kind="province")
    cards = {c.status: c.count for c in dashboard.summary().cards}
    status_table = _table_with(document, "Trụ cột", "Tổng số")
    total_row = [c.text for c in status_table.rows[-1].cells]
    assert total_row == ["Tổng cộng", str(sum(cards.values()))] + [str(cards[s]) for s in dashboard.STATUSES]
    assert {s: n for s, n in cards.items() if n} == province.counts
    # the pillar rows equal the pillar scorecards
    pillar_cards = {str(r.label): r for r in dashboard.summary().pillars}
    for row in status_table.rows[1:-1]:
        cells = [c.text for c in row.cells]
        if cells[0] in pillar_cards:
            assert cells[1:] == [str(pillar_cards[cells[0]].total)] + [str(n) for n in pillar_cards[cells[0]].counts]
    # the reporting table equals the completeness page's rates for the period
    rates = reporting.rates(actor=secretariat, period=demo_world)
    completeness = _table_with(document, "Biểu báo cáo", "Phải gửi")
    assert [c.text for c in completeness.rows[-1].cells][:4] == [
        "Tổng cộng",
        str(rates.expected),
        str(rates.reported),
        str(rates.on_time),
    ]
    # Phụ lục III lists exactly the late and missing reports of the period
    late = _table_with(document, "STT", "Đơn vị")
    assert len(late.rows) - 1 == reporting.late_count(actor=secretariat, period=demo_world, today=today) > 0
    # the overview sentence states the same numbers
    overview = report.sections["overview"].splitlines()[0]
    assert overview.startswith(f"Toàn tỉnh có {len(rows)} chỉ tiêu được theo dõi tiến độ: ")
    assert f"{cards['target_achieved']} đã đạt mục tiêu" in overview
    assert cards["target_achieved"] + cards["on_track"] > 0  # the demo's two years are assessable

    # and every gathered difficulty was written, in an approved report of the period, by each unit named
    _difficulties_keep_their_units(report, demo_world)
    # and the scoped reports equal the scoped dashboards
    _scoped_reports_equal_scoped_dashboards(secretariat, demo_world)


def _difficulties_keep_their_units(report, period):
    from dxtrack.reports.models import Report

    items = report.facts["narratives"]["difficulties"]
    assert items
    approved = Report.objects.filter(obligation__period=period, status__in=["approved", "locked"]).select_related(
        "obligation__agency", "obligation__admin_unit"
    )
    written = {}
    for r in approved:
        written.setdefault(str(r.obligation.agency or r.obligation.admin_unit), []).append(r.difficulties)
    for item in items:
        for unit in item["units"]:
            assert any(item["text"].rstrip(".") in text for text in written[unit]), (item["text"], unit)


def _scoped_reports_equal_scoped_dashboards(secretariat, period):
    from dxtrack.org.models import Agency

    pillar = "chinh_quyen_so"
    by_pillar = services.report_compose(actor=secretariat, period=period, scope_kind="pillar", scope_key=pillar)
    cards = {c.status: c.count for c in dashboard.summary(pillar=pillar).cards}
    assert by_pillar.facts["counts"] == cards
    assert by_pillar.title == "Kết quả thực hiện chuyển đổi số quý III năm 2025 — Trụ cột Chính quyền số"
    agency = Agency.objects.get(code="SO_KHCN")
    by_agency = services.report_compose(actor=secretariat, period=period, scope_kind="agency", scope_key="SO_KHCN")
    page = dashboard.agency_page(agency)
    assert [t["id"] for t in by_agency.facts["targets"]] == [r.target.pk for r in page.extra["targets"]]
    assert [t["state"] for t in by_agency.facts["tasks"]] == [r.state for r in page.extra["tasks"]]


def test_pdf_of_the_quarterly_report(demo_world, secretariat):
    office_or_skip()
    from pypdf import PdfReader

    from dxtrack.publishing import pdf

    # given the quarterly report of the demo data
    report = services.report_compose(actor=secretariat, period=demo_world, scope_kind="programme")

    # when LibreOffice converts its DOCX
    data = pdf.docx_to_pdf(services.render_docx(report))

    # then the PDF has the body and the three appendices (each starts a page), and their text
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 4
    first = reader.pages[0].extract_text()
    assert "BÁO CÁO" in first
    assert "Kết quả thực hiện chuyển đổi số quý III năm 2025" in first
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert not first.strip().startswith("1")  # no page number on page 1
    assert reader.pages[1].extract_text().strip().startswith("2")
    # (a cell's text wraps onto several lines: compare with the whitespace folded)
    everything = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    first_target = report.facts["targets"][0]
    assert first_target["status_label"] in everything
    assert first_target["latest"].split(" (")[0] in everything
    assert "Phụ lục I" in everything
    # and page size A4 in points (595 × 842)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_compose_unknown_scope_key_is_refused_in_vietnamese(secretariat, quarter):
    from dxtrack.core.errors import InvalidData

    with pytest.raises(InvalidData, match=r"Hãy chọn một kế hoạch có trong danh mục\."):
        services.report_compose(actor=secretariat, period=quarter, scope_kind="plan", scope_key="khong-co")
    with pytest.raises(InvalidData, match="Phạm vi báo cáo không hợp lệ"):
        services.report_compose(actor=secretariat, period=quarter, scope_kind="", scope_key="")
    assert report_facts.scope_of("pillar", "kinh_te_so").label == "Trụ cột Kinh tế số"


def test_issued_docx_is_stamped_at_the_start_of_its_day_here(secretariat, quarter):
    """Given a report issued on 05/01/2026, its DOCX says it was made at 00:00 of that day on the
    province's clock (17:00 UTC the day before), not at 00:00 UTC (07:00 here, maybe after the issue)."""
    draft = services.report_compose(actor=secretariat, period=quarter, scope_kind="programme")
    issued = services.report_issue(actor=secretariat, report=draft, today=ISSUED_ON, convert=fake_convert)
    props = _doc(bytes(issued.docx)).core_properties
    expected = datetime.datetime(ISSUED_ON.year, ISSUED_ON.month, ISSUED_ON.day) - datetime.timedelta(hours=7)
    assert props.created.replace(tzinfo=None) == props.modified.replace(tzinfo=None) == expected


def test_the_report_states_its_kỳ_báo_cáo_and_kỳ_số_liệu(secretariat, quarter):
    draft = services.report_compose(actor=secretariat, period=quarter, scope_kind="programme")
    last = draft.sections["overview"].splitlines()[-1]
    assert last.startswith(
        f"Kỳ báo cáo {quarter.label}: {quarter.start:%d/%m/%Y}–{quarter.end:%d/%m/%Y}; "
        f"kỳ số liệu: {quarter.data_from:%d/%m/%Y}–{quarter.data_to:%d/%m/%Y}. Số liệu tổng hợp đến ngày "
    )
    assert (draft.facts["period"]["data_from"], draft.facts["period"]["data_to"]) == (
        quarter.data_from.isoformat(),
        quarter.data_to.isoformat(),
    )


def test_facts_gathered_before_the_data_window_was_kept_take_it_from_the_calendar():
    facts = {"period": {"label": "Năm 2024", "type": "yearly", "start": "2024-01-01", "end": "2024-12-31"}}
    assert compose.period_bounds(facts) == (
        "Kỳ báo cáo Năm 2024: 01/01/2024–31/12/2024; kỳ số liệu: 15/12/2023–14/12/2024."
    )
