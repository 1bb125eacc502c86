"""The pages' autosaving rows (htmx) and the CKAN action API fuzzed: generated field values and
parameters, valid and hostile alike, never get a 5xx; every refusal says why in Vietnamese."""

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxtrack.reports import selectors
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.tests.builders import commune_obligation, unit_people

pytestmark = pytest.mark.django_db

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)

# Text of every kind a field can be sent: numbers written every way, huge ones, markup, controls.
TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", "0", "-1", "12,5", "0.125", "1.250", "1e400", "NaN", str(2**63), "9" * 40, "<b>x</b>"]),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
)
FUZZ = settings(
    max_examples=40, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.fixture
def row_urls(calendar_2025):
    obligation = commune_obligation()
    reporter, _approver, _secretariat = unit_people(obligation.admin_unit)
    report = report_open(actor=reporter, obligation=obligation)
    form = selectors.report_form(report)
    client = Client(raise_request_exception=False)
    client.force_login(reporter)
    return client, {
        "value": (
            f"/bao-cao/{report.pk}/chi-tieu/{form.rows[0].indicator.code}/",
            ("value", "numerator", "denominator", "comment", "version"),
        ),
        "task": (
            f"/bao-cao/{report.pk}/nhiem-vu/{form.tasks[0].task.pk}/",
            ("state", "percent", "output", "evidence_url", "note", "version"),
        ),
        "narrative": (f"/bao-cao/{report.pk}/thuyet-minh/", ("results", "difficulties", "proposals", "version")),
    }


@pytest.mark.parametrize("row", ["value", "task", "narrative"])
def test_no_autosaving_row_answers_5xx_to_anything_typed(row_urls, row):
    client, urls = row_urls
    url, fields = urls[row]

    @FUZZ
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(fields, TEXT)))
    def check(data):
        response = client.post(url, data, headers={"HX-Request": "true"})
        assert response.status_code < 500, (data, response.status_code)

    check()


@pytest.mark.parametrize("action", ["package_list", "package_show", "package_search", "organization_list", "khong_co"])
def test_the_ckan_api_answers_every_parameter_without_5xx_and_in_vietnamese(action, db):
    client = Client(raise_request_exception=False)
    names = ["id", "q", "fq", "rows", "start", "sort", "limit", "offset", "include_private"]
    values = st.one_of(
        TEXT, st.integers(min_value=-(2**70), max_value=2**70), st.booleans(), st.none(), st.lists(TEXT, max_size=3)
    )

    @FUZZ
    @given(params=st.dictionaries(st.sampled_from(names), values, max_size=5), post=st.booleans())
    def check(params, post):
        if post:
            response = client.post(f"/du-lieu-mo/api/3/action/{action}", params, content_type="application/json")
        else:
            plain = {k: v for k, v in params.items() if isinstance(v, str)}
            response = client.get(f"/du-lieu-mo/api/3/action/{action}", plain)
        assert response.status_code < 500, (params, response.status_code)
        body = response.json()
        if not body.get("success"):
            assert VIETNAMESE.search(str(body["error"])), body

    check()
