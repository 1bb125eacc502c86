"""The API for other systems: token authentication scoped to a unit, rate limits, and DHIS2's
dataValueSets (JSON and CSV) in and out."""

import json
from decimal import Decimal

import pytest
from django.test import Client, override_settings

from dxtrack.accounts import services as accounts
from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.api_auth import INVALID_TOKEN
from dxtrack.accounts.models import ApiToken
from dxtrack.core.models import AuditEvent
from dxtrack.exchange import dhis2
from dxtrack.reports import selectors
from dxtrack.reports.models import DataValue, Report, TaskUpdate
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.workflow import report_transition
from dxtrack.reports.tests.builders import filled, neighbour

pytestmark = pytest.mark.django_db

URL = "/api/dataValueSets"


@pytest.fixture
def token(people):
    """The plain token of the commune's reporter."""
    return accounts.token_create(actor=SYSTEM, user=people[0], name="Phần mềm xã")[1]


@pytest.fixture
def api(token):
    """A client that checks CSRF like a browser's, carrying the commune's token."""
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")


def _state():
    """Everything an import could change, to check that a refusal changed nothing."""
    return (
        Report.objects.count(),
        DataValue.objects.count(),
        TaskUpdate.objects.count(),
        AuditEvent.objects.count(),
        sorted(DataValue.objects.values_list("pk", "version")),
    )


def _data_values(obligation, numerator="40", value="3") -> list[dict]:
    """A valid DHIS2 data value (two for a ratio) for every indicator the form asks."""
    rows = []
    for indicator in selectors.form_indicators(obligation):
        if selectors.indicator_spec(indicator).is_ratio:
            rows += [
                {"dataElement": indicator.code, "categoryOptionCombo": "numerator", "value": numerator},
                {"dataElement": indicator.code, "categoryOptionCombo": "denominator", "value": "100"},
            ]
        else:
            rows.append({"dataElement": indicator.code, "categoryOptionCombo": "default", "value": value})
    return rows


def _set(obligation, rows, **extra) -> dict:
    return {"period": "2025Q3", "orgUnit": obligation.admin_unit.code, "dataValues": rows, **extra}


