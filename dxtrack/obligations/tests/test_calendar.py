"""Periods and due dates as the national regime and the plans fix them (pure functions)."""

import datetime

import pytest

from dxtrack.obligations.calendar import clip, due_date, in_force_from, periods, read_period

D = datetime.date


def test_quarters_count_data_from_the_15th_of_the_month_before():
    q = periods("quarterly", 2025)
    assert [(p.label, p.data_from, p.data_to) for p in q] == [
        ("Quý I/2025", D(2024, 12, 15), D(2025, 3, 14)),
        ("Quý II/2025", D(2025, 3, 15), D(2025, 6, 14)),
        ("Quý III/2025", D(2025, 6, 15), D(2025, 9, 14)),
        ("Quý IV/2025", D(2025, 9, 15), D(2025, 12, 14)),
    ]
    assert (q[0].start, q[0].end) == (D(2025, 1, 1), D(2025, 3, 31))


def test_half_years_and_years():
    h1, h2 = periods("semiannual", 2024)
    assert (h1.data_from, h1.data_to, h2.data_from, h2.data_to) == (
        D(2023, 12, 15),
        D(2024, 6, 14),
        D(2024, 6, 15),
        D(2024, 12, 14),
    )
    [year] = periods("yearly", 2024)
    assert (year.label, year.data_from, year.data_to) == ("Năm 2024", D(2023, 12, 15), D(2024, 12, 14))


def test_unknown_period_type_is_refused():
    with pytest.raises(ValueError):
        periods("monthly", 2024)


def test_quarterly_reports_due_before_the_15th_of_the_last_month():  # seed 002
    assert [due_date(p, ["15 of last month of quarter"]) for p in periods("quarterly", 2024)] == [
        D(2024, 3, 15),
        D(2024, 6, 15),
        D(2024, 9, 15),
        D(2024, 12, 15),
    ]


def test_twice_a_year_before_30_6_and_15_12():  # seed 000
    assert [due_date(p, ["30/6", "15/12"]) for p in periods("semiannual", 2024)] == [D(2024, 6, 30), D(2024, 12, 15)]


@pytest.mark.parametrize(("due", "expected"), [(["30/11"], D(2024, 12, 15)), (["15/12"], D(2024, 12, 15))])
def test_yearly_reports_are_due_once_their_data_are_in(due, expected):  # seeds 003 and 004
    # A year's data run to 14/12: "before 30/11" (seed 003) cannot be its due date
    assert due_date(periods("yearly", 2024)[0], due) == expected


@pytest.mark.parametrize("period_type", ["quarterly", "semiannual", "yearly"])
@pytest.mark.parametrize(
    "due",
    [
        [],
        ["30/11"],
        ["30/6", "15/12"],
        ["15/12"],
        ["1/1"],
        ["15 of last month of quarter"],
        ["10 of last month of quarter"],
    ],
)
def test_no_period_is_due_before_its_data_window_ends(period_type, due):
    for year in (2021, 2024, 2028):
        for p in periods(period_type, year):
            assert 0 <= (due_date(p, due) - p.data_to).days <= 45, (p.label, due)


def test_a_plans_duties_start_on_its_issue_date_or_its_years_first_day():
    assert in_force_from(D(2021, 11, 10), 2021) == D(2021, 11, 10)
    assert in_force_from(None, 2024) == D(2024, 1, 1)
    assert in_force_from(None, None) is None


def test_without_a_rule_the_regime_default_applies():
    assert due_date(periods("quarterly", 2024)[3], []) == D(2024, 12, 15)
    assert due_date(periods("quarterly", 2024)[3], ["khong-hieu", "31/2"]) == D(2024, 12, 15)


def test_clip_to_a_bodys_existence():
    assert clip(D(2024, 12, 15), D(2025, 12, 14), None, D(2025, 6, 30)) == (D(2024, 12, 15), D(2025, 6, 30))
    assert clip(D(2024, 12, 15), D(2025, 12, 14), D(2025, 7, 1), None) == (D(2025, 7, 1), D(2025, 12, 14))
    assert clip(D(2026, 1, 1), D(2026, 3, 14), None, D(2025, 6, 30)) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Quý III/2025", ("quarterly", 2025, 3)),
        ("quý 3/2025", ("quarterly", 2025, 3)),
        ("  Quý  IV  năm 2025 ", ("quarterly", 2025, 4)),
        ("Q1-2026", ("quarterly", 2026, 1)),
        ("2025Q2", ("quarterly", 2025, 2)),
        ("6 tháng đầu năm 2025", ("semiannual", 2025, 1)),
        ("6 tháng cuối 2024", ("semiannual", 2024, 2)),
        ("2024S2", ("semiannual", 2024, 2)),
        ("Năm 2024", ("yearly", 2024, 1)),
        ("2024", ("yearly", 2024, 1)),
    ],
)
def test_a_period_as_people_type_it(typed, expected):
    assert read_period(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Kỳ báo cáo để trống; ghi ví dụ “Quý III/2025”, “6 tháng đầu năm 2025” hoặc “Năm 2025”."),
        (None, "Kỳ báo cáo để trống;"),
        ("Quý V/2025", "Kỳ “Quý V/2025”: một năm có bốn quý (I, II, III, IV);"),
        ("Quý 5/2025", "Kỳ “Quý 5/2025”: một năm có bốn quý (I, II, III, IV);"),
        ("Quý III", "Kỳ “Quý III” thiếu năm;"),
        ("6 tháng đầu năm", "Kỳ “6 tháng đầu năm” thiếu năm;"),
        ("Quý III/25", "Kỳ “Quý III/25”: năm phải đủ bốn chữ số, trong khoảng 2000–2100;"),
        ("1999", "Kỳ “1999”: năm phải đủ bốn chữ số, trong khoảng 2000–2100;"),
        ("2025S3", "Kỳ “2025S3”: một năm có hai kỳ 6 tháng (S1, S2);"),
        ("tháng 7/2025", "Không hiểu kỳ “tháng 7/2025”;"),
        ("'; DROP TABLE x; --", "Không hiểu kỳ “'; DROP TABLE x; --”;"),
    ],
)
def test_a_wrong_period_is_refused_in_vietnamese(typed, message):
    with pytest.raises(ValueError) as caught:
        read_period(typed)
    assert str(caught.value).startswith(message)
