"""The province's DTI rank (issue 17 item 6): entered by the secretariat from the national
publication, or computed from the province's own self-assessment; seed 001's rank targets
("trong nhóm 10 tỉnh dẫn đầu" → rank <= 10) then get a value and a status on the dashboards, as
PROGRESS.md's rules give it."""

from decimal import Decimal

import pytest
from django.test import Client

from dxtrack.accounts.access import SYSTEM, Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.analytics import rollup
from dxtrack.analytics.models import TargetProgress
from dxtrack.analytics.services.targets import target_progress_recompute
from dxtrack.assessments import measures
from dxtrack.assessments.models import Framework, ProvinceResult, ResultOrigin
from dxtrack.assessments.services import results
from dxtrack.assessments.services.frameworks import frameworks_load
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.plans.models import Indicator, Target

pytestmark = pytest.mark.django_db

REFERENCE = "Báo cáo Chỉ số chuyển đổi số cấp tỉnh năm 2025 (Bộ Khoa học và Công nghệ)"


@pytest.fixture
def secretariat():
    user = UserFactory(role=Role.SECRETARIAT)
    client = Client()
    client.force_login(user)
    return client, Access.for_user(user)


def _seed_targets():
    """Seed 001's two milestones on the DTI rank: within the top 10 by 2025 and by 2030."""
    dti = Indicator.objects.get(code="xep-hang-dti")
    targets = {t.year: t for t in Target.objects.filter(indicator=dti, document__code__startswith="001")}
    if not targets:
        targets = {t.year: t for t in Target.objects.filter(indicator=dti)}
    return dti, targets


def test_rank_12_for_2025_misses_seed_001s_top_10_target(register, secretariat, django_capture_on_commit_callbacks):
    client, _access = secretariat
    frameworks_load(actor=SYSTEM)
    dti, targets = _seed_targets()
    assert sorted((y, t.value, t.comparator) for y, t in targets.items()) == [(2025, 10.0, "<="), (2030, 10.0, "<=")]
    framework = Framework.objects.get(code="dti-405-tinh")
    # When the secretariat enters the national publication's rank 12 of 34 for 2025 on the form
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/danh-gia/xep-hang-tinh/",
            {
                "framework": framework.pk,
                "component": "",
                "year": "2025",
                "rank": "12",
                "ranked_of": "34",
                "score": "0,5731",
                "reference": REFERENCE,
                "source_url": "https://mst.gov.vn/dti-2025",
            },
        )
    assert answer.status_code == 302
    # Then it is kept with its source, audited
    result = ProvinceResult.objects.get()
    assert (result.year, result.rank, result.ranked_of, result.score, result.origin, result.reference) == (
        2025,
        12,
        34,
        Decimal("0.5731"),
        ResultOrigin.PUBLISHED,
        REFERENCE,
    )
    event = AuditEvent.objects.get(action="assessments.result.enter")
    assert event.changes["rank"] == [None, 12]
    # and the indicator's series has the rank for 2025, from the publication
    [obs] = rollup.province_series([dti])[dti.pk]
    assert (obs.year, obs.value, obs.source) == (2025, 12.0, rollup.PUBLISHED_RESULT)
    # and the recomputation the entry queued stored it on both milestones
    stored = {tp.target.year: tp for tp in TargetProgress.objects.filter(target__indicator=dti)}
    assert {y: (tp.latest_year, tp.latest_value, tp.source) for y, tp in stored.items()} == {
        2025: (2025, 12.0, "published"),
        2030: (2025, 12.0, "published"),
    }
    # As of 2026 (PROGRESS.md): the 2025 milestone is past and 12 > 10: missed; the 2030 milestone
    # ahead has a single observation: not available
    target_progress_recompute(indicator_ids=[dti.pk], as_of=2026)
    stored = {tp.target.year: tp for tp in TargetProgress.objects.filter(target__indicator=dti)}
    assert (stored[2025].status, stored[2025].outcome) == ("missed", "missed")
    assert stored[2030].status == "not_available"
    # and the target's page on the dashboard says "Không đạt" with the rank and its source
    page = client.get(f"/tien-do/chi-tieu/{targets[2025].pk}/").content.decode()
    assert "Không đạt" in page
    # As of 2025 the milestone is still ahead, with one observation: not available
    target_progress_recompute(indicator_ids=[dti.pk], as_of=2025)
    assert TargetProgress.objects.get(target=targets[2025]).status == "not_available"


