"""The province's rank and score for a year under a national framework (DTI), issue 17 item 6:
entered by the secretariat from the national publication (with the document it was published
in), or computed from the province's own DTI self-assessment round. Each write is audited, and
tells analytics (signals.results_changed, after commit) which indicators' progress to recompute.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed

from .. import scoring as engine
from ..models import Framework, ProvinceResult, ResultComponent, ResultOrigin, Scoring, SubjectKind, Submission
from ..signals import results_changed
from .auditing import plain

MAX_PROVINCES = 63  # the most provinces a national ranking has had (63 before 2025, 34 since)
FIELDS = ("framework_id", "rank", "ranked_of", "score", "reference", "source_url", "submission_id")


def _require(access: Access) -> None:
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được nhập kết quả xếp hạng của tỉnh.")


def national_frameworks():
    """The frameworks a province result may be under: those whose subject is the province."""
    return Framework.objects.filter(subject_kind=SubjectKind.PROVINCE).order_by("-issued_on", "code")


def _announce(component: str) -> None:
    from ..measures import codes_for

    codes = codes_for(component)
    if codes:
        transaction.on_commit(lambda: results_changed.send(sender=ProvinceResult, indicator_codes=codes))


def _check(framework, year, rank, ranked_of, score) -> list[str]:
    problems = []
    if framework is None or framework.subject_kind != SubjectKind.PROVINCE:
        problems.append("Bộ chỉ số: chọn một bộ chỉ số đánh giá cấp tỉnh (DTI).")
    if not isinstance(year, int) or not 2015 <= year <= 2100:
        problems.append("Năm đánh giá phải trong khoảng 2015–2100.")
    elif framework is not None and (
        (framework.first_year and year < framework.first_year) or (framework.last_year and year > framework.last_year)
    ):
        span = f"{framework.first_year or '…'}–{framework.last_year or '…'}"
        problems.append(
            f"Năm {year} nằm ngoài những năm áp dụng bộ chỉ số {framework.number or framework.name} ({span})."
        )
    if ranked_of is not None and not 1 <= ranked_of <= MAX_PROVINCES:
        problems.append(f"Tổng số tỉnh, thành phố được xếp hạng phải từ 1 đến {MAX_PROVINCES}.")
    if rank is not None and not 1 <= rank <= (ranked_of or MAX_PROVINCES):
        problems.append(f"Xếp hạng phải từ 1 đến {ranked_of or MAX_PROVINCES}.")
    if score is not None and not Decimal(0) <= score <= Decimal(1):
        problems.append("Điểm chỉ số DTI công bố theo thang 0–1 (ví dụ 0,6077); hãy nhập trong khoảng 0 đến 1.")
    return problems


def _save(access: Access, *, year: int, component: str, origin: str, values: dict, reason: str = "") -> ProvinceResult:
    found = ProvinceResult.objects.select_for_update().filter(year=year, component=component, origin=origin).first()
    before = {k: getattr(found, k) for k in FIELDS} if found else {}
    if found is None:
        found = ProvinceResult(year=year, component=component, origin=origin)
    for key, value in values.items():
        setattr(found, key, value)
    found.entered_by = access.user
    found.entered_at = timezone.now()
    found.save()
    audit.record(
        actor=access.audit_actor,
        action="assessments.result.enter" if origin == ResultOrigin.PUBLISHED else "assessments.result.compute",
        target=found,
        changes=audit.diff(plain(before), plain({k: getattr(found, k) for k in FIELDS})),
        reason=reason,
    )
    _announce(component)
    return found


@transaction.atomic
def result_enter(
    *,
    actor: Access,
    framework: Framework | None,
    year: int,
    rank: int | None,
    ranked_of: int | None,
    score: Decimal | None,
    reference: str,
    source_url: str = "",
    component: str = ResultComponent.OVERALL,
) -> ProvinceResult:
    """The rank and score the national publication gives the province for `year` (a correction
    replaces the year's entry; the audit log keeps the old figures)."""
    access = Access.of(actor)
    _require(access)
    problems = _check(framework, year, rank, ranked_of, score)
    if component not in ResultComponent.values:
        problems.append("Chỉ số: chọn chỉ số DTI chung hoặc một chỉ số chính.")
    if rank is None and score is None:
        problems.append("Cần ít nhất xếp hạng hoặc điểm chỉ số.")
    reference = (reference or "").strip()
    if not reference:
        problems.append("Cần ghi văn bản, báo cáo công bố kết quả (ví dụ: Báo cáo DTI 2024 của Bộ KH&CN).")
    if len(reference) > 300 or len(source_url or "") > 500:
        problems.append("Văn bản công bố hoặc đường dẫn quá dài.")
    if source_url and not source_url.startswith(("https://", "http://")):
        problems.append("Đường dẫn nguồn phải bắt đầu bằng https:// hoặc http://.")
    if problems:
        raise InvalidData("Chưa lưu được kết quả xếp hạng.", details=problems)
    return _save(
        access,
        year=year,
        component=component,
        origin=ResultOrigin.PUBLISHED,
        values={
            "framework_id": framework.pk,
            "rank": rank,
            "ranked_of": ranked_of,
            "score": score,
            "reference": reference,
            "source_url": source_url or "",
            "submission_id": None,
        },
    )


@transaction.atomic
def result_compute(
    *, actor: Access, submission: Submission, rank: int | None = None, ranked_of: int | None = None
) -> ProvinceResult:
    """The province's score from its own DTI self-assessment: the submission's final total (else
    the council's, else its own) on the 0–1 scale of the framework's maximum. A self-assessment
    ranks no one: the rank is the secretariat's estimate when given, and a published result of
    the same year always takes precedence (measures.py)."""
    access = Access.of(actor)
    _require(access)
    round_ = submission.round
    framework = round_.framework
    problems = _check(framework, round_.year, rank, ranked_of, None)
    if framework.scoring != Scoring.INDEX:
        problems.append("Chỉ tính được từ một đợt đánh giá theo bộ chỉ số kiểu DTI (thang 0–1).")
    if submission.admin_unit_id is None or submission.admin_unit.level != "province":
        problems.append("Hồ sơ phải là hồ sơ tự đánh giá của tỉnh.")
    total = next(
        (t for t in (submission.final_total, submission.council_total, submission.self_total) if t is not None), None
    )
    score = None
    if framework.max_points:
        try:
            score = Decimal(str(engine.normalised(float(total or 0), float(framework.max_points))))
        except engine.ScoreError as exc:
            problems.append(exc.message)
    else:
        problems.append("Bộ chỉ số chưa có tổng điểm tối đa nên chưa quy được về thang 0–1.")
    if problems:
        raise InvalidData("Chưa tính được kết quả từ đợt tự đánh giá.", details=problems)
    return _save(
        access,
        year=round_.year,
        component=ResultComponent.OVERALL,
        origin=ResultOrigin.SELF_ASSESSMENT,
        values={
            "framework_id": framework.pk,
            "rank": rank,
            "ranked_of": ranked_of,
            "score": score,
            "reference": f"Đợt tự đánh giá năm {round_.year} ({framework.number or framework.name})"[:300],
            "source_url": "",
            "submission_id": submission.pk,
        },
        reason=f"điểm {total} trên {framework.max_points}",
    )
