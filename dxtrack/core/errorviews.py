"""Error pages in Vietnamese, rendered without touching the database."""

import sys

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
    405: "Không mở trực tiếp được",
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


DATABASE_DOWN = (
    "Máy chủ tạm thời mất kết nối tới cơ sở dữ liệu. Dữ liệu của bạn không bị ảnh hưởng; vui lòng thử lại sau ít phút."
)


def _database_lost(exc) -> bool:
    """The failure is the database's connection (a server restarted, a dropped link), not a bug."""
    from django.db import connections
    from django.db.utils import DatabaseError, InterfaceError, OperationalError

    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return isinstance(exc, DatabaseError) and any(
        c.connection is not None and not c.is_usable() for c in connections.all(initialized_only=True)
    )


def server_error(request):
    # Django calls this inside its `except`: the exception is still at hand.
    exc = sys.exc_info()[1]
    if exc is not None and _database_lost(exc):
        from django.db import connections

        # Dropped at once, so the next request opens a fresh connection instead of the broken one
        # (a broken SQLite handle still claims to be usable).
        for conn in connections.all(initialized_only=True):
            conn.close()
        response = _page(request, 503, "Hệ thống tạm thời gián đoạn", DATABASE_DOWN)
        response["Retry-After"] = "30"
        return response
    return _page(request, 500, "Hệ thống gặp lỗi", "Đã có lỗi phía máy chủ. Lỗi đã được ghi lại; vui lòng thử lại sau.")
