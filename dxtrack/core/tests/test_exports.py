"""Downloads of the tables users see: the mechanism (CSV, XLSX, the response) and real pages,
whose files must hold the page's rows and figures and only for those who may see the page."""

import csv
import datetime
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from dxtrack.accounts.access import PUBLIC, SYSTEM
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core import exports
from dxtrack.core.exports import DATE, DATETIME, NUMBER, PERCENT, YEAR, Column, Table
from dxtrack.core.templatetags.vn import target_value, vnnum

# ---- helpers -------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Every <table> of a page as (attributes, caption, rows of cell texts)."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"attrs": dict(attrs), "caption": "", "rows": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif tag == "caption":
            self._caption = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)


def html_table(response, *, caption: str = "", id: str = "", css: str = "", index: int = 0) -> list[list[str]]:
    """The body rows (header row left out) of one table of the page."""
    parser = _Tables()
    parser.feed(response.content.decode())
    found = [
        t
        for t in parser.tables
        if (not caption or t["caption"] == caption)
        and (not id or t["attrs"].get("id") == id)
        and (not css or css in (t["attrs"].get("class") or "").split())
    ]
    return found[index]["rows"][1:]


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def num(text: str) -> float | None:
    return float(text) if text != "" else None


def sample() -> Table:
    return Table(
        "Bảng thử: số liệu/[2025]",
        [
            Column("Đơn vị"),
            Column("Số", NUMBER),
            Column("Tỷ lệ", PERCENT, decimals=1),
            Column("Năm", YEAR),
            Column("Hạn", DATE),
            Column("Gửi lúc", DATETIME),
            Column("Giá trị", NUMBER, decimals=None),
        ],
        [
            ["Phường Hàm Rồng", 1234, 55.5, 2025, datetime.date(2025, 7, 15), None, Decimal("0.50")],
            [
                '=HYPERLINK("http://x")',
                -5,
                None,
                None,
                None,
                datetime.datetime(2025, 7, 1, 1, 30, tzinfo=datetime.UTC),
                1e-5,
            ],
            ["+1", 0, 100.0, 2024, None, None, None],
            ["-2", 2.5, 0.0, None, None, None, None],
            ["@SUM(A1)", None, None, None, None, None, None],
        ],
    )


# ---- the mechanism ---------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_and_machine_readable_numbers_and_iso_dates():
    data = exports.to_csv(sample())
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").split("\r\n") == [
        "Đơn vị,Số,Tỷ lệ,Năm,Hạn,Gửi lúc,Giá trị",
        "Phường Hàm Rồng,1234,55.5,2025,2025-07-15,,0.50",
        # Text that a spreadsheet would run is neutralised; the negative number stays a number.
        # 01:30 UTC is 08:30 in Vietnam.
        '"\'=HYPERLINK(""http://x"")",-5,,,,2025-07-01 08:30,0.00001',
        "'+1,0,100.0,2024,,,",
        "'-2,2.5,0.0,,,,",
        "'@SUM(A1),,,,,,",
        "",
    ]


def test_a_figure_no_spreadsheet_can_hold_is_left_empty():
    table = Table("x", [Column("a", NUMBER)], [[float("nan")], [float("inf")], [Decimal("NaN")]])
    # (the csv module quotes a row's only, empty field, so the row is not read as a blank line)
    assert exports.to_csv(table).decode("utf-8-sig") == 'a\r\n""\r\n""\r\n""\r\n'
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(table))).active
    assert [v for row in sheet.iter_rows(min_row=2, values_only=True) for v in row if v is not None] == []