def _post(client, body, query="", content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(f"{URL}{query}", data, content_type)


# ---- tokens --------------------------------------------------------------------------------------------


def test_a_token_reads_its_own_units_obligations_without_csrf(client, obligation, token):
    # When another system lists obligations with the commune's token (and no session, no CSRF)
    for scheme in ("Bearer", "ApiToken"):
        response = Client(enforce_csrf_checks=True).get(
            "/api/reporting/obligations?year=2025&period_type=quarterly", HTTP_AUTHORIZATION=f"{scheme} {token}"
        )
        # Then it sees the commune's two quarterly obligations, and only those
        assert response.status_code == 200
        assert [i["unit"]["code"] for i in response.json()["items"]] == [obligation.admin_unit.code] * 2


def test_a_token_writes_values_without_a_csrf_header(api, obligation):
    rows = [
        {"indicator": r["dataElement"], "value": r["value"]}
        for r in _data_values(obligation)
        if r["categoryOptionCombo"] == "default"
    ][:1]
    response = api.post(
        f"/api/reporting/obligations/{obligation.pk}/values",
        json.dumps({"values": rows}),
        "application/json",
    )
    assert response.status_code == 200
    assert response.json()["imported"] == 1
    value = DataValue.objects.get(report__obligation=obligation)
    assert (value.indicator.code, value.value) == (rows[0]["indicator"], Decimal("3"))


@pytest.mark.parametrize("case", ["revoked", "expired", "unknown", "empty"])
def test_a_bad_token_answers_401_in_vietnamese_even_with_a_session(client, obligation, people, token, case):
    record = ApiToken.objects.get(user=people[0])
    if case == "revoked":
        accounts.token_revoke(actor=people[0], token=record)
    elif case == "expired":
        ApiToken.objects.filter(pk=record.pk).update(expires_at="2025-01-01T00:00:00Z")
    sent = {"revoked": token, "expired": token, "unknown": token[:-2] + "zz", "empty": ""}[case]
    # A session of the same user does not rescue a bad token
    client.force_login(people[0])
    before = _state()
    response = client.post(
        f"/api/reporting/obligations/{obligation.pk}/values",
        json.dumps({"values": []}),
        "application/json",
        HTTP_AUTHORIZATION=f"Bearer {sent}",
    )
    assert response.status_code == 401
    assert response.json() == {"detail": INVALID_TOKEN, "errors": []}
    assert _state() == before


def test_a_token_of_one_unit_cannot_reach_anothers_obligation(api, obligation):
    other = neighbour(obligation)
    before = _state()
    url = f"/api/reporting/obligations/{other.pk}/values"
    response = api.post(url, json.dumps({"values": [{"indicator": "x", "value": 1}]}), "application/json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy.", "errors": []}
    assert _state() == before


# ---- rate limits -----------------------------------------------------------------------------------------


@override_settings(DXTRACK_API_RATE_USER="2/min")
def test_the_rate_limit_answers_429_in_vietnamese(api, obligation):
    url = "/api/reporting/obligations?limit=1"
    assert [api.get(url).status_code for _ in range(2)] == [200, 200]
    response = api.get(url)
    assert response.status_code == 429
    assert response.json() == {"detail": "Gửi quá nhiều yêu cầu; hãy thử lại sau.", "errors": []}
    assert int(response["Retry-After"]) > 0


@override_settings(DXTRACK_API_RATE_USER="1/min")
def test_the_rate_limit_is_per_user(client, obligation, people, token):
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/reporting/obligations?limit=1").status_code == 200
    assert api.get("/api/reporting/obligations?limit=1").status_code == 429
    client.force_login(people[1])  # the approver, by session: a count of their own
    assert client.get("/api/reporting/obligations?limit=1").status_code == 200


# ---- dataValueSets: import ---------------------------------------------------------------------------


def test_a_dry_run_counts_what_would_be_imported_and_saves_nothing(api, obligation):
    rows = _data_values(obligation)
    before = _state()
    response = _post(api, _set(obligation, rows), "?dryRun=true&importStrategy=CREATE_AND_UPDATE")
    assert response.status_code == 200
    assert response.json() == {
        "responseType": "ImportSummary",
        "status": "SUCCESS",
        "description": "Kiểm tra xong (dryRun): số liệu hợp lệ, chưa lưu.",
        "importCount": {"imported": len(rows), "updated": 0, "ignored": 0, "deleted": 0},
        "conflicts": [],
        "dryRun": True,
        "detail": None,
    }
    assert _state() == before


def test_an_import_saves_values_and_ratio_parts_then_updates_them(api, obligation, people):
    rows = _data_values(obligation)
    ratios = {r["dataElement"] for r in rows if r["categoryOptionCombo"] == "numerator"}
    # When the commune's system sends its quarter, with the plan named
    response = _post(api, _set(obligation, rows, dataSet="kh-bcd-cds-2024"))
    # Then every value is saved in a draft report, ratios as numerator and denominator
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["importCount"]) == (
        "SUCCESS",
        {"imported": len(rows), "updated": 0, "ignored": 0, "deleted": 0},
    )
    report = Report.objects.get(obligation=obligation)
    assert report.status == "draft"
    stored = {dv.indicator.code: dv for dv in report.values.select_related("indicator")}
    assert set(stored) == {r["dataElement"] for r in rows}
    for code, dv in stored.items():
        if code in ratios:
            assert (dv.numerator, dv.denominator, dv.value) == (Decimal(40), Decimal(100), Decimal("40"))
        else:
            assert (dv.value, dv.numerator, dv.updated_by) == (Decimal(3), None, people[0])
    assert AuditEvent.objects.filter(action="reporting.value.set").count() == len(stored)
    # When it sends the same again, with one number changed
    changed = [dict(r) for r in rows]
    first_plain = next(r for r in changed if r["categoryOptionCombo"] == "default")
    first_plain["value"] = "4.0"
    response = _post(api, _set(obligation, changed))
    assert response.status_code == 200, response.json()
    plain_rows = sum(1 for r in rows if r["categoryOptionCombo"] == "default")
    assert response.json()["importCount"] == {
        "imported": 0,
        "updated": 1,
        "ignored": len(rows) - 1,
        "deleted": 0,
    }
    assert report.values.get(indicator__code=first_plain["dataElement"]).value == Decimal("4")
    assert plain_rows >= 1


