"""The API fuzzed from its own OpenAPI description: every operation, with generated requests sent
with a commune's token, answers below 500, and every refusal is JSON with a Vietnamese message."""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from dxtrack.accounts import services as accounts
from dxtrack.accounts.access import SYSTEM
from dxtrack.exchange.api import api
from dxtrack.reports.tests.builders import commune_obligation, unit_people
from dxtrack.wsgi import application

pytestmark = pytest.mark.django_db

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)

# The import takes CSV as DHIS2 does; schemathesis sends generated text for it as it is.
schemathesis.serializer.alias("application/csv", "text/plain")


# The description is built from the code alone (no database), so operations are known at collection.
SCHEMA = api.get_openapi_schema()
OPERATIONS = [
    (method.upper(), path)
    for path, methods in SCHEMA["paths"].items()
    for method in methods
    if method in ("get", "post", "put", "patch", "delete")
]


@pytest.fixture
def token(calendar_2025, settings):
    # Far above anything the fuzzer sends: this test is about answers, not the rate limit.
    settings.DXTRACK_API_RATE_USER = "100000/min"
    reporter, _approver, _secretariat = unit_people(commune_obligation().admin_unit)
    return accounts.token_create(actor=SYSTEM, user=reporter, name="Kiểm thử mờ")[1]


@pytest.fixture
def same_connection():
    """Requests go straight to the WSGI application, which closes the database connection at
    their end; the test's transaction lives on that connection, so keep it open (as Django's own
    test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_operation_fails_and_every_refusal_speaks_vietnamese(method, path, token, same_connection):
    operation = schemathesis.openapi.from_dict(SCHEMA)[path][method]
    auth = {"Authorization": f"Bearer {token}"}

    # Valid requests and invalid ones (wrong types, missing fields, values out of range) alike.
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def check(case):
        response = case.call(app=application, headers=auth)
        shown = f"{case.method} {case.formatted_path} {case.query} {case.body!r:.300}"
        shown += f" → {response.status_code}: {response.text[:500]}"
        assert response.status_code < 500, shown
        if response.status_code >= 400:
            assert response.headers["content-type"][0].startswith("application/json"), shown
            body = response.json()
            assert isinstance(body.get("detail"), str), shown
            assert VIETNAMESE.search(body["detail"]), shown

    check()