def test_xlsx_has_typed_cells_with_vietnamese_display_formats_a_bold_frozen_header_and_no_formula():
    book = load_workbook(io.BytesIO(exports.to_xlsx(sample())))
    sheet = book.active
    assert book.properties.title == "Bảng thử: số liệu/[2025]"
    assert sheet.title == "Bảng thử số liệu 2025"
    assert sheet.freeze_panes == "A2"
    header = list(sheet[1])
    assert [c.value for c in header] == ["Đơn vị", "Số", "Tỷ lệ", "Năm", "Hạn", "Gửi lúc", "Giá trị"]
    assert all(c.font.b for c in header)
    first, second, plus, minus, _at = list(sheet.iter_rows(min_row=2))
    assert [c.value for c in first[:5]] == ["Phường Hàm Rồng", 1234, 55.5, 2025, datetime.datetime(2025, 7, 15)]
    assert [c.data_type for c in first[1:5]] == ["n", "n", "n", "d"]
    assert [c.number_format for c in first[1:5]] == ["#,##0", '#,##0.0"%"', "0", "dd/mm/yyyy"]
    assert (first[6].value, first[6].number_format) == (0.5, "General")
    assert (second[5].value, second[5].number_format) == (datetime.datetime(2025, 7, 1, 8, 30), "dd/mm/yyyy hh:mm")
    # A formula-looking text is a plain string cell (marked quote-prefix), never a formula
    assert (second[0].value, second[0].data_type, second[0].quotePrefix) == ('=HYPERLINK("http://x")', "s", True)
    assert (minus[0].value, minus[0].data_type) == ("-2", "s")
    assert (second[1].value, second[1].data_type) == (-5, "n")
    assert (minus[1].value, minus[2].value) == (2.5, 0.0)
    # A figure whole at its column's precision shows no decimals (100%, never 100,0%); it stays exact
    assert (plus[2].value, plus[2].number_format) == (100, '#,##0"%"')
    assert (minus[2].number_format, first[2].number_format) == ('#,##0"%"', '#,##0.0"%"')
    assert sheet.column_dimensions["A"].width >= len("Phường Hàm Rồng")


@pytest.mark.parametrize(
    ("title", "name"),
    [("Báo cáo: Quý III/2025", "Báo cáo Quý III 2025"), ("'[]'", "Bảng"), ("x" * 40, "x" * 31), ("", "Bảng")],
)
def test_sheet_names_are_ones_excel_accepts(title, name):
    assert exports.sheet_name(title) == name


def test_the_filename_has_the_date_an_ascii_fallback_and_the_vietnamese_name():
    day = datetime.date(2025, 7, 1)
    assert exports.content_disposition("chi-tieu", "csv", today=day) == 'attachment; filename="chi-tieu-2025-07-01.csv"'
    assert exports.content_disposition("Tiến độ Phường Hàm Rồng", "xlsx", today=day) == (
        'attachment; filename="tien-do-phuong-ham-rong-2025-07-01.xlsx"; '
        "filename*=UTF-8''ti%E1%BA%BFn-%C4%91%E1%BB%99-ph%C6%B0%E1%BB%9Dng-h%C3%A0m-r%E1%BB%93ng-2025-07-01.xlsx"
    )


def _get(query: str):
    request = RequestFactory().get("/" + query)
    request.user = UserFactory.build()
    return request


def test_export_response_answers_only_when_asked_and_refuses_unknown_formats_and_tables(db):
    table = sample()
    assert exports.export_response(_get(""), table, "thu") is None
    response = exports.export_response(_get("?xuat=csv"), table, "thu")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="thu-')
    assert response["Cache-Control"] == "private, no-store"
    for bad in ("?xuat=pdf", "?xuat=", "?xuat=XLSX"):
        response = exports.export_response(_get(bad), table, "thu")
        assert response.status_code == 400
        assert "Định dạng tải về không hợp lệ" in response.content.decode()
        assert "Content-Disposition" not in response
    built = []
    tables = {"a": lambda: built.append("a") or table, "b": lambda: built.append("b") or table}
    response = exports.export_response(_get("?xuat=xlsx&bang=b"), tables, "thu")
    assert response.status_code == 200 and built == ["b"]  # only the table asked for is built
    assert 'filename="thu-b-' in response["Content-Disposition"]
    response = exports.export_response(_get("?xuat=xlsx&bang=z"), tables, "thu")
    assert response.status_code == 400
    assert "Không có bảng này" in response.content.decode()


def test_a_table_over_the_row_cap_is_refused_with_a_clear_message(db, monkeypatch):
    monkeypatch.setattr(exports, "MAX_ROWS", 4)
    response = exports.export_response(_get("?xuat=csv"), sample(), "thu")
    assert response.status_code == 400
    assert "Bảng có 5 dòng, vượt giới hạn 4 dòng" in response.content.decode()
    # A lazy table is refused on its announced size, before any row is read
    lazy = Table("x", [Column("a")], (pytest.fail("read") for _ in range(1)), total=5)
    assert exports.export_response(_get("?xuat=xlsx"), lazy, "thu").status_code == 400


