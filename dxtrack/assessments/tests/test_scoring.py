"""The scoring rules, one test per kind, each with a worked example (no database)."""

import pytest

from dxtrack.assessments.scoring import (
    RULE_1970,
    Band,
    CriterionRule,
    ScoreError,
    Scorer,
    Tier,
    checked_score,
    criterion_score,
    enterprise_level,
    framework_problems,
    merged_index,
    normalised,
    pillar_level,
    rule_problems,
)


def test_boolean_gives_full_points_or_nothing():
    # Given a yes/no criterion worth 10 points
    rule = CriterionRule("1.1", "boolean", 10)
    # Then yes scores 10, no and no answer score 0
    assert criterion_score(rule, True) == 10
    assert criterion_score(rule, False) == 0
    assert criterion_score(rule, None) == 0
    with pytest.raises(ScoreError, match="chỉ trả lời có hoặc không"):
        criterion_score(rule, "có lẽ")


def test_threshold_at_least_60_percent_households_pay_electricity_without_cash():
    # Given 1829/QĐ-UBND's known threshold: ≥ 60% of households pay electricity without cash
    rule = CriterionRule("3.1", "threshold", 5, comparator=">=", value=60)
    # Then 60 and 72,5 meet it; 59,9 does not; a text answer is refused
    assert criterion_score(rule, 60) == 5
    assert criterion_score(rule, "72,5") == 5
    assert criterion_score(rule, 59.9) == 0
    with pytest.raises(ScoreError, match="cần nhập một số"):
        criterion_score(rule, "nhiều")


def test_threshold_at_most_equal_and_range():
    at_most = CriterionRule("a", "threshold", 4, comparator="<=", value=3)
    equal = CriterionRule("b", "threshold", 4, comparator="=", value=1)
    within = CriterionRule("c", "threshold", 4, comparator="range", value=10, value_max=20)
    assert (criterion_score(at_most, 3), criterion_score(at_most, 4)) == (4, 0)
    assert (criterion_score(equal, 1), criterion_score(equal, 2)) == (4, 0)
    assert [criterion_score(within, x) for x in (9, 10, 20, 21)] == [0, 4, 4, 0]


def test_ratio_is_a_over_b_times_points():
    # Given a 20-point ratio criterion: 45 of 60 records handled online
    rule = CriterionRule("1.2", "ratio", 20)
    # Then it scores 45 / 60 × 20 = 15
    assert criterion_score(rule, (45, 60)) == 15
    with pytest.raises(ScoreError, match=r"tử số .* lớn hơn mẫu số"):
        criterion_score(rule, (61, 60))
    with pytest.raises(ScoreError, match="mẫu số phải lớn hơn 0"):
        criterion_score(rule, (0, 0))


def test_step_table_of_steering_committee_meetings():
    # Given the step table 4 meetings → 20, 3 → 15, 2 → 10, 1 → 5
    rule = CriterionRule("1.3", "steps", 20, steps=((4, 20), (3, 15), (2, 10), (1, 5)))
    # Then each count scores its step, more than 4 the top one, none 0
    assert [criterion_score(rule, n) for n in (0, 1, 2, 3, 4, 6)] == [0, 5, 10, 15, 20, 20]
    with pytest.raises(ScoreError, match="không được âm"):
        criterion_score(rule, -1)


def test_level_scale_one_to_five():
    # Given a 1–5 criterion worth 5 points, and 1970's criterion weighted ×5 (25 points)
    plain = CriterionRule("E1", "level", 5, level_max=5)
    weighted = CriterionRule("E2", "level", 25, level_max=5)
    # Then level 3 scores 3 and 15
    assert criterion_score(plain, 3) == 3
    assert criterion_score(weighted, 4) == 20
    with pytest.raises(ScoreError, match="từ 1 đến 5"):
        criterion_score(plain, 6)
    with pytest.raises(ScoreError, match="từ 1 đến 5"):
        criterion_score(plain, 2.5)


def test_declared_figure_scores_nothing():
    assert criterion_score(CriterionRule("D", "declared", 0), 1234) == 0


def test_score_given_by_hand_must_lie_within_the_criterion():
    rule = CriterionRule("1.1", "ratio", 20)
    assert checked_score(rule, "12,5") == 12.5
    with pytest.raises(ScoreError, match=r"Điểm của tiêu chí 1\.1 phải từ 0 đến 20; đã nhập 25"):
        checked_score(rule, 25)
    with pytest.raises(ScoreError):
        checked_score(rule, -1)


def test_a_criterion_with_both_a_threshold_and_a_level_scale_is_refused():
    rule = CriterionRule("2.4", "level", 5, comparator=">=", value=3, level_max=5)
    assert rule_problems(rule) == ["Tiêu chí 2.4: vừa có ngưỡng vừa có thang mức; mỗi tiêu chí chỉ chấm theo một cách."]


def test_points_that_do_not_add_up_to_the_total_are_named():
    rules = [CriterionRule("1", "boolean", 40, group="A"), CriterionRule("2", "boolean", 50, group="A")]
    assert framework_problems(rules, max_points=100, group_max={"A": 90}) == [
        "Tổng điểm các tiêu chí là 90, không khớp tổng điểm tối đa 100 của bộ tiêu chí."
    ]


YEN_BAI_TIERS = [
    Tier(1, "Đạt chuyển đổi số", None, 1.0, 0.3),
    Tier(2, "Chuyển đổi số nâng cao", 70, 1.0, 0.7),
]


def _commune_set():
    """4 mandatory and 10 extended yes/no criteria of 10 points, a 10-point ratio (extended)."""
    rules = [CriterionRule(f"M{i}", "boolean", 5, mandatory=True) for i in range(4)]
    rules += [CriterionRule(f"X{i}", "boolean", 5) for i in range(10)]
    return rules


