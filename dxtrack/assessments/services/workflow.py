"""The workflow of one subject's submission: the explicit table of transitions (who may take each,
from which states, to which), and moving a submission along it (as reports/services/workflow.py).

    draft ──submit (head of the unit; after the due day: flagged late, never refused)──▶ submitted
    submitted ──appraise (a council member's first opinion)──▶ appraising
    submitted | appraising ──finalise (council chair or secretariat)──▶ finalised
    finalised ──reopen (secretariat, with a reason)──▶ appraising
    finalised ──close (secretariat, when the round closes)──▶ closed
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.text import clean_text

from ..models import CouncilMember, Step, Submission, SubmissionStatus
from .changes import round_changed

MAX_TEXT = 4000


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    who: str  # head (signs for the subject) | council | chair (of the council) | secretariat
    needs_reason: bool = False
    label: str = ""


S = SubmissionStatus
TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({S.DRAFT}), S.SUBMITTED, "head", label="gửi hồ sơ"),
    "appraise": Transition(frozenset({S.SUBMITTED}), S.APPRAISING, "council", label="bắt đầu thẩm định"),
    "finalise": Transition(frozenset({S.SUBMITTED, S.APPRAISING}), S.FINALISED, "chair", label="chốt điểm"),
    "reopen": Transition(frozenset({S.FINALISED}), S.APPRAISING, "secretariat", True, "mở lại thẩm định"),
    "close": Transition(frozenset({S.FINALISED}), S.CLOSED, "secretariat", label="kết thúc thẩm định"),
}


def is_council(access: Access, round_id: int, *, chair: bool = False) -> bool:
    if access.user is None:
        return False
    members = CouncilMember.objects.filter(round_id=round_id, user=access.user)
    return members.filter(chair=True).exists() if chair else members.exists()


def may_fill(access: Access, submission: Submission) -> bool:
    """The subject's own focal point or head (reporter or approver of that unit or agency)."""
    return access.reports_for(agency_id=submission.agency_id, admin_unit_id=submission.admin_unit_id)


def _may_take(access: Access, submission: Submission, t: Transition) -> bool:
    if t.who == "secretariat":
        return access.runs_programme
    if t.who == "head":
        return access.signs_for(agency_id=submission.agency_id, admin_unit_id=submission.admin_unit_id)
    if t.who == "chair":
        return access.runs_programme or is_council(access, submission.round_id, chair=True)
    return access.runs_programme or is_council(access, submission.round_id)


_REFUSALS = {
    "secretariat": "Chỉ Tổ giúp việc được {label}.",
    "head": "Chỉ lãnh đạo đơn vị được ký gửi hồ sơ tự đánh giá của đơn vị mình.",
    "chair": "Chỉ chủ tịch hội đồng thẩm định hoặc Tổ giúp việc được {label}.",
    "council": "Chỉ thành viên hội đồng thẩm định được {label}.",
}


def allowed_actions(actor: Access, submission: Submission) -> list[str]:
    access = Access.of(actor)
    return [
        name
        for name, t in TRANSITIONS.items()
        if submission.status in t.sources and name != "appraise" and _may_take(access, submission, t)
    ]


@transaction.atomic
def submission_transition(*, actor: Access, submission: Submission, action: str, reason: str = "") -> Submission:
    """Moves a submission along the table above; anything else is refused with the reason."""
    access = Access.of(actor)
    t = TRANSITIONS.get(action)
    if t is None:
        raise InvalidData("Thao tác không hợp lệ.")
    submission = Submission.objects.select_for_update(of=("self",)).select_related("round").get(pk=submission.pk)
    reason = clean_text(reason) if isinstance(reason, str) else ""
    if not _may_take(access, submission, t):
        raise NotAllowed(_REFUSALS[t.who].format(label=t.label))
    if submission.status not in t.sources:
        raise InvalidData(f"Không thể {t.label} khi hồ sơ đang ở trạng thái “{submission.get_status_display()}”.")
    if t.needs_reason and not reason:
        raise InvalidData(f"Cần ghi lý do {t.label}.")
    if len(reason) > MAX_TEXT:
        raise InvalidData(f"Lý do dài quá {MAX_TEXT} ký tự.")
    before = submission.status
    changes = {"status": [before, t.target]}
    submission.status = t.target
    submission.version += 1
    if action == "submit":
        now = timezone.now()
        submission.submitted_at, submission.submitted_by = now, access.audit_actor
        due = submission.round.due(Step.SELF_ASSESSMENT)
        # Late is a flag on the submission, never a refusal: nothing a unit sends is lost.
        submission.late = due is not None and timezone.localdate(now) > due
        changes["late"] = [False, submission.late]
    submission.save()
    round_changed(submission.round_id)
    audit.record(
        actor=access, action=f"assessments.submission.{action}", target=submission, changes=changes, reason=reason
    )
    return submission