# ---- real pages: the plan register ---------------------------------------------------------------


def test_the_targets_register_downloads_every_filtered_target_with_the_pages_figures(client, register):
    from dxtrack.plans import selectors

    targets = list(selectors.targets(actor=PUBLIC, year=2025))
    url = reverse("plans:targets")
    rows = read_csv(client.get(url, {"nam": "2025", "xuat": "csv"}))
    assert rows[0][:4] == ["Chỉ tiêu", "Mục tiêu", "Giá trị", "Giá trị trên (khoảng)"]
    # "= 2 bệnh viện" is a real target: the CSV neutralises it, the XLSX keeps it as a text cell
    assert [(r[0], r[1], num(r[2]), r[5]) for r in rows[1:]] == [
        (t.label, exports.neutralise(target_value(t)), t.value, str(t.year)) for t in targets
    ]
    assert any(r[1].startswith("'=") for r in rows[1:])
    sheet = read_xlsx(client.get(url, {"nam": "2025", "xuat": "xlsx"}))
    assert [(r[0], r[1], r[2], r[5]) for r in sheet[1:]] == [
        (t.label, target_value(t), t.value, t.year) for t in targets
    ]
    # And the page shows the same rows: its first page, in the same order, with the same values
    page = client.get(url, {"nam": "2025"})
    shown = html_table(page)
    assert 0 < len(shown) <= len(targets)
    assert [(cells[1], cells[2]) for cells in shown] == [(r[1], str(r[5])) for r in sheet[1 : len(shown) + 1]]
    assert '?nam=2025&amp;xuat=xlsx"' in page.content.decode()
    # Unfiltered, the download holds every target, not the page of 100 the register shows
    every = read_csv(client.get(url, {"xuat": "csv", "trang": "1"}))
    assert len(every) - 1 == selectors.targets(actor=PUBLIC).count() > 100


def test_a_bad_format_on_a_page_is_a_400_in_vietnamese(client, register):
    response = client.get(reverse("plans:targets"), {"xuat": "pdf"})
    assert response.status_code == 400
    assert "Chỉ tải được Excel" in response.content.decode()


def test_a_register_download_over_the_cap_is_refused(client, register, monkeypatch):
    monkeypatch.setattr(exports, "MAX_ROWS", 10)
    response = client.get(reverse("plans:tasks"), {"xuat": "xlsx"})
    assert response.status_code == 400
    assert "Hãy dùng bộ lọc để thu hẹp rồi tải lại." in response.content.decode()


# ---- real pages: reporting -------------------------------------------------------------------------


@pytest.fixture
def submitted(calendar_2025):
    """Phường Hàm Rồng's Q3/2025 report filled and submitted; its reporter, a secretariat user."""
    from dxtrack.reports.services.opening import report_open
    from dxtrack.reports.services.workflow import report_transition
    from dxtrack.reports.tests.builders import commune_obligation, filled, unit_people

    obligation = commune_obligation()
    reporter, approver, secretariat = unit_people(obligation.admin_unit)
    report = report_open(actor=reporter, obligation=obligation)
    filled(report, reporter)
    report_transition(actor=approver, report=report, action="submit")
    return {"obligation": obligation, "reporter": reporter, "secretariat": secretariat}