def test_tiers_100_percent_mandatory_and_30_percent_extended():
    # Given Yên Bái's rule for communes: 100% mandatory and ≥ 30% extended
    scorer = Scorer(_commune_set(), tiers=YEN_BAI_TIERS)
    all_mandatory = {f"M{i}": True for i in range(4)}
    # When a commune meets every mandatory and 3 of 10 extended criteria
    outcome = scorer.score({**all_mandatory, "X0": True, "X1": True, "X2": True})
    # Then it is recognised at the first tier (35 points, not 70)
    assert (outcome.total, outcome.mandatory_met, outcome.extended_met) == (35, 4, 3)
    assert outcome.tier.name == "Đạt chuyển đổi số"
    # And with 2 extended it is not; with one mandatory missing, never
    assert scorer.score({**all_mandatory, "X0": True, "X1": True}).tier is None
    assert scorer.score({"M0": True, **{f"X{i}": True for i in range(10)}}).tier is None
    # And with everything met it reaches the advanced tier (70 points, 100% / 100%)
    everything = {r.code: True for r in _commune_set()}
    assert scorer.score(everything).tier.name == "Chuyển đổi số nâng cao"


def test_score_bands_of_tp_hcm():
    # Given TP.HCM's bands on 330 points: < 198 khởi động, 198–< 264 hình thành, ≥ 264 nâng cao
    bands = [Band("Khởi động", 0), Band("Hình thành", 198), Band("Nâng cao", 264)]
    rules = [CriterionRule(f"C{i}", "ratio", 33) for i in range(10)]
    scorer = Scorer(rules, bands=bands)
    # Then 197, 230 and 264 points fall in each band
    assert scorer.score({}, overrides={f"C{i}": 19.7 for i in range(10)}).band.name == "Khởi động"
    assert scorer.score({}, overrides={f"C{i}": 23 for i in range(10)}).band.name == "Hình thành"
    assert scorer.score({}, overrides={f"C{i}": 26.4 for i in range(10)}).band.name == "Nâng cao"


def test_index_normalised_zero_to_one_like_the_dti():
    # Given a province scoring 607,7 of 1000 points
    assert normalised(607.7, 1000) == 0.6077
    # And a merged province's index is the mean of its former provinces'
    assert merged_index([0.6077, 0.5]) == 0.5538
    with pytest.raises(ScoreError, match="ngoài khoảng"):
        normalised(1001, 1000)


def test_the_scorer_reports_each_bad_answer_and_goes_on():
    scorer = Scorer([CriterionRule("A", "ratio", 10), CriterionRule("B", "boolean", 5)])
    outcome = scorer.score({"A": (11, 10), "B": True})
    assert outcome.total == 5
    assert outcome.errors == {"A": "Tiêu chí A: tử số (11) lớn hơn mẫu số (10)."}
    assert outcome.index == round(5 / 15, 4)


# ---- 1970/QĐ-BTTTT: the enterprise index ----------------------------------------------------------

PILLARS_1970 = {"P1": 65, "P2": 25, "P3": 80, "P4": 65, "P5": 50, "P6": 35}


def test_pillar_level_by_share_of_its_maximum():
    # Given the pillar of 80 points: ≤ 10% → 0; ≤ 20% → 1; ≤ 40% → 2; ≤ 60% → 3; ≤ 80% → 4; else 5
    assert [pillar_level(p, 80) for p in (8, 9, 16, 17, 32, 33, 48, 49, 64, 65, 80)] == [
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
        5,
        5,
    ]


def test_enterprise_all_ones_is_level_one():
    # Given an enterprise answering 1 everywhere: 64 points, each pillar at 20% → level 1
    points = {name: maximum / 5 for name, maximum in PILLARS_1970.items()}
    outcome = enterprise_level(points, PILLARS_1970)
    # Then total 64 > 20 with 6 pillars at ≥ 1 gives level 1 (64 is not > 64, so not level 2)
    assert outcome.total == 64
    assert set(outcome.pillar_levels.values()) == {1}
    assert (outcome.level, outcome.level_name) == (1, "Khởi động")


def test_enterprise_all_threes_is_level_three():
    # 3 everywhere: 192 points, each pillar at 60% → 3; 192 > 128 with 6 pillars at ≥ 3
    points = {name: maximum * 3 / 5 for name, maximum in PILLARS_1970.items()}
    outcome = enterprise_level(points, PILLARS_1970)
    assert (outcome.total, outcome.level) == (192, 3)


def test_enterprise_needs_enough_pillars_not_only_points():
    # Given 5 pillars full and one at 0: 285 points, but not all 6 at level 5
    points = dict(PILLARS_1970, P6=0)
    outcome = enterprise_level(points, PILLARS_1970)
    # Then it is level 4 (> 192 and 5 pillars at ≥ 4), not 5
    assert outcome.pillar_levels["P6"] == 0
    assert (outcome.total, outcome.level) == (285, 4)
    # And all full is level 5
    assert enterprise_level(dict(PILLARS_1970), PILLARS_1970).level == 5


def test_enterprise_at_most_20_points_is_level_zero():
    points = {name: 0 for name in PILLARS_1970} | {"P3": 20}
    assert enterprise_level(points, PILLARS_1970).level == 0
    assert RULE_1970.pillar_top == 5


def test_enterprise_points_out_of_range_are_refused():
    with pytest.raises(ScoreError, match="ngoài khoảng 0 đến 25"):
        enterprise_level(dict(PILLARS_1970, P2=30), PILLARS_1970)
    with pytest.raises(ScoreError, match="Thiếu điểm của trụ cột: P6"):
        enterprise_level({k: 0 for k in list(PILLARS_1970)[:5]}, PILLARS_1970)
