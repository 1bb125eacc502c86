"""Roll-up of approved values over units and across the 2025 reform; stored progress; scorecards;
the recomputation an approval triggers."""

import datetime
from decimal import Decimal

import pytest

from dxtrack.accounts.access import SYSTEM
from dxtrack.analytics import progress as p
from dxtrack.analytics import rollup
from dxtrack.analytics.models import PeriodAggregate, Scorecard, TargetProgress
from dxtrack.analytics.services.communes import _judge_points
from dxtrack.analytics.services.recompute import recompute_all
from dxtrack.analytics.services.targets import (
    assessment_year,
    goal_of,
    progress_label,
    series_direction,
    target_progress_recompute,
)
from dxtrack.obligations import services as obligation_services
from dxtrack.obligations.models import Obligation
from dxtrack.plans.models import Indicator, ReportingRule, Target
from dxtrack.reports.models import DataValue, Report, ReportStatus
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tests.builders import filled, unit_people, value_written

pytestmark = pytest.mark.django_db

FIBRE = "ho-gia-dinh-cap-quang"  # ratio, %; 50 by 2022 and 80 by 2025 in Quyết định 4216
GRDP = "kinh-te-so-ty-trong-grdp"  # reported by the standing agency only


def _approve(obligation: Obligation, code: str, *, value=None, numerator=None, denominator=None) -> DataValue:
    """An approved value, written directly: these tests read what approved data roll up to."""
    report, _ = Report.objects.get_or_create(obligation=obligation, defaults={"status": ReportStatus.APPROVED})
    return value_written(report, code, value=value, numerator=numerator, denominator=denominator)


def _units(rule, label, level):
    return list(
        Obligation.objects.filter(rule=rule, period__label=label, admin_unit__level=level)
        .select_related("period", "admin_unit")
        .order_by("admin_unit__code")
    )


def test_a_ratio_rolls_up_as_summed_numerators_over_summed_denominators(half_years):
    a, b, *_ = _units(half_years, "6 tháng cuối năm 2022", "district")
    _approve(a, FIBRE, numerator=Decimal(30), denominator=Decimal(100), value=Decimal(30))
    _approve(b, FIBRE, numerator=Decimal(90), denominator=Decimal(200), value=Decimal(45))
    [obs] = rollup.province_series([Indicator.objects.get(code=FIBRE)])[Indicator.objects.get(code=FIBRE).pk]
    # (30 + 90) / (100 + 200) = 40 %, not the mean of 30 % and 45 %
    assert (obs.year, obs.value, obs.source, obs.units, obs.period_label) == (
        2022,
        40.0,
        "rollup",
        2,
        "6 tháng cuối năm 2022",
    )


def test_values_of_former_districts_and_current_communes_both_count_for_the_province(half_years):
    # 2024: districts; second half of 2025: communes (the districts ceased on 1/7/2025)
    for ob in _units(half_years, "6 tháng cuối năm 2024", "district")[:2]:
        _approve(ob, FIBRE, numerator=Decimal(60), denominator=Decimal(100))
    for ob in _units(half_years, "6 tháng cuối năm 2025", "commune")[:4]:
        _approve(ob, FIBRE, numerator=Decimal(15), denominator=Decimal(20))
    fibre = Indicator.objects.get(code=FIBRE)
    series = rollup.province_series([fibre])[fibre.pk]
    assert [(o.year, o.value, o.units) for o in series] == [(2024, 60.0, 2), (2025, 75.0, 4)]


def test_a_directly_reported_provincial_figure_takes_precedence_and_says_so(half_years):
    grdp = Indicator.objects.get(code=GRDP)
    assert grdp.aggregation == "none"
    rule = ReportingRule.objects.get(document__code="kh-cmcn4-2020")
    obligation_services.calendar_generate(actor=SYSTEM, year=2024, rules=[rule])
    ob = Obligation.objects.filter(rule=rule, agency__code="SO_TTTT", period__year=2024).first()
    ob = ob or Obligation.objects.filter(rule=rule, agency__isnull=False, period__year=2024).first()
    _approve(ob, GRDP, value=Decimal("12.5"))
    [obs] = rollup.province_series([grdp])[grdp.pk]
    assert (obs.value, obs.source) == (12.5, "direct")


