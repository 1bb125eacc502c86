"""Criteria sets into the register: the shipped data, the extractor's JSON shape, bad input."""

import pytest

from dxtrack.accounts.access import SYSTEM, Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.assessments.models import Completeness, Criterion, Framework
from dxtrack.assessments.services.frameworks import framework_import, frameworks_load
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _document(**head):
    """A decision in the extractor's shape: two groups, three criteria, 100 points, two tiers."""
    return {
        "framework": {
            "number": "99/QĐ-UBND",
            "date": "01/03/2026",
            "issuer": "UBND tỉnh",
            "title": "Bộ thử",
            "subject": "xã",
            "max_points": 100,
            **head,
        },
        "criteria": [
            {
                "code": "1.1",
                "group": "Chính quyền số",
                "name": "Văn bản điện tử",
                "comparator": ">=",
                "value": 90,
                "unit": "%",
                "points": 40,
                "mandatory": True,
                "evidence": True,
            },
            {
                "code": "1.2",
                "group": "Chính quyền số",
                "name": "Có Ban Chỉ đạo",
                "comparator": "boolean",
                "points": 30,
                "mandatory": False,
            },
            {
                "code": "2.1",
                "group": "Hạ tầng số",
                "name": "Cáp quang",
                "comparator": "range",
                "value": 50,
                "value_max": 100,
                "points": 30,
            },
        ],
        "recognition": [{"level": "Đạt chuyển đổi số", "min_points": 70, "mandatory_share": 1, "extended_share": 0.3}],
        "cycle": [{"step": "self", "due": "30/11"}],
    }


def test_the_extractor_shape_becomes_a_framework():
    # When the secretariat imports a decision in the extractor's shape
    framework = framework_import(actor=SYSTEM, code="thu", document=_document())
    # Then every criterion keeps its kind, points, flag and threshold, and the tier its shares
    rows = list(framework.criteria.order_by("position").values_list("code", "kind", "points", "mandatory", "value"))
    assert [(c, k, float(p), m, v) for c, k, p, m, v in rows] == [
        ("1.1", "threshold", 40.0, True, 90.0),
        ("1.2", "boolean", 30.0, False, None),
        ("2.1", "threshold", 30.0, False, 50.0),
    ]
    tier = framework.tiers.get()
    assert (tier.name, float(tier.min_points), float(tier.extended_share)) == ("Đạt chuyển đổi số", 70, 0.3)
    assert framework.subject_kind == "commune"
    assert framework.cycle == [{"step": "self", "due": "30/11"}]
    assert AuditEvent.objects.filter(action="assessments.framework.import", target_id=str(framework.pk)).count() == 1


def test_points_not_adding_up_are_refused_and_nothing_is_saved():
    # Given a decision stating 120 points whose criteria add up to 100
    with pytest.raises(InvalidData) as refused:
        framework_import(actor=SYSTEM, code="thu", document=_document(max_points=120))
    # Then the message says so, and no framework or criterion was saved
    assert refused.value.details == ["Tổng điểm các tiêu chí là 100, không khớp tổng điểm tối đa 120 của bộ tiêu chí."]
    assert not Framework.objects.filter(code="thu").exists()
    assert not Criterion.objects.exists()


def test_a_criterion_with_a_threshold_and_a_level_scale_is_refused():
    document = _document()
    document["criteria"][0]["level_max"] = 5
    with pytest.raises(InvalidData) as refused:
        framework_import(actor=SYSTEM, code="thu", document=document)
    assert "Tiêu chí 1.1: vừa có ngưỡng vừa có thang mức; mỗi tiêu chí chỉ chấm theo một cách." in refused.value.details
    assert not Framework.objects.filter(code="thu").exists()


def test_a_reporter_may_not_import():
    reporter = Access.for_user(UserFactory(role=Role.REPORTER))
    with pytest.raises(NotAllowed):
        framework_import(actor=reporter, code="thu", document=_document())
    assert not Framework.objects.exists()
    assert not AuditEvent.objects.filter(action="assessments.framework.import").exists()


