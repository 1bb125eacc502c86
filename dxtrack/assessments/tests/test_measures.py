"""Seed 001's targets on the communes that complete digital transformation get their figures from
recognition decisions: a commune recognised counts toward the province's number and share from
the day it is recognised, on the target's progress and so on every dashboard."""

import datetime

import pytest
from django.utils import timezone

from dxtrack.accounts.access import SYSTEM
from dxtrack.analytics import rollup
from dxtrack.analytics.models import TargetProgress
from dxtrack.analytics.services.targets import target_progress_recompute
from dxtrack.assessments import measures
from dxtrack.assessments.selectors import province_units
from dxtrack.assessments.services.answers import answer_save
from dxtrack.assessments.services.appraisal import final_fix
from dxtrack.assessments.services.recognition import decision_issue
from dxtrack.assessments.services.rounds import round_close
from dxtrack.assessments.services.workflow import submission_transition
from dxtrack.assessments.tests.conftest import PASSING
from dxtrack.org.models import AdminLevel
from dxtrack.plans.models import Indicator, Target

pytestmark = pytest.mark.django_db


def _recognise(world, signed) -> None:
    round_, submission, people = world
    for code, data in PASSING.items():
        answer_save(actor=people["reporter"], answer=submission.answers.get(criterion__code=code), data=data)
    submission_transition(actor=people["head"], submission=submission, action="submit")
    final_fix(actor=people["chair"], submission=submission)
    other = round_.submissions.exclude(pk=submission.pk).get()
    submission_transition(actor=people["other_head"], submission=other, action="submit")
    final_fix(actor=SYSTEM, submission=other)
    round_ = round_close(actor=SYSTEM, round_=round_)
    decision_issue(actor=SYSTEM, round_=round_, number="123/QĐ-UBND", signed_on=signed)


def test_a_recognised_commune_counts_toward_the_provinces_number_and_share(register, world):
    # Given seed 001's targets on the number of communes that complete digital transformation
    number = Indicator.objects.get(code="so-xa-hoan-thanh-chuyen-doi-so")
    share = Indicator.objects.get(code="ty-le-xa-hoan-thanh-chuyen-doi-so")
    assert Target.objects.filter(indicator__in=[number, share]).exists()
    # and no recognition yet: no figure
    today = timezone.localdate()
    assert measures.yearly_figures(number.code) == []
    # When Hàm Rồng is recognised today
    _recognise(world, today)
    # Then this year's figure is one commune, and its share of the communes in force
    communes = province_units(AdminLevel.COMMUNE).filter(valid_to__isnull=True).count()
    [figure] = measures.yearly_figures(number.code)
    assert (figure.year, figure.value, figure.units, figure.as_of) == (today.year, 1.0, communes, today)
    assert communes > 100  # the province's communes, not the country's
    [ratio] = measures.yearly_figures(share.code)
    assert ratio.value == round(100 / communes, 2)
    # and the day before the decision, nothing
    assert measures.yearly_figures(number.code, today=today - datetime.timedelta(days=1)) == []
    # When progress is recomputed
    series = rollup.province_series([number])[number.pk]
    assert [(o.year, o.value, o.source) for o in series] == [(today.year, 1.0, rollup.RECOGNITIONS)]
    target_progress_recompute(indicator_ids=[number.pk, share.pk], as_of=today.year)
    # Then the targets carry that figure, counted from the recognitions
    progress = TargetProgress.objects.filter(target__indicator=number)
    assert progress.exists()
    assert {(tp.latest_year, float(tp.latest_value), tp.source) for tp in progress} == {
        (2026, 1.0, rollup.RECOGNITIONS)
    }
