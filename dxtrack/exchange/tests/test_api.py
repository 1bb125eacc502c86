"""The reporting JSON API: scope, imports (all or nothing), the workflow, and errors that are always
JSON with a Vietnamese message, never a 500."""

import json
from decimal import Decimal

import pytest

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.models import AuditEvent
from dxtrack.obligations.models import Obligation
from dxtrack.org.tests.factories import current_commune
from dxtrack.reports import selectors
from dxtrack.reports.models import DataValue, Report, TaskUpdate
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tests.builders import HAM_RONG, filled

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Không tìm thấy.", "errors": []}


@pytest.fixture
def reporter(db):
    """A commune's reporter without the register and calendar: enough wherever the request is
    refused before any obligation is looked up (authentication, the body, the query)."""
    return UserFactory(role=Role.REPORTER, admin_unit=current_commune(HAM_RONG), agency=None)


# The schema is checked before the obligation is looked up, so any id answers alike.
ANY_VALUES_URL = "/api/reporting/obligations/1/values"


def _other_commune(obligation) -> Obligation:
    return (
        Obligation.objects.filter(rule=obligation.rule, period=obligation.period, admin_unit__isnull=False)
        .exclude(admin_unit=obligation.admin_unit)
        .order_by("admin_unit__code")
        .first()
    )


def _rows(obligation, numerator=40, value=3) -> list[dict]:
    """A valid value for every indicator the obligation's form asks."""
    rows = []
    for indicator in selectors.form_indicators(obligation):
        if selectors.indicator_spec(indicator).is_ratio:
            rows.append({"indicator": indicator.code, "numerator": numerator, "denominator": 100})
        else:
            rows.append({"indicator": indicator.code, "value": value})
    return rows


def _codes(obligation) -> list[str]:
    return [i.code for i in selectors.form_indicators(obligation)]


def _post(client, url, body):
    return client.post(url, json.dumps(body) if not isinstance(body, str | bytes) else body, "application/json")


def _values_url(obligation) -> str:
    return f"/api/reporting/obligations/{obligation.pk}/values"


def _state():
    """Everything an import could change, to check that a refusal changed nothing."""
    return (Report.objects.count(), DataValue.objects.count(), TaskUpdate.objects.count(), AuditEvent.objects.count())


# ---- reading -------------------------------------------------------------------------------------


def test_a_unit_lists_only_its_own_obligations_and_the_secretariat_all(client, obligation, people):
    reporter, _approver, secretariat = people
    # Given the 2025 calendar; when the commune's reporter lists the quarterly obligations of 2025
    client.force_login(reporter)
    response = client.get("/api/reporting/obligations?year=2025&period_type=quarterly&limit=200")
    # Then only the commune's own come back, Quý III and Quý IV, each without a report yet
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (2, 200, 0)
    assert body["items"][0] == {
        "id": obligation.pk,
        "unit": {"code": "14758", "name": "Phường Hàm Rồng", "kind": "admin_unit"},
        "period": {
            "label": "Quý III/2025",
            "type": "quarterly",
            "start": "2025-07-01",
            "end": "2025-09-30",
            "data_from": "2025-06-15",
            "data_to": "2025-09-14",
        },
        "plan": {"code": "kh-bcd-cds-2024", "reference": "Kế hoạch năm 2024"},
        "due": "2025-09-15",
        "report": None,
    }
    assert [i["period"]["label"] for i in body["items"]] == ["Quý III/2025", "Quý IV/2025"]
    # When the secretariat lists them, it sees every unit's, paginated
    client.force_login(secretariat)
    everything = Obligation.objects.filter(period__year=2025, period__period_type="quarterly").count()
    page = client.get("/api/reporting/obligations?year=2025&period_type=quarterly&limit=10&offset=20").json()
    assert (page["count"], len(page["items"]), page["offset"]) == (everything, 10, 20)


def test_the_status_filter_finds_opened_and_missing_reports(client, obligation, people):
    reporter = people[0]
    report_open(actor=reporter, obligation=obligation)
    client.force_login(reporter)
    drafts = client.get("/api/reporting/obligations?status=draft").json()
    missing = client.get("/api/reporting/obligations?status=missing").json()
    report = Report.objects.get(obligation=obligation)
    assert [(i["id"], i["report"]) for i in drafts["items"]] == [
        (obligation.pk, {"id": report.pk, "status": "draft", "version": 1})
    ]
    assert obligation.pk not in [i["id"] for i in missing["items"]]
    assert missing["count"] == Obligation.objects.filter(admin_unit=obligation.admin_unit).count() - 1


