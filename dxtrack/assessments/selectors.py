"""Reads of assessments, each scoped to what the actor may see (ADR 0032)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, FloatField, Q, Window
from django.db.models.functions import Cast, Coalesce, Rank

from dxtrack.accounts.access import Access
from dxtrack.core.errors import NotFound
from dxtrack.org.models import AdminLevel, AdminUnit

from . import scoring as engine
from .models import (
    Answer,
    CouncilMember,
    Recognition,
    RecognitionDecision,
    Round,
    RoundStatus,
    Submission,
    SubmissionStatus,
    answer_shape,
)
from .scoring import LEVEL_NAMES_1970

FINAL = frozenset({SubmissionStatus.FINALISED, SubmissionStatus.CLOSED})


def submissions_visible(actor: Access):
    """Province-wide roles see every submission; council members those of their rounds; a unit
    or agency its own."""
    access = Access.of(actor)
    qs = Submission.objects.select_related("round__framework", "admin_unit", "agency", "tier")
    if access.is_province_wide:
        return qs
    if access.user is None:
        return qs.none()
    rounds = CouncilMember.objects.filter(user=access.user).values("round_id")
    own = Q(pk__in=[])
    if access.admin_unit_id:
        own = Q(admin_unit_id=access.admin_unit_id)
    elif access.agency_id:
        own = Q(agency_id=access.agency_id)
    return qs.filter(Q(round_id__in=rounds) | own)


def submission_get(actor: Access, pk: int) -> Submission:
    found = submissions_visible(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def submission_answers(submission: Submission) -> list[Answer]:
    """The criteria of a submission in the framework's order, with their thread."""
    return list(
        submission.answers.select_related(
            "criterion__group", "criterion__indicator", "source_report__obligation__period"
        )
        .prefetch_related("comments__author")
        .order_by("criterion__position", "criterion__pk")
    )


@dataclass
class TierList:
    tier: object
    submissions: list


def tier_lists(actor: Access, round_: Round) -> list[TierList]:
    """For each tier of the round's framework, the subjects whose final scores reach it (highest
    tier first); only final results, only for those who may see the whole round."""
    access = Access.of(actor)
    if not access.is_province_wide and not CouncilMember.objects.filter(round=round_, user=access.user).exists():
        raise NotFound()
    finals = list(
        round_.submissions.filter(status__in=sorted(FINAL), tier__isnull=False)
        .select_related("admin_unit", "agency", "tier")
        .order_by("-final_total", "admin_unit__name", "agency__name")
    )
    return [
        TierList(tier, [s for s in finals if s.tier_id == tier.pk])
        for tier in round_.framework.tiers.order_by("-level")
    ]


def may_see_round(actor: Access, round_id: int) -> bool:
    """The whole round (its submissions, decisions and their documents): the province-wide roles
    (the secretariat, the leaders) and the round's council."""
    access = Access.of(actor)
    if access.is_province_wide:
        return True
    return access.user is not None and CouncilMember.objects.filter(round_id=round_id, user=access.user).exists()


def decision_get(actor: Access, pk: int) -> RecognitionDecision:
    """A recognition decision, for those who see its round (NotFound otherwise)."""
    found = RecognitionDecision.objects.select_related("round__framework").filter(pk=pk).first()
    if found is None or not may_see_round(actor, found.round_id):
        raise NotFound()
    return found


def decision_facts(decision: RecognitionDecision) -> dict:
    """What the recognition decision's document says: its number, date, round and the list."""
    rows = decision.recognitions.select_related("admin_unit", "agency", "tier", "submission").order_by(
        "tier__level", "admin_unit__name", "agency__name"
    )
    return {
        "number": decision.number,
        "signed_on": decision.signed_on,
        "signer": decision.signer,
        "year": decision.round.year,
        "framework": decision.round.framework.name,
        "framework_number": decision.round.framework.number,
        "demonstration": decision.round.demonstration,
        "rows": [
            {
                "name": str(r.admin_unit or r.agency),
                "tier": r.tier.name,
                "points": r.submission.final_total,
            }
            for r in rows
        ],
    }


# ---- measuring targets by recognitions (issue 17 item 6) ------------------------------------------


