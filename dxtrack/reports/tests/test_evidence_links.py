"""Evidence links of task updates: checked on the server like every other field, with a message
beside the field; a refused link in the form never costs the rest of the row."""

import html

import pytest
from django.urls import reverse

from dxtrack.core.models import AuditEvent
from dxtrack.reports import selectors
from dxtrack.reports.models import TaskUpdate
from dxtrack.reports.services.evidence import check_evidence_url
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.task_updates import TaskInput, task_updates_apply
from dxtrack.reports.tests.builders import unit_people

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
NOTE = "Đã gửi biên bản nghiệm thu cho Sở KH&CN."

NOT_HTTP = "Đường dẫn minh chứng phải bắt đầu bằng http:// hoặc https://, ví dụ https://example.gov.vn/tai-lieu."
NOT_A_URL = "Đường dẫn minh chứng không phải một địa chỉ web hợp lệ (có khoảng trắng hoặc thiếu tên miền?)."
TOO_LONG = "Đường dẫn minh chứng dài quá 500 ký tự."
HUGE = "https://example.gov.vn/" + "a" * 480  # 503 characters

BAD_LINKS = [
    ("javascript:alert(document.cookie)", NOT_HTTP),
    ("JavaScript:alert(1)", NOT_HTTP),
    ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", NOT_HTTP),
    ("vbscript:msgbox(1)", NOT_HTTP),
    ("ftp://example.gov.vn/file.pdf", NOT_HTTP),
    ("www.example.gov.vn/bien-ban.pdf", NOT_HTTP),
    ("htps://example.gov.vn", NOT_HTTP),
    ("https://", NOT_A_URL),
    ("http://exa mple.gov.vn/a", NOT_A_URL),
    ('https://example.gov.vn/"><script>alert(1)</script>', NOT_A_URL),
    (HUGE, TOO_LONG),
]


@pytest.fixture
def people(obligation):
    reporter, _approver, secretariat = unit_people(obligation.admin_unit)
    return {"reporter": reporter, "secretariat": secretariat}


@pytest.fixture
def report(obligation, people):
    return report_open(actor=people["reporter"], obligation=obligation)


