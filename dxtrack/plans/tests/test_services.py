"""Import → review → publish, revisions against the register, permissions, bad input."""

import pytest

from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.core.testing import require_seeds
from dxtrack.org.tests.factories import agency
from dxtrack.plans.models import Document, ImportItem, PlanImport, Target, Task
from dxtrack.plans.services import publication, review, uploads

from .plan_samples import PLAN_V1, PLAN_V2

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(role="secretariat", agency=agency("SO_KHCN"))


def _kinds(plan_import):
    return sorted(plan_import.items.values_list("kind", "change", "decision"))


def test_an_import_is_a_draft_that_changes_nothing_in_the_register(secretariat):
    plan_import = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77.txt")
    assert plan_import.status == "draft"
    assert plan_import.meta["number"] == "77/KH-UBND" and plan_import.meta["date"] == "2026-01-15"
    targets = [i.payload for i in plan_import.items.filter(kind="target")]
    assert [(t["value"], t["unit"], t["year"], t["direction"]) for t in targets] == [
        (90.0, "%", 2026, ">="),
        (85.0, "%", 2026, ">="),
    ]
    tasks = [i.payload for i in plan_import.items.filter(kind="task")]
    table = [t for t in tasks if t["clause"].split(".")[0] == "II"]
    assert [(t["title"], [r["code"] for r in t["lead"]], t["deadline"]) for t in table] == [
        ("Xây dựng kho dữ liệu dùng chung của tỉnh", ["SO_KHCN"], "2026-09-30"),
        ("Số hóa hồ sơ đất đai", ["SO_NN_MT"], "2026-06-30"),
    ]
    assert Document.objects.count() == 0 and Target.objects.count() == 0
    assert AuditEvent.objects.filter(action="plans.import.create").count() == 1


def test_publish_writes_accepted_items_in_one_go_and_audits(secretariat):
    plan_import = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77.txt")
    rejected = plan_import.items.filter(kind="target").first()
    review.import_item_decide(actor=secretariat, item=rejected, decision="rejected")
    review.import_accept_all(actor=secretariat, plan_import=plan_import)
    document = publication.plan_import_publish(actor=secretariat, plan_import=plan_import)
    assert (document.number, document.doc_type, str(document.issued_on)) == ("77/KH-UBND", "ke_hoach", "2026-01-15")
    assert list(document.targets.values_list("value", flat=True)) == [85.0]
    task = document.tasks.get(title="Số hóa hồ sơ đất đai")
    assert task.clause.path.split(".")[0] == "II"
    parties = sorted((p.role, p.agency.code if p.agency else p.group.code) for p in task.parties.all())
    assert parties == [("coordinating", "UBND_XA"), ("lead", "SO_NN_MT")]
    assert AuditEvent.objects.get(action="plans.import.publish").target_id == str(document.pk)
    plan_import.refresh_from_db()
    assert plan_import.status == "published"


def test_publish_is_refused_while_items_are_pending(secretariat):
    plan_import = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77.txt")
    with pytest.raises(DomainError) as caught:
        publication.plan_import_publish(actor=secretariat, plan_import=plan_import)
    assert caught.value.message.startswith("Còn ")
    assert Document.objects.count() == 0


