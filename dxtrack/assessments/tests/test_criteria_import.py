"""A criteria-set decision uploaded, reviewed beside its source and published as a new framework
in one transaction (issue 17 item 3), with the decision of criteria_decision.py."""

import pytest

from dxtrack.accounts.access import SYSTEM, Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.assessments.models import CriteriaImport, Criterion, Framework, ImportStatus
from dxtrack.assessments.services import criteria_import as review
from dxtrack.assessments.services.frameworks import frameworks_load
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent

from . import criteria_decision as d

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return Access.for_user(UserFactory(role=Role.SECRETARIAT))


def _upload(actor, data=None) -> CriteriaImport:
    return review.criteria_import_create(actor=actor, data=data or d.decision_docx(), filename=d.FILENAME)


def _form(c: dict, **changes) -> dict:
    """A criterion's edit form as the review page fills it."""
    form = {
        "code": c["code"],
        "group": c["group"],
        "name": c["name"],
        "requirement": c["requirement"],
        "comparator": c["comparator"],
        "value": "" if c["value"] is None else str(c["value"]).replace(".", ","),
        "value_max": "" if c["value_max"] is None else str(c["value_max"]).replace(".", ","),
        "unit": c["unit"],
        "points": str(c["points"]),
        "mandatory": "1" if c["mandatory"] else "0",
        "evidence": c["evidence"],
    }
    return form | changes


def test_upload_proposes_every_criterion_beside_its_source_line(secretariat):
    # When the secretariat uploads the decision
    imp = _upload(secretariat)
    # Then the draft holds the framework's facts, a code proposed from its number and subject
    assert imp.status == ImportStatus.DRAFT
    assert imp.meta == {
        "number": d.NUMBER,
        "date": "2026-09-14",
        "issuer": "UBND tỉnh Thanh Hóa",
        "title": d.TITLE,
        "subject": "department",
        "max_points": 100,
        "code": "3120-qd-ubnd-so-nganh",
        "replaces": "",
    }
    # every criterion with its group, points, flag and threshold, pending, and its source line
    lines = imp.source_text.split("\n")
    assert [
        (c["code"], c["group"], c["points"], c["mandatory"], c["comparator"], c["value"], c["value_max"], c["unit"])
        for c in imp.criteria
    ] == [(code, grp, pts, m, *d.THRESHOLDS[code]) for code, grp, _n, _r, pts, m, _e in d.CRITERIA]
    assert {c["decision"] for c in imp.criteria} == {"pending"}
    for c in imp.criteria:
        assert c["name"] in lines[c["line"] - 1]
    # the groups with their stated points, the tier and the cycle
    assert [(g["numeral"], g["name"], g["points"]) for g in imp.groups] == d.GROUPS
    assert imp.recognition == [
        {"level": "Hoàn thành chuyển đổi số", "min_points": 75, "mandatory_share": 1.0, "extended_share": 0.5}
    ]
    assert imp.cycle == [
        {"step": "self_assessment", "due": "31/10"},
        {"step": "appraisal", "due": "30/11"},
        {"step": "recognition", "due": "20/12"},
    ]
    # and nothing blocks publishing but the criteria not yet reviewed
    assert review.blocking(imp) == ["Còn 7 tiêu chí chưa duyệt: 1, 2, 3, 4, 5, 6, 7."]
    assert review.mismatches(imp) == []
    assert AuditEvent.objects.filter(action="assessments.criteria_import.create", target_id=str(imp.pk)).count() == 1


