"""Progress status and projection: PROGRESS.md's worked examples and every rule and edge rule."""

import io
import json
import math

import pytest
from django.core.management import CommandError, call_command

from dxtrack.analytics import progress as p


def test_example_1_fibre_coverage_needs_acceleration():
    # 50 (2020) → 65 (2023); target 80 by 2025; higher is better
    result = p.assess(direction="increase", unit="%", observations=[(2020, 50), (2023, 65)], targets=[(2025, 80)])
    [m] = result.milestones
    assert p.cagr(65, 50, 2023, 2020) == pytest.approx(0.09139, abs=5e-6)
    assert p.cagr(80, 50, 2025, 2020) == pytest.approx(0.09856, abs=5e-6)
    assert (result.status, round(m.ratio, 4), round(m.projected, 2)) == ("needs_acceleration", 0.9273, 77.42)
    assert result.score == pytest.approx(7.1429 * m.ratio - 4.2857)


def test_example_2_lower_is_better_and_moving_up_is_regressing():
    result = p.assess(direction="decrease", observations=[(2015, 40), (2022, 44)], targets=[(2030, 10)])
    [m] = result.milestones
    assert (result.status, round(m.ratio, 4), round(m.projected, 2)) == ("regressing", -0.1553, 49.06)


def test_example_3_target_achieved_scores_5():
    result = p.assess(direction="increase", unit="%", observations=[(2020, 50), (2024, 82)], targets=[(2025, 80)])
    assert (result.status, result.score) == ("target_achieved", 5.0)


def test_example_4_a_single_observation_is_not_available():
    result = p.assess(direction="increase", observations=[(2024, 50)], targets=[(2025, 80)])
    assert (result.status, result.score, result.reason) == ("not_available", None, "Cần ít nhất hai quan sát.")


@pytest.mark.parametrize(
    ("ratio", "status"),
    [
        (0.95, "on_track"),
        (0.9499, "needs_acceleration"),
        (0.6, "needs_acceleration"),
        (0.5999, "off_track"),
        (0.0, "off_track"),
        (-0.0001, "regressing"),
    ],
)
def test_status_thresholds(ratio, status):
    assert p.status_of_ratio(ratio) == status


def test_scores_follow_the_two_lines_and_are_capped():
    assert p.score_of(0.6, "needs_acceleration") == pytest.approx(0.0, abs=1e-4)
    assert p.score_of(2.0, "on_track") == 5.0
    assert p.score_of(0.0, "off_track") == pytest.approx(-2.5)
    assert p.score_of(-3.0, "regressing") == -5.0
    assert p.score_of(None, "not_available") is None


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (5, "on_track"),
        (2.5, "on_track"),
        (2.49, "needs_acceleration"),
        (0, "needs_acceleration"),
        (-0.01, "off_track"),
        (-2.5, "off_track"),
        (-2.51, "regressing"),
        (None, "not_available"),
    ],
)
def test_a_groups_status_comes_from_its_mean_score(score, status):
    assert p.status_of_score(score) == status


def test_group_score_is_the_mean_of_known_scores():
    assert p.group_score([5.0, -1.0, None]) == 2.0
    assert p.group_score([None]) is None


def test_the_projection_is_clamped_to_0_100_for_a_percentage():
    result = p.assess(direction="increase", unit="%", observations=[(2020, 40), (2022, 80)], targets=[(2030, 99.9)])
    assert result.milestones[0].projected == 100.0


def test_a_zero_base_is_computed_as_0_001():
    result = p.assess(direction="increase", observations=[(2020, 0), (2022, 5)], targets=[(2025, 10)])
    [m] = result.milestones
    expected = p.cagr(5, 0.001, 2022, 2020) / abs(p.cagr(10, 0.001, 2025, 2020))
    assert m.ratio == pytest.approx(expected)


def test_the_base_is_the_baseline_years_observation_or_the_first_after_it():
    result = p.assess(
        direction="increase",
        observations=[(2019, 10), (2021, 50), (2023, 65)],
        targets=[(2025, 80)],
        baseline_year=2020,
    )
    assert result.base == (2021, 50.0)


