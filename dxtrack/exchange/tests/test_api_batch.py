"""The reporting API's batch: many obligations' values in one request, all or nothing across them,
scoped and refused like the one-obligation import, and at a fixed number of queries."""

import json
from decimal import Decimal

import pytest

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.models import AuditEvent
from dxtrack.exchange.schemas import MAX_BATCH_REPORTS
from dxtrack.exchange.tests.test_api import _SHARED_OFF_THE_DATABASE, _other_commune, _rows, _state
from dxtrack.obligations.models import Obligation
from dxtrack.reports.models import DataValue, Report
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tests.builders import filled

pytestmark = pytest.mark.django_db

URL = "/api/reporting/values"


def _post(client, body, **extra):
    return client.post(URL, json.dumps(body), "application/json", **extra)


def _periods(obligation, n: int) -> list[Obligation]:
    """`n` obligations of the same commune and rule, the fixture's first."""
    others = (
        Obligation.objects.filter(rule=obligation.rule, admin_unit=obligation.admin_unit)
        .exclude(pk=obligation.pk)
        .order_by("period__start")
    )
    found = [obligation, *others[: n - 1]]
    assert len(found) == n
    return found


def _batch(obligations, **row_args) -> list[dict]:
    return [{"obligation": o.pk, "values": _rows(o, **row_args)} for o in obligations]


def test_a_batch_saves_every_obligations_values_with_their_audit_events(client, obligation, people):
    # Given a commune's reporter and two of its quarters, neither opened
    reporter = people[0]
    first, second = _periods(obligation, 2)
    client.force_login(reporter)
    # When both quarters' values are sent in one request
    response = _post(client, {"reports": _batch([first, second])})
    # Then both reports are opened and hold every value, each audited as coming from the API
    body = response.json()
    assert response.status_code == 200, body
    per = len(_rows(first))
    assert (body["status"], body["dryRun"], body["imported"], body["updated"], body["ignored"]) == (
        "ok",
        False,
        2 * per,
        0,
        0,
    )
    assert [(r["obligation"], r["status"], r["imported"]) for r in body["reports"]] == [
        (first.pk, "ok", per),
        (second.pk, "ok", per),
    ]
    assert body["reports"][1]["rows"][0]["where"] == "reports[1].values[0]"
    for o in (first, second):
        report = Report.objects.get(obligation=o)
        assert DataValue.objects.filter(report=report).count() == per
        assert AuditEvent.objects.filter(action="reporting.report.create", target_id=str(report.pk)).count() == 1
    events = AuditEvent.objects.filter(action="reporting.value.set")
    assert events.count() == 2 * per
    assert {(e.actor_id, e.reason) for e in events} == {(reporter.pk, "Nhập qua API")}


def test_one_bad_row_in_one_report_saves_nothing_in_any(client, obligation, people):
    first, second = _periods(obligation, 2)
    client.force_login(people[0])
    batch = _batch([first, second])
    batch[1]["values"][0] = {"indicator": "khong-co-ma-nay", "value": 1}
    before = _state()
    # When the second quarter carries one unknown indicator
    response = _post(client, {"reports": batch})
    # Then the answer is 400 naming the row, and neither quarter is saved nor even opened
    body = response.json()
    assert response.status_code == 400
    assert (body["status"], body["detail"]) == ("error", "Có 1 dòng lỗi; chưa lưu gì.")
    assert body["errors"] == ["reports[1].values[0]: Mã chỉ tiêu 'khong-co-ma-nay' không có trong biểu báo cáo này."]
    assert [r["status"] for r in body["reports"]] == ["ok", "error"]
    assert _state() == before


def test_a_dry_run_answers_and_keeps_nothing(client, obligation, people):
    first, second = _periods(obligation, 2)
    client.force_login(people[0])
    before = _state()
    response = _post(client, {"dryRun": True, "reports": _batch([first, second])})
    body = response.json()
    assert (response.status_code, body["status"], body["dryRun"], body["imported"]) == (
        200,
        "ok",
        True,
        2 * len(_rows(first)),
    )
    assert _state() == before


def test_a_second_batch_updates_what_changed(client, obligation, people):
    first, second = _periods(obligation, 2)
    client.force_login(people[0])
    assert _post(client, {"reports": _batch([first, second])}).status_code == 200
    # When the same batch comes again with the first quarter's numbers changed
    batch = _batch([first, second])
    batch[0] = {"obligation": first.pk, "values": _rows(first, numerator="45,5", value=4)}
    response = _post(client, {"reports": batch})
    body = response.json()
    # Then the first quarter's values are updated (version 2), the second's ignored
    per = len(_rows(first))
    assert (response.status_code, body["updated"], body["ignored"]) == (200, per, per)
    assert set(DataValue.objects.filter(report__obligation=first).values_list("version", flat=True)) == {2}
    assert set(DataValue.objects.filter(report__obligation=second).values_list("version", flat=True)) == {1}
    assert sorted(DataValue.objects.filter(report__obligation=first).values_list("value", flat=True)) == [
        Decimal(4)
    ] + [Decimal("45.5")] * (per - 1)