def test_publish_writes_a_new_framework_replacing_the_older_one_in_one_step(secretariat):
    # Given the shipped sets, and the decision reviewed: criterion 7 rejected, the rest accepted,
    # the framework replacing the demonstration set and applying from 2027
    frameworks_load(actor=SYSTEM)
    old = Framework.objects.get(code="minh-hoa-xa-2026")
    imp = _upload(secretariat)
    imp = review.criterion_decide(actor=secretariat, imp=imp, index=6, decision="rejected")
    review.criteria_accept_all(actor=secretariat, imp=imp)
    imp.refresh_from_db()
    facts = {**imp.meta, "date": "14/09/2026", "replaces": old.code, "first_year": "2027", "max_points": "100"}
    review.facts_update(actor=secretariat, imp=imp, data=facts)
    imp.refresh_from_db()
    # Then rejecting criterion 7 leaves 85 points against the stated 100: publishing waits
    assert review.mismatches(imp) == [
        "Điểm các tiêu chí cộng lại được 85, không bằng tổng điểm 100 văn bản ghi.",
        "Nhóm “III. An toàn thông tin mạng”: các tiêu chí cộng lại được 15 điểm, không bằng 30 điểm văn bản ghi "
        "cho nhóm.",
    ]
    with pytest.raises(InvalidData) as refused:
        review.criteria_import_publish(actor=secretariat, imp=imp)
    assert "Chấp nhận điểm chưa khớp" in refused.value.message
    assert not Framework.objects.filter(code="3120-qd-ubnd-so-nganh").exists()
    # When the reviewer accepts the mismatch explicitly and publishes
    framework = review.criteria_import_publish(actor=secretariat, imp=imp, accept_mismatch=True)
    # Then one framework holds the six criteria as reviewed, under their groups, with the tier
    assert framework.code == "3120-qd-ubnd-so-nganh"
    assert (framework.number, framework.subject_kind, framework.first_year) == (d.NUMBER, "department", 2027)
    assert framework.replaces == old
    assert framework.max_points == 85
    assert [(g.code, g.name, g.max_points) for g in framework.groups.order_by("position")] == [
        ("I", "Nhận thức số", 20),
        ("II", "Chính quyền số", 50),
        ("III", "An toàn thông tin mạng", 15),
    ]
    rows = list(framework.criteria.order_by("position").values_list("code", "kind", "comparator", "value", "points"))
    assert rows == [
        ("1", "boolean", "", None, 10),
        ("2", "threshold", ">=", 2.0, 10),
        ("3", "threshold", ">=", 80.0, 20),
        ("4", "threshold", "<=", 2.0, 15),
        ("5", "threshold", ">=", 95.0, 15),
        ("6", "boolean", "", None, 15),
    ]
    assert [(t.name, t.min_points, t.mandatory_share, t.extended_share) for t in framework.tiers.all()] == [
        ("Hoàn thành chuyển đổi số", 75, 1, 0.5)
    ]
    assert framework.cycle == [
        {"step": "self", "due": "31/10"},
        {"step": "appraisal", "due": "30/11"},
        {"step": "recognition", "due": "20/12"},
    ]
    # what the decision stated is kept with the framework
    assert len(framework.to_fill) == 2 and framework.to_fill[0].startswith("Điểm các tiêu chí cộng lại được 85")
    # and the draft is closed with its outcome, audited
    imp.refresh_from_db()
    assert (imp.status, imp.framework, imp.outcome["criteria"], imp.outcome["rejected"]) == (
        ImportStatus.PUBLISHED,
        framework,
        6,
        1,
    )
    assert AuditEvent.objects.filter(action="assessments.criteria_import.publish", target_id=str(imp.pk)).exists()
    assert AuditEvent.objects.filter(action="assessments.framework.import", target_id=str(framework.pk)).exists()
    # and a published draft is closed
    with pytest.raises(Exception, match="đã đóng"):
        review.criterion_decide(actor=secretariat, imp=imp, index=0, decision="rejected")


def test_points_that_do_not_add_up_are_fixed_by_editing_the_criterion(secretariat):
    # Given a decision whose criterion 5 was written with 10 points
    imp = _upload(secretariat, d.wrong_points_docx())
    review.criteria_accept_all(actor=secretariat, imp=imp)
    imp.refresh_from_db()
    # Then the review warns, naming the group and the total
    assert review.mismatches(imp) == [
        "Điểm các tiêu chí cộng lại được 95, không bằng tổng điểm 100 văn bản ghi.",
        "Nhóm “II. Chính quyền số”: các tiêu chí cộng lại được 45 điểm, không bằng 50 điểm văn bản ghi cho nhóm.",
    ]
    # When the reviewer corrects its points to 15
    imp = review.criterion_update(actor=secretariat, imp=imp, index=4, data=_form(imp.criteria[4], points="15"))
    # Then nothing is left to accept, and it publishes with the stated total
    assert review.mismatches(imp) == []
    assert review.blocking(imp) == []
    framework = review.criteria_import_publish(actor=secretariat, imp=imp)
    assert framework.max_points == 100
    assert Criterion.objects.get(framework=framework, code="5").points == 15
    edit = AuditEvent.objects.get(action="assessments.criteria_import.edit", target_id=str(imp.pk))
    assert edit.changes["points"] == [10, 15]