@pytest.mark.parametrize(
    ("query", "loc", "message"),
    [
        ("limit=201", ["query", "limit"], "Phải nhỏ hơn hoặc bằng 200."),
        ("limit=0", ["query", "limit"], "Phải lớn hơn hoặc bằng 1."),
        ("year=abc", ["query", "year"], "Phải là số nguyên."),
        ("status=lost", ["query", "status"], None),
    ],
)
def test_a_bad_query_answers_422_in_vietnamese(client, reporter, query, loc, message):
    client.force_login(reporter)
    response = client.get(f"/api/reporting/obligations?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Dữ liệu gửi lên không đúng đặc tả."
    assert [e["loc"] for e in body["errors"]] == [loc]
    if message:
        assert body["errors"][0]["message"] == message
    else:
        assert body["errors"][0]["message"].startswith("Phải là một trong: ")


def test_a_report_shows_its_values_tasks_and_narrative(client, obligation, people):
    reporter = people[0]
    report = report_open(actor=reporter, obligation=obligation)
    filled(report, reporter)
    client.force_login(reporter)
    response = client.get(f"/api/reporting/reports/{report.pk}")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("id", "obligation", "status", "version", "allowedActions", "returnReason")} == {
        "id": report.pk,
        "obligation": obligation.pk,
        "status": "draft",
        "version": 1,
        "allowedActions": [],
        "returnReason": "",
    }
    ratio = next(r for r in _rows(obligation) if "numerator" in r)["indicator"]
    assert next(v for v in body["values"] if v["indicator"] == ratio) == {
        "indicator": ratio,
        "value": 40,
        "numerator": 40,
        "denominator": 100,
        "comment": "",
        "version": 1,
    }
    assert sorted(v["indicator"] for v in body["values"]) == sorted(_codes(obligation))
    updates = TaskUpdate.objects.filter(report=report).order_by("task_id")
    assert [(t["task"], t["state"], t["percent"], t["evidenceFile"]) for t in body["tasks"]] == [
        (u.task_id, "in_progress", 50, False) for u in updates
    ]
    assert body["narrative"] == {"results": "", "difficulties": "", "proposals": ""}


# ---- importing values ----------------------------------------------------------------------------


def test_a_dry_run_returns_the_summary_and_saves_nothing(client, obligation, people):
    # Given a reporter of the commune and no report yet
    client.force_login(people[0])
    before = _state()
    # When a full set of values is sent as a dry run
    response = _post(client, _values_url(obligation), {"dryRun": True, "values": _rows(obligation)})
    # Then the summary says what would be imported, and nothing is saved, not even the report
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "dryRun": True,
        "imported": 5,
        "updated": 0,
        "ignored": 0,
        "rows": [
            {"indicator": code, "result": "imported", "reason": "", "where": f"values[{i}]", "findings": []}
            for i, code in enumerate(_codes(obligation))
        ],
        "detail": None,
        "errors": [],
    }
    assert _state() == before


def test_an_import_saves_the_values_with_their_audit_events(client, obligation, people):
    reporter = people[0]
    client.force_login(reporter)
    rows = _rows(obligation)
    rows[0]["comment"] = "Số liệu của phòng Văn hóa"
    # When the values are sent for real
    response = _post(client, _values_url(obligation), {"values": rows})
    # Then each is imported, stored on the report opened for it, and audited as coming from the API
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["imported"]) == ("ok", 5)
    report = Report.objects.get(obligation=obligation)
    stored = {dv.indicator.code: dv for dv in DataValue.objects.filter(report=report).select_related("indicator")}
    assert sorted(stored) == sorted(_codes(obligation))
    first = stored[rows[0]["indicator"]]
    assert (first.numerator, first.denominator, first.value, first.comment, first.version) == (
        Decimal(40),
        Decimal(100),
        Decimal(40),
        "Số liệu của phòng Văn hóa",
        1,
    )
    events = AuditEvent.objects.filter(action="reporting.value.set").order_by("id")
    assert [(e.actor_id, e.target_id) for e in events] == [(reporter.pk, str(stored[c].pk)) for c in _codes(obligation)]
    assert all(e.reason.startswith("Nhập qua API") for e in events)
    assert events[0].reason == "Nhập qua API: Số liệu của phòng Văn hóa"
    assert AuditEvent.objects.filter(action="reporting.report.create", target_id=str(report.pk)).count() == 1