def test_only_approved_values_count(half_years):
    a, b, *_ = _units(half_years, "6 tháng cuối năm 2022", "district")
    _approve(a, FIBRE, numerator=Decimal(30), denominator=Decimal(100))
    draft = Report.objects.create(obligation=b, status=ReportStatus.SUBMITTED)
    DataValue.objects.create(
        report=draft,
        indicator=Indicator.objects.get(code=FIBRE),
        period=b.period,
        admin_unit=b.admin_unit,
        numerator=Decimal(100),
        denominator=Decimal(100),
    )
    fibre = Indicator.objects.get(code=FIBRE)
    assert [o.value for o in rollup.province_series([fibre])[fibre.pk]] == [30.0]


def test_target_progress_is_stored_per_milestone_from_the_rolled_up_series(half_years):
    # Given fibre coverage of 40 % in 2022 and 55 % in 2024 (two districts each year)
    for label, num in (("6 tháng cuối năm 2022", 40), ("6 tháng cuối năm 2024", 55)):
        for ob in _units(half_years, label, "district")[:2]:
            _approve(ob, FIBRE, numerator=Decimal(num), denominator=Decimal(100))
    # When progress is recomputed as of 2024
    target_progress_recompute(as_of=2024)
    # Then the 2025 milestone (80 %) is assessed exactly as the pure function does
    t2025 = Target.objects.get(document__code="qd-4216-2020", indicator__code=FIBRE, year=2025)
    t2022 = Target.objects.get(document__code="qd-4216-2020", indicator__code=FIBRE, year=2022)
    expected = p.assess(
        direction=1, unit="%", observations=[(2022, 40), (2024, 55)], targets=[(2022, 50), (2025, 80)], as_of=2024
    )
    stored = TargetProgress.objects.get(target=t2025)
    [m2022, m2025] = expected.milestones
    assert (stored.status, stored.ratio, stored.projected, stored.latest_value, stored.source) == (
        m2025.status,
        m2025.ratio,
        m2025.projected,
        55.0,
        "rollup",
    )
    # The 2022 milestone has passed (40 % < 50 %, then 55 % in 2024): met late, no ratio, no
    # projection; the row counts as achieved and keeps its outcome and the year it was met
    passed = TargetProgress.objects.get(target=t2022)
    assert (m2022.status, m2022.met_year) == ("met_late", 2024)
    assert (passed.status, passed.outcome, passed.met_year, passed.detail["passed"]) == (
        "target_achieved",
        "met_late",
        2024,
        True,
    )
    assert (passed.ratio, passed.projected, passed.score, passed.as_of) == (None, None, 5.0, 2024)
    assert progress_label(passed) == "Đạt muộn (năm 2024)"

    # And as of 2026 (both milestones past, 55 % never reached 80 %) the 2025 row is missed
    target_progress_recompute(as_of=2026)
    late = TargetProgress.objects.get(target=t2025)
    assert (late.status, late.outcome, late.ratio, late.projected, late.score) == ("missed", "missed", None, None, -2.5)
    assert progress_label(late) == "Không đạt"


def test_an_approval_recomputes_progress_and_scorecards_after_commit(calendar_2025, django_capture_on_commit_callbacks):
    from dxtrack.reports.tests.builders import commune_obligation

    obligation = commune_obligation()
    reporter, approver, secretariat = unit_people(obligation.admin_unit)
    report = filled(report_open(actor=reporter, obligation=obligation), reporter)
    report_transition(actor=approver, report=report, action="submit")
    assert not TargetProgress.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        report_transition(actor=secretariat, report=report, action="approve")
    indicators = set(report.values.values_list("indicator_id", flat=True))
    assert set(TargetProgress.objects.values_list("target__indicator_id", flat=True)) == indicators
    card = Scorecard.objects.get(kind="commune", key=str(obligation.admin_unit_id))
    assert (card.expected_reports, card.reported) == (
        Obligation.objects.filter(admin_unit=obligation.admin_unit, due__lt=datetime.date.today()).count(),
        1,
    )
    assert Scorecard.objects.filter(kind="province").count() == 1


def test_an_approval_in_a_new_year_reassesses_every_target_as_of_it(calendar_2025, django_capture_on_commit_callbacks):
    # Given every target's progress stored as of last year
    from dxtrack.reports.tests.builders import commune_obligation

    target_progress_recompute(as_of=assessment_year() - 1)
    before = TargetProgress.objects.count()
    assert before and set(TargetProgress.objects.values_list("as_of", flat=True)) == {assessment_year() - 1}
    obligation = commune_obligation()
    reporter, approver, secretariat = unit_people(obligation.admin_unit)
    report = filled(report_open(actor=reporter, obligation=obligation), reporter)
    report_transition(actor=approver, report=report, action="submit")
    # When one report is approved (it carries a few indicators only)
    with django_capture_on_commit_callbacks(execute=True):
        report_transition(actor=secretariat, report=report, action="approve")
    # Then every target, not only the report's, is assessed as of this year: no two pages judge
    # targets as of different years
    assert TargetProgress.objects.count() == before
    assert set(TargetProgress.objects.values_list("as_of", flat=True)) == {assessment_year()}
    # and the scorecards are the full recomputation's
    cards = _cards()
    recompute_all()
    assert _cards() == cards


