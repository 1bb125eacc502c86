"""Error pages in Vietnamese, rendered without touching the database."""

from django.http import JsonResponse
from django.shortcuts import render

# Machine clients read JSON: under these prefixes an error is JSON even where no endpoint answered
# (an unknown path, a failure before the API's own handlers).
JSON_PREFIXES = ("/api/", "/du-lieu-mo/api/")


def _page(request, status: int, title: str, text: str, details=()):
    if request.path.startswith(JSON_PREFIXES):
        return JsonResponse(
            {"detail": text, "errors": list(details)}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    context = {"title": title, "text": text, "details": list(details), "status": status}
    return render(request, "core/error.html", context, status=status)


# The page title of each status a domain error is answered with (core.middleware.DomainErrorPages).
TITLES = {
    400: "Yêu cầu không hợp lệ",
    403: "Không có quyền truy cập",
    404: "Không tìm thấy trang",
    409: "Nội dung đã bị thay đổi",
}


def domain_error(request, status: int, text: str, details=()):
    """A domain error's page: its own message (and details) under the status's title."""
    return _page(request, status, TITLES.get(status, TITLES[400]), text, details)


def bad_request(request, exception=None):
    return _page(request, 400, "Yêu cầu không hợp lệ", "Yêu cầu gửi lên không đúng dạng. Hãy thử lại từ trang trước.")


def forbidden(request, exception=None):
    return _page(request, 403, "Không có quyền truy cập", "Bạn không có quyền xem hoặc thay đổi nội dung này.")


def not_found(request, exception=None):
    return _page(request, 404, "Không tìm thấy trang", "Trang hoặc mục bạn tìm không tồn tại hoặc đã được chuyển.")


def server_error(request):
    return _page(request, 500, "Hệ thống gặp lỗi", "Đã có lỗi phía máy chủ. Lỗi đã được ghi lại; vui lòng thử lại sau.")