def province_units(level: str = AdminLevel.COMMUNE):
    """The units of `level` of this province (settings.DXTRACK_PROVINCE_CODE), former and
    current: under the province, or under one of its former districts."""
    from django.conf import settings

    province = AdminUnit.objects.filter(
        level=AdminLevel.PROVINCE, code=settings.DXTRACK_PROVINCE_CODE, valid_to__isnull=True
    ).first()
    if province is None:
        return AdminUnit.objects.none()
    return AdminUnit.objects.filter(level=level).filter(Q(parent=province) | Q(parent__parent=province))


@dataclass(frozen=True)
class RecognitionMeasure:
    """Communes (or districts) recognised as of a day, and their share of the units then."""

    recognised: int
    units: int

    @property
    def share(self) -> float | None:
        return round(self.recognised * 100 / self.units, 2) if self.units else None


def recognised_units(
    *, level: str = AdminLevel.COMMUNE, as_of: datetime.date, public_only: bool = False
) -> RecognitionMeasure:
    """How many units of `level` were recognised (any tier, any framework of that subject kind) by
    `as_of`, counting each unit once, and how many units of that level were then in force.

    The "number of communes that completed digital transformation" of seed 001's targets: public
    data (a signed decision), so any actor may read it; analytics calls this to give those
    targets a status. Former communes merged in 2025 keep their recognitions as dated facts: the
    count to a date before the reform counts the units of then."""
    recognised = Recognition.objects.filter(admin_unit__in=province_units(level), recognised_on__lte=as_of)
    if public_only:
        recognised = recognised.exclude(decision__round__demonstration=True)
    count = recognised.values("admin_unit_id").distinct().count()
    in_force = (
        province_units(level)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=as_of))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=as_of))
    )
    return RecognitionMeasure(recognised=count, units=in_force.count())


# ---- rankings (issue 17 item 8) --------------------------------------------------------------------


@dataclass
class RankRow:
    rank: int
    submission: Submission
    score: object  # the final score, else the council's, else the self-assessed
    contributions: list  # per criterion, in the framework's order


def _sees_round(access: Access, round_: Round) -> bool:
    return access.is_province_wide or CouncilMember.objects.filter(round=round_, user=access.user).exists()


def ranked(actor: Access, round_: Round):
    """The round's places, best-known score first: (submission id, `best` — the final score, else
    the council's, else the self-assessed —, `rank` — equal scores share a rank: 1, 2, 2, 4),
    computed by the database over the whole round, so that a page of it (a slice) keeps the ranks
    of the whole. Narrow rows: the database sorts ids and scores, not whole submissions (the
    national round's 3,321). For those who see the whole round."""
    access = Access.of(actor)
    if not _sees_round(access, round_):
        raise NotFound()
    best = Coalesce("final_total", "council_total", "self_total")
    return (
        round_.submissions.annotate(best=best, rank=Window(Rank(), order_by=best.desc()))
        .order_by(F("best").desc(), Coalesce("admin_unit__name", "agency__name"), "pk")
        .values_list("pk", "best", "rank")
    )


# A page of a round's ranking is kept rendered under the round's generation (services.changes: any
# change of a score, status or tier moves it). The time only bounds what a change made in another
# server process leaves visible where the cache is per process (no Redis).
RANKING_SECONDS = 60


def ranking_kept(round_: Round, query) -> dict:
    """What the ranking template's cache tag keys a page on: the round (its id and opening time, so
    a round made again under a reused id is another), its generation and the page. Kept only for a
    query that is at most the page number: anything else is not a page of the ranking."""
    from dxtrack.core import generations

    from .services.changes import generation_name

    lists = dict(query.lists())
    plain = set(lists) <= {"trang"} and all(len(v) == 1 for v in lists.values())
    return {
        "seconds": RANKING_SECONDS if plain else 0,
        "key": f"{round_.pk}-{round_.opened_at.timestamp()}-{generations.current(generation_name(round_.pk))}",
        "page": lists.get("trang", ["1"])[0][:12],
    }


