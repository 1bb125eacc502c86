"""A revised plan loses nothing: publishing a revision of the 2024 plan over the register, the
calendar and the demo's reports updates the register in place, retires what reports refer to and
deletes only what nothing refers to."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from dxtrack.accounts.access import PUBLIC, SYSTEM
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.analytics.models import TargetProgress
from dxtrack.core.errors import DomainError, InvalidData
from dxtrack.core.models import AuditEvent
from dxtrack.core.testing import require_seeds
from dxtrack.obligations import services as obligation_services
from dxtrack.obligations.models import Obligation
from dxtrack.org.tests.factories import agency
from dxtrack.plans import selectors
from dxtrack.plans.models import Document, PlanImport, ReportingRule, Target, Task
from dxtrack.plans.services import publication, review, uploads
from dxtrack.reports.models import DataValue, Report, TaskUpdate
from dxtrack.reports.selectors import form_tasks
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.tests.builders import commune_obligation

from .test_extract_core import SEEDS

pytestmark = pytest.mark.django_db

CODE = "kh-bcd-cds-2024"
# The one number the revision changes: "40% người dân trưởng thành có sử dụng dịch vụ công trực tuyến".
OLD_LINE = "- 40% người dân trưởng thành"
NEW_LINE = "- 45% người dân trưởng thành"
# Two tasks of section III the second revision drops: III.2 has the demo's task updates, III.3 none.
TASK_WITH_UPDATES = "Tham gia các cuộc hội thảo, hội nghị về CNTT-TT"
TASK_WITHOUT_UPDATES = "Kiểm tra tình hình ứng dụng CNTT và chuyển đổi số"
# The reporting duty of the departments and districts (clause V.3), which the demo's reports follow.
DUTY = "- Báo cáo định kỳ hàng quý (*trước ngày 15"


@pytest.fixture
def seed() -> str:
    require_seeds(SEEDS)
    [path] = SEEDS.glob("002_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def secretariat():
    return UserFactory(role="secretariat", agency=agency("SO_KHCN"))


@pytest.fixture
def demo_reports(demo_reports_2025):
    """The register, the 2025 calendar and the demo's reports as seen on 30/11/2025 (generated
    once per session, put back: dxtrack/conftest.py)."""


def _one_number_changed(seed: str) -> str:
    assert seed.count(OLD_LINE) == 1
    return seed.replace(OLD_LINE, NEW_LINE)


def _without(seed: str, *starts: str) -> str:
    """The plan without the paragraphs that begin with `starts`: a numbered heading with
    everything under it up to the next heading, or a single bullet."""
    out, skipping, bullet = [], False, False
    for line in seed.split("\n"):
        text = line.strip()
        if any(text.startswith(start) for start in starts):
            skipping, bullet = True, text.startswith("-")
            continue
        if skipping and text and (re.match(r"(\d+|[IVX]+)\.\s", text) or (bullet and text.startswith("-"))):
            skipping = False
        if not skipping:
            out.append(line)
    return "\n".join(out)


def _counts() -> dict[str, int]:
    return {
        "obligations": Obligation.objects.count(),
        "reports": Report.objects.count(),
        "values": DataValue.objects.count(),
        "task_updates": TaskUpdate.objects.count(),
    }


def _revise(text: str, *, actor=SYSTEM, date: str = "") -> PlanImport:
    plan_import = uploads.plan_import_create(
        actor=actor,
        data=text.encode(),
        filename="kh-bcd-2024-sua-doi.txt",
        year_context=2024,
        revises=Document.objects.get(code=CODE),
    )
    if date:
        review.import_meta_update(actor=actor, plan_import=plan_import, data={"date": date})
    review.import_accept_all(actor=actor, plan_import=plan_import)
    return plan_import


def _target_2024() -> Target:
    return Target.objects.get(document__code=CODE, unit="%", year=2024, label__contains="dịch vụ công trực tuyến")


def test_a_revision_with_one_number_changed_keeps_every_report_and_the_old_value(
    demo_reports, seed, tmp_path, client, secretariat
):
    # Given the 2024 plan with the demo's obligations, reports, values and task updates
    before = _counts()
    assert before["reports"] > 600 and before["task_updates"] > 8000
    rules = sorted(ReportingRule.objects.filter(document__code=CODE).values_list("pk", flat=True))
    tasks = sorted(Task.objects.filter(document__code=CODE).values_list("pk", flat=True))
    target = _target_2024()
    assert target.value == 40.0
    # When its revision, with one number changed, is published from the command line
    path = tmp_path / "kh-bcd-2024-sua-doi.txt"
    path.write_text(_one_number_changed(seed), encoding="utf-8")
    out = StringIO()
    call_command(
        "plan",
        "import",
        str(path),
        "--revises",
        CODE,
        "--year-context",
        "2024",
        "--accept-all",
        "--publish",
        stdout=out,
    )
    # Then nothing that refers to the plan is lost, and its rules and tasks are the same rows
    assert _counts() == before
    assert sorted(ReportingRule.objects.filter(document__code=CODE).values_list("pk", flat=True)) == rules
    assert sorted(Task.objects.filter(document__code=CODE).values_list("pk", flat=True)) == tasks
    assert not Task.objects.filter(document__code=CODE, valid_to__isnull=False).exists()
    # And the changed target has its new value and its old value in its history
    label = target.label
    target.refresh_from_db()
    assert target.value == 45.0 and target.valid_to is None
    assert target.label == label == target.indicator.name  # the reviewed label stays
    event = AuditEvent.objects.get(action="plans.target.revise", target_id=str(target.pk))
    assert event.changes["value"] == [40.0, 45.0]
    assert [r["changes"]["value"] for r in selectors.target_revisions(target, actor=PUBLIC)] == [[40.0, 45.0]]
    # And the command says what changed, what was kept and that nothing was retired
    printed = out.getvalue()
    assert f"  ~ chỉ tiêu “{label}”: giá trị 40 → 45\n" in printed
    assert "Giữ nguyên " in printed and "mục không đổi." in printed
    assert "Thôi áp dụng" not in printed and "Xóa " not in printed
    # And the target's page shows its history
    client.force_login(secretariat)
    page = client.get(reverse("analytics:target", args=[target.pk])).content.decode()
    assert "Lịch sử sửa đổi chỉ tiêu" in page and "giá trị 40 → 45" in page


def test_a_revision_retires_what_reports_refer_to_and_deletes_what_nothing_does(
    demo_reports, seed, secretariat, client
):
    # Given the demo's reports: task III.2 has updates, task III.3 none, the V.3 duty has reports
    kept_task = Task.objects.get(document__code=CODE, title__startswith=TASK_WITH_UPDATES)
    gone_task = Task.objects.get(document__code=CODE, title__startswith=TASK_WITHOUT_UPDATES)
    updates = kept_task.updates.count()
    assert updates > 0 and gone_task.updates.count() == 0
    duty = ReportingRule.objects.get(document__code=CODE, clause__path="V.3")
    duty_reports = Report.objects.filter(obligation__rule=duty).count()
    assert duty_reports > 0
    # (the revision takes effect on 15/05/2025: the duty's obligations for later periods that
    # nobody reported are duties that no longer exist)
    stale = Obligation.objects.filter(rule=duty, period__data_from__gt="2025-05-14", report__isnull=True).count()
    before = _counts()
    # When a revision without them is read
    plan_import = _revise(
        _without(seed, f"2. {TASK_WITH_UPDATES}", f"3. {TASK_WITHOUT_UPDATES}", DUTY),
        actor=secretariat,
        date="15/05/2025",
    )
    # Then the review says what publishing will do to each
    removed = {i.matched_id: i for i in selectors.import_items(plan_import)["task"] if i.change == "removed"}
    assert set(removed) >= {kept_task.pk, gone_task.pk}
    assert removed[kept_task.pk].retires and f"giữ lại vì có {updates} cập nhật nhiệm vụ" in removed[kept_task.pk].fate
    assert not removed[gone_task.pk].retires and "sẽ xóa khỏi danh mục" in removed[gone_task.pk].fate
    client.force_login(secretariat)
    page = client.get(reverse("plans:import", args=[plan_import.pk])).content.decode()
    assert f"Không còn trong văn bản; giữ lại vì có {updates} cập nhật nhiệm vụ: sẽ thôi áp dụng, không xóa." in page
    assert f"Không còn trong văn bản; giữ lại vì có {duty_reports} báo cáo" in page
    # When it is published
    publication.plan_import_publish(actor=secretariat, plan_import=plan_import)
    # Then what reports refer to is kept and retired from the day before the revision
    kept_task.refresh_from_db()
    duty.refresh_from_db()
    assert kept_task.valid_to == duty.valid_to == datetime.date(2025, 5, 14)
    assert kept_task.updates.count() == updates
    assert Report.objects.filter(obligation__rule=duty).count() == duty_reports
    # And what nothing refers to is gone
    assert not Task.objects.filter(pk=gone_task.pk).exists()
    # And no report, value or task update is lost; only the unreported duties after it end
    after = _counts()
    assert after == {**before, "obligations": before["obligations"] - stale}
    # And the outcome says so
    plan_import.refresh_from_db()
    lines = "\n".join(selectors.outcome_lines(plan_import.outcome))
    assert "Thôi áp dụng từ ngày 15/05/2025" in lines
    assert f"“{TASK_WITH_UPDATES}”: không còn trong văn bản; giữ lại vì có {updates} cập nhật nhiệm vụ" in lines
    assert f"giữ lại vì có {duty_reports} báo cáo; bỏ {stale} nghĩa vụ chưa có báo cáo" in lines
    assert f"“{TASK_WITHOUT_UPDATES}”" in lines.split("Xóa ")[1]
    # And the retired items leave what is asked for and listed from that day
    obligation = commune_obligation()  # Quý III/2025: its data begin after 14/05/2025
    assert kept_task not in [t for t, _ in form_tasks(obligation)]
    assert kept_task not in selectors.tasks(actor=PUBLIC, document=CODE)
    obligation_services.calendar_generate(actor=SYSTEM, year=2026)
    assert not Obligation.objects.filter(rule=duty, period__year=2026).exists()
    assert Obligation.objects.filter(rule__document__code=CODE, period__year=2026).exists()


def test_a_revision_before_any_report_keeps_the_obligations(calendar_2025, seed, django_capture_on_commit_callbacks):
    # Given the 2024 plan's obligations and no report yet
    obligations = sorted(Obligation.objects.filter(rule__document__code=CODE).values_list("pk", "rule_id"))
    assert obligations and not Report.objects.exists()
    # When a revision with one number changed is published
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publication.plan_import_publish(actor=SYSTEM, plan_import=_revise(_one_number_changed(seed)))
    # Then every obligation is still there, under the same rule
    assert sorted(Obligation.objects.filter(rule__document__code=CODE).values_list("pk", "rule_id")) == obligations
    target = _target_2024()
    assert target.value == 45.0
    # And the changed target's progress is recomputed once the revision commits
    assert len(callbacks) == 1
    assert TargetProgress.objects.filter(target=target, computed_at__gte=target.document.updated_at).exists()


def test_publishing_a_revision_through_the_pages_gives_no_error_page(calendar_2025, seed, client, secretariat):
    # Given a report under the 2024 plan (publishing used to fail on it with a ProtectedError)
    report = report_open(actor=SYSTEM, obligation=commune_obligation())
    client.force_login(secretariat)
    document = Document.objects.get(code=CODE)
    # When a revision is uploaded, accepted and published through the review page
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("kh-bcd-2024-sua-doi.txt", _one_number_changed(seed).encode())
    response = client.post(reverse("plans:imports"), {"file": upload, "year_context": "2024", "revises": document.pk})
    plan_import = PlanImport.objects.get()
    assert response.status_code == 302
    assert client.post(reverse("plans:import_accept_all", args=[plan_import.pk])).status_code == 302
    response = client.post(reverse("plans:import_publish", args=[plan_import.pk]))
    # Then it is published, the report is there and the page shows what changed
    assert response.status_code == 302 and response["Location"] == reverse("plans:import", args=[plan_import.pk])
    plan_import.refresh_from_db()
    assert plan_import.status == "published"
    assert Report.objects.filter(pk=report.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Kết quả đưa vào danh mục" in page and "giá trị 40 → 45" in page


def test_an_unforeseen_reference_refuses_the_whole_publication(calendar_2025, seed, monkeypatch):
    # Given a report with an update of task III.2, and a revision that drops that task
    report = report_open(actor=SYSTEM, obligation=commune_obligation())
    task = Task.objects.get(document__code=CODE, title__startswith=TASK_WITH_UPDATES)
    TaskUpdate.objects.create(report=report, task=task)
    plan_import = _revise(_without(_one_number_changed(seed), f"2. {TASK_WITH_UPDATES}"))
    # When publishing misses that reference (as the rules for what refers to an item once did)
    monkeypatch.setattr(selectors, "item_history", lambda kind, obj: "")
    with pytest.raises(DomainError) as caught:
        publication.plan_import_publish(actor=SYSTEM, plan_import=plan_import)
    # Then it is refused in Vietnamese and nothing is half-published
    assert caught.value.message.startswith("Chưa đưa vào danh mục được")
    plan_import.refresh_from_db()
    assert plan_import.status == "draft"
    assert Task.objects.filter(pk=task.pk, valid_to__isnull=True).exists()
    assert _target_2024().value == 40.0 and Document.objects.get(code=CODE).version == 1


def test_a_revision_of_an_unknown_code_is_refused_and_changes_nothing(register, seed, tmp_path):
    path = tmp_path / "kh.txt"
    path.write_text(_one_number_changed(seed), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", str(path), "--revises", "khong-co", "--accept-all", "--publish")
    assert str(caught.value) == "Không có văn bản mã “khong-co” trong danh mục."
    assert not PlanImport.objects.exists() and _target_2024().value == 40.0


# A document with words but no target, task or reporting duty in it.
NO_ITEMS = (
    "KẾ HOẠCH\nSửa đổi kế hoạch năm 2024\n\n" + "Văn bản này được gửi để các cơ quan, đơn vị biết và theo dõi. " * 12
)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "rỗng"),
        (NO_ITEMS.encode(), "không thể là bản cập nhật"),
        (b"   \n\n  ", "không có nội dung chữ"),
    ],
)
def test_a_revision_with_an_empty_document_is_refused_and_changes_nothing(register, data, fragment, tmp_path):
    document = Document.objects.get(code=CODE)
    counts = (Target.objects.count(), Task.objects.count(), ReportingRule.objects.count())
    with pytest.raises(InvalidData) as caught:
        uploads.plan_import_create(actor=SYSTEM, data=data, filename="kh.txt", revises=document)
    assert fragment in caught.value.message
    path = tmp_path / "kh.txt"
    path.write_bytes(data)
    with pytest.raises(CommandError) as command:
        call_command("plan", "import", str(path), "--revises", CODE, "--accept-all", "--publish")
    assert fragment in str(command.value)
    assert not PlanImport.objects.exists()
    assert (Target.objects.count(), Task.objects.count(), ReportingRule.objects.count()) == counts
    assert Document.objects.get(code=CODE).version == document.version


@pytest.fixture
def updated_task(calendar_2025):
    """Task III.2 of the 2024 plan with one update in Phường Hàm Rồng's report."""
    report = report_open(actor=SYSTEM, obligation=commune_obligation())
    task = Task.objects.get(document__code=CODE, title__startswith=TASK_WITH_UPDATES)
    TaskUpdate.objects.create(report=report, task=task)
    return task


