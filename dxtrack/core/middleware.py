"""Middleware of the whole site."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse

from . import audit
from .errors import DomainError, http_status
from .errorviews import JSON_PREFIXES, domain_error, not_found
from .models import Via

# What a machine client is told when something before the endpoint refused its request.
_REASONS = {
    400: "Yêu cầu gửi lên không đúng dạng.",
    401: "Cần đăng nhập để dùng API này.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Trang hoặc mục bạn tìm không tồn tại hoặc đã được chuyển.",
    405: "Phương thức HTTP này không dùng được ở địa chỉ này.",
    413: "Nội dung gửi lên lớn quá mức cho phép.",
    429: "Gửi quá nhiều yêu cầu; hãy thử lại sau.",
    500: "Đã có lỗi phía máy chủ. Lỗi đã được ghi lại; vui lòng thử lại sau.",
}


class JsonErrorsForMachines:
    """Every error under the API prefixes is JSON: the routers answer JSON themselves, but a wrong
    method, a CSRF refusal or a body over the size limit is answered by Django before them, in HTML."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(JSON_PREFIXES)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            reason = _REASONS.get(response.status_code) or _REASONS[500 if response.status_code >= 500 else 400]
            replaced = JsonResponse(
                {"detail": reason, "errors": []},
                status=response.status_code,
                json_dumps_params={"ensure_ascii": False},
            )
            for header in ("Allow", "Retry-After", "Access-Control-Allow-Origin"):
                if header in response:
                    replaced[header] = response[header]
            return replaced
        return response


class DomainErrorPages:
    """A domain error that a web page's service or selector raised, and the view did not handle
    itself, is answered here, once for every app: NotAllowed → 403, a missing object (Django's
    DoesNotExist, core.errors.NotFound) → 404, a conflict → 409, any other (InvalidData) → 400; each
    with its Vietnamese message and details. Views catch only what they answer differently (a form
    error shown beside the field). The JSON API answers these itself (dxtrack.api), by the same
    table of statuses (core.errors.http_status)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith(JSON_PREFIXES):
            # require_POST's bare answer (an address of a form's button opened in the browser):
            # the browser showed its own error page, in its own language
            page = domain_error(
                request,
                405,
                "Địa chỉ này chỉ nhận thao tác gửi từ nút bấm trên trang, không mở trực tiếp được. "
                "Hãy quay lại trang trước.",
            )
            page["Allow"] = response.get("Allow", "")
            return page
        return response

    def process_exception(self, request, exception):
        if request.path.startswith(JSON_PREFIXES):
            return None  # the API's own handlers (and JsonErrorsForMachines) answer machines
        if isinstance(exception, ObjectDoesNotExist):
            return not_found(request, exception)
        if isinstance(exception, DomainError):
            return domain_error(request, http_status(exception), exception.message, exception.details)
        return None


class AuditChannel:
    """Every audit event of a request says how its actor authenticated: the admin, or the browser's
    session; token authentication (accounts.api_auth) narrows it to the token for its request."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        via = Via.ADMIN if request.path.startswith(self.admin_prefix) else Via.SESSION
        with audit.channel(via):
            return self.get_response(request)


class PasswordChangeRequired:
    """A person whose password was set by someone else changes it before anything else: until
    then every page but the change form and log-out leads to the form."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.allowed = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            if self.allowed is None:
                self.allowed = (reverse("accounts:password_change"), reverse("accounts:logout"), "/static/")
            if not request.path.startswith(self.allowed):
                return HttpResponseRedirect(reverse("accounts:password_change"))
        return self.get_response(request)


class PrivateAnswers:
    """An answer made for a signed-in person (a page, an API answer with a session or a token) may
    hold data others must not see: no shared cache, and no browser cache on disk, keeps it. Answers
    to anonymous visitors (the public dashboard, open data) keep whatever caching they set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        by_token = getattr(request, "auth", None) is not None or "Authorization" in request.headers
        if signed_in or by_token:
            response["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response


class RequestSizeLimit:
    """Refuses a request whose declared body is larger than any form, file or API call of ours
    (DXTRACK_MAX_REQUEST_BYTES) before anything reads it; the proxy has its own limit too."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.limit = settings.DXTRACK_MAX_REQUEST_BYTES

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            from django.shortcuts import render

            megabytes = self.limit // (1024 * 1024)
            text = f"Nội dung gửi lên lớn quá {megabytes} MB; không nhận."
            if request.path.startswith(JSON_PREFIXES):
                return JsonResponse(
                    {"detail": text, "errors": []}, status=413, json_dumps_params={"ensure_ascii": False}
                )
            context = {"title": "Nội dung quá lớn", "text": text, "status": 413}
            return render(request, "core/error.html", context, status=413)
        return self.get_response(request)


class PermissionsPolicy:
    """The Permissions-Policy header on every answer (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.policy)
        return response
