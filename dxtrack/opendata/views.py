"""Open data, anonymous and read only: the catalogue page, the files, DCAT and the CKAN API.
Every refusal is a 4xx with its reason in Vietnamese, in the format the caller asked for."""

import csv
import json
from collections.abc import Iterator
from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from dxtrack.core import jsonin
from dxtrack.core.exports import csv_cell

from . import catalogue as c
from . import ckan, dcat

# Open data is meant to be read from other sites' pages too (portals preview files with script).
CORS = {"Access-Control-Allow-Origin": "*"}
BOM = "\ufeff"  # so that Excel opens UTF-8 Vietnamese as UTF-8, not as the ANSI code page


def _absolute(request):
    return request.build_absolute_uri


def _dates(meta: dict) -> dict:
    return {"Last-Modified": http_date(meta["modified"].timestamp())} if meta["modified"] else {}


@require_safe
def index(request):
    entries = []
    for dataset in c.datasets().values():
        meta = c.metadata(dataset)
        files = [(fmt.upper(), request.build_absolute_uri(dcat.file_path(dataset.slug, fmt))) for fmt in dcat.FORMATS]
        entries.append({"dataset": dataset, "meta": meta, "files": files})
    return render(
        request,
        "opendata/index.html",
        {
            "entries": entries,
            "title": c.catalogue_title(),
            "publisher": c.publisher_name(),
            "license_title": c.LICENSE_TITLE,
            "license_url": c.LICENSE_URL,
            "catalog_url": request.build_absolute_uri(reverse("opendata:catalog")),
            "api_url": request.build_absolute_uri(reverse("opendata:index")),
            "max_rows": ckan.MAX_ROWS,
        },
    )


@require_safe
def catalog(request):
    body = json.dumps(dcat.catalog(_absolute(request)), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8", headers=CORS)


# ---- files ---------------------------------------------------------------------------------------------


class _Echo:
    """csv.writer writes into this and gets the line back, so rows stream one by one."""

    def write(self, value: str) -> str:
        return value


def _csv(dataset: c.Dataset, filters: c.Filters) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield BOM + writer.writerow([csv_cell(col.name) for col in dataset.columns])
    for row in dataset.rows(filters):
        yield writer.writerow([csv_cell(v) for v in row])


def _json(dataset: c.Dataset, filters: c.Filters, meta: dict, absolute) -> Iterator[str]:
    head = {
        "tap_du_lieu": dataset.slug,
        "tieu_de": dataset.title,
        "mo_ta": dataset.description,
        "don_vi_cong_bo": meta["publisher"],
        "giay_phep": {"ten": c.LICENSE_TITLE, "duong_dan": c.LICENSE_URL},
        "cap_nhat": c.isoformat(meta["modified"]),
        "bo_loc": {k: v for k, v in (("nam", filters.year), ("chi_tieu", filters.indicator)) if v},
        "nguon": absolute(reverse("opendata:index")),
        "truong": [{"ten": col.name, "mo_ta": col.description, "kieu": col.kind} for col in dataset.columns],
    }
    # The head closed by hand: the rows go between "[" and "]" as they are read.
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "du_lieu": ['
    names = [col.name for col in dataset.columns]
    first = True
    for row in dataset.rows(filters):
        yield ("\n" if first else ",\n") + json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False)
        first = False
    yield "\n]}\n"


def _file_error(fmt: str, message: str, status: int) -> HttpResponse:
    if fmt == "json":
        return JsonResponse({"loi": message}, status=status, json_dumps_params={"ensure_ascii": False}, headers=CORS)
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8", headers=CORS)


@require_safe
def download(request, slug: str, fmt: str):
    if fmt not in dcat.FORMATS:
        return _file_error("", "Chỉ có tệp .csv và .json.", 404)
    try:
        dataset = c.dataset_get(slug)
        filters = c.parse_filters(dataset, request.GET)
    except c.BadRequest as e:
        return _file_error(fmt, e.message, e.status)
    meta = c.metadata(dataset)
    if fmt == "csv":
        body, content_type = _csv(dataset, filters), "text/csv; charset=utf-8"
    else:
        body, content_type = _json(dataset, filters, meta, _absolute(request)), "application/json; charset=utf-8"
    response = StreamingHttpResponse(body, content_type=content_type, headers={**CORS, **_dates(meta)})
    response["Content-Disposition"] = content_disposition_header(True, f"{dataset.slug}{filters.suffix()}.{fmt}")
    return response


# ---- CKAN action API ------------------------------------------------------------------------------------


def _ckan(request, action: str, payload: dict, status: int = 200) -> JsonResponse:
    help_url = request.build_absolute_uri(reverse("opendata:ckan_action", args=["help_show"]))
    help_url += "?" + urlencode({"name": action})
    return JsonResponse(
        {"help": help_url, **payload},
        status=status,
        json_dumps_params={"ensure_ascii": False},
        headers=CORS,
    )


def _params(request) -> dict:
    """The action's arguments: the query string on GET, the JSON object (or form) on POST, as
    CKAN reads them. A repeated parameter stays a list, which the action then refuses."""
    if request.method == "POST" and request.content_type == "application/json":
        try:
            data = jsonin.loads(request.body or b"{}")
        except jsonin.JsonInputError as e:
            raise ckan.ActionError("Bad request", e.message, status=400) from None
        if not isinstance(data, dict):
            raise ckan.ActionError("Bad request", "Nội dung gửi lên phải là một đối tượng JSON.", status=400)
        return data
    source = request.POST if request.method == "POST" else request.GET
    return {k: (v[0] if len(v) == 1 else v) for k, v in source.lists()}


@csrf_exempt  # read only and anonymous; ckanapi posts JSON without a CSRF token
def ckan_action(request, action: str):
    if request.method not in ("GET", "HEAD", "POST"):
        error = ckan.ActionError("Bad request", "Chỉ nhận GET hoặc POST.", status=405)
        return _ckan(request, action, {"success": False, "error": error.as_dict()}, status=405)
    try:
        result = ckan.call(action, _params(request), _absolute(request))
    except ckan.ActionError as e:
        return _ckan(request, action, {"success": False, "error": e.as_dict()}, status=e.status)
    return _ckan(request, action, {"success": True, "result": result})


@require_safe
def ckan_version(request):
    return JsonResponse({"version": 3}, headers=CORS)