def test_the_completeness_table_downloads_the_selectors_and_the_pages_numbers(client, submitted):
    from dxtrack.reports import selectors

    client.force_login(submitted["secretariat"])
    url = reverse("reports:completeness")
    expected = selectors.completeness(actor=submitted["secretariat"], year=2025)
    sheet = read_xlsx(client.get(url, {"nam": "2025", "xuat": "xlsx"}))
    assert sheet[0] == [
        "Kỳ báo cáo",
        "Biểu báo cáo",
        "Phải báo cáo",
        "Đã báo cáo",
        "Đúng hạn",
        "Tỷ lệ báo cáo (%)",
        "Tỷ lệ đúng hạn (%)",
    ]
    figures = [
        [
            r.period.label,
            r.rule_label,
            r.rates.expected,
            r.rates.reported,
            r.rates.on_time,
            r.rates.reporting_rate,
            r.rates.on_time_rate,
        ]
        for r in expected
    ]
    assert sheet[1:] == figures
    assert any(row[3] == 1 for row in sheet[1:])  # the submitted report is counted
    # The page's table: the same rows, each figure as the page writes it
    shown = html_table(client.get(url, {"nam": "2025"}))
    assert len(shown) == len(figures)
    for cells, row in zip(shown, figures, strict=True):
        assert cells[:2] == row[:2]
        assert cells[2:5] == [vnnum(n) for n in row[2:5]]
        assert cells[5:] == [f"{vnnum(x)}%" if x is not None else "—" for x in row[5:]]
    # CSV: the same numbers, with a decimal dot
    rows = read_csv(client.get(url, {"nam": "2025", "xuat": "csv"}))
    assert [[int(r[2]), int(r[3]), int(r[4]), num(r[5])] for r in rows[1:]] == [
        [r[2], r[3], r[4], r[5]] for r in figures
    ]


def test_who_may_not_see_a_reporting_page_cannot_download_it(client, submitted):
    obligation = submitted["obligation"]
    pages = [
        reverse("reports:completeness") + "?xuat=xlsx",
        reverse("reports:period", args=[obligation.period_id]) + "?xuat=csv&bang=don-vi",
        reverse("reports:queue") + "?xuat=csv",
    ]
    login = reverse("accounts:login")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(login)
        assert "Content-Disposition" not in response
    client.force_login(submitted["reporter"])
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403
        assert "Content-Disposition" not in response
        assert "Phường" not in response.content.decode()


def test_a_unit_downloads_only_its_own_obligations_and_the_province_all_of_them(client, submitted):
    from dxtrack.obligations import selectors as obligation_selectors

    reporter, secretariat = submitted["reporter"], submitted["secretariat"]
    client.force_login(reporter)
    rows = read_csv(client.get(reverse("reports:index"), {"xuat": "csv"}))
    own = obligation_selectors.obligations(actor=reporter)
    assert len(rows) - 1 == own.count() > 0
    assert {r[3] for r in rows[1:]} == {submitted["obligation"].admin_unit.name}
    assert "Đã gửi" in {r[7] for r in rows[1:]}
    # The province-wide reader gets every obligation, not the first page of 50
    client.force_login(secretariat)
    rows = read_csv(client.get(reverse("reports:index"), {"xuat": "csv", "nam": "2025"}))
    assert len(rows) - 1 == obligation_selectors.obligations(actor=secretariat).filter(period__year=2025).count() > 50


def test_a_periods_tables_and_the_queue_download_what_the_pages_list(client, submitted):
    obligation = submitted["obligation"]
    client.force_login(submitted["secretariat"])
    url = reverse("reports:period", args=[obligation.period_id])
    query = {"quy-dinh": obligation.rule_id}
    page = client.get(url, query)
    late = read_csv(client.get(url, {**query, "xuat": "csv", "bang": "cham-thieu"}))
    assert [(r[0], r[3]) for r in late[1:]] == [(row[0], row[3]) for row in html_table(page, index=0)]
    units = read_xlsx(client.get(url, {**query, "xuat": "xlsx", "bang": "don-vi"}))
    assert [r[0] for r in units[1:]] == [row[0] for row in html_table(page, index=1)]
    assert len(units) - 1 == len(page.context["rows"])
    queue = read_xlsx(client.get(reverse("reports:queue"), {"xuat": "xlsx"}))
    assert [r[0] for r in queue[1:]] == [obligation.admin_unit.name]
    assert isinstance(queue[1][5], datetime.datetime)


# ---- real pages: the dashboards ---------------------------------------------------------------------