def test_a_retired_item_the_document_lists_again_comes_back(updated_task, seed):
    # Given task III.2 retired by a revision that dropped it
    publication.plan_import_publish(actor=SYSTEM, plan_import=_revise(_without(seed, f"2. {TASK_WITH_UPDATES}")))
    updated_task.refresh_from_db()
    retired_on = updated_task.valid_to
    assert retired_on is not None and updated_task not in selectors.tasks(actor=PUBLIC, document=CODE)
    # When the next revision lists it again
    plan_import = _revise(seed)
    item = plan_import.items.get(kind="task", matched_id=updated_task.pk)
    assert item.change == "changed"
    publication.plan_import_publish(actor=SYSTEM, plan_import=plan_import)
    # Then it is the same task, in force again, with its update, and the outcome says so
    updated_task.refresh_from_db()
    assert updated_task.valid_to is None and updated_task.updates.count() == 1
    assert updated_task in selectors.tasks(actor=PUBLIC, document=CODE)
    plan_import.refresh_from_db()
    lines = selectors.outcome_lines(plan_import.outcome)
    expected = f"  ~ nhiệm vụ “{updated_task.title}”: áp dụng lại (đã thôi áp dụng sau ngày {retired_on:%d/%m/%Y})"
    assert expected in lines
    # And a revision that drops nothing retires nothing twice
    assert not plan_import.items.filter(change="removed").exists()