def test_a_threshold_beside_a_level_scale_blocks_until_one_is_removed(secretariat):
    # Given a decision whose criterion 2 sets both a threshold and a 1–5 scale
    imp = _upload(secretariat, d.level_and_threshold_docx())
    review.criteria_accept_all(actor=secretariat, imp=imp)
    imp.refresh_from_db()
    # Then the review says so and publishing is refused, nothing saved
    message = (
        "Tiêu chí 2 vừa đặt ngưỡng vừa chấm theo thang mức; một tiêu chí chỉ được chấm một cách. "
        "Hãy bỏ ngưỡng hoặc bỏ thang mức."
    )
    assert review.blocking(imp) == [message]
    with pytest.raises(InvalidData) as refused:
        review.criteria_import_publish(actor=secretariat, imp=imp)
    assert refused.value.details == [message]
    assert Framework.objects.count() == 0
    # And an edit keeping both is refused too, the draft unchanged
    before = list(imp.criteria)
    with pytest.raises(InvalidData) as bad:
        review.criterion_update(actor=secretariat, imp=imp, index=1, data=_form(imp.criteria[1], levels="1"))
    assert bad.value.details == [
        "Một tiêu chí không thể vừa có ngưỡng vừa chấm theo thang mức 1–5; hãy bỏ ngưỡng hoặc bỏ thang mức."
    ]
    imp.refresh_from_db()
    assert imp.criteria == before
    # When the reviewer keeps the level scale only
    imp = review.criterion_update(
        actor=secretariat,
        imp=imp,
        index=1,
        data=_form(imp.criteria[1], comparator="boolean", value="", unit="", levels="1"),
    )
    # Then it publishes as a level criterion
    framework = review.criteria_import_publish(actor=secretariat, imp=imp)
    criterion = framework.criteria.get(code="2")
    assert (criterion.kind, criterion.level_max, criterion.comparator, criterion.value) == ("level", 5, "", None)


