"""Demo assessments (ADR 0032): under the demonstration commune set, a closed 2025 round with its
recognition decision, and a 2026 round in progress — self-assessments, some submitted (a few
late), an appraisal under way with a disagreement and its explanation, some final scores.

The rounds are opened and closed, and the decision issued, through the services; what each
commune declared and the steps each submission went through are written in bulk, as the demo
reports are (one audit event per submission, "assessments.demo.generate"), since the services
act only for the unit's own people. Deterministic: each commune draws from its own generator,
seeded with the seed and its statistical code."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import connections, router, transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import User
from dxtrack.assessments import scoring as engine
from dxtrack.assessments.models import (
    Answer,
    Comment,
    CommentKind,
    Framework,
    Round,
    Step,
    Submission,
    SubmissionStatus,
    Verdict,
)
from dxtrack.assessments.selectors import province_units
from dxtrack.assessments.services.frameworks import frameworks_load
from dxtrack.assessments.services.recognition import decision_issue
from dxtrack.assessments.services.rounds import round_close, round_open
from dxtrack.core import audit
from dxtrack.org.models import AdminLevel

FRAMEWORK = "minh-hoa-xa-2026"
S = SubmissionStatus


def _rng(seed: int, *parts) -> random.Random:
    return random.Random(":".join(str(p) for p in (seed, *parts)))  # noqa: S311 - demo data


DECLARED_NOTE = "Số liệu kê khai minh họa (dữ liệu trình diễn), không phải số liệu thật của đơn vị."


def _declare(answer: Answer, rng: random.Random, strength: float) -> None:
    """A plausible declaration of a criterion the register does not feed (or left empty).

    A commune's figures follow its own maturity (`strength`, 0–1) with a little noise per
    criterion, as the provinces' results do: a commune well advanced meets most criteria, one
    lagging few. Drawn independently per criterion, meeting all six mandatory ones would be
    chance (about one commune in a thousand), and the demo's closed round would recognise nobody.
    Figures prefilled from approved reports are kept as they are."""
    c = answer.criterion
    if answer.source_report_id:
        return
    level = min(1.0, max(0.0, strength + rng.gauss(0, 0.12)))
    answer.note = DECLARED_NOTE
    if c.kind == engine.BOOLEAN:
        answer.flag = level >= 0.35
    elif c.kind == engine.STEPS:
        answer.value = Decimal(min(4, int(level * 5)))
    elif c.kind == engine.THRESHOLD:
        # Met from a level of 0.6 on (0.7 + 0.5 × level reaches the threshold); a share stays ≤ 100 %.
        factor = 0.7 + 0.5 * level
        figure = c.value / factor if c.comparator == "<=" else c.value * factor
        if c.unit == "%":
            figure = min(100.0, figure)
        answer.value = Decimal(str(round(figure, 1)))
    elif c.kind == engine.RATIO:
        b = rng.randint(20, 400)
        a = b if level >= 0.85 else min(b, round(b * (0.3 + 0.7 * level)))
        answer.numerator, answer.denominator = Decimal(a), Decimal(b)
    elif c.kind == engine.DECLARED:
        answer.value = Decimal(rng.randint(4000, 30000))


def _save(answers: list[Answer], fields: list[str]) -> None:
    """What Answer.objects.bulk_update(answers, fields) writes (no signals, no pre_save), as one
    UPDATE by id run for every answer. bulk_update builds a CASE WHEN per answer and field and
    compiles it: about 0,1 s of CPU per commune's answers, most of the demo rounds' time."""
    meta = Answer._meta
    connection = connections[router.db_for_write(Answer)]
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 (the model's own names; values go as parameters)
        quote(meta.db_table), ", ".join(f"{quote(f.column)} = %s" for f in columns), quote(meta.pk.column)
    )
    rows = [[*(f.get_db_prep_save(getattr(a, f.attname), connection) for f in columns), a.pk] for a in answers]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _fill(submission: Submission, rng: random.Random) -> None:
    strength = rng.random()
    answers = list(submission.answers.select_related("criterion__group"))
    for answer in answers:
        _declare(answer, rng, strength)
        try:
            answer.self_score = Decimal(str(engine.criterion_score(answer.criterion.as_rule(), answer.as_answer())))
        except engine.ScoreError:
            answer.self_score = Decimal(0)
    _save(answers, ["flag", "value", "numerator", "denominator", "note", "self_score"])
    submission.self_total = sum(a.self_score for a in answers)


def _advance(submission: Submission, target: str, rng: random.Random, *, due: datetime.date, at, council) -> None:
    """Walks the submission to `target`, as its head and the council would have."""
    if target == S.DRAFT:
        return
    submission.status = S.SUBMITTED
    submission.submitted_at = at
    submission.late = rng.random() < 0.15
    if submission.late:
        submission.submitted_at = at + datetime.timedelta(days=rng.randint(1, 9))
    if target in (S.APPRAISING, S.FINALISED):
        answers = list(submission.answers.select_related("criterion"))
        for answer in answers:
            answer.council_score, answer.verdict = answer.self_score, Verdict.AGREE
        doubtful = next((a for a in answers if a.self_score and a.criterion.evidence_required), None)
        if doubtful is not None:
            doubtful.council_score, doubtful.verdict = Decimal(0), Verdict.DISAGREE
            Comment.objects.create(
                answer=doubtful,
                kind=CommentKind.COUNCIL,
                verdict=Verdict.DISAGREE,
                proposed_score=Decimal(0),
                text="Chưa có minh chứng kèm theo.",
                author=council,
            )
            Comment.objects.create(
                answer=doubtful,
                kind=CommentKind.EXPLANATION,
                text="Đơn vị đã bổ sung biên bản họp.",
                author=User.objects.filter(admin_unit=submission.admin_unit).order_by("pk").first(),
            )
        _save(answers, ["council_score", "verdict"])
        submission.council_total = sum(a.council_score for a in answers)
        submission.status = S.APPRAISING
        if target == S.FINALISED:
            for answer in answers:
                answer.final_score = answer.council_score if answer.verdict == Verdict.AGREE else answer.self_score
            _save(answers, ["final_score"])
            scorer = submission.round.framework.scorer()
            outcome = scorer.score({}, overrides={a.criterion.code: float(a.final_score) for a in answers})
            submission.final_total = Decimal(str(outcome.total))
            submission.tier = (
                submission.round.framework.tiers.get(level=outcome.tier.level) if outcome.tier is not None else None
            )
            submission.status, submission.finalised_at = S.FINALISED, at
    del due


def _people() -> tuple[User | None, User | None]:
    """The demo's council: the province leader as a member, "hoidong" (made by `dxtrack demo`) as
    its chair; a database without them gets a round without a council."""
    return User.objects.filter(username="lanhdao").first(), User.objects.filter(username="hoidong").first()


@transaction.atomic
def _round(actor: Access, framework: Framework, year: int, seed: int, mix: dict[str, float], people) -> Round:
    member, chair = people
    units = list(province_units(AdminLevel.COMMUNE).filter(valid_to__isnull=True).order_by("code"))
    round_ = round_open(
        actor=actor,
        framework=framework,
        year=year,
        units=units,
        council=[m for m in (member,) if m],
        chair=chair,
        demonstration=True,
    )
    due = round_.due(Step.SELF_ASSESSMENT)
    at = timezone.make_aware(datetime.datetime.combine(due - datetime.timedelta(days=3), datetime.time(9)))
    for submission in round_.submissions.select_related("admin_unit", "round__framework"):
        rng = _rng(seed, year, submission.admin_unit.code)
        draw, target = rng.random(), S.DRAFT
        for status, upto in mix.items():
            if draw < upto:
                target = status
                break
        if submission.admin_unit.code == "14758":  # Hàm Rồng, the demo's commune: an appraisal in progress
            target = S.APPRAISING if year == timezone.localdate().year else S.FINALISED
        _fill(submission, rng)
        _advance(submission, target, rng, due=due, at=at, council=chair)
        submission.save()
        audit.record(
            actor=actor, action="assessments.demo.generate", target=submission, changes={"status": ["", target]}
        )
    return round_


def generate(*, actor: Access, seed: int = 2026, today: datetime.date | None = None) -> dict[str, int]:
    """The demo rounds; a second run adds nothing. Returns counts."""
    today = today or timezone.localdate()
    frameworks_load(actor=actor)
    framework = Framework.objects.get(code=FRAMEWORK)
    people = _people()
    counts = {"rounds": 0, "recognised": 0}
    last = today.year - 1
    if not Round.objects.filter(framework=framework, year=last).exists():
        round_ = _round(actor, framework, last, seed, {S.FINALISED: 1.0}, people)
        with transaction.atomic():
            round_close(actor=actor, round_=round_)
            # The demo's past round ended in its own year, before its decision was signed (closed
            # "today", the public results read backwards: appraisal ended after the decision).
            Round.objects.filter(pk=round_.pk).update(
                closed_at=datetime.datetime(last, 12, 15, 16, 0, tzinfo=timezone.get_default_timezone())
            )
            round_.refresh_from_db()
            # Figures prefilled from the demo's approved reports may leave every commune short of
            # a tier: then there is nobody to recognise, and no decision (decision_issue refuses).
            if round_.submissions.filter(tier__isnull=False, recognition__isnull=True).exists():
                decision = decision_issue(
                    actor=actor,
                    round_=round_,
                    number=f"{seed % 1000:03d}/QĐ-UBND (minh họa)",
                    signed_on=datetime.date(last, 12, 20),
                    signer="(minh họa)",
                )
                counts["recognised"] += decision.recognitions.count()
        counts["rounds"] += 1
    if not Round.objects.filter(framework=framework, year=today.year).exists():
        _round(
            actor,
            framework,
            today.year,
            seed,
            {S.DRAFT: 0.2, S.SUBMITTED: 0.55, S.APPRAISING: 0.8, S.FINALISED: 1.0},
            people,
        )
        counts["rounds"] += 1
    counts["ranks"] = _published_ranks(actor)
    return counts


# Thanh Hóa's DTI ranks as published (shared/docs/ASSESSMENTS.md): year → (rank, provinces ranked).
# Facts, not demonstration: the years the shipped 922/QĐ-BTTTT set covers (2021–2024); 2020's
# rank was made under an earlier set that is not shipped.
PUBLISHED_DTI_RANKS = {2021: (12, 63), 2022: (15, 63), 2023: (11, 63), 2024: (5, 34)}


def _published_ranks(actor: Access) -> int:
    """The published ranks, entered as the secretariat enters them (audited); kept entries stay."""
    from dxtrack.assessments.models import ProvinceResult, ResultComponent, ResultOrigin
    from dxtrack.assessments.services.results import result_enter

    framework = Framework.objects.get(code="dti-922-tinh")
    entered = 0
    for year, (rank, of) in PUBLISHED_DTI_RANKS.items():
        kept = ProvinceResult.objects.filter(
            year=year, component=ResultComponent.OVERALL, origin=ResultOrigin.PUBLISHED
        )
        if kept.exists():
            continue
        result_enter(
            actor=actor,
            framework=framework,
            year=year,
            rank=rank,
            ranked_of=of,
            score=None,
            reference=f"Kết quả Chỉ số chuyển đổi số cấp tỉnh (DTI) năm {year} do Bộ công bố",
        )
        entered += 1
    return entered