def test_several_milestones_the_status_is_the_worst_still_ahead_and_past_ones_say_so():
    # 20 by 2022 was met on time; 60 by 2025 and 90 by 2030 are ahead
    result = p.assess(
        direction="increase",
        unit="%",
        observations=[(2020, 10), (2022, 25), (2024, 35)],
        targets=[(2022, 20), (2025, 60), (2030, 90)],
    )
    by_year = {m.year: m for m in result.milestones}
    assert (by_year[2022].status, by_year[2022].passed) == ("met", True)
    assert (by_year[2022].ratio, by_year[2022].projected) == (None, None)  # a past year: no ratio, no projection
    # grows 36,8 %/yr; 2025 needs 43,1 %/yr (R = 0,8534), 2030 needs 24,6 %/yr (R = 1,4967)
    assert (by_year[2025].status, round(by_year[2025].ratio, 4)) == ("needs_acceleration", 0.8534)
    assert (by_year[2030].status, round(by_year[2030].ratio, 4)) == ("on_track", 1.4967)
    assert result.status == "needs_acceleration"
    assert result.as_dict()["milestones"]["2022"]["passed"] is True


@pytest.mark.parametrize(
    ("observations", "reason"),
    [
        ([(2020, 5), (2020, 6)], "Trùng năm quan sát: 2020."),
        ([(2020, -5), (2022, 6)], "Giá trị gốc và giá trị mới nhất trái dấu."),
        ([(2020, 5), (2022, math.inf)], "Có giá trị không phải số hữu hạn."),
        ([(2020, "năm")], "Có quan sát không phải cặp (năm, giá trị) hợp lệ."),
        ([], "Cần ít nhất hai quan sát."),
    ],
)
def test_bad_series_are_not_available_with_the_reason(observations, reason):
    result = p.assess(direction="increase", observations=observations, targets=[(2025, 80)])
    assert (result.status, result.reason) == ("not_available", reason)


def test_a_percentage_over_100_is_assessed_as_given_but_projected_within_limits():
    result = p.assess(direction="increase", unit="%", observations=[(2020, 90), (2022, 104)], targets=[(2025, 100)])
    assert result.status == "target_achieved"


def test_without_a_target_growth_is_classified_against_the_limit():
    # 20 % → 30 % in 2 years, far from the 100 % limit: C ≈ 1, v ≈ 22 % a year → substantial
    result = p.assess(direction="increase", unit="%", observations=[(2020, 20), (2022, 30)])
    assert (result.status, round(result.growth, 4)) == ("substantial_progress", 0.2247)
    # close to the limit, growth that small is still moderate
    near = p.assess(direction="increase", unit="%", observations=[(2020, 99.0), (2022, 99.05)])
    assert near.status in {"moderate_progress", "substantial_progress"}
    assert p.assess(direction="decrease", observations=[(2020, 20), (2022, 30)]).status == "deterioration"


def test_task_states():
    import datetime

    d = datetime.date
    assert p.task_state(recurrence="once", deadline=d(2024, 6, 30), reported_state="done", at=d(2024, 9, 1)) == "done"
    assert p.task_state(recurrence="once", deadline=d(2024, 6, 30), reported_state="in_progress", at=d(2024, 9, 1)) == (
        "overdue"
    )
    assert p.task_state(recurrence="once", deadline=None, reported_state=None, at=d(2024, 9, 1)) == "not_started"
    assert p.task_state(recurrence="continuous", deadline=None, reported_state=None, at=d(2024, 9, 1)) == "continuous"
    assert (
        p.task_state(
            recurrence="quarterly",
            deadline=d(2024, 9, 15),
            reported_state=None,
            at=d(2024, 9, 20),
            updated_in_period=False,
        )
        == "overdue"
    )


def _cli(payload) -> dict:
    out = io.StringIO()
    import sys

    stdin = sys.stdin
    sys.stdin = io.StringIO(payload if isinstance(payload, str) else json.dumps(payload))
    try:
        call_command("progress", stdout=out)
    finally:
        sys.stdin = stdin
    return json.loads(out.getvalue())


