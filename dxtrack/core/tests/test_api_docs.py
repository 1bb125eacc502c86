"""The API docs (/api/docs) work with no Internet access and describe everything in Vietnamese."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

from dxtrack.exchange.api import api

# A letter only Vietnamese (of the languages a reader here meets) writes: a description without one
# is English or a bare code.
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)
URL_ATTRS = {"src", "href", "action", "data", "poster"}


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        self.refs += [value for name, value in attrs if name in URL_ATTRS and value]


def _properties(node, where="#"):
    """Every (where, name, property schema) of every object schema anywhere in the document."""
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            yield f"{where}/properties/{name}", name, prop
        for key, child in node.items():
            yield from _properties(child, f"{where}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _properties(child, f"{where}/{i}")


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema()


def test_the_docs_page_loads_everything_from_this_server(client):
    # When the docs page is opened
    response = client.get("/api/docs")
    # Then it loads, in Vietnamese, and every script, style and icon it refers to is a local path
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    parser = _Refs()
    parser.feed(html)
    assert parser.refs, "the page refers to its scripts and styles"
    for ref in parser.refs:
        assert ref.startswith("/") and not ref.startswith("//"), ref
    assert "cdn" not in html.lower()
    # and every one of them is a static file the project serves
    for ref in parser.refs:
        assert ref.startswith("/static/"), ref
        assert finders.find(ref.removeprefix("/static/")), ref


def test_the_docs_do_not_call_the_online_validator(client):
    html = client.get("/api/docs").content.decode()
    assert '"validatorUrl": null' in html


def test_the_served_document_has_no_key_twice(client):
    # Swagger UI refuses a document with a repeated key (Python's 200 and "200" both become "200").
    repeated = []

    def pairs(items):
        keys = [k for k, _ in items]
        repeated.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(items)

    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=pairs)
    assert repeated == []


def test_every_operation_has_a_vietnamese_summary_and_description(schema):
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    # the reporting API's seven (with the batch import), DHIS2's import and export
    assert len(operations) == 9
    assert ("/api/reporting/values", "post") in {(path, method) for path, method, _op in operations}
    for path, method, op in operations:
        assert VIETNAMESE.search(op.get("summary", "")), (method, path, op.get("summary"))
        assert VIETNAMESE.search(op.get("description", "")), (method, path, op.get("description"))


def test_every_parameter_has_a_vietnamese_description(schema):
    parameters = [
        (path, p) for path, ops in schema["paths"].items() for op in ops.values() for p in op.get("parameters", [])
    ]
    assert parameters
    for path, p in parameters:
        text = p.get("description") or p.get("schema", {}).get("description", "")
        assert VIETNAMESE.search(text), (path, p["name"], text)


def test_every_schema_field_has_a_vietnamese_description(schema):
    fields = list(_properties(schema))
    # the components and the DHIS2 import's body, written in place
    assert len(fields) > 150
    missing = [where for where, _name, prop in fields if not VIETNAMESE.search(prop.get("description", ""))]
    assert missing == []


def test_swagger_ui_labels_have_vietnamese_replacements():
    # Swagger UI has no translations of its own; the labels a reader sees are replaced as it renders.
    with open(finders.find("js/swagger-ui-vi.js"), encoding="utf-8") as f:
        script = f.read()
    for label in ("Try it out", "Execute", "Parameters", "Responses", "Request body", "Schemas", "Authorize"):
        assert f'"{label}":' in script