def test_a_revised_version_shows_what_changed_and_updates_instead_of_duplicating(secretariat):
    first = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77.txt")
    review.import_accept_all(actor=secretariat, plan_import=first)
    document = publication.plan_import_publish(actor=secretariat, plan_import=first)
    targets_before, tasks_before = document.targets.count(), document.tasks.count()

    second = uploads.plan_import_create(actor=secretariat, data=PLAN_V2, filename="kh77-sua.txt")
    assert second.document == document
    changes = {(i.kind, i.change) for i in second.items.all()}
    assert {
        ("target", "changed"),
        ("target", "unchanged"),
        ("task", "new"),
        ("task", "removed"),
        ("task", "unchanged"),
    } <= changes
    changed = second.items.get(kind="target", change="changed")
    assert (changed.before["value"], changed.payload["value"]) == (90.0, 95.0)

    review.import_accept_all(actor=secretariat, plan_import=second)
    removed = second.items.get(kind="task", change="removed")
    review.import_item_decide(actor=secretariat, item=removed, decision="accepted")
    publication.plan_import_publish(actor=secretariat, plan_import=second)
    document.refresh_from_db()
    assert Document.objects.count() == 1 and document.version == 2
    assert document.targets.count() == targets_before
    assert sorted(document.targets.values_list("value", flat=True)) == [85.0, 95.0]
    assert document.tasks.count() == tasks_before
    assert not document.tasks.filter(title="Số hóa hồ sơ đất đai").exists()
    assert document.tasks.get(title="Mở dữ liệu giao thông cho doanh nghiệp").deadline.isoformat() == "2026-10-31"


def test_only_the_secretariat_imports_and_a_refusal_leaves_nothing(secretariat):
    reporter = UserFactory(role="reporter", agency=agency("SO_TAI_CHINH"))
    with pytest.raises(NotAllowed):
        uploads.plan_import_create(actor=reporter, data=PLAN_V1, filename="kh77.txt")
    assert PlanImport.objects.count() == 0 and not AuditEvent.objects.filter(action__startswith="plans.").exists()
    plan_import = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77.txt")
    item = plan_import.items.first()
    for call in (
        lambda: review.import_item_decide(actor=reporter, item=item, decision="accepted"),
        lambda: review.import_accept_all(actor=reporter, plan_import=plan_import),
        lambda: publication.plan_import_publish(actor=reporter, plan_import=plan_import),
        lambda: review.plan_import_discard(actor=reporter, plan_import=plan_import),
    ):
        with pytest.raises(NotAllowed):
            call()
    assert set(plan_import.items.values_list("decision", flat=True)) == {"pending"}
    plan_import.refresh_from_db()
    assert plan_import.status == "draft"


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "a.txt", "rỗng"),
        (b"\x00" * 500, "a.txt", "nhị phân"),
        (b"%PDF-1.4\n", "a.pdf", "PDF"),
        ("Thµnh phè".encode("cp1252") * 50, "a.txt", "Unicode"),
    ],
)
def test_a_failed_import_leaves_nothing_behind(secretariat, data, name, fragment):
    with pytest.raises(InvalidData) as caught:
        uploads.plan_import_create(actor=secretariat, data=data, filename=name)
    assert fragment in caught.value.message
    assert PlanImport.objects.count() == 0 and ImportItem.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="plans.").exists()


def test_the_import_workflow_follows_its_transition_table(secretariat):
    plan_import = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77.txt")
    review.plan_import_discard(actor=secretariat, plan_import=plan_import)
    with pytest.raises(DomainError):
        review.plan_import_discard(actor=secretariat, plan_import=plan_import)
    with pytest.raises(DomainError):
        review.import_accept_all(actor=secretariat, plan_import=plan_import)
    assert Document.objects.count() == 0


HOW = "dùng dấu phẩy cho phần thập phân, ví dụ 12,5; dấu chấm chỉ để tách hàng nghìn, ví dụ 1.250"


@pytest.mark.parametrize(
    ("form", "details"),
    [
        (
            {"label": "", "value": "abc", "direction": ">="},
            ["label: không được để trống.", f"value: “abc” không phải là số ({HOW})."],
        ),
        (
            {"label": "x", "value": "0.125", "direction": ">="},
            [f"value: “0.125” không rõ nghĩa (nếu là số thập phân, viết 0,125): {HOW}."],
        ),
        (
            {"label": "x", "value": "10", "value_max": "5", "direction": "range"},
            ["value_max: giá trị trên phải không nhỏ hơn giá trị dưới."],
        ),
        (
            {"label": "x", "value": "10", "direction": "?", "year": "20250"},
            ["year: năm phải là số trong khoảng 1990–2100.", "direction: chiều so sánh không hợp lệ."],
        ),
    ],
)
def test_editing_a_target_checks_every_field(secretariat, form, details):
    plan_import = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77.txt")
    item = plan_import.items.filter(kind="target").first()
    before = item.payload
    with pytest.raises(InvalidData) as caught:
        review.import_item_update(actor=secretariat, item=item, data=form)
    assert caught.value.details == details
    item.refresh_from_db()
    assert item.payload == before and item.decision == "pending"


