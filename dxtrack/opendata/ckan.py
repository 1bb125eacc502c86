"""The read part of CKAN's action API (API version 3) over the catalogue, so that open-data portals
and their harvesters (ckanext-harvest's CKAN harvester, ckanapi, the national portal's crawler)
read it as they read any CKAN site. Shapes follow CKAN 2.10: the envelope, the package and
resource dicts, and the error types ckanapi turns back into exceptions."""

import datetime
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse

from dxtrack.core.text import fold

from . import catalogue as c
from .dcat import FORMATS, MEDIA_TYPES, file_path

MAX_ROWS = 1000  # CKAN's own default ceiling (ckan.search.rows_max)
DEFAULT_ROWS = 10
# Clients (ckanapi, ckanext-harvest) choose API behaviour by the version a site reports.
CKAN_VERSION = "2.10.0"
NOT_FOUND = "Not Found Error"
VALIDATION = "Validation Error"
SEARCH_QUERY = "Search Query Error"
AUTHORIZATION = "Authorization Error"
WRITE = re.compile(r"_(create|update|patch|delete|purge|revise)$|^(bulk_|member_|user_)")


class ActionError(Exception):
    def __init__(self, kind: str, message: str, *, status: int, fields: dict | None = None):
        super().__init__(message)
        self.kind, self.message, self.status, self.fields = kind, message, status, fields or {}

    def as_dict(self) -> dict:
        return {"__type": self.kind, "message": self.message, **self.fields}


def _id(*parts: str) -> str:
    """A stable UUID per dataset and resource: the same on every host and every run, which is
    what harvesters key their copies on."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "dxtrack:" + settings.DXTRACK_PROVINCE_CODE + ":" + ":".join(parts)))


def _timestamp(moment) -> str | None:
    """CKAN writes naive UTC timestamps with microseconds."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def organization() -> dict:
    return {
        "id": _id("organization"),
        "name": "to-giup-viec-ban-chi-dao-chuyen-doi-so",
        "title": c.publisher_name(),
        "description": f"Cơ quan công bố dữ liệu mở về chuyển đổi số của tỉnh {settings.DXTRACK_PROVINCE_NAME}.",
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
    }


def license_dict() -> dict:
    return {
        "id": c.LICENSE_ID,
        "title": c.LICENSE_TITLE,
        "url": c.LICENSE_URL,
        "od_conformance": "approved",
        "osd_conformance": "not reviewed",
        "status": "active",
    }


def package(dataset: c.Dataset, absolute: Callable[[str], str], meta: dict | None = None) -> dict:
    meta = meta or c.metadata(dataset)
    created, modified = _timestamp(meta["issued"]), _timestamp(meta["modified"])
    package_id = _id("dataset", dataset.slug)
    resources = [
        {
            "id": _id("resource", dataset.slug, fmt),
            "package_id": package_id,
            "name": f"{dataset.title} ({fmt.upper()})",
            "description": f"Toàn bộ tập dữ liệu, tệp {fmt.upper()} mã hóa UTF-8.",
            "url": absolute(file_path(dataset.slug, fmt)),
            "format": fmt.upper(),
            "mimetype": MEDIA_TYPES[fmt],
            "created": created,
            "last_modified": modified,
            "metadata_modified": modified,
            "position": position,
            "state": "active",
            "url_type": None,
        }
        for position, fmt in enumerate(FORMATS)
    ]
    org = organization()
    return {
        "id": package_id,
        "name": dataset.slug,
        "title": dataset.title,
        "notes": dataset.description,
        "type": "dataset",
        "state": "active",
        "private": False,
        "url": absolute(reverse("opendata:index")) + f"#{dataset.slug}",
        "version": None,
        "author": c.publisher_name(),
        "maintainer": c.publisher_name(),
        "license_id": c.LICENSE_ID,
        "license_title": c.LICENSE_TITLE,
        "license_url": c.LICENSE_URL,
        "isopen": True,
        "owner_org": org["id"],
        "organization": org,
        "metadata_created": created,
        "metadata_modified": modified,
        "resources": resources,
        "num_resources": len(resources),
        "tags": [
            {"id": _id("tag", k), "name": k, "display_name": k, "state": "active", "vocabulary_id": None}
            for k in dataset.keywords
        ],
        "num_tags": len(dataset.keywords),
        "groups": [],
        "extras": [
            {"key": "theme", "value": " ".join(dataset.themes)},
            {"key": "frequency", "value": dataset.frequency},
            {"key": "language", "value": "vi"},
        ],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


# ---- parameters ------------------------------------------------------------------------------------------


def _int(params: dict, name: str, default: int, *, maximum: int | None = None) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool) or not re.fullmatch(r"\d{1,12}", str(raw).strip()):
        text = "Phải là số nguyên không âm."
        raise ActionError(VALIDATION, f"{name}: {text}", status=409, fields={name: [text]})
    value = int(str(raw).strip())
    if maximum is not None and value > maximum:
        text = f"Không được lớn hơn {maximum}."
        raise ActionError(VALIDATION, f"{name}: {text}", status=409, fields={name: [text]})
    return value