def test_a_correction_to_rank_8_meets_the_target(register, secretariat):
    _, access = secretariat
    frameworks_load(actor=SYSTEM)
    dti, targets = _seed_targets()
    framework = Framework.objects.get(code="dti-405-tinh")
    results.result_enter(
        actor=access, framework=framework, year=2025, rank=12, ranked_of=34, score=None, reference=REFERENCE
    )
    # When the publication is corrected to rank 8
    results.result_enter(
        actor=access, framework=framework, year=2025, rank=8, ranked_of=34, score=None, reference=REFERENCE
    )
    # Then one entry for the year, the old figure in the audit log, and the 2025 milestone met
    assert ProvinceResult.objects.get().rank == 8
    assert AuditEvent.objects.filter(action="assessments.result.enter").order_by("pk").last().changes["rank"] == [12, 8]
    target_progress_recompute(indicator_ids=[dti.pk], as_of=2026)
    tp = TargetProgress.objects.get(target=targets[2025])
    assert (tp.status, tp.outcome) == ("target_achieved", "met")


def test_a_published_rank_takes_precedence_over_a_self_assessed_one(register, secretariat):
    _, access = secretariat
    frameworks_load(actor=SYSTEM)
    framework = Framework.objects.get(code="dti-405-tinh")
    ProvinceResult.objects.create(framework=framework, year=2025, origin=ResultOrigin.SELF_ASSESSMENT, rank=7)
    [own] = measures.yearly_figures("xep-hang-dti")
    assert (own.value, own.source) == (7.0, "self")
    results.result_enter(
        actor=access, framework=framework, year=2025, rank=12, ranked_of=34, score=None, reference=REFERENCE
    )
    [published] = measures.yearly_figures("xep-hang-dti")
    assert (published.value, published.source) == (12.0, "published")
    # the digital-government rank is another indicator, untouched
    assert measures.yearly_figures("xep-hang-dti-chinh-quyen-so") == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"rank": 40}, "Xếp hạng phải từ 1 đến 34."),
        ({"ranked_of": 70}, "Tổng số tỉnh, thành phố được xếp hạng phải từ 1 đến 63."),
        (
            {"score": Decimal("60.77")},
            "Điểm chỉ số DTI công bố theo thang 0–1 (ví dụ 0,6077); hãy nhập trong khoảng 0 đến 1.",
        ),
        ({"reference": " "}, "Cần ghi văn bản, báo cáo công bố kết quả (ví dụ: Báo cáo DTI 2024 của Bộ KH&CN)."),
        ({"year": 2023}, "Năm 2023 nằm ngoài những năm áp dụng bộ chỉ số 405/QĐ-BKHCN (2025–…)."),
        ({"rank": None, "score": None}, "Cần ít nhất xếp hạng hoặc điểm chỉ số."),
        ({"source_url": "javascript:alert(1)"}, "Đường dẫn nguồn phải bắt đầu bằng https:// hoặc http://."),
    ],
)
def test_bad_entries_are_refused_with_the_reason(register, secretariat, changes, problem):
    _, access = secretariat
    frameworks_load(actor=SYSTEM)
    entry = {
        "framework": Framework.objects.get(code="dti-405-tinh"),
        "year": 2025,
        "rank": 12,
        "ranked_of": 34,
        "score": None,
        "reference": REFERENCE,
        "source_url": "",
    } | changes
    with pytest.raises(InvalidData) as refused:
        results.result_enter(actor=access, **entry)
    assert refused.value.details == [problem]
    assert ProvinceResult.objects.count() == 0