def test_a_decision_without_a_criteria_table_leaves_nothing(secretariat):
    # When a decision without any criteria table is uploaded
    with pytest.raises(InvalidData) as refused:
        review.criteria_import_create(actor=secretariat, data=d.no_table_docx(), filename="qd-khong-co-bang.docx")
    # Then it is refused in Vietnamese and no draft is kept
    assert refused.value.message.startswith("Không tìm thấy bảng tiêu chí trong tệp “qd-khong-co-bang.docx”")
    assert CriteriaImport.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "filename", "start"),
    [
        (b"just text", "bo-tieu-chi.txt", "Tệp “bo-tieu-chi.txt” không phải .docx, .pdf hoặc .xlsx"),
        (
            b"PK\x03\x04 broken",
            "bo-tieu-chi.docx",
            "Tệp “bo-tieu-chi.docx” không phải tệp Word (.docx) hợp lệ hoặc đã hỏng.",
        ),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(secretariat, data, filename, start):
    with pytest.raises(InvalidData) as refused:
        review.criteria_import_create(actor=secretariat, data=data, filename=filename)
    assert start in refused.value.message
    assert CriteriaImport.objects.count() == 0


def test_bad_fields_are_listed_and_nothing_saved(secretariat):
    imp = _upload(secretariat)
    before = (imp.meta, imp.criteria, imp.recognition, imp.cycle)
    # a criterion without a name, with points that are no number and a range without its top
    with pytest.raises(InvalidData) as bad:
        review.criterion_update(
            actor=secretariat,
            imp=imp,
            index=6,
            data=_form(imp.criteria[6], name="", points="mười", value_max="", mandatory=""),
        )
    assert bad.value.details == [
        "Tên tiêu chí: không được để trống.",
        "Điểm: “mười” không phải là số (dùng dấu phẩy cho phần thập phân, ví dụ 12,5; dấu chấm chỉ để tách hàng "
        "nghìn, ví dụ 1.250).",
        "Giá trị trên: khoảng cần giá trị trên không nhỏ hơn giá trị ngưỡng.",
        "Phân loại: chọn bắt buộc hoặc mở rộng.",
    ]
    # facts: an unknown subject, a date that is none, years reversed
    with pytest.raises(InvalidData) as bad_facts:
        review.facts_update(
            actor=secretariat,
            imp=imp,
            data={**imp.meta, "subject": "thôn", "date": "31/02/2027", "first_year": "2028", "last_year": "2027"},
        )
    assert bad_facts.value.details == [
        "Ngày ban hành: “31/02/2027” không hợp lệ; nhập dạng ngày/tháng/năm.",
        "Đối tượng đánh giá: chọn sở, ban, ngành / cấp huyện / cấp xã / doanh nghiệp / cấp tỉnh.",
        "Áp dụng đến năm: không được trước năm bắt đầu áp dụng.",
    ]
    # tiers: a share above 100%; the cycle: a day that is none
    with pytest.raises(InvalidData) as bad_rules:
        review.rules_update(
            actor=secretariat,
            imp=imp,
            data={
                "tier_0_level": "Hoàn thành",
                "tier_0_mandatory": "120",
                "step_0_step": "appraisal",
                "step_0_due": "31/11",
            },
        )
    assert bad_rules.value.details == [
        "Mức “Hoàn thành” — tỷ lệ tiêu chí bắt buộc (%): “120” phải trong khoảng 0–100.",
        "Bước 1 — hạn: “31/11” phải là ngày/tháng, ví dụ 15/10.",
    ]
    imp.refresh_from_db()
    assert (imp.meta, imp.criteria, imp.recognition, imp.cycle) == before


def test_tiers_and_cycle_are_edited_as_percentages_and_days(secretariat):
    imp = _upload(secretariat)
    imp = review.rules_update(
        actor=secretariat,
        imp=imp,
        data={
            "tier_0_level": "Hoàn thành chuyển đổi số",
            "tier_0_min_points": "70",
            "tier_0_mandatory": "100",
            "tier_0_extended": "30",
            "tier_1_level": "",  # a row left empty is dropped
            "step_0_step": "self_assessment",
            "step_0_due": "5/11",
        },
    )
    assert imp.recognition == [
        {"level": "Hoàn thành chuyển đổi số", "min_points": 70, "mandatory_share": 1.0, "extended_share": 0.3}
    ]
    assert imp.cycle == [{"step": "self_assessment", "due": "05/11"}]


def test_a_code_already_used_blocks_publishing(secretariat):
    frameworks_load(actor=SYSTEM)
    imp = _upload(secretariat)
    review.criteria_accept_all(actor=secretariat, imp=imp)
    imp.refresh_from_db()
    review.facts_update(actor=secretariat, imp=imp, data={**imp.meta, "code": "minh-hoa-xa-2026", "date": ""})
    imp.refresh_from_db()
    assert review.blocking(imp) == ["Đã có bộ tiêu chí mã “minh-hoa-xa-2026”; hãy đặt mã khác cho phiên bản mới."]
    count = Criterion.objects.count()
    with pytest.raises(InvalidData):
        review.criteria_import_publish(actor=secretariat, imp=imp)
    assert Criterion.objects.count() == count


@pytest.mark.parametrize("role", [Role.LEADER, Role.REPORTER, Role.APPROVER])
def test_only_the_secretariat_imports_reviews_and_publishes(secretariat, role):
    # Given a draft under review
    imp = _upload(secretariat)
    review.criteria_accept_all(actor=secretariat, imp=imp)
    imp.refresh_from_db()
    snapshot = (imp.meta, imp.criteria, imp.status)
    events = AuditEvent.objects.count()
    other = Access.for_user(UserFactory(role=role))
    # When anyone else tries any step, Then they are refused
    attempts = [
        lambda: review.criteria_import_create(actor=other, data=d.decision_docx(), filename=d.FILENAME),
        lambda: review.criterion_decide(actor=other, imp=imp, index=0, decision="rejected"),
        lambda: review.criterion_update(actor=other, imp=imp, index=0, data=_form(imp.criteria[0], points="1")),
        lambda: review.facts_update(actor=other, imp=imp, data={**imp.meta, "title": "Khác"}),
        lambda: review.rules_update(actor=other, imp=imp, data={}),
        lambda: review.criteria_accept_all(actor=other, imp=imp),
        lambda: review.criteria_import_publish(actor=other, imp=imp, accept_mismatch=True),
        lambda: review.criteria_import_discard(actor=other, imp=imp),
    ]
    for attempt in attempts:
        with pytest.raises(NotAllowed):
            attempt()
    # and nothing changed
    imp.refresh_from_db()
    assert (imp.meta, imp.criteria, imp.status) == snapshot
    assert CriteriaImport.objects.count() == 1
    assert Framework.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_the_command_line_stays_strict_while_the_review_reads_leniently():
    from dxtrack.assessments.extract import ExtractError, read_decision

    # Given a decision whose points do not add up
    data = d.wrong_points_docx()
    # Then the command line's reading refuses it whole
    with pytest.raises(ExtractError) as refused:
        read_decision(data, d.FILENAME)
    assert refused.value.problems == [
        "Điểm của nhóm II “Chính quyền số” là 50 nhưng các tiêu chí thành phần cộng lại được 45.",
        "Điểm các tiêu chí cộng lại được 95, không bằng tổng điểm 100 văn bản ghi.",
    ]
    # and the review's reading gives the same problems beside the data, with each criterion's line
    read = read_decision(data, d.FILENAME, strict=False)
    assert read.problems == refused.value.problems
    assert [c["code"] for c in read.data["criteria"]] == ["1", "2", "3", "4", "5", "6", "7"]
    assert len(read.lines) == 7 and read.levels == [False] * 7