@pytest.fixture
def task(report):
    return next(t for t in selectors.report_form(report).tasks if t.role == "lead").task


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://example.gov.vn/bien-ban.pdf", "https://example.gov.vn/bien-ban.pdf"),
        ("  http://thanhhoa.gov.vn/tin-tuc?id=12#a  ", "http://thanhhoa.gov.vn/tin-tuc?id=12#a"),
        ("HTTPS://EXAMPLE.GOV.VN/A", "HTTPS://EXAMPLE.GOV.VN/A"),
        ("https://dichvucong.thanhhoa.gov.vn/đường-dẫn", "https://dichvucong.thanhhoa.gov.vn/đường-dẫn"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_a_web_address_or_nothing_is_accepted(link, expected):
    assert check_evidence_url(link) == (expected, "")


@pytest.mark.parametrize(("link", "message"), BAD_LINKS)
def test_anything_else_is_refused_with_a_reason(link, message):
    assert check_evidence_url(link) == ("", message)


def test_a_link_that_is_not_text_is_refused():
    assert check_evidence_url(["https://example.gov.vn"]) == ("", "Đường dẫn minh chứng phải là văn bản.")


@pytest.mark.parametrize(("link", "message"), BAD_LINKS)
def test_the_form_saves_the_rest_of_the_row_and_says_why_beside_the_link(client, report, people, task, link, message):
    # Given the reporter on her report's form
    client.force_login(people["reporter"])
    url = reverse("reports:task", args=[report.pk, task.pk])
    # When she types a bad link, then a note, and the row autosaves
    response = client.post(
        url,
        {"state": "in_progress", "percent": "40", "output": "", "evidence_url": link, "note": NOTE, "version": "0"},
        headers=HTMX,
    )
    # Then the rest of the row is saved, without the link
    assert response.status_code == 200
    update = TaskUpdate.objects.get(report=report, task=task)
    assert (update.state, update.percent, update.note, update.evidence_url, update.version) == (
        "in_progress",
        40,
        NOTE,
        "",
        1,
    )
    # and the answer says why beside the link, keeps what she typed in it, and says the rest is saved
    page = response.content.decode()
    field_msg = f'<div id="nv-{task.pk}-evidence_url-msg" class="field-msg"><p class="error" role="alert">'
    assert field_msg + f"Chưa lưu đường dẫn: {html.escape(message)}</p>" in page
    assert f'value="{html.escape(link)}"' in page
    assert 'aria-invalid="true"' in page
    assert f">{NOTE.replace('&', '&amp;')}</textarea>" in page
    assert "Đã lưu lúc" in page
    # and a hostile link appears nowhere as a link
    assert f'href="{html.escape(link)}"' not in page


def test_a_bad_link_keeps_the_link_saved_before(client, report, people, task):
    # Given a row saved with a good link
    client.force_login(people["reporter"])
    url = reverse("reports:task", args=[report.pk, task.pk])
    good = "https://example.gov.vn/bien-ban.pdf"
    client.post(url, {"state": "done", "evidence_url": good, "version": "0"}, headers=HTMX)
    # When the link is changed to a bad one and a note added
    response = client.post(
        url, {"state": "done", "evidence_url": "javascript:x", "note": NOTE, "version": "1"}, headers=HTMX
    )
    # Then the note is saved and the good link kept
    assert response.status_code == 200
    update = TaskUpdate.objects.get(report=report, task=task)
    assert (update.evidence_url, update.note, update.version) == (good, NOTE, 2)
    changes = AuditEvent.objects.filter(action="reporting.task_update.set").order_by("pk").last().changes
    assert "evidence_url" not in changes and "note" in changes


def test_a_bad_link_alone_changes_nothing(client, report, people, task):
    client.force_login(people["reporter"])
    url = reverse("reports:task", args=[report.pk, task.pk])
    client.post(url, {"state": "done", "version": "0"}, headers=HTMX)
    events = AuditEvent.objects.count()
    response = client.post(url, {"state": "done", "evidence_url": "data:,x", "version": "1"}, headers=HTMX)
    assert response.status_code == 200 and NOT_HTTP in html.unescape(response.content.decode())
    update = TaskUpdate.objects.get(report=report, task=task)
    assert (update.evidence_url, update.version) == ("", 1)
    assert AuditEvent.objects.count() == events


def test_another_error_in_the_row_still_refuses_it_all_and_keeps_what_was_typed(client, report, people, task):
    client.force_login(people["reporter"])
    url = reverse("reports:task", args=[report.pk, task.pk])
    response = client.post(
        url,
        {"state": "in_progress", "percent": "", "evidence_url": "javascript:x", "note": NOTE, "version": "0"},
        headers=HTMX,
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Chưa lưu: Nhập tiến độ (%) của nhiệm vụ đang triển khai." in page
    assert NOTE in page and 'value="javascript:x"' in page
    assert not TaskUpdate.objects.exists()


def test_without_htmx_the_messages_come_back_on_the_page(client, report, people, task):
    client.force_login(people["reporter"])
    url = reverse("reports:task", args=[report.pk, task.pk])
    response = client.post(
        url, {"state": "done", "evidence_url": "javascript:x", "note": NOTE, "version": "0"}, follow=True
    )
    assert NOT_HTTP in html.unescape(response.content.decode())
    assert TaskUpdate.objects.get(report=report, task=task).note == NOTE


@pytest.mark.parametrize(("link", "message"), BAD_LINKS[:3] + BAD_LINKS[-1:])
def test_the_api_refuses_the_whole_row_all_or_nothing(report, people, task, link, message):
    rows = [TaskInput(task.pk, "done", None, "", link, NOTE, where="tasks[0]")]
    summary = task_updates_apply(actor=people["reporter"], report=report, rows=rows, source="api")
    assert (summary.status, summary.rows[0].reason) == ("error", message)
    assert not TaskUpdate.objects.exists()


def test_the_form_renders_its_autosaving_forms_without_native_validation(client, report, people):
    # The browser would otherwise refuse to send a row (silently, under htmx) that the server explains.
    client.force_login(people["reporter"])
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    forms = [tag for tag in page.split("<form")[1:] if "hx-post" in tag.split(">")[0]]
    assert forms
    assert all("novalidate" in tag.split(">")[0] for tag in forms)