def test_sending_the_same_values_again_ignores_every_row(client, obligation, people):
    client.force_login(people[0])
    assert _post(client, _values_url(obligation), {"values": _rows(obligation)}).status_code == 200
    before = _state()
    response = _post(client, _values_url(obligation), {"values": _rows(obligation)})
    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["imported"], body["updated"], body["ignored"]) == ("ok", 0, 0, 5)
    assert {(r["result"], r["reason"]) for r in body["rows"]} == {("ignored", "Không thay đổi so với số liệu đã lưu.")}
    assert _state() == before
    assert set(DataValue.objects.values_list("version", flat=True)) == {1}


def test_changed_values_are_updated_and_versioned(client, obligation, people):
    client.force_login(people[0])
    _post(client, _values_url(obligation), {"values": _rows(obligation)})
    response = _post(client, _values_url(obligation), {"values": _rows(obligation, numerator="45,5", value=4)})
    assert response.status_code == 200
    assert (response.json()["updated"], response.json()["ignored"]) == (5, 0)
    assert set(DataValue.objects.values_list("version", flat=True)) == {2}
    assert sorted(DataValue.objects.values_list("value", flat=True)) == [Decimal(4)] + [Decimal("45.5")] * 4


HOW = "dùng dấu phẩy cho phần thập phân, ví dụ 12,5; dấu chấm chỉ để tách hàng nghìn, ví dụ 1.250"


def test_bad_rows_answer_400_with_a_reason_each_and_save_nothing(client, obligation, people):
    client.force_login(people[0])
    good = _rows(obligation)
    ratio = next(r for r in good if "numerator" in r)["indicator"]
    count = next(r for r in good if "value" in r)["indicator"]
    spare = next(r["indicator"] for r in good if r["indicator"] not in {ratio, count, good[1]["indicator"]})
    before = _state()
    # Given one good row and four wrong ones
    rows = [
        {"indicator": count, "value": 3},
        {"indicator": "khong-co-ma-nay", "value": 1},
        {"indicator": count, "value": 4},
        {"indicator": ratio, "value": 40},
        {"indicator": good[1]["indicator"], "numerator": "bốn mươi", "denominator": 100},
        # A string with a decimal point is as ambiguous here as on the page: refused, never 125
        {"indicator": spare, "numerator": "0.125", "denominator": 1},
    ]
    response = _post(client, _values_url(obligation), {"values": rows})
    # Then the answer is 400, each wrong row says why and where, and nothing is saved
    assert response.status_code == 400
    body = response.json()
    reasons = [
        ("imported", "", "values[0]"),
        ("error", "Mã chỉ tiêu 'khong-co-ma-nay' không có trong biểu báo cáo này.", "values[1]"),
        ("error", "Chỉ tiêu này xuất hiện nhiều lần; mỗi chỉ tiêu chỉ nhập một lần.", "values[2]"),
        ("error", "Chỉ tiêu tỷ lệ: nhập tử số và mẫu số (hệ thống tự tính tỷ lệ).", "values[3]"),
        ("error", f"“bốn mươi” không phải là số ({HOW}).", "values[4]"),
        ("error", f"“0.125” không rõ nghĩa (nếu là số thập phân, viết 0,125): {HOW}.", "values[5]"),
    ]
    assert [(r["result"], r["reason"], r["where"]) for r in body["rows"]] == reasons
    assert (body["status"], body["detail"]) == ("error", "Có 5 dòng lỗi; chưa lưu gì.")
    assert body["errors"] == [f"{where}: {reason}" for _result, reason, where in reasons[1:]]
    assert _state() == before


