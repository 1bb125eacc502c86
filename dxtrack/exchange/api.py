"""The JSON API (django-ninja), documented by OpenAPI at /api/docs. Each app adds its router."""

import json

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.http import Http404
from django.shortcuts import render
from ninja import NinjaAPI, Swagger
from ninja.constants import NOT_SET
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from dxtrack.assistant.api import router as assistant_router
from dxtrack.core import jsonin
from dxtrack.core.errors import DomainError, http_status
from dxtrack.core.throttling import AnonRate, UserRate
from dxtrack.exchange.api_dhis2 import router as dhis2_router
from dxtrack.exchange.api_reporting import router as reporting_router


class _BoundedParser(Parser):
    """Request bodies through core.jsonin: a nesting bomb is refused before the parser recurses."""

    def parse_body(self, request):
        return jsonin.loads(request.body)


class LocalSwagger(Swagger):
    """Swagger UI from the project's template (templates/ninja/swagger.html: Vietnamese labels, this
    server's copy of Swagger UI's files). django-ninja renders its own template only when it is an
    installed app, and otherwise one that loads Swagger UI from a CDN; it is not an installed app,
    so that processes that never answer the API do not import it (ADR 0051)."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        # (as django-ninja's page: the CSRF token where one of the API's authentications asks for it)
        auth = api.auth if api.auth not in (None, NOT_SET) else []
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": any(getattr(a, "csrf", False) for a in auth),
        }
        return render(request, self.template, context)


api = NinjaAPI(
    parser=_BoundedParser(),
    title="dxtrack API",
    version="1",
    urls_namespace="api",
    description=(
        "API của hệ thống theo dõi chuyển đổi số. Xác thực: phiên đăng nhập của trình duyệt (kèm tiêu đề "
        "X-CSRFToken khi gửi dữ liệu), hoặc mã truy cập API của một đơn vị: `Authorization: Bearer <mã>` "
        "(tạo tại Tài khoản → Mã truy cập API). Mỗi người dùng gửi tối đa "
        f"{settings.DXTRACK_API_RATE_USER} yêu cầu; vượt quá thì nhận mã 429."
    ),
    throttle=[AnonRate(), UserRate()],
    # No call to the online validator: the page needs no network beyond this server.
    docs=LocalSwagger(settings={"validatorUrl": None}),
)


# ---- errors: always JSON {"detail": "<Vietnamese message>", "errors": [...]} ---------------------

_VI_HTTP = {
    "Unauthorized": "Cần đăng nhập để dùng API này.",
    "Forbidden": "Bạn không có quyền thực hiện thao tác này.",
    "CSRF check Failed": "Thiếu hoặc sai mã chống giả mạo (CSRF): gửi kèm tiêu đề X-CSRFToken.",
    "Cannot parse request body": "Nội dung gửi lên không phải JSON hợp lệ.",
    "Too many requests.": "Gửi quá nhiều yêu cầu; hãy thử lại sau.",
}

# pydantic error types → Vietnamese; {name} takes the error's context (max_length, le, …).
_VI_FIELD = {
    "missing": "Thiếu trường bắt buộc.",
    "extra_forbidden": "Trường này không có trong đặc tả API.",
    "string_type": "Phải là văn bản.",
    "string_too_long": "Dài quá {max_length} ký tự.",
    "string_too_short": "Ngắn quá (tối thiểu {min_length} ký tự).",
    "int_type": "Phải là số nguyên.",
    "int_parsing": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "bool_type": "Phải là true hoặc false.",
    "bool_parsing": "Phải là true hoặc false.",
    "list_type": "Phải là một danh sách.",
    "model_type": "Phải là một đối tượng JSON.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "dict_type": "Phải là một đối tượng JSON.",
    "literal_error": "Phải là một trong: {expected}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "less_than": "Phải nhỏ hơn {lt}.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "greater_than": "Phải lớn hơn {gt}.",
    "too_long": "Nhiều quá {max_length} phần tử.",
    "date_parsing": "Phải là ngày dạng YYYY-MM-DD.",
    "date_from_datetime_parsing": "Phải là ngày dạng YYYY-MM-DD.",
}


def _error(request, status: int, detail: str, errors: list | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def _field_message(error: dict) -> str:
    if error["type"].startswith("dx_"):  # our own validators already speak Vietnamese
        return error["msg"]
    template = _VI_FIELD.get(error["type"], "Giá trị không hợp lệ.")
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        return template.split("{")[0].strip() or "Giá trị không hợp lệ."


@api.exception_handler(ValidationError)
def _on_validation_error(request, exc: ValidationError):
    # Body models are declared as a parameter named "payload"; its name is no part of the JSON
    # the client sent, so the location reads ["body", "values", 3, "value"].
    errors = []
    for error in exc.errors:
        loc = list(error["loc"])
        if loc[:2] == ["body", "payload"]:
            loc = ["body", *loc[2:]]
        errors.append({"loc": loc, "message": _field_message(error), "type": error["type"]})
    return _error(request, 422, "Dữ liệu gửi lên không đúng đặc tả.", errors)


@api.exception_handler(HttpError)
def _on_http_error(request, exc: HttpError):
    message = str(exc)
    for english, vietnamese in _VI_HTTP.items():
        if message.startswith(english):
            message = vietnamese
            break
    return _error(request, exc.status_code, message)


@api.exception_handler(DomainError)
def _on_domain_error(request, exc: DomainError):
    status = http_status(exc)
    response = {"detail": exc.message, "errors": list(exc.details)}
    if getattr(exc, "current", None):  # a conflict says what is there now
        response["current"] = exc.current
    return api.create_response(request, response, status=status)


@api.exception_handler(ObjectDoesNotExist)
def _on_missing(request, exc: ObjectDoesNotExist):
    return _error(request, 404, "Không tìm thấy.")


@api.exception_handler(Http404)
def _on_404(request, exc: Http404):
    return _error(request, 404, "Không tìm thấy.")


@api.exception_handler(RequestDataTooBig)
def _on_too_big(request, exc: RequestDataTooBig):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return _error(request, 413, f"Nội dung gửi lên lớn quá {limit} MB.")


api.add_router("/reporting/", reporting_router)
api.add_router("/assistant/", assistant_router)
api.add_router("/", dhis2_router)
