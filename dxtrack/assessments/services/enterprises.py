"""An enterprise answers the enterprise index (ADR 0040): a level 1–5 per criterion, saved as it
goes (a pillar or a single criterion at a time), its levels per pillar and overall computed at
once by the framework's rule (1970/QĐ-BTTTT). One result per enterprise, framework and year; every
save audited as the enterprise's account. Nothing is saved when one answer of a batch is wrong."""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.org.models import Enterprise

from .. import scoring as engine
from ..models import EnterpriseResult, Framework, Scoring, SubjectKind


def enterprise_framework(year: int) -> Framework | None:
    """The enterprise index in force in `year` (the latest issued among those whose years
    include it); None when none is loaded."""
    candidates = Framework.objects.filter(subject_kind=SubjectKind.ENTERPRISE, scoring=Scoring.ENTERPRISE_1970)
    fitting = [
        f
        for f in candidates.order_by("-issued_on", "-pk")
        if (f.first_year is None or f.first_year <= year) and (f.last_year is None or year <= f.last_year)
    ]
    return fitting[0] if fitting else candidates.order_by("-issued_on", "-pk").first()


def _level_of(code: str, raw, top: int) -> int | None:
    """The level as typed: "" clears the answer (None); else an integer from 1 to top."""
    text = str(raw if raw is not None else "").strip()
    if text == "":
        return None
    if not re.fullmatch(r"[0-9]{1,2}", text) or not 1 <= int(text) <= top:
        raise InvalidData(f"Tiêu chí {code}: chọn mức từ 1 đến {top}.")
    return int(text)


def levels_of(framework: Framework, answers: dict) -> dict:
    """Points and level of each pillar whose every criterion is answered, and the overall level
    (None until every criterion is)."""
    rules = framework.rules()
    groups = {g.code: g for g in framework.groups.all()}
    rule = framework.enterprise_rule()
    points: dict[str, float] = {}
    levels: dict[str, int] = {}
    for code, group in groups.items():
        mine = [r for r in rules if r.group == code]
        if not mine or any(answers.get(r.code) in (None, "") for r in mine):
            continue
        outcome = engine.Scorer(mine).score(answers)
        points[code] = outcome.group_totals.get(code, 0.0)
        levels[code] = engine.pillar_level(points[code], float(group.max_points or 0), rule)
    overall = None
    if rules and all(answers.get(r.code) not in (None, "") for r in rules):
        # every pillar is complete, so its points are above: the rule over them, without reading
        # and scoring the framework again (Framework.enterprise_outcome)
        maxima = {code: float(group.max_points or 0) for code, group in groups.items()}
        overall = engine.enterprise_level(points, maxima, rule)
    return {"points": points, "levels": levels, "outcome": overall}


@transaction.atomic
def enterprise_answers_save(
    *, actor: Access, enterprise: Enterprise, framework: Framework, year: int, answers: dict[str, str]
) -> EnterpriseResult:
    """Saves the levels given (criterion code → "1".."5", or "" to clear) into the enterprise's
    result of `year`, creating it on the first answer. Only the enterprise's own account."""
    access = Access.of(actor)
    if not (access.is_enterprise and access.enterprise_id == enterprise.pk):
        raise NotAllowed("Chỉ tài khoản của chính doanh nghiệp được trả lời bộ chỉ số của doanh nghiệp.")
    if framework.scoring != Scoring.ENTERPRISE_1970:
        raise InvalidData("Bộ tiêu chí này không phải bộ chỉ số doanh nghiệp.")
    if year != timezone.localdate().year:
        # A past year's answer is a dated record: kept as it was, never rewritten.
        raise InvalidData(
            f"Chỉ trả lời được cho năm {timezone.localdate().year}; kết quả các năm trước được giữ nguyên."
        )
    criteria = {c.code: c for c in framework.criteria.all()}
    unknown = sorted(set(answers) - set(criteria))
    if unknown:
        raise InvalidData(f"Không có tiêu chí {', '.join(unknown[:5])} trong bộ chỉ số.")
    if not answers:
        raise InvalidData("Chưa chọn mức cho tiêu chí nào.")
    given = {code: _level_of(code, raw, int(criteria[code].level_max or 5)) for code, raw in answers.items()}
    result, _created = EnterpriseResult.objects.select_for_update().get_or_create(
        enterprise=enterprise, framework=framework, year=year, defaults={"updated_by": access.user}
    )
    before = dict(result.answers)
    after = dict(before)
    for code, level in given.items():
        if level is None:
            after.pop(code, None)
        else:
            after[code] = level
    changes = {
        code: [before.get(code), after.get(code)] for code in sorted(given) if before.get(code) != after.get(code)
    }
    if not changes and not _created:
        return result
    computed = levels_of(framework, after)
    outcome = computed["outcome"]
    old_level = result.level
    result.answers = after
    result.pillar_points = computed["points"]
    result.pillar_levels = computed["levels"]
    result.total = Decimal(str(outcome.total)) if outcome else None
    result.level = outcome.level if outcome else None
    now = timezone.now()
    result.updated_at, result.updated_by = now, access.user
    if outcome and result.completed_at is None:
        result.completed_at = now
    result.save()
    if old_level != result.level:
        changes["level"] = [old_level, result.level]
    audit.record(
        actor=access,
        action="assessments.enterprise.answer",
        target=result,
        changes=changes,
        reason=f"{enterprise.tax_code} — năm {year}",
    )
    return result
