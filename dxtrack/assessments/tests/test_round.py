"""A whole round through the services: open → fill → submit (late, flagged) → a council member
disagrees → the commune explains → final scores → close → recognition decision → the count that
measures seed 001's target. And the refusals, each leaving nothing changed."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dxtrack.accounts.access import SYSTEM
from dxtrack.assessments import selectors
from dxtrack.assessments.models import Answer, Comment, RoundStatus, Step, SubmissionStatus
from dxtrack.assessments.services.answers import AnswerInput, answer_save
from dxtrack.assessments.services.appraisal import explanation_add, final_fix, opinion_give
from dxtrack.assessments.services.recognition import decision_issue
from dxtrack.assessments.services.rounds import round_close, round_open
from dxtrack.assessments.services.workflow import submission_transition
from dxtrack.assessments.tests.conftest import HAM_RONG, PASSING
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.org.models import AdminLevel

pytestmark = pytest.mark.django_db


def _docx_text(data: bytes) -> str:
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _answer(submission, code) -> Answer:
    return submission.answers.get(criterion__code=code)


def _fill(submission, who):
    for code, data in PASSING.items():
        answer_save(actor=who, answer=_answer(submission, code), data=data)


def test_a_whole_round(world):
    round_, submission, people = world
    # Given the round is open with the steps' due days from the framework's calendar and the form
    assert round_.due(Step.RECOGNITION) == datetime.date(2026, 12, 31)
    assert submission.answers.count() == 16
    # When the focal point fills the figures
    _fill(submission, people["reporter"])
    submission.refresh_from_db()
    # Then each score is computed as they type, and the total
    assert _answer(submission, "1.2").self_score == Decimal("5.00")
    assert submission.self_total == Decimal("70.00")
    # When the head submits after the due day
    submission = submission_transition(actor=people["head"], submission=submission, action="submit")
    # Then it is kept, flagged late
    assert (submission.status, submission.late) == (SubmissionStatus.SUBMITTED, True)
    # When a council member disagrees on 3.1, proposing 0 points
    answer = _answer(submission, "3.1")
    opinion_give(
        actor=people["member"],
        answer=answer,
        verdict="disagree",
        text="Chưa có danh sách đối chiếu.",
        proposed_score="0",
    )
    answer.refresh_from_db()
    submission.refresh_from_db()
    assert (answer.self_score, answer.council_score, answer.verdict) == (Decimal("10.00"), Decimal("0.00"), "disagree")
    assert (submission.status, submission.council_total) == (SubmissionStatus.APPRAISING, Decimal("60.00"))
    # And the commune explains in the thread
    explanation_add(actor=people["reporter"], answer=answer, text="Đã gửi bổ sung danh sách của Bưu điện xã.")
    assert list(Comment.objects.filter(answer=answer).values_list("kind", flat=True)) == ["council", "explanation"]
    # When the chair fixes the final score of 3.1 back at 10 (the explanation accepted)
    submission = final_fix(actor=people["chair"], submission=submission, scores={"3.1": "10"})
    # Then the three scores are kept and the tier follows from the final ones
    answer.refresh_from_db()
    assert (answer.self_score, answer.council_score, answer.final_score) == (
        Decimal("10.00"),
        Decimal("0.00"),
        Decimal("10.00"),
    )
    assert (submission.status, submission.final_total, submission.tier.name) == (
        SubmissionStatus.FINALISED,
        Decimal("70.00"),
        "Đạt chuẩn chuyển đổi số",
    )
    # When the other commune submits an empty form, is finalised, and the secretariat closes
    other = round_.submissions.exclude(pk=submission.pk).get()
    submission_transition(actor=people["other_head"], submission=other, action="submit")
    final_fix(actor=SYSTEM, submission=other)
    round_ = round_close(actor=SYSTEM, round_=round_)
    assert round_.status == RoundStatus.CLOSED
    # Then the tier lists name Hàm Rồng only
    lists = selectors.tier_lists(SYSTEM, round_)
    assert [(t.tier.name, [s.admin_unit.code for s in t.submissions]) for t in lists] == [
        ("Chuyển đổi số nâng cao", []),
        ("Đạt chuẩn chuyển đổi số", [HAM_RONG]),
    ]
    # When the recognition decision is issued
    # (not one dated after today: a recognition is a dated fact, and nothing is recorded)
    today = timezone.localdate()
    with pytest.raises(InvalidData, match="Ngày ký không thể sau hôm nay"):
        decision_issue(actor=SYSTEM, round_=round_, number="124/QĐ-UBND", signed_on=today + datetime.timedelta(days=1))
    assert not round_.decisions.exists()
    decision = decision_issue(actor=SYSTEM, round_=round_, number="123/QĐ-UBND", signed_on=today)
    # Then the commune counts toward the number of communes recognised, from that day on
    assert selectors.decision_facts(decision)["rows"][0]["tier"] == "Đạt chuẩn chuyển đổi số"
    # And its official document is kept on it, the commune listed in the appendix
    text = _docx_text(decision.file.read())
    assert "QUYẾT ĐỊNH" in text
    assert "Số: 123/QĐ-UBND" in text
    assert "Công nhận các đơn vị đạt chuẩn chuyển đổi số năm 2026" in text
    assert str(submission.admin_unit.name) in text
    after = selectors.recognised_units(level=AdminLevel.COMMUNE, as_of=today)
    before = selectors.recognised_units(level=AdminLevel.COMMUNE, as_of=today - datetime.timedelta(days=1))
    assert (after.recognised, before.recognised) == (1, 0)
    assert after.units > 100
    actions = set(AuditEvent.objects.filter(action__startswith="assessments.").values_list("action", flat=True))
    assert actions >= {
        "assessments.round.open",
        "assessments.answer.save",
        "assessments.submission.submit",
        "assessments.answer.opinion",
        "assessments.answer.explain",
        "assessments.submission.final",
        "assessments.round.close",
        "assessments.decision.issue",
    }


def test_a_ratio_above_its_denominator_is_refused_and_nothing_changes(world):
    _, submission, people = world
    answer = _answer(submission, "1.3")
    with pytest.raises(InvalidData, match=r"Tiêu chí 1\.3: tử số \(130\) lớn hơn mẫu số \(120\)\."):
        answer_save(actor=people["reporter"], answer=answer, data=AnswerInput(numerator="130", denominator="120"))
    answer.refresh_from_db()
    assert (answer.numerator, answer.self_score) == (None, Decimal("0.00"))
    assert not AuditEvent.objects.filter(action="assessments.answer.save").exists()


def test_another_unit_may_neither_fill_nor_submit(world):
    _, submission, people = world
    with pytest.raises(NotAllowed):
        answer_save(actor=people["other_head"], answer=_answer(submission, "1.1"), data=AnswerInput(value="99"))
    with pytest.raises(NotAllowed):
        submission_transition(actor=people["other_head"], submission=submission, action="submit")
    submission.refresh_from_db()
    assert (submission.status, submission.self_total) == (SubmissionStatus.DRAFT, Decimal("0.00"))
    assert _answer(submission, "1.1").value is None


def test_only_the_rounds_council_gives_opinions_and_a_score_out_of_range_is_refused(world):
    _, submission, people = world
    _fill(submission, people["reporter"])
    submission_transition(actor=people["head"], submission=submission, action="submit")
    answer = _answer(submission, "3.1")
    # A leader outside the council may not give an opinion
    with pytest.raises(NotAllowed):
        opinion_give(actor=people["outsider"], answer=answer, verdict="agree")
    # A proposed score above the criterion's 10 points is refused with its range
    with pytest.raises(InvalidData, match=r"Điểm của tiêu chí 3\.1 phải từ 0 đến 10; đã nhập 12"):
        opinion_give(actor=people["member"], answer=answer, verdict="disagree", text="Sai.", proposed_score="12")
    # A member (not the chair) may not fix the final scores; the chair's out-of-range one is refused
    with pytest.raises(NotAllowed):
        final_fix(actor=people["member"], submission=submission)
    with pytest.raises(InvalidData) as refused:
        final_fix(actor=people["chair"], submission=submission, scores={"1.1": "11", "1.2": "-1"})
    assert refused.value.details == [
        "Điểm của tiêu chí 1.1 phải từ 0 đến 10; đã nhập 11.",
        "Điểm của tiêu chí 1.2 phải từ 0 đến 5; đã nhập -1.",
    ]
    submission.refresh_from_db()
    answer.refresh_from_db()
    assert (submission.status, submission.final_total, answer.council_score) == (SubmissionStatus.SUBMITTED, None, None)
    assert not Comment.objects.exists()


def test_the_round_does_not_close_with_submissions_pending(world):
    round_, _, _ = world
    with pytest.raises(InvalidData, match="Còn 2 hồ sơ chưa chốt điểm"):
        round_close(actor=SYSTEM, round_=round_)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_a_round_for_a_year_out_of_range_is_refused(world):
    round_, _, _ = world
    with pytest.raises(InvalidData, match=r"Năm đánh giá phải từ 2000 đến 2100\."):
        round_open(actor=SYSTEM, framework=round_.framework, year=32767, units=[round_.submissions.first().admin_unit])
    assert round_.framework.rounds.count() == 1