def test_another_units_or_an_unknown_obligation_answers_404_and_nothing_changes(client, obligation, people):
    other = _other_commune(obligation)
    client.force_login(people[0])
    before = _state()
    responses = [
        _post(client, {"reports": _batch([obligation, other])}),
        _post(client, {"reports": [*_batch([obligation]), {"obligation": 999999999, "values": []}]}),
    ]
    # Then both answer 404 alike, naming the id only, and nothing changed (not even the fixture's
    # own obligation, which was in reach)
    assert [(r.status_code, r.json()) for r in responses] == [
        (404, {"detail": f"Không tìm thấy nghĩa vụ báo cáo: {other.pk}.", "errors": []}),
        (404, {"detail": "Không tìm thấy nghĩa vụ báo cáo: 999999999.", "errors": []}),
    ]
    assert _state() == before


def test_an_obligation_sent_twice_is_refused(client, obligation, people):
    client.force_login(people[0])
    before = _state()
    response = _post(client, {"reports": _batch([obligation, obligation])})
    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "Mỗi nghĩa vụ báo cáo chỉ được gửi một lần trong một lần nhập; gửi lại nhiều lần: "
            f"{obligation.pk}.",
            "errors": [],
        },
    )
    assert _state() == before


def test_a_submitted_report_in_the_batch_refuses_the_whole_batch(client, obligation, people):
    reporter, approver, _secretariat = people
    first, second = _periods(obligation, 2)
    report_transition(
        actor=approver, report=filled(report_open(actor=reporter, obligation=second), reporter), action="submit"
    )
    before = _state()
    client.force_login(reporter)
    response = _post(client, {"reports": _batch([first, second], numerator=41)})
    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "Báo cáo đang ở trạng thái “Đã gửi”; chỉ sửa được khi đang soạn hoặc bị trả lại.",
            "errors": [],
        },
    )
    assert _state() == before


def test_a_province_leader_may_not_import(client, obligation, people):
    client.force_login(UserFactory(role=Role.LEADER))
    before = _state()
    response = _post(client, {"reports": _batch([obligation])})
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Chỉ cán bộ của đơn vị được lập báo cáo của đơn vị mình.", "errors": []},
    )
    assert _state() == before


def test_too_many_obligations_or_rows_answer_413(client, obligation, people):
    client.force_login(people[0])
    before = _state()
    many_reports = [{"obligation": i, "values": []} for i in range(1, MAX_BATCH_REPORTS + 2)]
    many_rows = [{"obligation": 1, "values": [{"indicator": f"ma-{i}", "value": i} for i in range(2001)]}]
    responses = [_post(client, {"reports": many_reports}), _post(client, {"reports": many_rows})]
    assert [(r.status_code, r.json()) for r in responses] == [
        (
            413,
            {
                "detail": "Mỗi lần gửi tối đa 200 nghĩa vụ báo cáo; lần này có 201. Hãy chia thành nhiều lần gửi.",
                "errors": [],
            },
        ),
        (
            413,
            {
                "detail": "Mỗi lần gửi tối đa 2.000 dòng số liệu; lần này có 2.001 dòng. Hãy chia thành nhiều lần gửi.",
                "errors": [],
            },
        ),
    ]
    assert _state() == before


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ["body", "reports"]),
        ({"reports": [{"obligation": "1", "values": []}]}, ["body", "reports", 0, "obligation"]),
        ({"reports": [{"obligation": 0, "values": []}]}, ["body", "reports", 0, "obligation"]),
        ({"reports": [{"obligation": 1, "values": [], "extra": 1}]}, ["body", "reports", 0, "extra"]),
        ({"reports": [{"obligation": 1, "values": [{"indicator": "a", "value": True}]}]}, None),
    ],
)
def test_malformed_batches_answer_422_in_vietnamese(client, obligation, people, body, loc):
    client.force_login(people[0])
    before = _state()
    response = _post(client, body)
    assert response.status_code == 422
    answer = response.json()
    assert answer["detail"] == "Dữ liệu gửi lên không đúng đặc tả."
    if loc is not None:
        assert [e["loc"] for e in answer["errors"]] == [loc]
    assert _state() == before


def test_a_batch_runs_the_same_queries_whatever_the_number_of_reports(client, obligation, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from dxtrack.accounts.access import SYSTEM
    from dxtrack.accounts.services import token_create

    reporter = people[0]
    _token, plain = token_create(actor=SYSTEM, user=reporter, name="hệ thống tỉnh")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    first, second = _periods(obligation, 2)
    counted = []
    with override_settings(CACHES=_SHARED_OFF_THE_DATABASE):
        assert client.get("/api/reporting/obligations?limit=1", **auth).status_code == 200
        # When one quarter is sent (its report opened for it), then the next quarter with the first
        # again (one report opened, two read, checked and written)
        for part in ([first], [second, first]):
            body = {"reports": _batch(part)}  # what the sender made before sending
            with CaptureQueriesContext(connection) as queries:
                response = _post(client, body, **auth)
            assert (response.status_code, response.json()["status"]) == (200, "ok")
            counted.append(len(queries.captured_queries))
    # Then both requests ran the same number of queries: the reports are opened, locked, read and
    # written together, not one by one
    assert counted[0] == counted[1], counted
    assert DataValue.objects.filter(report__obligation__in=[first, second]).count() == 2 * len(_rows(obligation))