def test_the_command_prints_the_worked_example():
    got = _cli(
        {
            "direction": "increase",
            "unit": "%",
            "baseline_year": 2020,
            "observations": [[2020, 50], [2023, 65]],
            "targets": [{"year": 2025, "value": 80}],
            "limit": None,
        }
    )
    assert got == {
        "status": "needs_acceleration",
        "score": 2.3377,
        "milestones": {"2025": {"status": "needs_acceleration", "ratio": 0.9273, "projected": 77.424, "value": 80.0}},
        "as_of": 2023,
    }


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{", "Dữ liệu vào không phải JSON hợp lệ"),
        ("[]", "Dữ liệu vào phải là một đối tượng JSON."),
        ({"targets": [{"year": 2025}]}, 'Mỗi mục tiêu cần "year" và "value"'),
        ({"limit": "100"}, '"limit" phải là số hoặc null.'),
        ({"extra": 1}, "Trường không được hỗ trợ: extra."),
    ],
)
def test_the_command_refuses_bad_input_in_vietnamese(payload, message):
    with pytest.raises(CommandError) as caught:
        _cli(payload)
    assert str(caught.value).startswith(message)


# ---- past milestones, the assessment year, comparators (PROGRESS.md) --------------------------------


def test_example_5_met_late_then_met_and_the_target_achieved():
    # given 60 (2020) → 85 (2022) → 97,4 (2024); 90 by 2022 and 95 by 2025
    # when assessed as of 2026
    result = p.assess(
        direction="increase",
        unit="%",
        observations=[(2020, 60), (2022, 85), (2024, 97.4)],
        targets=[(2022, 90), (2025, 95)],
        as_of=2026,
    )
    # then 2022 was met late (in 2024), 2025 on time, and the target is achieved
    by_year = {m.year: m for m in result.milestones}
    assert (by_year[2022].status, by_year[2022].met_year) == ("met_late", 2024)
    assert (by_year[2025].status, by_year[2025].met_year) == ("met", None)
    assert all(m.ratio is None and m.projected is None and m.passed for m in result.milestones)
    assert (result.status, result.score) == ("target_achieved", 5.0)


def test_example_5_through_the_command():
    got = _cli(
        {
            "direction": "increase",
            "unit": "%",
            "observations": [[2020, 60], [2022, 85], [2024, 97.4]],
            "targets": [{"year": 2022, "value": 90}, {"year": 2025, "value": 95, "comparator": ">="}],
            "as_of": 2026,
        }
    )
    assert got == {
        "status": "target_achieved",
        "score": 5.0,
        "milestones": {
            "2022": {
                "status": "met_late",
                "ratio": None,
                "projected": None,
                "value": 90.0,
                "passed": True,
                "met_year": 2024,
            },
            "2025": {"status": "met", "ratio": None, "projected": None, "value": 95.0, "passed": True},
        },
        "as_of": 2026,
    }


def test_as_of_defaults_to_the_latest_observation_and_sees_nothing_after_it():
    series = [(2020, 60), (2022, 85), (2024, 97.4)]
    # as of 2024 (the default) the 2025 milestone is ahead and already met
    default = p.assess(direction="increase", unit="%", observations=series, targets=[(2022, 90), (2025, 95)])
    assert default.as_of == 2024
    assert [m.status for m in default.milestones] == ["met_late", "target_achieved"]
    # as of 2023 the 2024 value is not seen: 2022 is missed so far, 2025 is ahead and judged on 85
    earlier = p.assess(
        direction="increase", unit="%", observations=series, targets=[(2022, 90), (2025, 95)], as_of=2023
    )
    assert [m.status for m in earlier.milestones] == ["missed", "on_track"]
    assert earlier.latest == (2022, 85.0)


def test_a_past_milestone_missed_and_the_target_missed():
    result = p.assess(direction="increase", observations=[(2020, 40), (2023, 55)], targets=[(2022, 60)], as_of=2026)
    (m,) = result.milestones
    assert (m.status, m.ratio, m.projected) == ("missed", None, None)
    assert (result.status, result.score) == ("missed", p.MISSED_SCORE)
    assert p.LABELS["missed"] == "Không đạt"
    # just below regressing in severity, above every other status
    assert p.SEVERITY.index("regressing") + 1 == p.SEVERITY.index("missed") < p.SEVERITY.index("off_track")


def test_a_past_milestone_with_no_observation_at_all_is_not_available():
    result = p.assess(direction="increase", observations=[], targets=[(2022, 60)], as_of=2026)
    assert result.status == "not_available"
    result = p.assess(direction="increase", observations=[(2027, 70)], targets=[(2022, 60)], as_of=2026)
    assert [m.status for m in result.milestones] == ["not_available"]