def test_a_commune_framework_is_no_province_ranking(register, secretariat):
    client, _ = secretariat
    frameworks_load(actor=SYSTEM)
    commune_set = Framework.objects.get(code="minh-hoa-xa-2026")
    answer = client.post(
        "/danh-gia/xep-hang-tinh/",
        {"framework": commune_set.pk, "year": "2025", "rank": "mười hai", "reference": REFERENCE},
    )
    assert answer.status_code == 400
    assert "Xếp hạng: “mười hai” phải là số nguyên dương." in answer.content.decode()
    assert ProvinceResult.objects.count() == 0


@pytest.mark.parametrize("role", [Role.LEADER, Role.APPROVER])
def test_only_the_secretariat_enters_a_rank(register, role):
    frameworks_load(actor=SYSTEM)
    other = Access.for_user(UserFactory(role=role))
    events = AuditEvent.objects.count()
    with pytest.raises(NotAllowed):
        results.result_enter(
            actor=other,
            framework=Framework.objects.get(code="dti-405-tinh"),
            year=2025,
            rank=1,
            ranked_of=34,
            score=None,
            reference=REFERENCE,
        )
    assert ProvinceResult.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_the_score_is_computed_from_the_provinces_own_self_assessment(register, secretariat):
    from django.conf import settings

    from dxtrack.assessments.services.frameworks import framework_import
    from dxtrack.assessments.services.rounds import round_open
    from dxtrack.org.models import AdminUnit

    client, _access = secretariat
    # Given a DTI-style set for the province (two indices, 100 points, scored 0–1) and its 2025
    # round, whose final total is 60 points
    framework = framework_import(
        actor=SYSTEM,
        code="dti-tu-danh-gia",
        document={
            "framework": {"title": "Bộ chỉ số DTI tự đánh giá", "subject": "province", "scoring": "index",
                          "max_points": 100, "first_year": 2025},
            "criteria": [
                {"code": "1", "group": "1", "name": "Nhận thức số", "comparator": "boolean", "points": 60},
                {"code": "2", "group": "2", "name": "Thể chế số", "comparator": "boolean", "points": 40},
            ],
            "cycle": [{"step": "self", "due": "31/10"}],
        },
    )  # fmt: skip
    province = AdminUnit.objects.get(level="province", code=settings.DXTRACK_PROVINCE_CODE, valid_to__isnull=True)
    round_ = round_open(actor=SYSTEM, framework=framework, year=2025, units=[province])
    submission = round_.submissions.get()
    submission.final_total = Decimal("60")
    submission.save(update_fields=["final_total"])
    # When the secretariat computes the province's result, estimating rank 9 of 34
    answer = client.post(
        "/danh-gia/xep-hang-tinh/tinh-tu-dot/", {"submission": submission.pk, "rank": "9", "ranked_of": "34"}
    )
    # Then the score is 0,6 on the DTI scale, kept as self-assessed, and measures the rank target
    assert answer.status_code == 302
    result = ProvinceResult.objects.get()
    assert (result.origin, result.score, result.rank, result.submission) == (
        ResultOrigin.SELF_ASSESSMENT,
        Decimal("0.6000"),
        9,
        submission,
    )
    assert AuditEvent.objects.filter(action="assessments.result.compute", target_id=str(result.pk)).exists()
    [figure] = measures.yearly_figures("xep-hang-dti")
    assert (figure.year, figure.value, figure.source) == (2025, 9.0, "self")
    # and the page lists it
    page = client.get("/danh-gia/xep-hang-tinh/").content.decode()
    assert "Tính từ đợt tự đánh giá của tỉnh" in page
    assert "0,6" in page
