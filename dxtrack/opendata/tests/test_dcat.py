"""The DCAT catalogue parses as RDF and describes every dataset as DCAT-AP harvesters expect."""

import pytest
import rdflib
from rdflib import RDF, Namespace

from dxtrack.opendata import catalogue

pytestmark = pytest.mark.django_db

# Open namespaces: rdflib's closed DCAT warns when pytest inspects the module's attributes.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
BASE = "http://testserver/du-lieu-mo/"


@pytest.fixture
def graph(client, data) -> rdflib.Graph:
    response = client.get("/du-lieu-mo/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    return rdflib.Graph().parse(data=response.content.decode(), format="json-ld")


def test_the_catalogue_lists_the_five_datasets(graph):
    catalog = rdflib.URIRef(BASE + "catalog.jsonld")
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    datasets = set(graph.objects(catalog, DCAT.dataset))
    assert datasets == {rdflib.URIRef(BASE + "#" + slug) for slug in catalogue.datasets()}
    assert str(graph.value(catalog, DCTERMS.title)) == "Dữ liệu mở về chuyển đổi số tỉnh Thanh Hóa"
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Organization) in graph
    assert str(graph.value(publisher, FOAF.name)) == "Tổ giúp việc Ban Chỉ đạo chuyển đổi số tỉnh Thanh Hóa"


def test_each_dataset_has_a_title_a_licence_and_downloadable_csv_and_json(graph):
    rows = graph.query(
        """
        SELECT ?dataset ?title ?license ?url ?media WHERE {
          ?catalog a dcat:Catalog ; dcat:dataset ?dataset .
          ?dataset a dcat:Dataset ; dct:title ?title ; dct:license ?license ; dcat:distribution ?d .
          ?d a dcat:Distribution ; dcat:downloadURL ?url ; dcat:mediaType ?media .
        }
        """,
        initNs={"dcat": DCAT, "dct": DCTERMS},
    )
    found = {(str(r.dataset), str(r.url), str(r.media), str(r.license)) for r in rows}
    expected = set()
    for slug in catalogue.datasets():
        for fmt, media in (("csv", "text/csv"), ("json", "application/json")):
            expected.add(
                (
                    BASE + "#" + slug,
                    f"{BASE}{slug}.{fmt}",
                    f"https://www.iana.org/assignments/media-types/{media}",
                    "https://creativecommons.org/licenses/by/4.0/",
                )
            )
    assert found == expected
    titles = {str(r.title) for r in rows}
    assert titles == {d.title for d in catalogue.datasets().values()}


def test_datasets_carry_keywords_theme_and_the_latest_approval_as_modified(graph):
    values = rdflib.URIRef(BASE + "#so-lieu-da-duyet")
    assert rdflib.Literal("số liệu", lang="vi") in set(graph.objects(values, DCAT.keyword))
    assert rdflib.URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE") in set(
        graph.objects(values, DCAT.theme)
    )
    modified = graph.value(values, DCTERMS.modified)
    assert modified.toPython().isoformat() == "2025-01-15T10:30:00+07:00"
    assert graph.value(values, DCTERMS.issued) is not None


def test_every_download_url_of_the_catalogue_answers(client, graph):
    for url in graph.objects(None, DCAT.downloadURL):
        response = client.get(str(url).removeprefix("http://testserver"))
        assert response.status_code == 200, url
        b"".join(response.streaming_content)
