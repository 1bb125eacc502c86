"""Dates typed by users and moments shown on the province's clock."""

import datetime

import pytest

from dxtrack.core.dates import at_local, end_of_day, format_vn_date, format_vn_datetime, read_date, read_year

UTC = datetime.UTC


def test_a_moment_is_shown_on_the_provinces_clock_not_utcs():
    # 22:30 UTC on 30/06 is 05:30 on 01/07 in Asia/Ho_Chi_Minh
    moment = datetime.datetime(2025, 6, 30, 22, 30, tzinfo=UTC)
    assert format_vn_date(moment) == "01/07/2025"
    assert format_vn_datetime(moment) == "01/07/2025 05:30"
    assert format_vn_date(datetime.date(2025, 7, 1)) == "01/07/2025"
    assert format_vn_date(None) == format_vn_datetime(None) == ""


def test_a_days_bounds_are_local():
    assert at_local(datetime.date(2025, 7, 1)) == datetime.datetime(2025, 6, 30, 17, 0, tzinfo=UTC)
    assert end_of_day(datetime.date(2025, 7, 1)) == datetime.datetime(2025, 7, 1, 16, 59, 59, 999999, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("30/11/2025", datetime.date(2025, 11, 30)),
        (" 1.7.2025 ", datetime.date(2025, 7, 1)),
        ("2025-07-01", datetime.date(2025, 7, 1)),
    ],
)
def test_read_date(typed, expected):
    assert read_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (None, "Ngày để trống; ghi theo dạng ngày/tháng/năm, ví dụ 30/11/2026."),
        ("", "Ngày để trống; ghi theo dạng ngày/tháng/năm, ví dụ 30/11/2026."),
        ("1/7", "Ngày “1/7” thiếu năm; ghi theo dạng ngày/tháng/năm, ví dụ 30/11/2026."),
        ("1/7/25", "Ngày “1/7/25” có năm hai chữ số, không rõ là năm nào; ghi đủ bốn chữ số, ví dụ 30/11/2026."),
        ("7/31/2025", "Ngày “7/31/2025” ghi tháng trước ngày; ghi theo dạng ngày/tháng/năm, ví dụ 30/11/2026."),
        ("29/02/2025", "Ngày “29/02/2025” không phải là ngày có thật; ghi theo dạng ngày/tháng/năm, ví dụ 30/11/2026."),
        ("<script>", "Ngày “<script>” không phải là ngày có thật; ghi theo dạng ngày/tháng/năm, ví dụ 30/11/2026."),
        ("01/01/2101", "Ngày “01/01/2101” nằm ngoài khoảng năm 2000–2100."),
    ],
)
def test_read_date_refuses_in_vietnamese(typed, message):
    with pytest.raises(ValueError) as caught:
        read_date(typed)
    assert str(caught.value) == message


def test_read_year():
    assert read_year(" 2025 ") == 2025
    assert read_year(2024) == 2024
    for typed, message in [
        ("", "Năm để trống; ghi bốn chữ số, ví dụ 2026."),
        ("25", "Năm “25” không hợp lệ; ghi bốn chữ số, ví dụ 2026."),
        ("2025.5", "Năm “2025.5” không hợp lệ; ghi bốn chữ số, ví dụ 2026."),
        ("năm nay", "Năm “năm nay” không hợp lệ; ghi bốn chữ số, ví dụ 2026."),
        ("1999", "Năm 1999 nằm ngoài khoảng 2000–2100."),
    ]:
        with pytest.raises(ValueError) as caught:
            read_year(typed)
        assert str(caught.value) == message


def test_the_form_fields_read_the_vietnamese_way_and_say_why_not():
    from django import forms

    from dxtrack.core.forms import VNDateField, YearField

    class F(forms.Form):
        ngay = VNDateField(required=False)
        nam = YearField(required=False)

    ok = F({"ngay": "01/07/2025", "nam": "2025"})
    assert ok.is_valid() and ok.cleaned_data == {"ngay": datetime.date(2025, 7, 1), "nam": 2025}
    empty = F({"ngay": "", "nam": ""})
    assert empty.is_valid() and empty.cleaned_data == {"ngay": None, "nam": None}
    bad = F({"ngay": "1/7/25", "nam": "25"})
    assert not bad.is_valid()
    assert bad.errors == {
        "ngay": ["Ngày “1/7/25” có năm hai chữ số, không rõ là năm nào; ghi đủ bốn chữ số, ví dụ 30/11/2026."],
        "nam": ["Năm “25” không hợp lệ; ghi bốn chữ số, ví dụ 2026."],
    }


@pytest.mark.django_db
def test_a_naive_moment_stored_fails_the_suite():
    """The suite turns Django's naive-datetime warning into an error (pyproject filterwarnings)."""
    from dxtrack.core.models import AuditEvent

    with pytest.raises(RuntimeWarning, match="received a naive datetime"):
        AuditEvent.objects.create(action="test.naive", at=datetime.datetime(2025, 7, 1, 8, 30))