def test_editing_a_task_resolves_the_agencies_again(secretariat):
    plan_import = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77.txt")
    item = plan_import.items.filter(kind="task").first()
    review.import_item_update(
        actor=secretariat,
        item=item,
        data={
            "title": "Xây dựng kho dữ liệu",
            "lead": "Sở TT&TT",
            "coordinating": "Sở Tài chính; Sở Mặt Trăng",
            "deadline": "31/12/2026",
            "recurrence": "once",
            "clause": item.payload["clause"],
        },
    )
    item.refresh_from_db()
    assert [r["code"] for r in item.payload["lead"]] == ["SO_TTTT"]
    assert [(r["code"], r["text"]) for r in item.payload["coordinating"]] == [
        ("SO_TAI_CHINH", "Sở Tài chính"),
        (None, "Sở Mặt Trăng"),
    ]
    assert item.payload["deadline"] == "2026-12-31" and item.decision == "accepted"
    assert Task.objects.count() == 0


def test_a_document_without_a_number_is_recognised_by_type_year_and_title(secretariat):
    # Given the 2024 plan of the steering committee in the register (it carries no number)
    from dxtrack.plans.register import register_load

    register_load(actor=SYSTEM)
    registered = Document.objects.get(code="kh-bcd-cds-2024")
    # When the same plan is uploaded again
    from .test_extract_core import SEEDS

    require_seeds(SEEDS)
    [path] = SEEDS.glob("002_*.txt")
    plan_import = uploads.plan_import_create(
        actor=secretariat, data=path.read_bytes(), filename=path.name, year_context=2024
    )
    # Then it is taken as a revision of the registered document, not a new one
    assert plan_import.document == registered
    changes = set(plan_import.items.values_list("change", flat=True))
    assert "unchanged" in changes


@pytest.mark.parametrize(("prefix", "code", "year"), [("003", "kh-cmcn4-2020", 2020), ("004", "kh-ktsxhs-2022", 2022)])
def test_reimporting_a_reviewed_seed_finds_nothing_changed(secretariat, prefix, code, year):
    from dxtrack.plans.register import register_load

    from .test_extract_core import SEEDS

    require_seeds(SEEDS)
    register_load(actor=SYSTEM)
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    plan_import = uploads.plan_import_create(
        actor=secretariat,
        data=path.read_bytes(),
        filename=path.name,
        year_context=year,
        revises=Document.objects.get(code=code),
    )
    changes = set(plan_import.items.filter(kind__in=["target", "task"]).values_list("change", flat=True))
    assert changes == {"unchanged"}
    assert set(plan_import.items.filter(kind__in=["target", "task"]).values_list("decision", flat=True)) == {"accepted"}


def test_two_drafts_of_the_same_document_cannot_both_become_documents(secretariat):
    first = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77.txt")
    second = uploads.plan_import_create(actor=secretariat, data=PLAN_V1, filename="kh77-ban-sao.txt")
    for plan_import in (first, second):
        review.import_accept_all(actor=secretariat, plan_import=plan_import)
    publication.plan_import_publish(actor=secretariat, plan_import=first)
    with pytest.raises(DomainError) as caught:
        publication.plan_import_publish(actor=secretariat, plan_import=second)
    assert caught.value.message.startswith("Văn bản số 77/KH-UBND đã có trong danh mục.")
    assert Document.objects.count() == 1
    second.refresh_from_db()
    assert second.status == "draft"
