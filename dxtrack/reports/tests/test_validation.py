"""Checks of reported values (pure): numbers as users write them, units, rules, outliers."""

from decimal import Decimal

import pytest

from dxtrack.reports import validation as v

D = Decimal
PERCENT = v.IndicatorSpec("ty-le", "Tỷ lệ", "%", is_ratio=False)
RATIO = v.IndicatorSpec("ty-le-hgd", "Tỷ lệ hộ", "%", is_ratio=True)
COUNT = v.IndicatorSpec("so-dn", "Số doanh nghiệp", "doanh nghiệp", is_ratio=False)
RANK = v.IndicatorSpec("dti", "Xếp hạng DTI", "hạng", is_ratio=False)


HOW = "dùng dấu phẩy cho phần thập phân, ví dụ 12,5; dấu chấm chỉ để tách hàng nghìn, ví dụ 1.250"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12,5", D("12.5000")),
        ("1.234,5", D("1234.5000")),
        ("1.500", D("1500.0000")),
        (" 7 ", D("7.0000")),
        ("-3", D("-3.0000")),
        (80, D("80.0000")),
        (0.1, D("0.1000")),
        ("", None),
        (None, None),
    ],
)
def test_numbers_are_read_the_vietnamese_way(raw, expected):
    assert v.parse_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12a", f"“12a” không phải là số ({HOW})."),
        ("1,2,3", f"“1,2,3” không phải là số ({HOW})."),
        ("12.5", f"“12.5” không rõ nghĩa (nếu là số thập phân, viết 12,5): {HOW}."),
        ("0.125", f"“0.125” không rõ nghĩa (nếu là số thập phân, viết 0,125): {HOW}."),
        (True, "Giá trị phải là một số."),
        ([1], "Giá trị phải là một số."),
        (float("nan"), "Giá trị phải là một số hữu hạn."),
        ("9" * 41, "Giá trị quá dài để là một số."),
        (10**16, "Giá trị quá lớn."),
    ],
)
def test_what_is_no_number_is_refused_with_a_message(raw, message):
    with pytest.raises(v.NotANumber) as caught:
        v.parse_number(raw)
    assert caught.value.message == message


def test_a_percentage_lies_between_0_and_100():
    assert v.check_unit(PERCENT, v.Entry(value=D(100))) == []
    [finding] = v.check_unit(PERCENT, v.Entry(value=D("100.5")))
    assert (finding.level, finding.field, finding.message) == (
        "error",
        "value",
        "Tỷ lệ phần trăm phải trong khoảng 0–100.",
    )


def test_counts_are_whole_and_not_negative_and_ranks_start_at_1():
    assert [f.message for f in v.check_unit(COUNT, v.Entry(value=D("2.5")))] == ["Số lượng phải là số nguyên."]
    assert [f.message for f in v.check_unit(COUNT, v.Entry(value=D(-1)))] == ["Số lượng không được âm."]
    assert v.check_unit(COUNT, v.Entry(value=D(12))) == []
    assert [f.code for f in v.check_unit(RANK, v.Entry(value=D(0)))] == ["rank"]


def test_a_ratio_needs_both_parts_and_its_numerator_at_most_its_denominator():
    assert [f.message for f in v.check_unit(RATIO, v.Entry(numerator=D(5)))] == ["Thiếu mẫu số."]
    assert [f.message for f in v.check_unit(RATIO, v.Entry(numerator=D(120), denominator=D(100)))] == [
        "Tử số không được lớn hơn mẫu số."
    ]
    assert [f.message for f in v.check_unit(RATIO, v.Entry(numerator=D(0), denominator=D(0)))] == [
        "Mẫu số phải lớn hơn 0."
    ]
    assert v.derived_value(RATIO, v.Entry(numerator=D(1), denominator=D(3))) == D("33.3333")


def test_a_rule_of_high_importance_is_an_error_and_lower_ones_warnings():
    specs = {"a": COUNT, "b": RATIO}
    values = {"a": v.Entry(value=D(5)), "b": v.Entry(numerator=D(4), denominator=D(10))}
    high = v.RuleSpec("A = tử số B", "A phải bằng tử số của B.", "a", "value", "==", "b", "numerator", "high")
    low = v.RuleSpec("A ≤ tử số B", "A lớn hơn tử số của B.", "a", "value", "<=", "b", "numerator", "low")
    found = v.check_rules([high, low], values, specs)
    assert [(code, f.level, f.message) for code, f in found] == [
        ("a", "error", "A phải bằng tử số của B."),
        ("a", "warning", "A lớn hơn tử số của B."),
    ]
    # A rule with a side not given says nothing
    assert v.check_rules([high], {"a": values["a"]}, specs) == []


def test_the_modified_z_score_flags_a_value_far_from_the_units_history():
    history = [D(40), D(42), D(41), D(43), D(44)]
    # median 42, MAD 1: z(60) = 0,6745 · 18 = 12,14
    assert v.modified_z(D(60), history) == D("0.6745") * 18
    [finding] = v.check_outlier(PERCENT, v.Entry(value=D(60)), history)
    assert (finding.level, finding.code) == ("warning", "outlier")
    assert finding.message.startswith("Giá trị cao bất thường so với các kỳ trước của đơn vị (trung vị 42).")
    assert v.check_outlier(PERCENT, v.Entry(value=D(45)), history) == []


def test_no_outlier_check_without_enough_history_or_spread():
    assert v.modified_z(D(99), [D(1), D(2), D(3)]) is None
    assert v.modified_z(D(99), [D(5)] * 6) is None


def test_a_warning_with_a_comment_no_longer_blocks_an_error_always_does():
    warning = v.Finding("warning", "value", "bất thường", "outlier")
    error = v.Finding("error", "value", "sai", "percent_range")
    assert v.blocking([warning, error], "") == [warning, error]
    assert v.blocking([warning, error], "Do sáp nhập đơn vị") == [error]