def test_a_past_milestone_needs_no_second_observation_and_uses_the_last_in_its_year():
    # one observation after a milestone year: met late; the last value in its year decides "met"
    late = p.assess(direction="increase", observations=[(2024, 100)], targets=[(2020, 100)], as_of=2026)
    assert ([m.status for m in late.milestones], late.milestones[0].met_year, late.status) == (
        ["met_late"],
        2024,
        "target_achieved",
    )
    dropped = p.assess(direction="increase", observations=[(2021, 95), (2022, 80)], targets=[(2022, 90)], as_of=2025)
    assert dropped.milestones[0].status == "missed"


def test_the_worst_milestone_ahead_decides_while_one_is_ahead():
    result = p.assess(
        direction="increase",
        observations=[(2020, 10), (2022, 25), (2024, 14)],
        targets=[(2022, 20), (2030, 90)],
        as_of=2025,
    )
    assert [m.status for m in result.milestones] == ["met", "off_track"]
    assert result.status == "off_track"
    # the milestone of the assessment year itself is ahead: judged with its ratio
    same = p.assess(direction="increase", observations=[(2020, 10), (2024, 26)], targets=[(2025, 90)], as_of=2025)
    assert (same.milestones[0].passed, same.milestones[0].ratio is not None) == (False, True)


@pytest.mark.parametrize(
    ("direction", "comparator", "value", "value_max", "latest", "status"),
    [
        # a bare number is met at or beyond it in the indicator's direction: 71 meets "= 53"
        ("increase", "=", 53, None, 71, "target_achieved"),
        ("decrease", "=", 53, None, 40, "target_achieved"),
        ("decrease", "=", 53, None, 71, "regressing"),
        (">=", ">=", 90, None, 97.4, "target_achieved"),
        ("increase", "<=", 10, None, 8, "target_achieved"),
        # a range is met from its lower bound, or its upper bound where lower is better
        ("increase", "range", 10, 20, 15, "target_achieved"),
        ("increase", "range", 10, 20, 9, "on_track"),
        ("decrease", "range", 10, 20, 19, "target_achieved"),
        ("decrease", "range", 10, 20, 21, "on_track"),
    ],
)
def test_comparators(direction, comparator, value, value_max, latest, status):
    d = "increase" if direction == ">=" else direction
    start = 5 if d == "increase" else 30
    start = 30 if comparator == "<=" else start
    result = p.assess(
        direction=d,
        observations=[(2020, start), (2024, latest)],
        targets=[p.Goal(2026, value, comparator, value_max)],
        as_of=2024,
    )
    assert result.status == status


def test_a_bare_number_passed_is_never_behind_schedule():
    # "= 53 dịch vụ công" by 2024, 52 in 2024, 71 in 2026: met late, never "on track" or behind
    result = p.assess(
        direction="increase",
        observations=[(2021, 23), (2024, 52), (2025, 64), (2026, 71)],
        targets=[p.Goal(2024, 53, "=")],
        as_of=2026,
    )
    assert ([m.status for m in result.milestones], result.milestones[0].met_year) == (["met_late"], 2025)
    assert result.status == "target_achieved"


def test_a_past_range_where_lower_is_better_is_met_from_its_upper_bound():
    result = p.assess(
        direction="decrease",
        observations=[(2020, 30), (2023, 18)],
        targets=[{"year": 2022, "value": 10, "comparator": "range", "value_max": 20}],
        as_of=2026,
    )
    assert (result.milestones[0].status, result.milestones[0].met_year) == ("met_late", 2023)