def test_the_register_file_carries_the_day_an_item_was_retired(updated_task, seed, tmp_path):
    import json

    from dxtrack.plans.register import dump_register, register_load

    # Given task III.2 retired by a revision
    publication.plan_import_publish(actor=SYSTEM, plan_import=_revise(_without(seed, f"2. {TASK_WITH_UPDATES}")))
    updated_task.refresh_from_db()
    # When the register is dumped and loaded again as another document
    raw = dump_register()
    [doc] = [d for d in raw["documents"] if d["code"] == CODE]
    raw["documents"] = [{**doc, "code": "ban-sao"}]
    path = tmp_path / "register.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert register_load(actor=SYSTEM, path=path) == 1
    # Then its copy is retired on the same day, and only it
    copy = Document.objects.get(code="ban-sao")
    assert list(copy.tasks.filter(valid_to__isnull=False).values_list("title", "valid_to")) == [
        (updated_task.title, updated_task.valid_to)
    ]
    # And a malformed day is refused with where it is, loading nothing
    [task] = [t for t in raw["documents"][0]["tasks"] if t.get("valid_to")]
    task["valid_to"] = "31/02/2025"
    raw["documents"][0]["code"] = "ban-sao-2"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InvalidData) as caught:
        register_load(actor=SYSTEM, path=path)
    assert any("ngày thôi áp dụng “31/02/2025” không hợp lệ" in d for d in caught.value.details)
    assert not Document.objects.filter(code="ban-sao-2").exists()