def _str(params: dict, name: str) -> str:
    raw = params.get(name, "")
    if raw is None:
        return ""
    if not isinstance(raw, str):
        text = "Phải là một chuỗi ký tự."
        raise ActionError(VALIDATION, f"{name}: {text}", status=409, fields={name: [text]})
    if len(raw) > 1000:
        text = "Dài quá 1000 ký tự."
        raise ActionError(VALIDATION, f"{name}: {text}", status=409, fields={name: [text]})
    return raw.strip()


# ---- search --------------------------------------------------------------------------------------------------

FIELD = re.compile(r'([-+]?)([a-z_]+):(\[[^\]]*\]|"[^"]*"|\S+)')
RANGE = re.compile(r"^\[\s*(\S+)\s+TO\s+(\S+)\s*\]$")
SEARCH_FIELDS = {
    "name",
    "title",
    "tags",
    "license_id",
    "organization",
    "res_format",
    "id",
    "metadata_modified",
    # what CKAN itself and ckanext-harvest add to fq: every package here is a public dataset
    "dataset_type",
    "type",
    "state",
    "capacity",
    "groups",
}
SORTS = {"name", "title_string", "metadata_modified", "metadata_created", "score"}


def _solr_time(raw: str) -> datetime.datetime | None:
    """A Solr date in a range ('2024-01-01T00:00:00Z', 'NOW', '*'); None stands for open."""
    if raw == "*":
        return None
    if raw.startswith("NOW"):
        return datetime.datetime.now(datetime.UTC)
    try:
        moment = datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ActionError(SEARCH_QUERY, f"Không đọc được thời điểm “{raw[:40]}”.", status=409) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _matches(package_dict: dict, meta: dict, name: str, value: str) -> bool:
    value = value.strip('"')
    if name == "metadata_modified":
        m = RANGE.match(value)
        if not m:
            raise ActionError(SEARCH_QUERY, "metadata_modified chỉ lọc theo khoảng [từ TO đến].", status=409)
        low, high = _solr_time(m.group(1)), _solr_time(m.group(2))
        moment = meta["modified"]
        return moment is not None and (low is None or moment >= low) and (high is None or moment <= high)
    if name == "tags":
        return fold(value) in {fold(t["name"]) for t in package_dict["tags"]}
    if name == "organization":
        return value == package_dict["organization"]["name"]
    if name in ("dataset_type", "type"):
        return value == "dataset"
    if name == "capacity":
        return value == "public"
    if name == "groups":
        return False  # no groups
    if name == "res_format":
        return value.upper() in {r["format"] for r in package_dict["resources"]}
    return str(package_dict.get(name, "")) == value


def _split(query: str) -> tuple[list[tuple[bool, str, str]], str]:
    """Field terms (negated?, field, value) and the remaining free text of a Solr-like query."""
    terms = []
    for m in FIELD.finditer(query):
        negate, name, value = m.group(1) == "-", m.group(2), m.group(3)
        if name not in SEARCH_FIELDS:
            raise ActionError(SEARCH_QUERY, f"Không tìm được theo trường “{name}”.", status=409)
        terms.append((negate, name, value))
    text = FIELD.sub(" ", query).replace("*:*", " ")
    text = re.sub(r"\b(AND|OR)\b", " ", text)
    return terms, text


