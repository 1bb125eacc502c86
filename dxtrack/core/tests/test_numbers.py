"""The project's one number formatter and one number reader (dxtrack.core.numbers)."""

from decimal import Decimal as D

import pytest

from dxtrack.core.numbers import NumberError, decimals_for, format_number, parse_number

HOW = "dùng dấu phẩy cho phần thập phân, ví dụ 12,5; dấu chấm chỉ để tách hàng nghìn, ví dụ 1.250"


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "expected"),
    [
        # a percentage: at most one decimal, no trailing zero
        (52.631578, "%", None, "52,6"),
        (D("52.6316"), "%", None, "52,6"),
        (55.0, "%", None, "55"),
        (D("97.4000"), "%", None, "97,4"),
        (99.96, "%", None, "100"),
        (0.05, "%", None, "0,1"),  # halves round away from zero
        # counts and ranks are whole
        (71.0, "dịch vụ công", None, "71"),
        (D("71.0000"), "dịch vụ công", None, "71"),
        (1750, "doanh nghiệp", None, "1.750"),
        (3, "hạng", None, "3"),
        # other units: at most two decimals
        (1234.5, "tỷ đồng", None, "1.234,5"),
        (0.974321, "", None, "0,97"),
        (1234567.891, "", None, "1.234.567,89"),
        # an explicit precision wins over the unit's
        (D("12.3456"), "%", 4, "12,3456"),
        (D("12.5000"), "", 4, "12,5"),
        (4.567, "", 2, "4,57"),
        (4.0, "", 2, "4"),
        # signs, zero, huge
        (-1234.5, "", None, "-1.234,5"),
        (-0.001, "%", None, "0"),
        (0, "%", None, "0"),
        (D("999999999999999.9999"), "", 4, "999.999.999.999.999,9999"),
        ("12.5", "", None, "12,5"),  # a machine number's text, as stored in JSON history
        (None, "%", None, ""),
        ("", "%", None, ""),
        (True, "", None, ""),
        ("abc", "", None, "abc"),  # never fails a page
        (float("nan"), "", None, "nan"),
    ],
)
def test_numbers_are_shown_with_only_the_precision_they_need(value, unit, decimals, expected):
    assert format_number(value, unit, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(52.6316, "%", "52,6%"), (71.0, "dịch vụ công", "71 dịch vụ công"), (5, "", "5"), (None, "%", "")],
)
def test_the_unit_follows_when_asked(value, unit, expected):
    assert format_number(value, unit, show_unit=True) == expected


def test_the_precision_rule_by_unit():
    assert [decimals_for(u) for u in ("%", "xã", "hạng", "tỷ đồng", "", None)] == [1, 0, 0, 2, 2, 2]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12,5", D("12.5")),
        ("1.250", D("1250")),
        ("1.250,5", D("1250.5")),
        ("1.250.000", D("1250000")),
        ("0,125", D("0.125")),
        ("125", D("125")),
        (" 7 ", D("7")),
        ("1 250,5", D("1250.5")),
        ("1\u00a0250", D("1250")),
        ("-3", D("-3")),
        ("\u22123,5", D("-3.5")),
        ("+4", D("4")),
        (80, D("80")),
        (0.1, D("0.1")),
        (D("2.5"), D("2.5")),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_typed_numbers_are_read_the_vietnamese_way(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        # a dot that cannot group thousands is ambiguous: never 125, never 0,125 by guess
        ("0.125", f"“0.125” không rõ nghĩa (nếu là số thập phân, viết 0,125): {HOW}."),
        ("12.5", f"“12.5” không rõ nghĩa (nếu là số thập phân, viết 12,5): {HOW}."),
        ("1.25", f"“1.25” không rõ nghĩa (nếu là số thập phân, viết 1,25): {HOW}."),
        ("-0.5", f"“-0.5” không rõ nghĩa (nếu là số thập phân, viết -0,5): {HOW}."),
        ("1.2.3", f"“1.2.3” không rõ nghĩa: {HOW}."),
        ("1,250.5", f"“1,250.5” không phải là số ({HOW})."),
        ("12a", f"“12a” không phải là số ({HOW})."),
        ("1,2,3", f"“1,2,3” không phải là số ({HOW})."),
        ("40%", f"“40%” không phải là số ({HOW})."),
        ("=1+1", f"“=1+1” không phải là số ({HOW})."),
        ("1e5", f"“1e5” không phải là số ({HOW})."),
        ("--1", f"“--1” không phải là số ({HOW})."),
        ("<script>alert(1)</script>", f"“<script>alert(1)</sc…” không phải là số ({HOW})."),
        ("9" * 41, "Giá trị quá dài để là một số."),
        ("1.000.000.000.000.000", "Giá trị quá lớn."),
        (10**16, "Giá trị quá lớn."),
        (True, "Giá trị phải là một số."),
        ([1], "Giá trị phải là một số."),
        (float("nan"), "Giá trị phải là một số hữu hạn."),
        (float("inf"), "Giá trị phải là một số hữu hạn."),
    ],
)
def test_what_is_no_number_or_is_ambiguous_is_refused_with_a_message(raw, message):
    with pytest.raises(NumberError) as caught:
        parse_number(raw)
    assert caught.value.message == message


def test_places_round_to_what_storage_keeps():
    assert parse_number("12,34567", places=4) == D("12.3457")
    assert parse_number(7, places=4) == D("7.0000")


@pytest.mark.parametrize("value", [D("0.125"), D("1250"), D("1250.5"), D("-3.75"), D("999999.9999"), D("0")])
def test_what_is_shown_exactly_is_read_back_the_same(value):
    assert parse_number(format_number(value, decimals=4)) == value
