"""A subject's focal point fills its self-assessment: one criterion at a time (the page saves as
they type), the self-assessed score computed at once; evidence links and files checked as the
reports' are. A figure that cannot be scored is refused with the reason, and nothing is saved."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.numbers import NumberError, parse_number
from dxtrack.core.text import clean_text
from dxtrack.reports.services.evidence import check_evidence_file, check_evidence_url

from .. import scoring as engine
from ..models import Answer, Submission, SubmissionStatus
from .auditing import plain
from .changes import round_changed
from .workflow import MAX_TEXT, may_fill

EDITABLE = frozenset({SubmissionStatus.DRAFT})


@dataclass(frozen=True)
class AnswerInput:
    """What the form sends for one criterion, as typed (text), or None for "not sent"."""

    flag: str | None = None  # "1" / "0" / ""
    value: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    note: str | None = None
    evidence_url: str | None = None


def _number(text: str | None, what: str) -> Decimal | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        return parse_number(str(text), places=4)
    except NumberError as exc:
        raise InvalidData(f"{what} “{str(text)[:40]}”: {exc}") from None


def _locked_submission(answer: Answer) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("round__framework")
        .get(pk=answer.submission_id)
    )


def _apply(answer: Answer, data: AnswerInput) -> None:
    if data.flag is not None:
        answer.flag = {"1": True, "0": False}.get(str(data.flag).strip())
    if data.value is not None:
        answer.value = _number(data.value, "Số liệu")
    if data.numerator is not None:
        answer.numerator = _number(data.numerator, "Tử số")
    if data.denominator is not None:
        answer.denominator = _number(data.denominator, "Mẫu số")
    if data.note is not None:
        note = clean_text(data.note)
        if len(note) > MAX_TEXT:
            raise InvalidData(f"Thuyết minh dài quá {MAX_TEXT} ký tự.")
        answer.note = note
    if data.evidence_url is not None:
        url, problem = check_evidence_url(data.evidence_url)
        if problem:
            raise InvalidData(problem)
        answer.evidence_url = url


def _recount(submission: Submission) -> None:
    total = sum(a.self_score for a in submission.answers.all())
    submission.self_total = total
    submission.version += 1
    submission.save(update_fields=["self_total", "version"])
    round_changed(submission.round_id)


@transaction.atomic
def answer_save(*, actor: Access, answer: Answer, data: AnswerInput) -> Answer:
    """Saves what the subject declared for one criterion and its self-assessed score."""
    access = Access.of(actor)
    submission = _locked_submission(answer)
    if not may_fill(access, submission):
        raise NotAllowed("Chỉ cán bộ của đơn vị được tự đánh giá cho đơn vị mình.")
    if submission.status not in EDITABLE:
        raise InvalidData(f"Hồ sơ đang ở trạng thái “{submission.get_status_display()}”, không sửa được.")
    answer = Answer.objects.select_related("criterion__group").get(pk=answer.pk)
    before = {f: getattr(answer, f) for f in ("flag", "value", "numerator", "denominator", "note", "evidence_url")}
    before["self_score"] = answer.self_score
    _apply(answer, data)
    try:
        score = engine.criterion_score(answer.criterion.as_rule(), answer.as_answer())
    except engine.ScoreError as exc:
        raise InvalidData(exc.message) from None
    if answer.criterion.indicator_id and (answer.value, answer.numerator, answer.denominator) != (
        before["value"],
        before["numerator"],
        before["denominator"],
    ):
        answer.source_report = None  # a figure changed by hand is declared, no longer the report's
    answer.self_score = Decimal(str(score))
    answer.updated_at, answer.updated_by = timezone.now(), access.audit_actor
    answer.save()
    _recount(submission)
    after = {k: getattr(answer, k) for k in before}
    audit.record(
        actor=access, action="assessments.answer.save", target=answer, changes=audit.diff(plain(before), plain(after))
    )
    return answer


@transaction.atomic
def answer_evidence_attach(*, actor: Access, answer: Answer, upload) -> Answer:
    """Keeps an evidence file of one criterion after checking its size and content."""
    access = Access.of(actor)
    submission = _locked_submission(answer)
    if not may_fill(access, submission):
        raise NotAllowed("Chỉ cán bộ của đơn vị được gửi minh chứng của đơn vị mình.")
    if submission.status not in EDITABLE | {SubmissionStatus.APPRAISING}:
        raise InvalidData(f"Hồ sơ đang ở trạng thái “{submission.get_status_display()}”, không gửi minh chứng được.")
    name = check_evidence_file(upload)
    answer = Answer.objects.get(pk=answer.pk)
    before = answer.evidence_file.name or None
    answer.evidence_file.save(name, upload, save=False)
    if before:
        storage = answer.evidence_file.storage
        transaction.on_commit(lambda: storage.delete(before))
    answer.updated_at, answer.updated_by = timezone.now(), access.audit_actor
    answer.save(update_fields=["evidence_file", "updated_at", "updated_by"])
    audit.record(
        actor=access,
        action="assessments.answer.evidence",
        target=answer,
        changes={"evidence_file": [before, answer.evidence_file.name]},
    )
    return answer