def search(params: dict, absolute: Callable[[str], str]) -> dict:
    q, fq, sort = _str(params, "q"), _str(params, "fq"), _str(params, "sort") or "score desc, metadata_modified desc"
    rows = _int(params, "rows", DEFAULT_ROWS, maximum=MAX_ROWS)
    start = _int(params, "start", 0)
    terms_q, text = _split(q)
    terms_fq, rest = _split(fq)
    if rest.strip():
        raise ActionError(SEARCH_QUERY, "fq chỉ gồm các điều kiện dạng trường:giá trị.", status=409)
    words = fold(text).split()
    found = []
    for dataset in c.datasets().values():
        meta = c.metadata(dataset)
        pkg = package(dataset, absolute, meta)
        # Whole words, folded: "nhiem vu" finds "nhiệm vụ" as Solr's ASCII folding would.
        haystack = set(fold(" ".join([dataset.slug, dataset.title, dataset.description, *dataset.keywords])).split())
        if not all(w in haystack for w in words):
            continue
        if all(_matches(pkg, meta, name, value) != negate for negate, name, value in terms_q + terms_fq):
            found.append(pkg)
    for clause in reversed([s.strip() for s in sort.split(",") if s.strip()]):
        parts = clause.split()
        key, direction = parts[0], (parts[1].lower() if len(parts) > 1 else "asc")
        if key not in SORTS or direction not in ("asc", "desc") or len(parts) > 2:
            raise ActionError(SEARCH_QUERY, f"Không sắp xếp được theo “{clause[:60]}”.", status=409)
        if key == "score":
            continue  # every match scores alike here: the catalogue order stands
        field = {"title_string": "title"}.get(key, key)
        found.sort(key=lambda p, f=field: p.get(f) or "", reverse=direction == "desc")
    page = found[start : start + rows]
    return {"count": len(found), "results": page, "sort": sort, "facets": {}, "search_facets": {}}


# ---- actions ---------------------------------------------------------------------------------------------------


def _show(params: dict) -> c.Dataset:
    ident = _str(params, "id") or _str(params, "name")
    if not ident:
        text = "Thiếu giá trị."
        raise ActionError(VALIDATION, f"id: {text}", status=409, fields={"id": [text]})
    by_id = {_id("dataset", slug): d for slug, d in c.datasets().items()}
    found = c.datasets().get(ident) or by_id.get(ident)
    if found is None:
        raise ActionError(NOT_FOUND, f"Không tìm thấy tập dữ liệu “{ident[:80]}”.", status=404)
    return found


HELP = {
    "package_list": "Danh sách tên các tập dữ liệu. Tham số: limit, offset.",
    "package_show": "Thông tin một tập dữ liệu. Tham số: id (tên hoặc mã).",
    "package_search": f"Tìm tập dữ liệu. Tham số: q, fq, sort, rows (tối đa {MAX_ROWS}), start.",
    "status_show": "Thông tin về cổng dữ liệu.",
    "license_list": "Các giấy phép dùng trong cổng dữ liệu.",
    "organization_list": "Các đơn vị công bố dữ liệu.",
    "organization_show": "Thông tin một đơn vị công bố. Tham số: id.",
    "help_show": "Mô tả một thao tác. Tham số: name.",
}


def call(action: str, params: dict, absolute: Callable[[str], str]):
    """The result of one read action, or ActionError with CKAN's error type and status."""
    if action == "package_list":
        limit = _int(params, "limit", MAX_ROWS, maximum=MAX_ROWS)
        offset = _int(params, "offset", 0)
        return list(c.datasets())[offset : offset + limit]
    if action == "package_show":
        return package(_show(params), absolute)
    if action == "package_search":
        return search(params, absolute)
    if action == "status_show":
        return {
            "site_title": c.catalogue_title(),
            "site_description": c.catalogue_description(),
            "site_url": absolute(reverse("opendata:index")).rstrip("/"),
            "ckan_version": CKAN_VERSION,
            "locale_default": "vi",
            "extensions": ["dcat"],
        }
    if action == "license_list":
        return [license_dict()]
    if action == "organization_list":
        return [organization()["name"]] if params.get("all_fields") in (None, "", False, "false") else [organization()]
    if action == "organization_show":
        ident = _str(params, "id")
        org = organization()
        if ident not in (org["id"], org["name"]):
            raise ActionError(NOT_FOUND, f"Không tìm thấy đơn vị “{ident[:80]}”.", status=404)
        return {**org, "package_count": len(c.datasets())}
    if action == "help_show":
        name = _str(params, "name")
        if name not in HELP:
            raise ActionError(NOT_FOUND, f"Không có thao tác “{name[:80]}”.", status=404)
        return HELP[name]
    if WRITE.search(action):
        raise ActionError(AUTHORIZATION, "Cổng dữ liệu mở chỉ cho đọc.", status=403)
    raise ActionError("Bad request", f"Không có thao tác “{action[:80]}”.", status=400)