@pytest.mark.parametrize(
    ("pid", "parsed"),
    [
        ("2025Q3", ("quarterly", 2025, 3)),
        ("2025S2", ("semiannual", 2025, 2)),
        ("2025", ("yearly", 2025, 1)),
        ("2025Q5", None),
        ("2025AprilS1", None),
        ("202507", None),
        ("", None),
    ],
)
def test_dhis2_period_ids(pid, parsed):
    assert dhis2.parse_period(pid) == parsed


def test_dhis2_numbers_use_a_decimal_point():
    # "1.234" is one point two three four in DHIS2, not the Vietnamese one thousand two hundred…
    assert dhis2.parse_value("1.234") == Decimal("1.234")
    assert dhis2.parse_value(" -12 ") == Decimal("-12")
    assert dhis2.parse_value("") is None
    assert dhis2.parse_value(7) == 7
    for bad in ("1.234,5", "12,5", "abc", "1e99999", True):
        with pytest.raises(dhis2._BadValue):
            dhis2.parse_value(bad)
    assert [dhis2.wire_number(Decimal(d)) for d in ("100.0000", "0.0000", "12.5000")] == ["100", "0", "12.5"]


def test_a_csv_import_reads_dhis2s_columns(api, obligation):
    rows = _data_values(obligation)
    lines = ["dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup"]
    for r in rows:
        lines.append(
            f"{r['dataElement']},2025Q3,{obligation.admin_unit.code},{r['categoryOptionCombo']},,{r['value']},,,,"
        )
    for content_type in ("application/csv", "text/csv"):
        response = _post(api, "\n".join(lines), "?dryRun=true", content_type)
        assert response.status_code == 200, response.json()
        assert response.json()["importCount"]["imported"] == len(rows)
    assert not Report.objects.filter(obligation=obligation).exists()


def test_bad_rows_come_back_as_conflicts_and_nothing_is_saved(api, obligation):
    good = _data_values(obligation)
    plain = next(r for r in good if r["categoryOptionCombo"] == "default")
    rows = [
        *good,
        {"dataElement": "khong-co", "value": "1"},
        {"dataElement": plain["dataElement"], "period": "2025M07", "value": "1"},
        {"dataElement": plain["dataElement"], "period": "2024Q3", "value": "1"},
        {"dataElement": plain["dataElement"], "period": "2025Q4", "categoryOptionCombo": "male", "value": "1"},
        {"dataElement": plain["dataElement"], "period": "2025Q4", "value": "1,5"},
        {"dataElement": plain["dataElement"], "value": "4"},  # a second value for the same cell
    ]
    before = _state()
    response = _post(api, _set(obligation, rows))
    assert response.status_code == 409
    body = response.json()
    n = len(good)
    assert (body["status"], body["importCount"], body["detail"]) == (
        "ERROR",
        {"imported": 0, "updated": 0, "ignored": len(rows), "deleted": 0},
        "Có 6 lỗi; chưa lưu số liệu nào.",
    )
    code = obligation.admin_unit.code
    assert body["conflicts"] == [
        {
            "object": "khong-co",
            "value": f"Mã chỉ tiêu 'khong-co' không có trong biểu báo cáo kỳ 2025Q3 của đơn vị {code}.",
            "indexes": [n],
        },
        {
            "object": "2025M07",
            "value": "Kỳ '2025M07' không đúng cách viết của DHIS2 (ví dụ 2025Q3 (quý), 2025S1 (6 tháng), 2025 (năm)).",
            "indexes": [n + 1],
        },
        {"object": "2024Q3", "value": "Kỳ 2024Q3 chưa có trong lịch báo cáo.", "indexes": [n + 2]},
        {
            "object": "male",
            "value": "categoryOptionCombo phải là 'default' (hoặc trống) cho giá trị, 'numerator' (tử số) hoặc "
            "'denominator' (mẫu số) cho chỉ tiêu tỷ lệ.",
            "indexes": [n + 3],
        },
        {
            "object": plain["dataElement"],
            "value": "Giá trị '1,5' không phải là số (DHIS2 dùng dấu chấm thập phân, ví dụ 12.5).",
            "indexes": [n + 4],
        },
        {
            "object": plain["dataElement"],
            "value": "Chỉ tiêu xuất hiện nhiều lần trong kỳ 2025Q3 với cùng categoryOptionCombo.",
            "indexes": [n + 5],
        },
    ]
    assert _state() == before


