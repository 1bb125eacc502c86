"""The catalogue as DCAT in JSON-LD, for harvesters that read DCAT-AP (data.europa.eu style) rather
than the CKAN API. Terms are written compact with prefixes the context declares, so rdflib and any
JSON-LD processor expand them to the W3C IRIs without fetching anything."""

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse

from . import catalogue as c

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# IANA media types as IRIs (DCAT 2 recommends them) and the EU file-type authority for dct:format.
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}
FILE_TYPES = {
    "csv": "http://publications.europa.eu/resource/authority/file-type/CSV",
    "json": "http://publications.europa.eu/resource/authority/file-type/JSON",
}
LANGUAGE = "http://publications.europa.eu/resource/authority/language/VIE"
FORMATS = ("csv", "json")


def _text(value: str) -> dict:
    return {"@value": value, "@language": "vi"}


def _moment(value) -> dict | None:
    iso = c.isoformat(value)
    return {"@value": iso, "@type": "xsd:dateTime"} if iso else None


def file_path(slug: str, fmt: str) -> str:
    return reverse("opendata:file", kwargs={"slug": slug, "fmt": fmt})


def _publisher(absolute: Callable[[str], str]) -> dict:
    return {
        "@id": absolute(reverse("opendata:index")) + "#don-vi-cong-bo",
        "@type": "foaf:Organization",
        "foaf:name": _text(c.publisher_name()),
    }


def _contact(absolute: Callable[[str], str]) -> dict:
    contact = {
        "@type": "vcard:Organization",
        "vcard:fn": _text(c.publisher_name()),
        "vcard:hasURL": {"@id": absolute(reverse("opendata:index"))},
    }
    email = getattr(settings, "DXTRACK_OPENDATA_EMAIL", "")
    if email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{email}"}
    return contact


def dataset_node(dataset: c.Dataset, meta: dict, absolute: Callable[[str], str]) -> dict:
    landing = absolute(reverse("opendata:index")) + f"#{dataset.slug}"
    node = {
        "@id": landing,
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.slug,
        "dct:title": _text(dataset.title),
        "dct:description": _text(dataset.description),
        "dct:publisher": {"@id": _publisher(absolute)["@id"]},
        "dct:license": {"@id": c.LICENSE_URL},
        "dct:language": {"@id": LANGUAGE},
        "dcat:keyword": [_text(k) for k in dataset.keywords],
        "dcat:theme": [{"@id": t} for t in dataset.themes],
        "dcat:landingPage": {"@id": landing},
        "dcat:contactPoint": _contact(absolute),
        "dct:accrualPeriodicity": {"@id": "http://publications.europa.eu/resource/authority/frequency/IRREG"},
        "dcat:distribution": [
            {
                "@id": absolute(file_path(dataset.slug, fmt)),
                "@type": "dcat:Distribution",
                "dct:title": _text(f"{dataset.title} ({fmt.upper()})"),
                "dcat:downloadURL": {"@id": absolute(file_path(dataset.slug, fmt))},
                "dcat:accessURL": {"@id": absolute(file_path(dataset.slug, fmt))},
                "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[fmt]}"},
                "dct:format": {"@id": FILE_TYPES[fmt]},
                "dct:license": {"@id": c.LICENSE_URL},
                **({"dct:modified": _moment(meta["modified"])} if meta["modified"] else {}),
            }
            for fmt in FORMATS
        ],
    }
    for term, key in (("dct:issued", "issued"), ("dct:modified", "modified")):
        if meta[key]:
            node[term] = _moment(meta[key])
    return node


def catalog(absolute: Callable[[str], str]) -> dict:
    """The whole catalogue; `absolute` turns a path into a URL of the host the request came to."""
    nodes, latest = [], []
    for dataset in c.datasets().values():
        meta = c.metadata(dataset)
        nodes.append(dataset_node(dataset, meta, absolute))
        latest.append(meta["modified"])
    out = {
        "@context": CONTEXT,
        "@id": absolute(reverse("opendata:catalog")),
        "@type": "dcat:Catalog",
        "dct:title": _text(c.catalogue_title()),
        "dct:description": _text(c.catalogue_description()),
        "dct:publisher": _publisher(absolute),
        "dct:license": {"@id": c.LICENSE_URL},
        "dct:language": {"@id": LANGUAGE},
        "foaf:homepage": {"@id": absolute(reverse("opendata:index"))},
        "dcat:themeTaxonomy": {"@id": "http://publications.europa.eu/resource/authority/data-theme"},
        "dcat:dataset": nodes,
    }
    first = c.issued()
    if first:
        out["dct:issued"] = _moment(first)
    known = [m for m in latest if m]
    if known:
        out["dct:modified"] = _moment(max(known))
    return out