def test_a_target_whose_indicator_has_values_is_retired_and_leaves_the_dashboards(calendar_2025, seed, client):
    from dxtrack.analytics.services.targets import targets_in_force
    from dxtrack.reports.tests.builders import value_written

    # Given a value reported for the indicator of the 2024 target on online public services
    target = _target_2024()
    report = report_open(actor=SYSTEM, obligation=commune_obligation())
    value_written(report, target.indicator.code, value=30)
    others = {t.pk for t in Target.objects.filter(document__code=CODE)} - {target.pk}
    # When a revision no longer lists that target
    plan_import = _revise(_without(seed, OLD_LINE), date="01/07/2025")
    removed = [i for i in plan_import.items.filter(kind="target", change="removed")]
    assert [i.matched_id for i in removed] == [target.pk]
    publication.plan_import_publish(actor=SYSTEM, plan_import=plan_import)
    # Then it is kept, retired from the revision's date, with its value
    target.refresh_from_db()
    assert target.valid_to == datetime.date(2025, 6, 30)
    assert DataValue.objects.filter(report=report, indicator=target.indicator).exists()
    plan_import.refresh_from_db()
    assert plan_import.outcome["retired"] == [
        {
            "kind": "target",
            "label": target.label,
            "id": target.pk,
            "reason": "không còn trong văn bản; giữ lại vì có 1 số liệu",
            "valid_to": "2025-06-30",
            "dropped": 0,
        }
    ]
    # And it leaves the register's list and the targets the dashboards assess; the others stay
    assert target not in selectors.targets(actor=PUBLIC, document=CODE)
    assessed = {t.pk for t in targets_in_force()}
    assert target.pk not in assessed
    assert {t.pk for t in selectors.targets(actor=PUBLIC, document=CODE)} == others
    # And its history stays visible: on its indicator's page and on its document's page
    page = client.get(reverse("plans:indicator", args=[target.indicator.code])).content.decode()
    assert "áp dụng đến 30/06/2025" in page
    page = client.get(reverse("plans:document", args=[CODE])).content.decode()
    assert f"chỉ tiêu: {target.label} — áp dụng đến 30/06/2025" in page