def test_a_value_failing_its_check_is_an_error_of_the_whole_set(api, obligation):
    rows = _data_values(obligation, numerator="140")  # a share above 100 %
    before = _state()
    response = _post(api, _set(obligation, rows))
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "ERROR"
    ratio_rows = [i for i, r in enumerate(rows) if r["categoryOptionCombo"] in ("numerator", "denominator")]
    assert sorted(i for c in body["conflicts"] for i in c["indexes"]) == ratio_rows
    assert _state() == before


def test_another_units_org_unit_is_not_found_and_nothing_changes(api, obligation):
    other = neighbour(obligation)
    before = _state()
    for unit in (other.admin_unit.code, "99999"):
        response = _post(api, _set(obligation, _data_values(obligation), orgUnit=unit))
        assert response.status_code == 404
        assert response.json() == {"detail": f"Không tìm thấy đơn vị '{unit}' trong phạm vi của bạn.", "errors": []}
    assert _state() == before


def test_an_unknown_data_set_is_a_conflict(api, obligation):
    response = _post(api, _set(obligation, _data_values(obligation)[:1], dataSet="khong-co"))
    assert response.status_code == 409
    assert response.json()["conflicts"] == [
        {
            "object": "khong-co",
            "value": f"Đơn vị {obligation.admin_unit.code} không có nghĩa vụ báo cáo kỳ 2025Q3"
            " theo kế hoạch 'khong-co'.",
            "indexes": [0],
        }
    ]


@pytest.mark.parametrize(
    ("query", "body", "content_type", "status", "detail"),
    [
        ("?importStrategy=DELETE", {"dataValues": []}, "application/json", 422, "Dữ liệu gửi lên không đúng đặc tả."),
        ("", "{not json", "application/json", 400, "Nội dung gửi lên không phải JSON hợp lệ."),
        ("", {"dataValues": [{"value": "1"}]}, "application/json", 422, "Dữ liệu gửi lên không đúng đặc tả."),
        ("", {"dataValue": []}, "application/json", 422, "Dữ liệu gửi lên không đúng đặc tả."),
        ("", "<xml/>", "application/xml", 415, "Chỉ nhận nội dung application/json hoặc text/csv (application/csv)."),
        ("", "a,b\n", "text/csv", 400, "Tệp CSV không đúng các cột của DHIS2."),
        ("", b"\xff\xfe", "text/csv", 400, "Nội dung gửi lên phải là văn bản UTF-8."),
        ("", {"dataValues": [{"dataElement": "x"}] * 2001}, "application/json", 413, None),
    ],
)
def test_malformed_imports_answer_a_vietnamese_4xx(api, obligation, query, body, content_type, status, detail):
    before = _state()
    response = _post(api, body, query, content_type)
    assert response.status_code == status
    if detail:
        assert response.json()["detail"] == detail
    else:
        assert response.json()["detail"] == (
            "Mỗi lần gửi tối đa 2.000 số liệu; lần này có 2.001. Hãy chia thành nhiều lần gửi."
        )
    assert _state() == before