def test_a_stale_version_answers_409_and_keeps_the_newer_value(client, obligation, people):
    client.force_login(people[0])
    rows = _rows(obligation)
    _post(client, _values_url(obligation), {"values": rows})
    # Given someone else changed the first value since the client read it at version 1
    changed = dict(rows[0], numerator=50)
    assert _post(client, _values_url(obligation), {"values": [changed]}).status_code == 200
    before = _state()
    # When the client sends its change against version 1
    stale = dict(rows[0], numerator=60, version=1)
    response = _post(client, _values_url(obligation), {"values": [stale, dict(rows[1], numerator=70)]})
    # Then it is refused as a conflict, and neither row is saved
    assert response.status_code == 409
    body = response.json()
    assert [(r["result"], r["where"]) for r in body["rows"]] == [("conflict", "values[0]"), ("updated", "values[1]")]
    assert body["detail"] == "Có 1 dòng vừa bị người khác thay đổi; chưa lưu gì. Hãy tải lại số liệu rồi gửi lại."
    assert _state() == before
    assert DataValue.objects.get(indicator__code=rows[0]["indicator"]).numerator == Decimal(50)


def test_a_submitted_report_refuses_values(client, obligation, people):
    reporter, approver, _secretariat = people
    report = filled(report_open(actor=reporter, obligation=obligation), reporter)
    report_transition(actor=approver, report=report, action="submit")
    before = _state()
    client.force_login(reporter)
    response = _post(client, _values_url(obligation), {"values": _rows(obligation, numerator=41)})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Báo cáo đang ở trạng thái “Đã gửi”; chỉ sửa được khi đang soạn hoặc bị trả lại.",
        "errors": [],
    }
    assert _state() == before


def test_another_units_obligation_and_report_answer_404_and_nothing_changes(client, obligation, people):
    # Given the neighbouring commune's obligation, with a report it opened
    other = _other_commune(obligation)
    neighbour = UserFactory(role=Role.REPORTER, admin_unit=other.admin_unit, agency=None)
    other_report = report_open(actor=neighbour, obligation=other)
    before = _state()
    # When Hàm Rồng's reporter reads or writes them
    client.force_login(people[0])
    responses = [
        _post(client, _values_url(other), {"values": _rows(other)}),
        client.get(f"/api/reporting/reports/{other_report.pk}"),
        _post(client, f"/api/reporting/reports/{other_report.pk}/tasks", {"tasks": []}),
        _post(client, f"/api/reporting/reports/{other_report.pk}/transitions", {"action": "submit"}),
        # ids that do not exist answer the same, so ids reveal nothing
        _post(client, "/api/reporting/obligations/999999999/values", {"values": []}),
        client.get("/api/reporting/reports/999999999"),
    ]
    # Then each answers 404 with the same body, and nothing changed
    assert [(r.status_code, r.json()) for r in responses] == [(404, NOT_FOUND)] * 6
    assert _state() == before


def test_a_province_leader_may_read_but_not_import(client, obligation, people):
    leader = UserFactory(role=Role.LEADER)
    client.force_login(leader)
    before = _state()
    response = _post(client, _values_url(obligation), {"values": _rows(obligation)})
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Chỉ cán bộ của đơn vị được lập báo cáo của đơn vị mình.", "errors": []},
    )
    assert _state() == before


def test_anonymous_callers_get_401(client, db):
    responses = [
        client.get("/api/reporting/obligations"),
        _post(client, ANY_VALUES_URL, {"values": [{"indicator": "x", "value": 1}]}),
    ]
    assert [(r.status_code, r.json()) for r in responses] == [
        (401, {"detail": "Cần đăng nhập để dùng API này.", "errors": []})
    ] * 2
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "status", "locs"),
    [
        ("{bad json", 400, []),
        (b"\xff\xfe\x00", 400, []),
        ("", 422, [["body"]]),
        ("[]", 422, [["body"]]),
        ({"values": {"indicator": "x"}}, 422, [["body", "values"]]),
        ({"values": [{"indicator": 5}]}, 422, [["body", "values", 0, "indicator"]]),
        ({"values": [{"indicator": "x", "value": True}]}, 422, [["body", "values", 0, "value"]]),
        ({"values": [{"indicator": "x", "value": [1]}]}, 422, [["body", "values", 0, "value"]]),
        ({"values": [{"indicator": "x", "version": "1"}]}, 422, [["body", "values", 0, "version"]]),
        ({"values": [], "dryRun": "yes"}, 422, [["body", "dryRun"]]),
        ({"values": [], "dryrun": True}, 422, [["body", "dryrun"]]),
        ({"values": [{"indicator": "x", "colour": "red"}]}, 422, [["body", "values", 0, "colour"]]),
        ({"values": [{"indicator": "x" * 100_000}]}, 422, [["body", "values", 0, "indicator"]]),
        ({"values": [{"indicator": "x", "value": "9" * 10_000}]}, 422, [["body", "values", 0, "value"]]),
        ({"values": [{"indicator": "x", "comment": "a" * 30_000}]}, 422, [["body", "values", 0, "comment"]]),
    ],
)
def test_malformed_bodies_answer_json_4xx_never_500(client, reporter, body, status, locs):
    client.force_login(reporter)
    before = _state()
    response = _post(client, ANY_VALUES_URL, body)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    payload = response.json()
    if status == 400:
        assert payload == {"detail": "Nội dung gửi lên không phải JSON hợp lệ.", "errors": []}
    else:
        assert payload["detail"] == "Dữ liệu gửi lên không đúng đặc tả."
        assert [e["loc"] for e in payload["errors"]] == locs
        assert all(e["message"] for e in payload["errors"])
    assert _state() == before