def test_the_shipped_frameworks_load_each_marked_official_or_to_fill():
    # When the shipped sets are loaded, twice
    first = frameworks_load(actor=SYSTEM)
    second = frameworks_load(actor=SYSTEM)
    # Then each is there once, marked with what remains to be filled
    assert set(first.values()) == {"created"} and set(second.values()) == {"updated"}
    marks = dict(Framework.objects.values_list("code", "completeness"))
    assert marks == {
        "dti-922-tinh": Completeness.PARTIAL,
        "dti-405-tinh": Completeness.PARTIAL,
        "th-1829-xa": Completeness.PARTIAL,
        "dbi-1970-doanh-nghiep": Completeness.PARTIAL,
        "minh-hoa-xa-2026": Completeness.DEMONSTRATION,
    }
    # And 922 has its nine main indices of 1000 points; 1829 its four groups of 37; 1970 its 60 criteria
    dti = Framework.objects.get(code="dti-922-tinh")
    assert [(g.name, float(g.max_points or 0)) for g in dti.groups.all()][6] == ("Hoạt động chính quyền số", 200)
    assert sum(g.max_points for g in dti.groups.all()) == 1000
    assert sum(g.expected_criteria for g in Framework.objects.get(code="th-1829-xa").groups.all()) == 37
    dbi = Framework.objects.get(code="dbi-1970-doanh-nghiep")
    assert dbi.criteria.count() == 60
    assert sum(c.points for c in dbi.criteria.all()) == 320
    assert dbi.scorer().max_points == 320
    # And the demonstration set adds up to its 100 points with its tiers
    demo = Framework.objects.get(code="minh-hoa-xa-2026")
    assert demo.scorer().max_points == 100
    assert list(demo.tiers.values_list("name", flat=True)) == ["Đạt chuẩn chuyển đổi số", "Chuyển đổi số nâng cao"]


def test_the_extractors_name_of_the_self_assessment_step_is_read_as_it():
    # Given a decision whose calendar names its steps as the extractor does, the sending of the
    # forms (a step no round tracks) among them
    document = _document()
    document["cycle"] = [
        {"step": "guidance", "due": "15/09"},
        {"step": "self_assessment", "due": "05/11"},
        {"step": "appraisal", "due": "30/11"},
    ]
    # When it is imported
    framework = framework_import(actor=SYSTEM, code="thu", document=document)
    # Then the self-assessment is due on its own day, and the forms' day is left out
    assert framework.cycle == [{"step": "self", "due": "05/11"}, {"step": "appraisal", "due": "30/11"}]


NOT_A_LIST = "Lịch hằng năm (cycle) phải là danh sách các bước, mỗi bước có tên (step) và hạn (due)."


@pytest.mark.parametrize(
    ("cycle", "problem"),
    [
        (
            [{"step": "self", "due": "05/11"}, {"step": "Trước ngày 25/12, Sở tổng hợp kết quả", "due": "25/12"}],
            "Bước “Trước ngày 25/12, Sở tổng hợp kết quả” không phải một bước của đợt đánh giá "
            "(self, appraisal, explanation hoặc recognition): sửa tên bước hoặc bỏ dòng này.",
        ),
        (
            [{"step": "self", "due": "05/11"}, {"step": "self_assessment", "due": "20/11"}],
            "Bước “Tự đánh giá, gửi hồ sơ” có hơn một hạn trong lịch hằng năm.",
        ),
        (
            [{"step": "self", "due": "05/11"}, {"step": "appraisal", "due": "31/02"}],
            "Hạn “31/02” của bước “Thẩm định” không đúng dạng dd/mm.",
        ),
        ("30/11", NOT_A_LIST),
        ([{"step": "self", "due": "05/11"}, "appraisal"], NOT_A_LIST),
        ([{"step": "self", "due": "05/11"}] * 21, "Lịch hằng năm có 21 bước, quá 20 bước."),
    ],
    ids=[
        "a sentence no step names",
        "a step twice",
        "no such day",
        "not a list",
        "a step not an object",
        "too many steps",
    ],
)
def test_a_calendar_step_no_round_has_is_refused_not_read_as_the_self_assessment(cycle, problem):
    # Given a decision whose calendar has a step that is none of a round's steps, a step twice or
    # no list of steps (before, an unknown step became the self-assessment: its day moved the
    # round's deadline without a word)
    document = _document()
    document["cycle"] = cycle
    # When it is imported
    with pytest.raises(InvalidData) as refused:
        framework_import(actor=SYSTEM, code="thu", document=document)
    # Then the problem is named, and nothing was saved
    assert refused.value.details == [problem]
    assert not Framework.objects.filter(code="thu").exists()
    assert not AuditEvent.objects.filter(action="assessments.framework.import").exists()