def test_a_422_names_the_field_where_the_client_wrote_it(api, obligation):
    response = _post(api, {"dataValues": [{"dataElement": "x", "value": True}]})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "loc": ["body", "dataValues", 0, "value"],
            "message": "Phải là một số, một chuỗi số hoặc null.",
            "type": "dx_number_type",
        }
    ]


# ---- dataValueSets: export ---------------------------------------------------------------------------


def test_export_then_reimport_changes_nothing(api, obligation, people):
    report = report_open(actor=people[0], obligation=obligation)
    filled(report, people[0])
    # When the commune exports its quarter (its own draft included) as JSON
    response = api.get(f"{URL}?dataSet=kh-bcd-cds-2024&period=2025Q3&orgUnit={obligation.admin_unit.code}")
    assert response.status_code == 200
    exported = response.json()
    assert (exported["dataSet"], exported["period"], exported["orgUnit"]) == (
        "kh-bcd-cds-2024",
        "2025Q3",
        obligation.admin_unit.code,
    )
    values = exported["dataValues"]
    ratio = next(v for v in values if v["categoryOptionCombo"] == "numerator")
    assert {k: ratio[k] for k in ("period", "orgUnit", "attributeOptionCombo", "value", "storedBy", "followup")} == {
        "period": "2025Q3",
        "orgUnit": obligation.admin_unit.code,
        "attributeOptionCombo": "default",
        "value": "40",
        "storedBy": people[0].username,
        "followup": False,
    }
    assert len(values) == len(_data_values(obligation))  # a ratio as two rows, numerator and denominator
    # Then importing it back (dry run) finds every value unchanged
    before = _state()
    again = _post(api, exported, "?dryRun=true")
    assert again.status_code == 200
    assert again.json()["importCount"] == {"imported": 0, "updated": 0, "ignored": len(values), "deleted": 0}
    # And so does the CSV export
    csv_text = api.get(f"{URL}?period=2025Q3", HTTP_ACCEPT="text/csv")
    assert csv_text["Content-Type"] == "text/csv; charset=utf-8"
    lines = csv_text.content.decode().splitlines()
    assert lines[0] == "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup"
    assert len(lines) == len(values) + 1
    again = _post(api, csv_text.content, "?dryRun=true&dataSet=kh-bcd-cds-2024", "application/csv")
    assert again.status_code == 200
    assert again.json()["importCount"]["ignored"] == len(values)
    assert _state() == before
    assert api.get(f"{URL}?period=2025Q3&format=csv").content == csv_text.content


def test_the_secretariat_exports_approved_values_only(client, obligation, people):
    reporter, approver, secretariat = people
    report = filled(report_open(actor=reporter, obligation=obligation), reporter)
    client.force_login(secretariat)
    url = f"{URL}?period=2025Q3&orgUnit={obligation.admin_unit.code}"
    assert client.get(url).json()["dataValues"] == []
    report_transition(actor=approver, report=report, action="submit")
    report_transition(actor=secretariat, report=report, action="approve")
    values = client.get(url).json()["dataValues"]
    assert {v["dataElement"] for v in values} == {c for c in report.values.values_list("indicator__code", flat=True)}


def test_an_export_of_another_unit_or_a_bad_period_is_refused(api, obligation):
    other = neighbour(obligation)
    response = api.get(f"{URL}?orgUnit={other.admin_unit.code}")
    assert response.status_code == 404
    assert response.json()["detail"] == f"Không tìm thấy đơn vị '{other.admin_unit.code}' trong phạm vi của bạn."
    response = api.get(f"{URL}?period=2025W12")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Kỳ '2025W12' không đúng cách viết của DHIS2")
    assert api.get(f"{URL}?startDate=hom-qua").status_code == 422