def test_wrong_field_messages_are_vietnamese(client, reporter):
    client.force_login(reporter)
    body = {"values": [{"indicator": 5, "value": True, "version": -1, "colour": "red"}]}
    errors = _post(client, ANY_VALUES_URL, body).json()["errors"]
    assert [(e["loc"][-1], e["message"]) for e in errors] == [
        ("indicator", "Phải là văn bản."),
        ("value", "Phải là một số, một chuỗi số hoặc null."),
        ("version", "Phải lớn hơn hoặc bằng 0."),
        ("colour", "Trường này không có trong đặc tả API."),
    ]


def test_more_than_2000_rows_answer_413(client, reporter):
    client.force_login(reporter)
    rows = [{"indicator": f"ma-{i}", "value": i} for i in range(2001)]
    response = _post(client, ANY_VALUES_URL, {"values": rows})
    assert (response.status_code, response.json()) == (
        413,
        {
            "detail": "Mỗi lần gửi tối đa 2.000 dòng số liệu; lần này có 2.001 dòng. Hãy chia thành nhiều lần gửi.",
            "errors": [],
        },
    )
    assert Report.objects.count() == 0


# ---- task updates and the workflow ---------------------------------------------------------------


def test_task_updates_import_and_refuse_bad_rows(client, obligation, people):
    reporter = people[0]
    report = report_open(actor=reporter, obligation=obligation)
    tasks = [task.pk for task, _role in selectors.form_tasks(obligation)]
    client.force_login(reporter)
    url = f"/api/reporting/reports/{report.pk}/tasks"
    # A wrong row refuses the whole set
    bad = [{"task": tasks[0], "state": "done", "percent": 100}, {"task": tasks[1], "state": "done", "percent": 40}]
    response = _post(client, url, {"tasks": bad})
    assert response.status_code == 400
    assert [(r["task"], r["result"], r["reason"]) for r in response.json()["rows"]] == [
        (str(tasks[0]), "imported", ""),
        (str(tasks[1]), "error", "Nhiệm vụ đã hoàn thành thì tiến độ là 100%."),
    ]
    assert TaskUpdate.objects.count() == 0
    # A good set is saved
    good = [{"task": t, "state": "in_progress", "percent": 30, "evidenceUrl": "https://example.vn/a"} for t in tasks]
    response = _post(client, url, {"tasks": good})
    assert (response.status_code, response.json()["imported"]) == (200, len(tasks))
    assert set(TaskUpdate.objects.values_list("percent", "evidence_url")) == {(30, "https://example.vn/a")}
    assert AuditEvent.objects.filter(action="reporting.task_update.set", reason="Nhập qua API").count() == len(tasks)


