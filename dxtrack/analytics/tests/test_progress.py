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
    assert (by_year[2022].status, by_year[2022].passed) == ("target_achieved", True)
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
