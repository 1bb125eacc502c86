"""No request gets a 5xx from its input: every page's query string and path ids, every JSON body.

The pages are found from the URL configuration itself, so a page added later is covered without
being listed here; query parameter names are the ones the views read."""

import json
import re
from contextlib import ExitStack
from unittest import mock

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from dxtrack.core.tests.pages import WalkClient
from dxtrack.exchange.api import api
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.tests.builders import commune_obligation, unit_people

pytestmark = pytest.mark.django_db

HUGE = str(2**63)
# Every query parameter a view or a table export reads.
PARAMS = [
    "trang", "nam", "loai", "tru_cot", "linh_vuc", "van_ban", "co_quan", "chi_tieu", "q", "dong",
    "ngay", "quy-dinh", "xuat", "bang", "don_vi", "ky", "co-quan", "don-vi", "chua-doc",
]  # fmt: skip
HOSTILE = [HUGE, "-" + HUGE, "1e400", "NaN", "\x00", "%00", "<script>alert(1)</script>", "' OR 1=1 --", "x" * 5000]
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _pages(resolver=None, prefix="") -> list[str]:
    """Every page path of the site, with each path parameter replaced by its hostile forms."""
    resolver = resolver or get_resolver()
    paths = []
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if route.startswith("^") or route.startswith("api/") or route.startswith("quan-tri/"):
            continue  # regex patterns are the admin's and the API's own, tested apart
        if isinstance(entry, URLResolver):
            paths += _pages(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            paths.append(prefix + route)
    return paths


def _fill(route: str, value: str) -> str:
    return "/" + CONVERTER.sub(lambda m: value if m.group(1) == "int" else "abc", route)


@pytest.fixture
def users(calendar_2025):
    obligation = commune_obligation()
    reporter, _approver, secretariat = unit_people(obligation.admin_unit)
    report_open(actor=reporter, obligation=obligation)
    return {"secretariat": secretariat, "reporter": reporter, "anonymous": None}


def _client(user, *, walk: bool = False) -> Client:
    client = (QueryWatchingClient if walk else Client)(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


class _WatchedEnviron(dict):
    """A request's WSGI environ that notes each read of its query string. Django reads it only
    through the environ (`request.GET` is parsed from it on first use; `get_full_path()` and
    `build_absolute_uri()` read it too), so a request whose handling never read it answers the same
    whatever its query string says."""

    def __init__(self, environ, reads: list):
        super().__init__(environ)
        self.reads = reads

    def __getitem__(self, key):
        if key == "QUERY_STRING":
            self.reads.append(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        if key == "QUERY_STRING":
            self.reads.append(key)
        return super().get(key, default)

    def __contains__(self, key):
        if key == "QUERY_STRING":
            self.reads.append(key)
        return super().__contains__(key)


class QueryWatchingClient(WalkClient):
    """The walk's client (no templates kept), noting whether each request's query string was read."""

    def environ(self, **request) -> dict:
        self.query_reads: list = []
        return _WatchedEnviron(super().environ(**request), self.query_reads)


def _reads(client, path) -> tuple[bool, list[str]]:
    """Whether the answer to `path` reads its query string at all, and which query parameters (of
    PARAMS) it reads, recorded while it answers a request that carries all of them."""
    read = set()
    originals = {name: getattr(QueryDict, name) for name in ("__getitem__", "get", "getlist", "__contains__")}

    def recording(name):
        original = originals[name]

        def method(self, key, *args, **kwargs):
            read.add(key)
            return original(self, key, *args, **kwargs)

        return method

    with ExitStack() as stack:
        for name in originals:
            stack.enter_context(mock.patch.object(QueryDict, name, recording(name)))
        client.get(path, dict.fromkeys(PARAMS, "1"))
    return bool(client.query_reads), [name for name in PARAMS if name in read]


@pytest.mark.parametrize("role", ["secretariat", "reporter", "anonymous"])
def test_no_page_answers_5xx_to_hostile_query_strings_or_path_ids(users, role):
    # Given every page of the site and a signed-in user of each kind (or nobody)
    # (a client that keeps no rendered templates: only the statuses are read)
    client = _client(users[role], walk=True)
    failures, read, reading = [], set(), set()
    answered: dict[tuple, int] = {}

    def status(path, query=None) -> int:
        # The same request asked again gets the answer it got (a path with no id to fill is the
        # same path for every id): each distinct request is sent once.
        key = (path, tuple(sorted((query or {}).items())))
        if key not in answered:
            answered[key] = client.get(path, query).status_code
        return answered[key]

    for route in sorted(set(_pages())):
        # When the page is asked for with ids no row can have
        for ident in (HUGE, "9" * 40):
            if (code := status(_fill(route, ident))) >= 500:
                failures.append(f"{_fill(route, ident)} → {code}")
        # and, with an id that exists, with every parameter set to each hostile value (where the
        # answer reads its query string at all: else each value would get the same answer)
        path = _fill(route, "1")
        reads_query, names = _reads(client, path)
        if not reads_query:
            continue
        reading.add(path)
        for value in HOSTILE:
            if (code := status(path, dict.fromkeys(PARAMS, value))) >= 500:
                failures.append(f"{path} ?…={value[:20]!r} → {code}")
        # and (as the secretariat, who reaches every page) one huge parameter at a time, so that an
        # early refusal of one parameter does not hide another: each the page's view reads
        if role != "secretariat":
            continue
        read.update(names)
        for name in names:
            if (code := status(path, {name: HUGE})) >= 500:
                failures.append(f"{path} ?{name}={HUGE} → {code}")
    # Then no answer is a server error
    assert failures == []
    # (and the recordings saw the lists read their query strings, and the parameters they filter by)
    assert role != "secretariat" or {"/ke-hoach/nhiem-vu/", "/nhat-ky/", "/bao-cao/"} <= reading
    assert role != "secretariat" or {"trang", "nam", "q"} <= read


def test_the_walk_sees_each_way_a_page_reads_its_query_string(users):
    # Given the walk's client, signed in as the secretariat
    client = _client(users["secretariat"], walk=True)
    # When it asks for a list that filters by parameters, a page whose links keep the query
    # (request.GET.urlencode), a protected page as a visitor (the log-in link keeps the full path)
    # and the health check, which reads nothing
    listing = _reads(client, "/ke-hoach/nhiem-vu/")
    exports = _reads(client, "/nhat-ky/")
    anonymous = _reads(_client(None, walk=True), "/bao-cao/")
    health = _reads(client, "/healthz")
    # Then each reading is seen, and the health check's query string is not read
    assert listing[0] is True and "q" in listing[1]
    assert exports[0] is True
    assert anonymous == (True, [])
    assert health == (False, [])


def _json_operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in ("post", "put", "patch") and "application/json" in operation.get("requestBody", {}).get(
                "content", {}
            ):
                yield method, re.sub(r"\{\w+\}", "1", path)


BOMBS = {
    "arrays": "[" * 100_000 + "]" * 100_000,
    "objects": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "unclosed": "[" * 200_000,
}


@pytest.mark.parametrize("bomb", BOMBS, ids=list(BOMBS))
def test_deeply_nested_json_is_refused_in_vietnamese_by_every_json_endpoint(users, bomb):
    # Given a JSON body nested 50,000 levels deep or more
    body = BOMBS[bomb]
    client = _client(users["secretariat"])
    targets = [(m, p) for m, p in _json_operations()] + [("post", "/du-lieu-mo/api/3/action/package_search")]
    assert len(targets) >= 4
    for method, path in targets:
        # When it is sent to each endpoint that reads JSON
        response = getattr(client, method)(path, body, content_type="application/json")
        # Then the answer is a 4xx in JSON with a Vietnamese reason, not a 500
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert response["Content-Type"].startswith("application/json"), path
        text = json.dumps(response.json(), ensure_ascii=False)
        assert "JSON" in text, (path, text)


NOT_FOUND = "Trang hoặc mục bạn tìm không tồn tại hoặc đã được chuyển."


@pytest.mark.parametrize(
    ("method", "path", "status", "detail"),
    [
        ("get", "/api/khong-co/", 404, NOT_FOUND),
        ("get", "/du-lieu-mo/api/9/x", 404, NOT_FOUND),
        ("delete", "/api/reporting/obligations/1/values", 405, "Phương thức HTTP này không dùng được ở địa chỉ này."),
    ],
)
def test_an_api_request_that_no_endpoint_answers_gets_a_json_error(client, method, path, status, detail):
    # When a machine client asks for an API path that does not exist, or with a method it does not take
    response = getattr(client, method)(path)
    # Then the error is JSON with a Vietnamese reason, not the site's HTML page
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail, "errors": []}


def test_a_body_larger_than_any_request_of_ours_is_refused_before_it_is_read(client, settings):
    # Given a limit of 1 MB on request bodies
    settings.DXTRACK_MAX_REQUEST_BYTES = 1024 * 1024
    from django.test import Client

    client = Client()
    # When a page and an API endpoint are sent a body declared larger
    too_big = str(2 * 1024 * 1024)
    page = client.post("/tai-khoan/dang-nhap/", data=b"x", content_type="text/plain", CONTENT_LENGTH=too_big)
    api = client.post("/api/dataValueSets", data=b"{}", content_type="application/json", CONTENT_LENGTH=too_big)
    # Then both are refused with 413 and a Vietnamese reason (JSON for the API)
    assert page.status_code == 413 and "Nội dung gửi lên lớn quá 1 MB" in page.content.decode()
    assert api.status_code == 413 and api.json()["detail"] == "Nội dung gửi lên lớn quá 1 MB; không nhận."


def test_answers_for_a_signed_in_person_are_never_cached_and_public_ones_may_be(client, users):
    # Given the public dashboard and open data, and a signed-in reporter
    public = client.get("/du-lieu-mo/")
    assert "no-store" not in public.get("Cache-Control", "")
    client.force_login(users["reporter"])
    # When the reporter reads a page and the API
    for path in ("/bao-cao/", "/ke-hoach/", "/api/reporting/obligations"):
        response = client.get(path)
        # Then no cache may keep the answer
        assert response["Cache-Control"] == "private, no-store", path