def test_the_workflow_through_the_api(client, obligation, people):
    reporter, approver, secretariat = people
    # Given the reporter sends every value and every task update through the API
    client.force_login(reporter)
    assert _post(client, _values_url(obligation), {"values": _rows(obligation)}).status_code == 200
    report = Report.objects.get(obligation=obligation)
    tasks = [{"task": t.pk, "state": "in_progress", "percent": 50} for t, _role in selectors.form_tasks(obligation)]
    assert _post(client, f"/api/reporting/reports/{report.pk}/tasks", {"tasks": tasks}).status_code == 200
    url = f"/api/reporting/reports/{report.pk}/transitions"
    # The reporter may not submit: only the unit's approver signs
    response = _post(client, url, {"action": "submit"})
    assert (response.status_code, response.json()["detail"]) == (
        403,
        "Chỉ lãnh đạo đơn vị được ký gửi báo cáo của đơn vị mình.",
    )
    # When the approver submits against the version read
    client.force_login(approver)
    response = _post(client, url, {"action": "submit", "version": 1})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("submitted", 2)
    # A second submit against the old version is a conflict
    response = _post(client, url, {"action": "submit", "version": 1})
    assert (response.status_code, response.json()["detail"]) == (
        409,
        "Báo cáo vừa được người khác thay đổi; hãy tải lại trang.",
    )
    # Returning needs a reason; approving is the secretariat's
    client.force_login(secretariat)
    response = _post(client, url, {"action": "return", "version": 2})
    assert (response.status_code, response.json()) == (400, {"detail": "Cần ghi lý do trả lại.", "errors": []})
    response = _post(client, url, {"action": "approve", "version": 2})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["allowedActions"]) == ("approved", ["lock", "unlock"])
    report.refresh_from_db()
    assert (report.status, report.submitted_by, report.decided_by) == ("approved", approver, secretariat)
    assert list(
        AuditEvent.objects.filter(target_type="reports.report", target_id=str(report.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["reporting.report.create", "reporting.report.submit", "reporting.report.approve"]
    # An unknown action is refused by the schema
    response = _post(client, url, {"action": "publish"})
    assert response.status_code == 422


def test_the_openapi_schema_loads(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/reporting/obligations",
        "/api/reporting/reports/{report_id}",
        "/api/reporting/obligations/{obligation_id}/values",
        "/api/reporting/reports/{report_id}/tasks",
        "/api/reporting/reports/{report_id}/transitions",
    } <= set(paths)
    assert set(paths["/api/reporting/obligations/{obligation_id}/values"]["post"]["responses"]) >= {
        "200",
        "400",
        "401",
        "404",
        "409",
        "413",
        "422",
    }


# ---- the fixed cost of a request (issue 14 item 6) -------------------------------------------------

# The shared cache where production keeps it with Redis (the rate limit's counts): not the database.
_SHARED_OFF_THE_DATABASE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
}


def test_an_import_request_runs_the_same_dozen_queries_whatever_its_size(client, obligation, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from dxtrack.accounts.access import SYSTEM
    from dxtrack.accounts.services import token_create

    reporter, _approver, _secretariat = people
    _token, plain = token_create(actor=SYSTEM, user=reporter, name="hệ thống tỉnh")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    rows, url = _rows(obligation), _values_url(obligation)
    assert len(rows) >= 4
    counted = []
    with override_settings(CACHES=_SHARED_OFF_THE_DATABASE):
        # Given the report opened, and a token already used once (its last use is written at most
        # once a minute)
        report_open(actor=SYSTEM, obligation=obligation)
        assert client.get("/api/reporting/obligations?limit=1", **auth).status_code == 200
        # When another system imports two new values, then every other value of the form
        for part in (rows[:2], rows[2:]):
            with CaptureQueriesContext(connection) as queries:
                response = client.post(url, json.dumps({"values": part}), "application/json", **auth)
            assert (response.status_code, response.json()["imported"]) == (200, len(part))
            counted.append([q["sql"] for q in queries.captured_queries])
    # Then every value is saved with its audit event, and each request ran the same 12 queries: the
    # token with its user, the obligation, the report locked, the form's indicators, the stored
    # values, the history, the rules between values, the values inserted together (their keys
    # returned), their audit events together, the report's time, and the transaction's two ends (a
    # savepoint here, inside the test's own transaction; BEGIN and COMMIT in production). SQLite
    # adds a savepoint around the insert (two more), that tells a raced row apart; PostgreSQL's
    # error names the row itself. No session, no rate-limit count in the database.
    assert DataValue.objects.filter(report__obligation=obligation).count() == len(rows)
    assert AuditEvent.objects.filter(action="reporting.value.set").count() == len(rows)
    expected = 14 if connection.vendor == "sqlite" else 12
    for sql in counted:
        assert len(sql) == expected, "\n".join(s[:120] for s in sql)
        assert not [s for s in sql if "django_session" in s or "cache" in s]