@pytest.fixture
def progress(register):
    """Approved fibre coverage in two districts (40 % in 2022, 55 % in 2024), progress recomputed
    (as analytics/tests/test_views.py builds it)."""
    from dxtrack.analytics.services.recompute import recompute_all
    from dxtrack.analytics.tests.test_views import FIBRE, LATE_2022, LATE_2024
    from dxtrack.obligations import services as obligation_services
    from dxtrack.obligations.models import Obligation
    from dxtrack.plans.models import Indicator, ReportingRule
    from dxtrack.reports.models import DataValue, Report, ReportStatus

    rule = ReportingRule.objects.get(document__code="qd-4216-2020", period_type="semiannual")
    for year in (2022, 2023, 2024, 2025):
        obligation_services.calendar_generate(actor=SYSTEM, year=year, rules=[rule])
    indicator = Indicator.objects.get(code=FIBRE)
    for label, n in ((LATE_2022, 40), (LATE_2024, 55)):
        obligations = Obligation.objects.filter(rule=rule, period__label=label, admin_unit__level="district")
        for ob in obligations.select_related("period").order_by("admin_unit__code")[:2]:
            report = Report.objects.create(obligation=ob, status=ReportStatus.APPROVED)
            DataValue.objects.create(
                report=report,
                indicator=indicator,
                period=ob.period,
                admin_unit=ob.admin_unit,
                numerator=Decimal(n),
                denominator=Decimal(100),
                value=Decimal(n),
            )
    # The data end in 2024: assessed as of 2025, the 2025 milestones are still ahead.
    recompute_all(at=datetime.date(2025, 6, 30))


@pytest.fixture
def leader(client, db):
    client.force_login(UserFactory(role=Role.LEADER))
    return client


def test_the_overviews_pillar_table_downloads_the_summarys_counts(leader, progress):
    from dxtrack.analytics import selectors

    summary = selectors.summary()
    url = reverse("analytics:overview")
    sheet = read_xlsx(leader.get(url, {"xuat": "xlsx", "bang": "tru-cot"}))
    assert sheet[0] == ["Trụ cột", *(c.label for c in summary.cards), "Tổng", "Đánh giá", "Điểm"]
    assert sheet[1:] == [[r.label, *r.counts, r.total, r.status_label, r.score] for r in summary.pillars]
    assert sum(r[2 + 1] for r in sheet[1:]) == 3  # the three fibre targets (000, 001 III.2, 004) needing acceleration
    shown = html_table(leader.get(url), caption="Số chỉ tiêu theo tình trạng, theo trụ cột")
    assert [cells[: len(summary.cards) + 2] for cells in shown] == [
        [r[0], *(str(n) for n in r[1 : len(summary.cards) + 2])] for r in sheet[1:]
    ]
    # The filters of the page apply to the download too
    filtered = read_csv(leader.get(url, {"xuat": "csv", "bang": "tru-cot", "tru_cot": "kinh_te_so"}))
    assert [r[0] for r in filtered[1:]] == [r.label for r in selectors.summary(pillar="kinh_te_so").pillars]


def test_the_rankings_download_the_ranked_places_the_page_lists(leader, progress):
    from dxtrack.analytics import selectors

    url = reverse("analytics:overview")
    page = leader.get(url)
    for key, kind, index in (("xep-hang-xa", "commune", 0), ("xep-hang-co-quan", "agency", 1)):
        ranking = selectors.ranking(kind)
        rows = read_csv(leader.get(url, {"xuat": "csv", "bang": key}))
        assert rows[0] == ["Hạng", "Tên", "Đánh giá", "Điểm", "Lý do"]
        places = [*ranking.top, *ranking.bottom]
        assert len(places) > 1
        assert [(int(r[0]), r[1], num(r[3]), r[4]) for r in rows[1:]] == [
            (c.rank, c.label, c.score, "; ".join(c.reasons)) for c in places
        ]
        shown = [cells for cells in html_table(page, css="ranking", index=index) if len(cells) == 4]
        assert [(cells[0], cells[1]) for cells in shown] == [(r[0], r[1]) for r in rows[1:]]


def test_the_at_risk_table_and_the_public_list_download_the_pages_targets(client, leader, progress):
    from dxtrack.analytics import selectors

    rows = read_xlsx(leader.get(reverse("analytics:overview"), {"xuat": "xlsx", "bang": "nguy-co"}))
    at_risk = selectors.at_risk()
    assert [(r[0], r[5], r[8]) for r in rows[1:]] == [(t.target.label, 55.0, t.projected) for t in at_risk]
    assert len(at_risk) == 3  # the households-on-fibre targets of 000, 001 (in its tasks) and 004
    # The public dashboard is open to anyone, and so are its downloads
    client.logout()
    public = read_csv(client.get(reverse("analytics:public"), {"xuat": "csv", "bang": "chi-tieu"}))
    assert [r[0] for r in public[1:]] == [r.target.label for r in selectors.target_rows()]
    # The overview is not: an anonymous download goes to the login page, with nothing in it
    response = client.get(reverse("analytics:overview"), {"xuat": "csv", "bang": "tru-cot"})
    assert response.status_code == 302
    assert "Content-Disposition" not in response