def ranking(actor: Access, round_: Round, places=None) -> tuple[list, list[RankRow]]:
    """The rows of the ranking with each criterion's contribution (final, else council, else
    self): for `places` (a page of `ranked`), else for the whole round. Four queries however
    many subjects: the criteria, the places (unless given), their submissions, and only their
    answers (a page of the national round reads 100 × 40 answers, not the round's 130,000)."""
    whole = places is None
    places = list(ranked(actor, round_) if whole else places)
    subjects = round_.submissions.select_related("admin_unit", "agency", "tier")
    found = {s.pk: s for s in (subjects if whole else subjects.filter(pk__in=[pk for pk, _b, _r in places]))}
    criteria = list(round_.framework.criteria.order_by("position", "pk"))
    index = {c.pk: i for i, c in enumerate(criteria)}
    cells: dict[int, list] = {pk: [None] * len(criteria) for pk, _b, _r in places}
    answers = Answer.objects.filter(submission__round=round_)
    if not whole:
        answers = answers.filter(submission_id__in=list(cells))
    rows = answers.values_list("submission_id", "criterion_id", Coalesce("final_score", "council_score", "self_score"))
    for submission_id, criterion_id, score in rows:
        cells[submission_id][index[criterion_id]] = score
    return criteria, [RankRow(rank, found[pk], best, cells[pk]) for pk, best, rank in places]


# ---- a whole round scored at once (issue 17, Performance) ------------------------------------------


def round_outcomes(actor: Access, round_: Round) -> dict[int, engine.Outcome]:
    """Every submission of the round scored afresh from its stored answers by the framework's
    compiled scorer, the final score, else the council's, winning over the answer as when the
    council fixes it (services.appraisal.final_fix): submission id → outcome (total, tier, band).
    One read of the round's answers, then the compiled scorer on each subject; for those who see
    the whole round.

    Issue 17 asks for the 3,321 communes × 40 criteria under 2 s: the answers are read as plain
    floats (cast by the database, not 130,000 Decimals made and converted here) and without the
    criterion's columns on every row (mapped here from one read of the criteria)."""
    if not _sees_round(Access.of(actor), round_):
        raise NotFound()
    scorer = round_.framework.scorer()
    criteria = {pk: (code, kind) for pk, code, kind in round_.framework.criteria.values_list("pk", "code", "kind")}
    answers: dict[int, dict] = {pk: {} for pk in round_.submissions.order_by("pk").values_list("pk", flat=True)}
    overrides: dict[int, dict] = {}
    rows = Answer.objects.filter(submission__round=round_).values_list(
        "submission_id",
        "criterion_id",
        "flag",
        *(Cast(name, FloatField()) for name in ("value", "numerator", "denominator")),
        Cast(Coalesce("final_score", "council_score"), FloatField()),
    )
    for submission_id, criterion_id, flag, value, numerator, denominator, given in rows:
        code, kind = criteria[criterion_id]
        answers[submission_id][code] = answer_shape(kind, flag, value, numerator, denominator)
        if given is not None:
            overrides.setdefault(submission_id, {})[code] = given
    return {pk: scorer.score(given, overrides=overrides.get(pk)) for pk, given in answers.items()}


# ---- criteria-set imports and the province's results (issue 17 items 3 and 6) -------------------


def _require_programme(access: Access) -> None:
    from dxtrack.core.errors import NotAllowed

    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được nhập và duyệt bộ tiêu chí.")


def criteria_imports(actor: Access):
    from .models import CriteriaImport

    _require_programme(Access.of(actor))
    return CriteriaImport.objects.select_related("created_by", "framework").order_by("-created_at", "-pk")


