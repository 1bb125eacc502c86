"""Opening a yearly round: the framework, the year, the subjects, the due day of each step, the
appraisal council; every subject's submission made at once, its figures prefilled from approved
reporting data where an indicator feeds a criterion (the source report kept beside the figure)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.dates import parse_vn_date
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.reports.models import DataValue

from .. import scoring as engine
from ..models import (
    Answer,
    CouncilMember,
    Framework,
    Round,
    RoundStatus,
    RoundStep,
    Step,
    SubjectKind,
    Submission,
)
from .changes import round_changed

MAX_SUBJECTS = 5000


@dataclass(frozen=True)
class Prefill:
    value: object = None
    numerator: object = None
    denominator: object = None
    report_id: int | None = None


def cycle_dues(framework: Framework, year: int) -> dict[str, datetime.date]:
    """The due day of each step in `year`, from the decision's calendar ("dd/mm")."""
    dues = {}
    for item in framework.cycle or []:
        day = parse_vn_date(f"{item['due']}/{year}")
        if day is not None:
            dues[item["step"]] = day
    return dues


def approved_figures(indicator_ids: set[int], unit_ids: set[int], year: int) -> dict[tuple[int, int], Prefill]:
    """(indicator, unit) → the latest approved figure of `year` (its report named), in one query."""
    found: dict[tuple[int, int], Prefill] = {}
    rows = (
        DataValue.objects.approved()
        .filter(indicator_id__in=indicator_ids, admin_unit_id__in=unit_ids, period__year=year)
        .order_by("period__end", "pk")
        .values_list("indicator_id", "admin_unit_id", "value", "numerator", "denominator", "report_id")
    )
    for indicator_id, unit_id, value, numerator, denominator, report_id in rows:
        found[(indicator_id, unit_id)] = Prefill(value, numerator, denominator, report_id)  # the latest wins
    return found


def _subjects(framework: Framework, units, agencies) -> tuple[list, list]:
    units, agencies = list(units or []), list(agencies or [])
    if not units and not agencies:
        raise InvalidData("Cần chọn ít nhất một đơn vị được đánh giá.")
    if len(units) + len(agencies) > MAX_SUBJECTS:
        raise InvalidData(f"Một đợt đánh giá có tối đa {MAX_SUBJECTS} đơn vị.")
    if framework.subject_kind in (SubjectKind.COMMUNE, SubjectKind.DISTRICT) and agencies:
        raise InvalidData("Bộ tiêu chí này dành cho đơn vị hành chính, không dành cho cơ quan.")
    if framework.subject_kind == SubjectKind.DEPARTMENT and units:
        raise InvalidData("Bộ tiêu chí này dành cho các sở, ban, ngành.")
    return units, agencies


@transaction.atomic
def round_open(
    *,
    actor: Access,
    framework: Framework,
    year: int,
    units=(),
    agencies=(),
    dues: dict[str, datetime.date] | None = None,
    council=(),
    chair=None,
    demonstration: bool = False,
) -> Round:
    """Opens the round; the due days default to the framework's calendar for `year`."""
    access = Access.of(actor)
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được mở đợt đánh giá.")
    if framework.scoring == "enterprise_1970":
        raise InvalidData("Doanh nghiệp tự đánh giá theo bộ chỉ số doanh nghiệp, không theo đợt.")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidData("Năm đánh giá phải từ 2000 đến 2100.")
    if not framework.criteria.exists():
        raise InvalidData(f"Bộ tiêu chí “{framework.name}” chưa có tiêu chí nào; hãy nhập đủ trước khi mở đợt.")
    if Round.objects.filter(framework=framework, year=year).exists():
        raise InvalidData(f"Đã có đợt đánh giá năm {year} theo bộ tiêu chí này.")
    units, agencies = _subjects(framework, units, agencies)
    dues = {**cycle_dues(framework, year), **(dues or {})}
    if Step.SELF_ASSESSMENT not in dues:
        raise InvalidData("Cần hạn gửi hồ sơ tự đánh giá.")
    unknown = set(dues) - set(Step.values)
    if unknown:
        raise InvalidData(f"Bước không hợp lệ: {', '.join(sorted(unknown))}.")
    framework.scorer()  # a framework whose rules cannot score is refused before anything is saved
    round_ = Round.objects.create(
        framework=framework, year=year, opened_by=access.audit_actor, demonstration=demonstration
    )
    RoundStep.objects.bulk_create(RoundStep(round=round_, step=s, due=d) for s, d in dues.items())
    members = {m.pk: m for m in council}
    if chair is not None:
        members[chair.pk] = chair
    CouncilMember.objects.bulk_create(
        CouncilMember(round=round_, user=u, chair=chair is not None and u.pk == chair.pk) for u in members.values()
    )
    submissions = Submission.objects.bulk_create(
        [Submission(round=round_, admin_unit=u) for u in units] + [Submission(round=round_, agency=a) for a in agencies]
    )
    _answers_create(framework, year, submissions)
    audit.record(
        actor=access,
        action="assessments.round.open",
        target=round_,
        changes={
            "subjects": [0, len(submissions)],
            "dues": [None, {s: d.isoformat() for s, d in dues.items()}],
            "council": [[], sorted(members)],
        },
    )
    return round_


def _answers_create(framework: Framework, year: int, submissions: list[Submission]) -> None:
    criteria = list(framework.criteria.all())
    fed = {c.indicator_id for c in criteria if c.indicator_id}
    units = {s.admin_unit_id for s in submissions if s.admin_unit_id}
    figures = approved_figures(fed, units, year) if fed and units else {}
    scorers = {c.pk: engine._compile(c.as_rule()) for c in criteria}
    answers = []
    for submission in submissions:
        total = 0.0
        for criterion in criteria:
            answer = Answer(submission=submission, criterion=criterion)
            found = figures.get((criterion.indicator_id, submission.admin_unit_id)) if criterion.indicator_id else None
            if found is not None:
                answer.value, answer.numerator, answer.denominator = found.value, found.numerator, found.denominator
                answer.source_report_id = found.report_id
                try:
                    answer.self_score = scorers[criterion.pk](answer.as_answer())
                except engine.ScoreError:
                    answer.self_score = 0  # a stored figure the criterion cannot read: the subject fixes it
                total += float(answer.self_score)
            answers.append(answer)
        submission.self_total = round(total, 2)
    Answer.objects.bulk_create(answers, batch_size=2000)
    Submission.objects.bulk_update(submissions, ["self_total"], batch_size=2000)


@transaction.atomic
def round_close(*, actor: Access, round_: Round) -> Round:
    """The secretariat closes the appraisal: every submission must have its final score."""
    from .workflow import submission_transition

    access = Access.of(actor)
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được kết thúc thẩm định.")
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == RoundStatus.CLOSED:
        raise InvalidData("Đợt đánh giá đã kết thúc thẩm định.")
    pending = list(
        round_.submissions.exclude(status__in=["finalised", "closed"]).select_related("admin_unit", "agency")
    )
    if pending:
        names = ", ".join(str(s.subject) for s in pending[:10])
        raise InvalidData(
            f"Còn {len(pending)} hồ sơ chưa chốt điểm: {names}{'…' if len(pending) > 10 else ''}.",
        )
    for submission in round_.submissions.filter(status="finalised"):
        submission_transition(actor=access, submission=submission, action="close")
    round_.status, round_.closed_at = RoundStatus.CLOSED, timezone.now()
    round_.save(update_fields=["status", "closed_at"])
    round_changed(round_.pk)
    audit.record(actor=access, action="assessments.round.close", target=round_, changes={"status": ["", "closed"]})
    return round_