def _cards():
    return sorted(Scorecard.objects.values_list("kind", "key", "counts", "score", "status", "rank", "reported"))


def test_an_approvals_incremental_update_equals_a_full_recomputation(calendar_2025, django_capture_on_commit_callbacks):
    # Given progress computed in full, then one more commune report approved
    from dxtrack.reports.tests.builders import commune_obligation, neighbour

    first = commune_obligation()
    reporter, approver, secretariat = unit_people(first.admin_unit)
    report = filled(report_open(actor=reporter, obligation=first), reporter)
    report_transition(actor=approver, report=report, action="submit")
    with django_capture_on_commit_callbacks(execute=True):
        report_transition(actor=secretariat, report=report, action="approve")
    recompute_all()
    second = neighbour(first)
    r2, a2, _ = unit_people(second.admin_unit)
    report2 = filled(report_open(actor=r2, obligation=second), r2)
    report_transition(actor=a2, report=report2, action="submit")
    # When it is approved, the update touches only its indicators, period and commune
    with django_capture_on_commit_callbacks(execute=True):
        report_transition(actor=secretariat, report=report2, action="approve")
    incremental = _cards()
    aggregates = sorted(PeriodAggregate.objects.values_list("indicator_id", "period_id", "kind", "n", "num", "den"))
    progress = sorted(TargetProgress.objects.values_list("target_id", "status", "score", "latest_value"))
    # Then it equals what a full recomputation gives
    recompute_all()
    assert _cards() == incremental
    assert sorted(PeriodAggregate.objects.values_list("indicator_id", "period_id", "kind", "n", "num", "den")) == (
        aggregates
    )
    assert sorted(TargetProgress.objects.values_list("target_id", "status", "score", "latest_value")) == progress
    assert {n for *_, n, _num, _den in aggregates} == {2}  # two communes in the period


def test_a_period_few_units_have_reported_does_not_stand_for_the_year():
    # Given three periods of 2024 for one indicator: 40 units reported the third quarter, 10 the
    # year (ending last) and 25 a period ending in November
    from dxtrack.obligations.models import Period

    rows = [{"indicator_id": 7, "period_id": pid, "kind": "rollup", "n": n} for pid, n in ((1, 40), (2, 10), (3, 25))]
    start = datetime.date(2024, 1, 1)
    periods = {
        1: Period(pk=1, year=2024, end=datetime.date(2024, 9, 30), start=start),
        2: Period(pk=2, year=2024, end=datetime.date(2024, 12, 31), start=start),
        3: Period(pk=3, year=2024, end=datetime.date(2024, 11, 30), start=start),
    }
    # Then the latest period covering at least half the best coverage stands for the year
    assert rollup.year_end_periods(rows, periods) == {7: {2024: 3}}


def test_a_units_target_is_judged_as_assess_judges_it():
    # Given many random two- and three-point series, milestones and assessment years, the
    # scorecards' fast path (_judge_points over progress.evaluate) agrees with the
    # full assessment of the same milestone
    import random

    rng = random.Random(7)
    for _ in range(500):
        years = sorted(rng.sample(range(2016, 2027), rng.choice([2, 3])))
        points = {y: round(rng.uniform(0, 100), 2) for y in years}
        year, value = rng.choice([2022, 2025, 2030]), round(rng.uniform(1, 100), 1)
        as_of = rng.choice([years[-1], 2026])
        target = Target(year=year, value=value, comparator=rng.choice([">=", "<=", "="]))
        target.indicator = Indicator(unit="%", direction=rng.choice(["increase", "decrease"]))
        (fast,) = _judge_points(series_direction(target), [goal_of(target)], points, *p.limits("%", None), as_of=as_of)
        full = p.assess(
            direction=target.indicator.direction,
            unit="%",
            observations=list(points.items()),
            targets=[goal_of(target)],
            as_of=as_of,
        )
        assert (fast.status, fast.score) == (full.status, full.score)