def test_every_other_table_downloads_in_both_formats(leader, progress):
    from dxtrack.obligations.models import IndicatorReporter
    from dxtrack.org.models import AdminUnit, Agency
    from dxtrack.plans.models import Indicator, Target

    fibre = Target.objects.filter(indicator__code="ho-gia-dinh-cap-quang", year=2025).first()
    agency = IndicatorReporter.objects.filter(indicator__code="ho-gia-dinh-cap-quang").first().agency
    commune = AdminUnit.objects.filter(level="commune", valid_to__isnull=True).order_by("code").first()
    merged = AdminUnit.objects.filter(level="commune", valid_to__isnull=True, changes_in__isnull=False).first()
    lead = Agency.objects.filter(task_parties__role="lead").order_by("code").first()
    pages = {
        reverse("analytics:target", args=[fibre.pk]): ["so-lieu", "moc", "diem"],
        reverse("analytics:agency", args=[agency.code]): ["tinh-trang", "nhiem-vu-tinh-trang", "chi-tieu", "nhiem-vu"],
        reverse("analytics:commune", args=[commune.pk]): ["tinh-trang", "nhiem-vu-tinh-trang", "so-lieu"],
        reverse("plans:agency", args=[lead.code]): ["chu-tri", "phoi-hop"],
        reverse("plans:clause", args=["qd-4216-2020", "II"]): ["chi-tieu"],
        reverse("plans:clause", args=["qd-4216-2020", "III"]): ["nhiem-vu"],
        reverse("plans:indicator", args=[Indicator.objects.first().code]): [""],
        reverse("plans:tasks"): [""],
        reverse("org:unit", args=[(merged or commune).pk]): [""],
    }
    for url, keys in pages.items():
        for key in keys:
            for fmt in ("csv", "xlsx"):
                query = {"xuat": fmt, **({"bang": key} if key else {})}
                response = leader.get(url, query)
                assert response.status_code == 200, (url, key, fmt)
                assert re.match(
                    r'attachment; filename="[a-z0-9_-]+-\d{4}-\d{2}-\d{2}\.(csv|xlsx)"', response["Content-Disposition"]
                )
                rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
                assert rows[0], (url, key)
        assert "Tải Excel" in leader.get(url).content.decode(), url
    # A clause's tables hold what the clause page lists: its targets, and the tasks of its sub-clauses
    from dxtrack.plans import selectors as plan_selectors
    from dxtrack.plans.models import Document

    plan = Document.objects.get(code="qd-4216-2020")
    for path, key, kind in (("II", "chi-tieu", "targets"), ("III", "nhiem-vu", "tasks")):
        got = read_csv(leader.get(reverse("plans:clause", args=[plan.code, path]), {"xuat": "csv", "bang": key}))
        assert len(got) - 1 == len(plan_selectors.clause_items(plan, path, actor=PUBLIC)[kind]) > 0
    # The values behind a point: the two districts' approved 55/100 for 2024
    points = read_xlsx(leader.get(reverse("analytics:target", args=[fibre.pk]), {"xuat": "xlsx", "bang": "diem"}))
    assert sorted((r[1], r[2], r[3]) for r in points[1:]) == [(55, 55, 100), (55, 55, 100)]


def test_the_links_carry_the_filters_but_not_the_page_number():
    from django.template import Context, Template

    request = RequestFactory().get("/", {"nam": "2025", "tru_cot": "xa_hoi_so", "trang": "3", "bang": "x"})
    html = Template('{% load exports %}{% export_links "tru-cot" label="Trụ cột" %}').render(
        Context({"request": request})
    )
    assert 'href="?nam=2025&amp;tru_cot=xa_hoi_so&amp;xuat=xlsx&amp;bang=tru-cot"' in html
    assert 'href="?nam=2025&amp;tru_cot=xa_hoi_so&amp;xuat=csv&amp;bang=tru-cot"' in html
    assert '>Tải Excel<span class="sr-only"> — Trụ cột</span></a>' in html