def test_the_command_line_says_what_publishing_a_draft_revision_would_do(updated_task, seed, tmp_path):
    path = tmp_path / "kh.txt"
    path.write_text(_without(seed, f"2. {TASK_WITH_UPDATES}"), encoding="utf-8")
    out = StringIO()
    call_command("plan", "import", str(path), "--revises", CODE, "--year-context", "2024", stdout=out)
    assert (
        f"  − nhiệm vụ “{updated_task.title}”: Không còn trong văn bản; giữ lại vì có 1 cập nhật nhiệm vụ: "
        "sẽ thôi áp dụng, không xóa.\n"
    ) in out.getvalue()
    # (a draft: nothing is retired yet)
    updated_task.refresh_from_db()
    assert updated_task.valid_to is None


@pytest.mark.parametrize("revises", ["999999", "abc", "1; DROP TABLE plans_document"])
def test_the_upload_page_refuses_a_revision_of_an_unknown_document(register, seed, client, secretariat, revises):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(secretariat)
    upload = SimpleUploadedFile("kh.txt", _one_number_changed(seed).encode())
    response = client.post(reverse("plans:imports"), {"file": upload, "year_context": "2024", "revises": revises})
    assert response.status_code == 400
    assert "Không có văn bản này trong danh mục; hãy chọn lại văn bản được cập nhật." in response.content.decode()
    assert not PlanImport.objects.exists() and _target_2024().value == 40.0
