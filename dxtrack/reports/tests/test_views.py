"""The reporting pages over HTTP: who sees what, autosave, conflicts, the workflow buttons."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.models import AuditEvent
from dxtrack.core.tests import samples
from dxtrack.obligations.models import Obligation
from dxtrack.reports import selectors
from dxtrack.reports.models import DataValue, Report, TaskUpdate
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tests.builders import filled, unit_people

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
PNG = samples.png()


@pytest.fixture
def people(obligation):
    reporter, approver, secretariat = unit_people(obligation.admin_unit)
    return {
        "reporter": reporter,
        "approver": approver,
        "secretariat": secretariat,
        "leader": UserFactory(role=Role.LEADER),
    }


@pytest.fixture
def report(obligation, people):
    return report_open(actor=people["reporter"], obligation=obligation)


@pytest.fixture
def stranger(obligation):
    """A reporter of another commune that reports under the same rule."""
    other = (
        Obligation.objects.filter(period=obligation.period, rule=obligation.rule, admin_unit__level="commune")
        .exclude(admin_unit=obligation.admin_unit)
        .first()
    )
    return UserFactory(role=Role.REPORTER, admin_unit=other.admin_unit, agency=None)


def _ratio_row(report):
    return next(row for row in selectors.report_form(report).rows if row.spec.is_ratio)


def _lead_task(report):
    return next(t for t in selectors.report_form(report).tasks if t.role == "lead")


def _value_url(report, code):
    return reverse("reports:value", args=[report.pk, code])


# ---- the unit's list and opening a report -----------------------------------------------------------


def test_the_unit_sees_its_own_obligations_with_status_and_due_date(client, obligation, people):
    # Given the reporter of Phường Hàm Rồng
    client.force_login(people["reporter"])
    # When she lists her reports of 2025, quarterly
    response = client.get(reverse("reports:index"), {"nam": 2025, "loai": "quarterly"})
    # Then she sees her unit's quarterly obligations only, not yet drafted, with due dates
    page = response.content.decode()
    mine = Obligation.objects.filter(
        admin_unit=obligation.admin_unit, period__year=2025, period__period_type="quarterly"
    )
    assert response.status_code == 200
    assert page.count('<span class="badge status-none">Chưa lập</span>') == mine.count() == 2
    assert "Quý III/2025" in page and "15/09/2025" in page
    assert reverse("reports:obligation", args=[obligation.pk]) in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [("25", "Năm “25” không hợp lệ; ghi bốn chữ số, ví dụ 2026."), ("1999", "Năm 1999 nằm ngoài khoảng 2000–2100.")],
)
def test_a_wrong_year_filter_says_why_and_is_ignored(client, obligation, people, typed, message):
    client.force_login(people["reporter"])
    page = client.get(reverse("reports:index"), {"nam": typed}).content.decode()
    assert f"{message} Bộ lọc này đã được bỏ qua." in page
    assert obligation.period.label in page  # the unfiltered list is shown


def test_get_shows_the_obligation_and_post_creates_the_draft(client, obligation, people):
    client.force_login(people["reporter"])
    # Given an obligation without a report: GET shows it with the button
    page = client.get(reverse("reports:obligation", args=[obligation.pk])).content.decode()
    assert "Lập báo cáo" in page and Report.objects.count() == 0
    assert "<dt>Kỳ báo cáo</dt><dd>Quý III/2025 (01/07/2025–30/09/2025)</dd>" in page
    assert "<dt>Kỳ số liệu</dt><dd>15/06/2025–14/09/2025" in page
    assert '<span class="badge status-none">Chưa lập</span>' in page
    # When she posts, the draft is created and she lands on its form
    response = client.post(reverse("reports:obligation", args=[obligation.pk]))
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:report", args=[report.pk])
    assert report.status == "draft"
    # And a second GET goes straight to the form
    again = client.get(reverse("reports:obligation", args=[obligation.pk]))
    assert again.status_code == 302 and again["Location"] == reverse("reports:report", args=[report.pk])


def test_a_leader_reads_but_cannot_create_and_strangers_cannot_open(client, obligation, people, stranger):
    client.force_login(people["leader"])
    page = client.get(reverse("reports:obligation", args=[obligation.pk])).content.decode()
    assert "Đơn vị chưa lập báo cáo kỳ này." in page
    assert client.post(reverse("reports:obligation", args=[obligation.pk])).status_code == 403
    # another unit's obligation is not found, exactly as one that does not exist
    client.force_login(stranger)
    assert client.get(reverse("reports:obligation", args=[obligation.pk])).status_code == 404
    assert client.post(reverse("reports:obligation", args=[obligation.pk])).status_code == 404
    assert client.get(reverse("reports:obligation", args=[999_999])).status_code == 404
    assert Report.objects.count() == 0


def test_anonymous_users_are_sent_to_log_in(client, report):
    response = client.get(reverse("reports:report", args=[report.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# ---- the form ---------------------------------------------------------------------------------------


def test_the_form_shows_every_indicator_and_task_with_inputs_for_the_unit(client, report, people):
    client.force_login(people["reporter"])
    response = client.get(reverse("reports:report", args=[report.pk]))
    page = response.content.decode()
    form = selectors.report_form(report)
    assert response.status_code == 200
    assert page.count('class="vrow') == len(form.rows) == 5
    assert page.count('class="trow') == len(form.tasks) > 0
    assert page.count('name="numerator"') == sum(r.spec.is_ratio for r in form.rows) == 4
    # Quý III/2025 for a ward that exists from 01/07/2025: both spans, and the ward's part of the data
    assert "<dt>Kỳ báo cáo</dt><dd>Quý III/2025 (01/07/2025–30/09/2025)</dd>" in page
    assert "<dt>Kỳ số liệu</dt><dd>15/06/2025–14/09/2025" in page
    assert "Đơn vị báo cáo số liệu trong khoảng 01/07/2025–14/09/2025" in page and "15/09/2025" in page
    assert f"Còn {len(form.problems)} việc cần làm trước khi gửi:" in page
    # The reporter edits but does not sign: no workflow button
    assert 'name="action" value="submit"' not in page


def test_a_long_task_title_in_the_checklist_is_shown_whole(report):
    # Given a lead task with a long title
    task = _lead_task(report).task
    task.title = "Rà soát văn bản quy phạm pháp luật, bổ sung phương án xử lý đối với việc thực thi " * 3
    task.save(update_fields=["title"])
    # Then its line names the task by its whole title, not cut short
    line = next(p for p in selectors.report_form(report).problems if p.startswith("Nhiệm vụ chủ trì chưa cập nhật"))
    assert line == f"Nhiệm vụ chủ trì chưa cập nhật: {task.title}"


def test_a_user_of_another_unit_can_neither_open_nor_post(client, report, people, stranger):
    client.force_login(stranger)
    row = _ratio_row(report)
    task = _lead_task(report)
    assert client.get(reverse("reports:report", args=[report.pk])).status_code == 404
    posts = [
        (_value_url(report, row.indicator.code), {"numerator": "1", "denominator": "2", "version": "0"}),
        (reverse("reports:task", args=[report.pk, task.task.pk]), {"state": "done", "version": "0"}),
        (reverse("reports:narrative", args=[report.pk]), {"results": "x", "version": "1"}),
        (reverse("reports:transition", args=[report.pk]), {"action": "submit", "version": "1"}),
    ]
    for url, data in posts:
        assert client.post(url, data, headers=HTMX).status_code == 404
    report.refresh_from_db()
    assert (DataValue.objects.count(), TaskUpdate.objects.count(), report.results, report.version) == (0, 0, "", 1)


def test_unknown_ids_are_404(client, report, people):
    client.force_login(people["reporter"])
    assert client.get(reverse("reports:report", args=[999_999])).status_code == 404
    assert client.post(_value_url(report, "khong-co"), {"value": "1"}, headers=HTMX).status_code == 404
    assert client.post(reverse("reports:task", args=[report.pk, 999_999]), {}, headers=HTMX).status_code == 404


def test_autosave_saves_the_value_and_answers_the_row_with_its_finding(client, report, people):
    # Given the reporter on her draft
    client.force_login(people["reporter"])
    row = _ratio_row(report)
    # When she enters a numerator above the denominator
    response = client.post(
        _value_url(report, row.indicator.code), {"numerator": "50", "denominator": "40", "version": "0"}, headers=HTMX
    )
    # Then the draft keeps it and the row comes back with the error next to the numerator
    partial = response.content.decode()
    code = row.indicator.code
    assert response.status_code == 200 and "<html" not in partial
    assert (
        f'<div id="ct-{code}-numerator-msg" class="field-msg"><p class="error">Lỗi: Tử số không được lớn hơn mẫu số.'
        in (partial)
    )
    assert f'aria-describedby="ct-{code}-numerator-msg ct-{code}-msgs" aria-invalid="true"' in partial
    assert "Đã lưu lúc" in partial and 'name="version" value="1"' in partial
    assert 'id="kiem-tra" aria-labelledby="h-kiem-tra" class="check" hx-swap-oob="true"' in partial
    value = DataValue.objects.get()
    assert (str(value.numerator), str(value.denominator), value.version) == ("50.0000", "40.0000", 1)
    # And the history lists the change
    assert "Lịch sử" in partial and "Nhập trên web" in partial


def test_a_stale_version_shows_the_conflict_and_saves_nothing(client, report, people):
    row = _ratio_row(report)
    code = row.indicator.code
    # Given the reporter saved 10/100 and the approver then changed it to 20/100
    client.force_login(people["reporter"])
    client.post(_value_url(report, code), {"numerator": "10", "denominator": "100", "version": "0"}, headers=HTMX)
    client.force_login(people["approver"])
    client.post(_value_url(report, code), {"numerator": "20", "denominator": "100", "version": "1"}, headers=HTMX)
    # When the reporter posts from her page, which still has version 1
    client.force_login(people["reporter"])
    response = client.post(
        _value_url(report, code), {"numerator": "30", "denominator": "100", "version": "1"}, headers=HTMX
    )
    # Then she sees both values, her input is kept in the fields, and nothing is saved
    partial = response.content.decode()
    assert response.status_code == 409
    assert "Người khác vừa sửa số liệu này." in partial
    assert "<dt>Số của họ</dt><dd>20 / 100</dd>" in partial and "<dt>Số của bạn</dt><dd>30 / 100</dd>" in partial
    assert 'name="numerator" value="30"' in partial and 'name="version" value="2"' in partial
    value = DataValue.objects.get()
    assert (str(value.numerator), value.version) == ("20.0000", 2)
    # When she keeps hers (the row re-posts with the new version), it is saved
    kept = client.post(
        _value_url(report, code), {"numerator": "30", "denominator": "100", "version": "2"}, headers=HTMX
    )
    value.refresh_from_db()
    assert kept.status_code == 200 and (str(value.numerator), value.version) == ("30.0000", 3)
    # And "take theirs" is the row as stored
    theirs = client.get(_value_url(report, code), headers=HTMX).content.decode()
    assert 'name="numerator" value="30"' in theirs and "Người khác" not in theirs


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"numerator": "abc", "denominator": "10"}, "“abc” không phải là số (dùng dấu phẩy cho phần thập phân"),
        # A decimal point is ambiguous: refused with the way to write it, never saved as 125
        (
            {"numerator": "0.125", "denominator": "10"},
            "“0.125” không rõ nghĩa (nếu là số thập phân, viết 0,125): dùng dấu phẩy cho phần thập phân",
        ),
        ({"numerator": "12.5", "denominator": "100"}, "“12.5” không rõ nghĩa (nếu là số thập phân, viết 12,5)"),
        ({"numerator": "1" * 60, "denominator": "10"}, "Giá trị quá dài để là một số."),
        ({"numerator": "1", "denominator": "10", "comment": "x" * 5000}, "Giải trình dài quá 2000 ký tự."),
        ({"value": "12"}, "Chỉ tiêu tỷ lệ: nhập tử số và mẫu số (hệ thống tự tính tỷ lệ)."),
    ],
)
def test_bad_input_is_answered_in_vietnamese_next_to_the_field(client, report, people, data, message):
    client.force_login(people["reporter"])
    response = client.post(
        _value_url(report, _ratio_row(report).indicator.code), {**data, "version": "0"}, headers=HTMX
    )
    partial = response.content.decode()
    assert response.status_code == 400
    assert f'<p class="error" role="alert">Chưa lưu: {message}' in partial
    assert DataValue.objects.count() == 0


def test_a_task_update_autosaves_and_explains_a_refusal(client, report, people):
    client.force_login(people["reporter"])
    task = _lead_task(report).task
    url = reverse("reports:task", args=[report.pk, task.pk])
    refused = client.post(url, {"state": "in_progress", "percent": "", "version": "0"}, headers=HTMX)
    assert refused.status_code == 400
    assert "Chưa lưu: Nhập tiến độ (%) của nhiệm vụ đang triển khai." in refused.content.decode()
    assert TaskUpdate.objects.count() == 0
    saved = client.post(
        url, {"state": "in_progress", "percent": "40", "output": "Đã số hóa 1.200 hồ sơ", "version": "0"}, headers=HTMX
    )
    assert saved.status_code == 200 and "Đã lưu lúc" in saved.content.decode()
    update = TaskUpdate.objects.get()
    assert (update.state, update.percent, update.output, update.version) == (
        "in_progress",
        40,
        "Đã số hóa 1.200 hồ sơ",
        1,
    )


def test_evidence_is_attached_checked_and_only_served_to_readers(client, report, people, stranger, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people["reporter"])
    task = _lead_task(report).task
    client.post(reverse("reports:task", args=[report.pk, task.pk]), {"state": "done", "version": "0"}, headers=HTMX)
    url = reverse("reports:evidence", args=[report.pk, task.pk])
    bad = client.post(url, {"file": SimpleUploadedFile("bien-ban.pdf", b"not a pdf at all")})
    assert bad.status_code == 400 and "Nội dung tệp không phải PDF như tên tệp ghi." in bad.content.decode()
    good = client.post(url, {"file": SimpleUploadedFile("anh.png", PNG)})
    assert good.status_code == 302 and good["Location"].endswith(f"#nv-{task.pk}")
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_the_narrative_autosaves_with_the_report_version_and_shows_a_conflict(client, report, people):
    client.force_login(people["reporter"])
    url = reverse("reports:narrative", args=[report.pk])
    saved = client.post(url, {"results": "Đã triển khai", "version": "1"}, headers=HTMX)
    partial = saved.content.decode()
    report.refresh_from_db()
    assert saved.status_code == 200 and "Đã lưu lúc" in partial and report.version == 2
    assert 'id="thao-tac" aria-labelledby="h-thao-tac" hx-swap-oob="true"' in partial
    stale = client.post(url, {"results": "Bản cũ của tôi", "version": "1"}, headers=HTMX)
    partial = stale.content.decode()
    report.refresh_from_db()
    assert stale.status_code == 409
    assert "Người khác vừa sửa phần thuyết minh." in partial
    assert '<dd class="pre">Đã triển khai</dd>' in partial and ">Bản cũ của tôi</textarea>" in partial
    assert (report.results, report.version) == ("Đã triển khai", 2)


# ---- the workflow ----------------------------------------------------------------------------------


def test_submit_is_refused_with_the_problems_listed(client, report, people):
    client.force_login(people["approver"])
    response = client.post(reverse("reports:transition", args=[report.pk]), {"action": "submit", "version": "1"})
    page = response.content.decode()
    report.refresh_from_db()
    assert response.status_code == 400
    assert "<strong>Báo cáo chưa gửi được: còn lỗi cần sửa.</strong>" in page
    assert "<li>Số doanh nghiệp công nghệ số được thúc đẩy phát triển trong năm: chưa nhập số liệu.</li>" in page
    assert report.status == "draft"


def test_only_the_approver_submits(client, report, people):
    filled(report, people["reporter"])
    client.force_login(people["reporter"])
    url = reverse("reports:transition", args=[report.pk])
    assert client.post(url, {"action": "submit", "version": "1"}).status_code == 403
    client.force_login(people["approver"])
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "Không còn lỗi: báo cáo gửi được." in page and ">Gửi báo cáo</button>" in page
    response = client.post(url, {"action": "submit", "version": "1"})
    report.refresh_from_db()
    assert response.status_code == 302 and report.status == "submitted"


def test_return_needs_a_reason_and_the_unit_sees_it_read_only_until_then(client, report, people):
    filled(report, people["reporter"])
    report_transition(actor=people["approver"], report=report, action="submit")
    url = reverse("reports:transition", args=[report.pk])
    # The submitted report is read-only for the unit, and a late autosave is refused with the reason
    client.force_login(people["reporter"])
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert 'name="numerator"' not in page and "Đã gửi" in page
    row = _ratio_row(report)
    late = client.post(_value_url(report, row.indicator.code), {"numerator": "1", "denominator": "2"}, headers=HTMX)
    assert late.status_code == 400 and "chỉ sửa được khi đang soạn hoặc bị trả lại" in late.content.decode()
    # The secretariat must give a reason to return it
    client.force_login(people["secretariat"])
    refused = client.post(url, {"action": "return", "reason": "  ", "version": "2"})
    assert refused.status_code == 400 and "Cần ghi lý do trả lại." in refused.content.decode()
    returned = client.post(url, {"action": "return", "reason": "Thiếu số liệu tháng 9", "version": "2"})
    report.refresh_from_db()
    assert returned.status_code == 302 and (report.status, report.return_reason) == (
        "returned",
        "Thiếu số liệu tháng 9",
    )
    # The unit sees the reason on its form, editable again
    client.force_login(people["reporter"])
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "<strong>Lý do trả lại:</strong> Thiếu số liệu tháng 9" in page and 'name="numerator"' in page


def test_a_stale_workflow_button_is_refused(client, report, people):
    filled(report, people["reporter"])
    client.force_login(people["approver"])
    response = client.post(reverse("reports:transition", args=[report.pk]), {"action": "submit", "version": "7"})
    report.refresh_from_db()
    assert response.status_code == 400 and "Báo cáo vừa được người khác thay đổi; hãy tải lại trang." in (
        response.content.decode()
    )
    assert report.status == "draft"


# ---- the province's pages --------------------------------------------------------------------------


def test_completeness_period_and_queue_for_secretariat_and_leaders_only(client, obligation, report, people):
    filled(report, people["reporter"])
    report_transition(actor=people["approver"], report=report, action="submit")
    expected = Obligation.objects.filter(period=obligation.period, rule=obligation.rule).count()
    pages = [
        reverse("reports:completeness") + "?nam=2025&loai=quarterly",
        reverse("reports:period", args=[obligation.period_id]) + f"?quy-dinh={obligation.rule_id}",
        reverse("reports:queue"),
    ]
    for role in ("reporter", "approver"):
        client.force_login(people[role])
        assert [client.get(url).status_code for url in pages] == [403, 403, 403]
    for role in ("secretariat", "leader"):
        client.force_login(people[role])
        completeness, period, queue = (client.get(url) for url in pages)
        assert [completeness.status_code, period.status_code, queue.status_code] == [200, 200, 200]
        rate = f"{round(100 / expected, 1)}".replace(".", ",")
        assert f'<td class="num" data-label="Tỷ lệ báo cáo">{rate}%</td>' in completeness.content.decode()
        assert f"1/{expected} đơn vị đã báo cáo, 0 đúng hạn." in period.content.decode()
        # Every other commune is past its due date with nothing: all listed as missing
        assert f"Chậm, thiếu báo cáo ({expected})" in period.content.decode()
        assert "Phường Hàm Rồng" in queue.content.decode()
    # A leader reads the report but gets no buttons; the secretariat gets approve and return
    client.force_login(people["leader"])
    assert 'name="action"' not in client.get(reverse("reports:report", args=[report.pk])).content.decode()
    client.force_login(people["secretariat"])
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert ">Duyệt</button>" in page and ">Trả lại</button>" in page and "Lý do trả lại" in page
    assert client.get(reverse("reports:period", args=[999_999])).status_code == 404


def test_a_value_change_is_audited_once(client, report, people):
    client.force_login(people["reporter"])
    row = _ratio_row(report)
    before = AuditEvent.objects.filter(action="reporting.value.set").count()
    client.post(
        _value_url(report, row.indicator.code), {"numerator": "3", "denominator": "4", "version": "0"}, headers=HTMX
    )
    client.post(
        _value_url(report, row.indicator.code), {"numerator": "3", "denominator": "4", "version": "1"}, headers=HTMX
    )
    assert AuditEvent.objects.filter(action="reporting.value.set").count() == before + 1
