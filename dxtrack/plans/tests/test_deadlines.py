"""Deadlines as the plans write them: every form the seeds use, and the edge cases around them."""

import datetime

import pytest

from dxtrack.plans.extract.deadlines import parse_deadline, recurrence_of

D = datetime.date


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        # a date, a month, a quarter, a year: its last day, once
        ("30/6/2024", 2024, (D(2024, 6, 30), "once")),
        ("Tháng 11", 2024, (D(2024, 11, 30), "once")),
        ("Tháng 8", 2024, (D(2024, 8, 31), "once")),
        ("Tháng 12", 2024, (D(2024, 12, 31), "once")),
        ("Tháng 11/2024", 2020, (D(2024, 11, 30), "once")),
        ("tháng 02 năm 2024", None, (D(2024, 2, 29), "once")),
        ("Quý III/2024", 2020, (D(2024, 9, 30), "once")),
        ("Quý III/2024 (ngay sau khi Bộ Tài chính ban hành Kế hoạch)", 2024, (D(2024, 9, 30), "once")),
        ("Quý IV", 2024, (D(2024, 12, 31), "once")),
        ("quý 1 năm 2025", None, (D(2025, 3, 31), "once")),
        ("Năm 2024", 2020, (D(2024, 12, 31), "once")),
        ("2022", None, (D(2022, 12, 31), "once")),
        ("Trước ngày 15/12", 2024, (D(2024, 12, 15), "once")),
        ("6 tháng đầu năm 2024", None, (D(2024, 6, 30), "once")),
        # a month or quarter without a year and no plan year: no date
        ("Tháng 11", None, (None, "once")),
        ("trước ngày 15/12", None, (None, "once")),
        # recurrences: no date
        ("Hàng Quý", 2024, (None, "quarterly")),
        ("hằng quý", 2024, (None, "quarterly")),
        ("01 quý/01 lần", 2024, (None, "quarterly")),
        ("6 tháng", 2024, (None, "semiannual")),
        ("6 tháng/1 lần", 2024, (None, "semiannual")),
        ("hai lần một năm", 2024, (None, "semiannual")),
        ("Hàng năm", 2022, (None, "yearly")),
        ("hằng năm", 2022, (None, "yearly")),
        ("Cập nhật một năm/1 lần, bắt đầu từ năm 2021.", 2020, (None, "yearly")),
        ("Thường xuyên", 2024, (None, "continuous")),
        ("Thường xuyên, khi có chương trình, dự án đề xuất phê duyệt chủ trương", 2020, (None, "continuous")),
        ("Tháng 11 hằng năm", 2024, (D(2024, 11, 30), "yearly")),
        # a period: the end of its last year, no recurrence
        ("2022 - 2025", 2022, (D(2025, 12, 31), None)),
        ("Giai đoạn 2021-2025", 2020, (D(2025, 12, 31), None)),
        ("giai đoạn 2021–2025", 2020, (D(2025, 12, 31), None)),
        ("từ năm 2021 đến năm 2025", 2020, (D(2025, 12, 31), None)),
        # another schedule, or nothing: no meaning of our own
        ("Theo lộ trình đã được phê duyệt", 2024, (None, None)),
        ("Theo lộ trình tại Quyết định số 206/QĐ-TTg", 2024, (None, None)),
        ("Theo Kế hoạch số 106/KH-BCĐ ngày 26/4/2024", 2024, (None, None)),
        ("Theo tiến độ thời gian của các bộ, ngành Trung ương", 2024, (None, None)),
        ("", 2024, (None, None)),
        ("Bắt đầu từ năm 2021", 2020, (None, None)),  # a start, not a deadline
        ("31/6/2024", 2024, (None, None)),  # no such day
    ],
)
def test_parse_deadline(text, year, expected):
    assert parse_deadline(text, year) == expected


def test_a_cell_listing_several_deadlines_takes_the_latest_and_skips_start_dates():
    # 003's appendix, row 2 and row 3 (after the page-break join), as written
    row2 = (
        "- Từ năm 2021 - Sàn Giao dịch được xây dựng xong trước tháng 12/2022. - Sàn bắt đầu hoạt động từ tháng 1/2023"
    )
    row3 = (
        "- Hoàn thành trước tháng 12/2022. - Hoàn thành trước tháng 01/2021. - Hoàn thành trước tháng 12/2022. "
        "- Báo cáo cập nhật 1 năm/1 lần, hoàn thành trước 30/12 hằng năm, thực hiện từ 12/2021. "
        "- Đề án được phê duyệt năm 2021"
    )
    assert parse_deadline(row2, 2020) == (D(2022, 12, 31), "once")
    assert parse_deadline(row3, 2020) == (D(2022, 12, 31), "yearly")
    assert parse_deadline("Từ năm 2021, hoàn thành trước năm 2025.", 2020) == (D(2025, 12, 31), "once")


def test_html_left_overs_and_document_references_are_not_read_as_dates():
    cell = "<p>- Báo cáo cập nhật 1 năm/1 lần bắt đầu từ năm 2021.</p> <p>- Cập nhật 6 tháng/1 lần</p>"
    assert parse_deadline(cell, 2020) == (None, "yearly")  # the first recurrence written wins
    assert parse_deadline("Hoàn thành theo Nghị quyết số 06-NQ/TU ngày 10/11/2021 trong Quý IV", 2024) == (
        D(2024, 12, 31),
        "once",
    )


def test_recurrence_of_reads_the_first_recurrence_word():
    assert recurrence_of("định kỳ hằng quý và tổng kết hằng năm") == "quarterly"
    assert recurrence_of("Tháng 12") is None