def criteria_import_get(actor: Access, pk: int):
    found = criteria_imports(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def province_results():
    """The province's ranks and scores, newest year first (public facts of a publication; the
    self-assessed ones are the secretariat's)."""
    from .models import ProvinceResult

    return ProvinceResult.objects.select_related("framework", "entered_by", "submission__round").order_by(
        "-year", "component", "origin"
    )


def province_submissions():
    """Submissions of the province itself under an index framework (DTI), for computing a result."""
    from .models import Scoring

    return Submission.objects.filter(
        admin_unit__level=AdminLevel.PROVINCE, round__framework__scoring=Scoring.INDEX
    ).select_related("round__framework", "admin_unit")


# ---- enterprises (ADR 0040) ------------------------------------------------------------------------


def enterprise_results(actor: Access, enterprise_id: int):
    """An enterprise's results, newest year first: its own account, or the province-wide roles."""
    from .models import EnterpriseResult

    access = Access.of(actor)
    if not (access.is_province_wide or (access.is_enterprise and access.enterprise_id == enterprise_id)):
        raise NotFound()
    return EnterpriseResult.objects.filter(enterprise_id=enterprise_id).select_related("framework").order_by("-year")


@dataclass(frozen=True)
class LevelRow:
    key: str
    label: str
    counts: tuple[int, ...]  # enterprises at level 0, 1, … 5

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Distribution:
    year: int
    by_sector: list[LevelRow]
    by_commune: list[LevelRow]
    levels: tuple[int, ...]
    registered: int  # enterprises registered (answered or not)
    answering: int  # of which with answers this year, not yet complete

    @property
    def assessed(self) -> int:
        return sum(r.total for r in self.by_sector)

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(sum(r.counts[i] for r in self.by_sector) for i in range(len(self.levels)))


LEVELS = (0, 1, 2, 3, 4, 5)


def level_distribution(actor: Access, year: int) -> Distribution:
    """Enterprises by level of their complete answer of `year`, by sector and by commune (the
    secretariat and the province's leaders)."""
    from django.db.models import Count

    from dxtrack.org.models import Enterprise, Sector

    from .models import EnterpriseResult

    access = Access.of(actor)
    if not access.is_province_wide:
        raise NotFound()
    done = EnterpriseResult.objects.filter(year=year, level__isnull=False)

    def rows(field: str, labels: dict) -> list[LevelRow]:
        counts: dict[str, list[int]] = {}
        for row in done.values(field, "level").annotate(n=Count("pk")):
            counts.setdefault(str(row[field]), [0] * len(LEVELS))[row["level"]] += row["n"]
        return sorted(
            (LevelRow(key, labels.get(key, key), tuple(c)) for key, c in counts.items()),
            key=lambda r: (-r.total, r.label),
        )

    sectors = {k: str(v) for k, v in Sector.choices}
    communes = dict(
        (str(pk), name)
        for pk, name in AdminUnit.objects.filter(pk__in=done.values("enterprise__admin_unit_id")).values_list(
            "pk", "name"
        )
    )
    return Distribution(
        year=year,
        by_sector=rows("enterprise__sector", sectors),
        by_commune=rows("enterprise__admin_unit_id", communes),
        levels=LEVELS,
        registered=Enterprise.objects.count(),
        answering=EnterpriseResult.objects.filter(year=year, level__isnull=True).count(),
    )


# ---- the public results: closed rounds only (issue 17 item 8) ------------------------------------


def public_rounds():
    """The rounds whose results are public: those closed (appraisal ended, every score final),
    newest first. An open round's self-assessed or council scores are drafts, never shown."""
    return (
        Round.objects.filter(status=RoundStatus.CLOSED)
        .select_related("framework")
        .order_by("-year", "framework__name", "pk")
    )


@dataclass
class PublicRow:
    """One subject's final result in a closed round."""

    rank: int
    subject: object  # the unit or the agency
    final: object  # the final score (Decimal)
    tier: object  # the tier its final scores reach, or None
    recognition: Recognition | None  # the signed recognition, when a decision recognised it


def public_results(round_: Round) -> list[PublicRow]:
    """A closed round's subjects ranked by their final scores (equal scores share a rank), with
    the tier reached and the recognition signed. Anyone may read it: only final results of a
    closed round; any other round is not found."""
    if round_.status != RoundStatus.CLOSED:
        raise NotFound()
    recognitions = {
        r.submission_id: r
        for r in Recognition.objects.filter(decision__round=round_).select_related("decision", "tier")
    }
    finals = list(
        round_.submissions.filter(status=SubmissionStatus.CLOSED, final_total__isnull=False).select_related(
            "admin_unit", "agency", "tier"
        )
    )
    finals.sort(key=lambda s: (-s.final_total, str(s.subject)))
    rows, previous, rank = [], None, 0
    for position, s in enumerate(finals, start=1):
        if s.final_total != previous:  # equal scores share a rank (1, 2, 2, 4)
            rank, previous = position, s.final_total
        rows.append(PublicRow(rank, s.subject, s.final_total, s.tier, recognitions.get(s.pk)))
    return rows


def public_result_rows(*, year: int | None = None):
    """Every closed round's final results, round by round (the open-data file): (round, row)."""
    rounds = public_rounds()
    if year:
        rounds = rounds.filter(year=year)
    for round_ in rounds:
        for row in public_results(round_):
            yield round_, row


def public_results_changed():
    """When the public results last changed: a round closed or a decision signed."""
    from django.db.models import Max

    closed = Round.objects.filter(status=RoundStatus.CLOSED).aggregate(m=Max("closed_at"))["m"]
    decided = RecognitionDecision.objects.filter(round__status=RoundStatus.CLOSED).aggregate(m=Max("created_at"))["m"]
    known = [m for m in (closed, decided) if m is not None]
    return max(known) if known else None


# ---- what an assessment asks of a person now (the start page, "Việc của tôi") -----------------


@dataclass(frozen=True)
class AssessmentWork:
    fill: list  # the unit's own submissions still being self-assessed (with their due day)
    explain: list  # the unit's own submissions under appraisal with a criterion the council disagreed on
    appraise: list  # submissions sent to a round whose council the person sits on

    def __bool__(self) -> bool:
        return bool(self.fill or self.explain or self.appraise)


def assessment_work(actor: Access, *, limit: int = 10) -> AssessmentWork:
    from .models import RoundStep, Step, Verdict

    access = Access.of(actor)
    if access.user is None:
        return AssessmentWork([], [], [])
    own = Submission.objects.none()
    if access.admin_unit_id:
        own = Submission.objects.filter(admin_unit_id=access.admin_unit_id)
    elif access.agency_id and not access.is_province_wide:
        own = Submission.objects.filter(agency_id=access.agency_id)
    own = own.exclude(round__status=RoundStatus.CLOSED).select_related("round__framework")
    dues = dict(
        RoundStep.objects.filter(step=Step.SELF_ASSESSMENT, round__in=own.values("round_id")).values_list(
            "round_id", "due"
        )
    )
    fill = [
        (s, dues.get(s.round_id)) for s in own.filter(status=SubmissionStatus.DRAFT).order_by("round__year")[:limit]
    ]
    explain = list(own.filter(status=SubmissionStatus.APPRAISING, answers__verdict=Verdict.DISAGREE).distinct()[:limit])
    rounds = CouncilMember.objects.filter(user=access.user).values("round_id")
    appraise = list(
        Submission.objects.filter(
            round_id__in=rounds, status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.APPRAISING]
        )
        .select_related("round__framework", "admin_unit", "agency")
        .order_by("submitted_at", "pk")[:limit]
    )
    return AssessmentWork(fill, explain, appraise)


