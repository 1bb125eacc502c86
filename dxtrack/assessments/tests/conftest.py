"""The round the tests share: the demonstration commune set, a round for 2026 of two communes
whose self-assessment was due yesterday, their people and a council of two."""

import datetime

import pytest
from django.utils import timezone

from dxtrack.accounts.access import SYSTEM, Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.assessments.models import Framework, Step
from dxtrack.assessments.services.answers import AnswerInput
from dxtrack.assessments.services.frameworks import frameworks_load
from dxtrack.assessments.services.rounds import round_open
from dxtrack.org.tests.factories import current_commune

HAM_RONG, OTHER = "14758", "14797"

# Every mandatory criterion met, and 3 of the 9 extended ones (1.3, 2.2, 2.3 at full ratio):
# 10 + 5 + 10 + 10 + 5 + 10 (mandatory) + 10 + 5 + 5 (extended) = 70 points.
PASSING = {
    "1.1": AnswerInput(value="95"),
    "1.2": AnswerInput(value="92,5"),
    "1.3": AnswerInput(numerator="120", denominator="120"),
    "2.1": AnswerInput(value="61"),
    "2.2": AnswerInput(numerator="10", denominator="10"),
    "2.3": AnswerInput(numerator="4", denominator="4"),
    "3.1": AnswerInput(value="35"),
    "3.5": AnswerInput(flag="1", evidence_url="https://hamrong.thanhhoa.gov.vn/to-cong-nghe-so"),
    "4.1": AnswerInput(value="85"),
}


@pytest.fixture
def world():
    frameworks_load(actor=SYSTEM)
    framework = Framework.objects.get(code="minh-hoa-xa-2026")
    unit, other = current_commune(HAM_RONG), current_commune(OTHER)
    people = {
        "reporter": UserFactory(role=Role.REPORTER, admin_unit=unit, agency=None),
        "head": UserFactory(role=Role.APPROVER, admin_unit=unit, agency=None),
        "other_head": UserFactory(role=Role.APPROVER, admin_unit=other, agency=None),
        "member": UserFactory(role=Role.LEADER),
        "chair": UserFactory(role=Role.LEADER),
        "outsider": UserFactory(role=Role.LEADER),
    }
    round_ = round_open(
        actor=SYSTEM,
        framework=framework,
        year=2026,
        units=[unit, other],
        dues={Step.SELF_ASSESSMENT: timezone.localdate() - datetime.timedelta(days=1)},
        council=[people["member"]],
        chair=people["chair"],
    )
    submission = round_.submissions.get(admin_unit=unit)
    return round_, submission, {k: Access.for_user(v) for k, v in people.items()}


DECISION_NUMBER = "123/QĐ-UBND"


@pytest.fixture
def decided(world):
    """The round closed and decided: Hàm Rồng reaches the first tier with 70 points (self and
    final); the other commune self-assessed 10 points on 1.1, which the chair fixed at 0 (final
    0, no tier). Returns (decision, people)."""
    from dxtrack.assessments.services.answers import answer_save
    from dxtrack.assessments.services.appraisal import final_fix
    from dxtrack.assessments.services.recognition import decision_issue
    from dxtrack.assessments.services.rounds import round_close
    from dxtrack.assessments.services.workflow import submission_transition

    round_, submission, people = world
    for code, data in PASSING.items():
        answer_save(actor=people["reporter"], answer=submission.answers.get(criterion__code=code), data=data)
    submission_transition(actor=people["head"], submission=submission, action="submit")
    final_fix(actor=SYSTEM, submission=submission)
    other = round_.submissions.exclude(pk=submission.pk).get()
    answer_save(actor=people["other_head"], answer=other.answers.get(criterion__code="1.1"), data=PASSING["1.1"])
    submission_transition(actor=people["other_head"], submission=other, action="submit")
    final_fix(actor=SYSTEM, submission=other, scores={"1.1": "0"})
    round_close(actor=SYSTEM, round_=round_)
    decision = decision_issue(actor=SYSTEM, round_=round_, number=DECISION_NUMBER, signed_on=timezone.localdate())
    return decision, people