@pytest.mark.parametrize(
    ("targets", "reason"),
    [
        (
            [{"year": 2025, "value": 10, "comparator": "=="}],
            "Phép so sánh “==” không hợp lệ: dùng >=, <=, = hoặc range.",
        ),
        (
            [{"year": 2025, "value": 10, "comparator": "range"}],
            "Mục tiêu năm 2025 là một khoảng: cần value_max không nhỏ hơn value.",
        ),
        (
            [{"year": 2025, "value": 10, "comparator": "range", "value_max": 5}],
            "Mục tiêu năm 2025 là một khoảng: cần value_max không nhỏ hơn value.",
        ),
        ([(2025, 10), (2025, 20)], "Trùng năm mục tiêu: 2025."),
        ([(2025, "mười")], "Có mục tiêu không phải cặp (năm, giá trị) hợp lệ."),
        ([(2025, math.nan)], "Có giá trị mục tiêu không phải số hữu hạn."),
    ],
)
def test_bad_targets_are_not_available_with_the_reason(targets, reason):
    result = p.assess(direction="increase", observations=[(2020, 5), (2022, 6)], targets=targets)
    assert (result.status, result.reason) == ("not_available", reason)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"as_of": "2026"}, '"as_of" phải là một năm (số nguyên) hoặc null.'),
        ({"as_of": True}, '"as_of" phải là một năm (số nguyên) hoặc null.'),
        (
            {"targets": [{"year": 2025, "value": 1, "comparator": "≥"}]},
            'Mục tiêu thứ 1: "comparator" phải là một trong',
        ),
        ({"targets": [{"year": 2025, "value": 1, "comparator": "range"}]}, "Mục tiêu thứ 1 là một khoảng"),
        (
            {"targets": [{"year": 2025, "value": 30, "comparator": "range", "value_max": 20}]},
            "Mục tiêu thứ 1 là một khoảng",
        ),
        ({"targets": [{"year": 2025, "value": 1, "value_max": "20"}]}, 'Mục tiêu thứ 1: "value_max" phải là số'),
        ({"targets": [{"year": "2025", "value": 1}]}, 'Mục tiêu thứ 1: "year" phải là số nguyên.'),
        ({"targets": [{"year": 2025, "value": "53"}]}, 'Mục tiêu thứ 1: "value" phải là số.'),
        ({"targets": [{"year": 2025, "value": 1, "nam": 1}]}, "Mục tiêu thứ 1: trường không được hỗ trợ: nam."),
    ],
)
def test_the_command_refuses_bad_targets_and_years_in_vietnamese(payload, message):
    with pytest.raises(CommandError) as caught:
        _cli(payload)
    assert str(caught.value).startswith(message)


def test_a_milestone_ahead_already_met_is_achieved_even_on_one_observation():
    # 100 % reached in 2025, the 2030 milestone is 100 %: achieved, not "not available"
    result = p.assess(direction="increase", unit="%", observations=[(2025, 100)], targets=[(2030, 100)], as_of=2026)
    assert (result.status, result.score, result.milestones[0].passed) == ("target_achieved", 5.0, False)
    # and the same where lower is better and the one value is below the ceiling
    lower = p.assess(direction="decrease", observations=[(2025, 3)], targets=[(2030, 5)], as_of=2026)
    assert lower.status == "target_achieved"


@pytest.mark.parametrize(
    ("as_of", "status", "reason"),
    [
        ("2026", "not_available", "Năm đánh giá (as_of) phải là số nguyên."),
        (True, "not_available", "Năm đánh giá (as_of) phải là số nguyên."),
        (2026.5, "not_available", "Năm đánh giá (as_of) phải là số nguyên."),
        # before every observation: nothing is seen, the 2025 milestone is ahead and cannot be judged
        (2019, "not_available", "Cần ít nhất hai quan sát."),
    ],
)
def test_a_bad_or_early_assessment_year(as_of, status, reason):
    result = p.assess(direction="increase", observations=[(2020, 50), (2023, 65)], targets=[(2025, 80)], as_of=as_of)
    assert (result.status, result.reason) == (status, reason)


def test_a_past_milestone_before_every_observation_seen_is_not_available_and_later_ones_are_unseen():
    # as of 2021, the 2020 milestone is past and the only observations are of 2022 onwards
    result = p.assess(direction="increase", observations=[(2022, 90), (2023, 95)], targets=[(2020, 80)], as_of=2021)
    assert (result.milestones[0].status, result.milestones[0].reason, result.status) == (
        "not_available",
        "Chưa có số liệu.",
        "not_available",
    )


def test_the_command_takes_a_null_comparator_as_the_default_and_an_empty_target_list():
    got = _cli(
        {"observations": [[2020, 60], [2024, 97.4]], "targets": [{"year": 2022, "value": 90, "comparator": None}]}
    )
    assert (got["status"], got["milestones"]["2022"]["status"], got["as_of"]) == ("target_achieved", "met_late", 2024)
    # no target: the series is classified without one, as of its latest year
    got = _cli({"unit": "%", "limit": 100, "observations": [[2020, 60], [2024, 97.4]], "targets": []})
    assert (got["status"], got["as_of"]) == ("substantial_progress", 2024)