# ---- the enterprise index's pages: pillars and charts (as analytics.selectors builds its charts) --

# Colours of the levels 0–5, from grey (not started) to the dashboards' dark blue (leading).
LEVEL_COLOURS = ("#8c959f", "#d4a72c", "#bf8700", "#54aeff", "#0969da", "#0a3069")


def enterprise_pillars(framework, answers: dict, computed: dict) -> list[dict]:
    """For the enterprise's page: each pillar with its criteria, the answers, its points and level, and its chart."""
    groups = list(framework.groups.all())
    criteria = list(framework.criteria.select_related("group").order_by("position", "pk"))
    out = []
    for group in groups:
        mine = [c for c in criteria if c.group_id == group.pk]
        answered = sum(1 for c in mine if answers.get(c.code))
        level = computed["levels"].get(group.code)
        out.append(
            {
                "group": group,
                "criteria": [(c, answers.get(c.code)) for c in mine],
                "answered": answered,
                "count": len(mine),
                "points": computed["points"].get(group.code),
                "level": level,
                "level_name": LEVEL_NAMES_1970.get(level, "") if level is not None else "",
                "chart": {
                    "type": "bars",
                    "title": group.name,
                    "categories": [c.code for c in mine],
                    "data": [answers.get(c.code) or 0 for c in mine],
                    "colors": [LEVEL_COLOURS[answers.get(c.code) or 0] for c in mine],
                    "max": max((c.level_max or 5) for c in mine) if mine else 5,
                },
            }
        )
    return out


def level_chart(distribution, rows, title: str) -> dict:
    """Enterprises by level per row (sector or commune), as the dashboards' stacked chart."""
    return {
        "type": "stacked",
        "title": title,
        "categories": [r.label for r in rows],
        "series": [
            {
                "name": f"Mức {level} — {LEVEL_NAMES_1970[level]}",
                "color": LEVEL_COLOURS[level],
                "data": [r.counts[i] for r in rows],
            }
            for i, level in enumerate(distribution.levels)
        ],
    }
