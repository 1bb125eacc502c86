"""Appraisal: a council member agrees or disagrees with one criterion's self-assessment, with a
comment (and, when disagreeing, the score the council proposes); the subject answers in the same
thread (giải trình); the council fixes the final scores and the tier follows from them.

Three scores per criterion, each kept: self (the subject's, from its answer), council (the
appraisal's: the self score when agreed, the proposed one when not) and final (fixed by the
chair or the secretariat). Every change is an audit event in the same transaction."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.text import clean_text

from .. import scoring as engine
from ..models import Answer, Comment, CommentKind, Submission, SubmissionStatus, Verdict
from .auditing import plain
from .changes import round_changed
from .workflow import MAX_TEXT, TRANSITIONS, _may_take, is_council, may_fill, submission_transition

UNDER_APPRAISAL = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.APPRAISING})


def _text(text, what: str, *, required: bool) -> str:
    text = clean_text(text) if isinstance(text, str) else ""
    if required and not text:
        raise InvalidData(f"Cần ghi {what}.")
    if len(text) > MAX_TEXT:
        raise InvalidData(f"{what.capitalize()} dài quá {MAX_TEXT} ký tự.")
    return text


def _answer_locked(answer: Answer) -> tuple[Answer, Submission]:
    submission = Submission.objects.select_for_update(of=("self",)).get(pk=answer.submission_id)
    return Answer.objects.select_related("criterion__group").get(pk=answer.pk), submission


def _recount_council(submission: Submission) -> None:
    answers = list(submission.answers.all())
    submission.council_total = sum((a.council_score if a.council_score is not None else a.self_score) for a in answers)
    submission.save(update_fields=["council_total"])
    round_changed(submission.round_id)


@transaction.atomic
def opinion_give(*, actor: Access, answer: Answer, verdict: str, text: str = "", proposed_score=None) -> Comment:
    """A council member's opinion on one criterion. Disagreeing needs a comment and the score the
    council proposes (0 to the criterion's points)."""
    access = Access.of(actor)
    answer, submission = _answer_locked(answer)
    if not (access.runs_programme or is_council(access, submission.round_id)):
        raise NotAllowed("Chỉ thành viên hội đồng thẩm định được cho ý kiến.")
    if submission.status not in UNDER_APPRAISAL:
        raise InvalidData(f"Hồ sơ đang ở trạng thái “{submission.get_status_display()}”, không thẩm định được.")
    if verdict not in Verdict.values:
        raise InvalidData("Ý kiến phải là đồng ý hoặc không đồng ý.")
    disagree = verdict == Verdict.DISAGREE
    text = _text(text, "lý do không đồng ý" if disagree else "ý kiến", required=disagree)
    rule = answer.criterion.as_rule()
    if disagree:
        if proposed_score in (None, ""):
            raise InvalidData(f"Cần ghi điểm hội đồng đề xuất cho tiêu chí {rule.code}.")
        try:
            score = Decimal(str(engine.checked_score(rule, proposed_score)))
        except engine.ScoreError as exc:
            raise InvalidData(exc.message) from None
    else:
        score = answer.self_score
    if submission.status == SubmissionStatus.SUBMITTED:
        submission_transition(actor=access, submission=submission, action="appraise")
        submission.refresh_from_db()
    before = {"council_score": answer.council_score, "verdict": answer.verdict}
    answer.council_score, answer.verdict = score, verdict
    answer.updated_at, answer.updated_by = timezone.now(), access.audit_actor
    answer.save(update_fields=["council_score", "verdict", "updated_at", "updated_by"])
    _recount_council(submission)
    comment = Comment.objects.create(
        answer=answer,
        kind=CommentKind.COUNCIL,
        verdict=verdict,
        proposed_score=score if disagree else None,
        text=text or str(Verdict(verdict).label),
        author=access.audit_actor,
    )
    audit.record(
        actor=access,
        action="assessments.answer.opinion",
        target=answer,
        changes=audit.diff(plain(before), plain({"council_score": score, "verdict": verdict})),
        reason=text,
    )
    return comment


@transaction.atomic
def explanation_add(*, actor: Access, answer: Answer, text: str) -> Comment:
    """The subject's explanation (giải trình) in the criterion's thread."""
    access = Access.of(actor)
    answer, submission = _answer_locked(answer)
    if not may_fill(access, submission):
        raise NotAllowed("Chỉ cán bộ của đơn vị được giải trình cho đơn vị mình.")
    if submission.status not in UNDER_APPRAISAL:
        raise InvalidData(f"Hồ sơ đang ở trạng thái “{submission.get_status_display()}”, không giải trình được.")
    text = _text(text, "nội dung giải trình", required=True)
    comment = Comment.objects.create(answer=answer, kind=CommentKind.EXPLANATION, text=text, author=access.audit_actor)
    audit.record(actor=access, action="assessments.answer.explain", target=answer, reason=text)
    return comment


@transaction.atomic
def final_fix(*, actor: Access, submission: Submission, scores: dict[str, object] | None = None) -> Submission:
    """Fixes the final score of every criterion (given here by code, else the council's, else the
    self-assessed), the totals and the tier reached, and moves the submission to "finalised".
    A score outside its criterion's range refuses the whole, with every such criterion named."""
    access = Access.of(actor)
    submission = (
        Submission.objects.select_for_update(of=("self",)).select_related("round__framework").get(pk=submission.pk)
    )
    if not _may_take(access, submission, TRANSITIONS["finalise"]):
        raise NotAllowed("Chỉ chủ tịch hội đồng thẩm định hoặc Tổ giúp việc được chốt điểm.")
    if submission.status not in TRANSITIONS["finalise"].sources:
        raise InvalidData(f"Không thể chốt điểm khi hồ sơ đang ở trạng thái “{submission.get_status_display()}”.")
    scores = dict(scores or {})
    answers = list(submission.answers.select_related("criterion__group"))
    by_code = {a.criterion.code: a for a in answers}
    unknown = sorted(set(scores) - set(by_code))
    if unknown:
        raise InvalidData(f"Không có tiêu chí: {', '.join(unknown)}.")
    problems, finals = [], {}
    for code, answer in by_code.items():
        given = scores.get(code)
        if given in (None, ""):
            finals[code] = answer.council_score if answer.council_score is not None else answer.self_score
            continue
        try:
            finals[code] = Decimal(str(engine.checked_score(answer.criterion.as_rule(), given)))
        except engine.ScoreError as exc:
            problems.append(exc.message)
    if problems:
        raise InvalidData("Chưa chốt được điểm: còn điểm nằm ngoài khoảng cho phép.", details=problems)
    scorer = submission.round.framework.scorer()
    outcome = scorer.score({}, overrides={code: float(v) for code, v in finals.items()})
    for answer in answers:
        answer.final_score = finals[answer.criterion.code]
    Answer.objects.bulk_update(answers, ["final_score"])
    tier = None
    if outcome.tier is not None:
        tier = submission.round.framework.tiers.get(level=outcome.tier.level)
    submission = submission_transition(actor=access, submission=submission, action="finalise")
    before = {"final_total": submission.final_total, "tier": submission.tier_id}
    submission.final_total = Decimal(str(outcome.total))
    submission.tier = tier
    submission.finalised_at = timezone.now()
    submission.save(update_fields=["final_total", "tier", "finalised_at"])
    round_changed(submission.round_id)
    audit.record(
        actor=access,
        action="assessments.submission.final",
        target=submission,
        changes=audit.diff(plain(before), plain({"final_total": submission.final_total, "tier": submission.tier_id}))
        | {"final_scores": [None, {k: str(v) for k, v in finals.items()}]},
    )
    return submission
