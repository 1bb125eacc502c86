"""The enterprise index of 1970/QĐ-BTTTT as shipped: answers on 1–5 → pillar levels → level."""

import pytest

from dxtrack.accounts.access import SYSTEM
from dxtrack.assessments.models import Framework
from dxtrack.assessments.scoring import ScoreError
from dxtrack.assessments.services.frameworks import frameworks_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def dbi():
    frameworks_load(actor=SYSTEM)
    return Framework.objects.get(code="dbi-1970-doanh-nghiep")


def _all(framework, level, **overrides):
    return {c.code: overrides.get(c.group.code, level) for c in framework.criteria.select_related("group")}


def test_ones_everywhere_is_level_one(dbi):
    # 60 criteria at 1: 64 points, each pillar at 20% → 1; > 20 with 6 pillars at ≥ 1
    outcome = dbi.enterprise_outcome(_all(dbi, 1))
    assert (outcome.total, outcome.level, outcome.level_name) == (64, 1, "Khởi động")


def test_threes_everywhere_is_level_three(dbi):
    outcome = dbi.enterprise_outcome(_all(dbi, 3))
    assert (outcome.total, outcome.level) == (192, 3)
    assert set(outcome.pillar_levels.values()) == {3}


def test_one_weak_pillar_holds_the_level_back(dbi):
    # 5 everywhere but pillar 6 (data) at 1: 292 points; pillar 6 at 20% → 1, five pillars at 5
    outcome = dbi.enterprise_outcome(_all(dbi, 5, **{"6": 1}))
    assert outcome.total == 320 - 35 + 7
    assert outcome.pillar_levels == {"1": 5, "2": 5, "3": 5, "4": 5, "5": 5, "6": 1}
    assert outcome.level == 4


def test_unanswered_or_out_of_scale_answers_are_refused(dbi):
    answers = _all(dbi, 3)
    answers.pop("1.01")
    with pytest.raises(ScoreError, match=r"Còn 1 tiêu chí chưa trả lời: 1\.01\."):
        dbi.enterprise_outcome(answers)
    with pytest.raises(ScoreError, match=r"Tiêu chí 2\.01: mức phải là số nguyên từ 1 đến 5\."):
        dbi.enterprise_outcome(_all(dbi, 3, **{"2": 6}))
