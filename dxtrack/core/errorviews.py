"""Error pages in Vietnamese, rendered without touching the database."""

from django.http import JsonResponse
from django.shortcuts import render

# Machine clients read JSON: under these prefixes an error is JSON even where no endpoint answered
# (an unknown path, a failure before the API's own handlers).
JSON_PREFIXES = ("/api/", "/du-lieu-mo/api/")


def _page(request, status: int, title: str, text: str):
    if request.path.startswith(JSON_PREFIXES):
        return JsonResponse({"detail": text, "errors": []}, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "core/error.html", {"title": title, "text": text, "status": status}, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, "Yêu cầu không hợp lệ", "Yêu cầu gửi lên không đúng dạng. Hãy thử lại từ trang trước.")


def forbidden(request, exception=None):
    return _page(request, 403, "Không có quyền truy cập", "Bạn không có quyền xem hoặc thay đổi nội dung này.")


def not_found(request, exception=None):
    return _page(request, 404, "Không tìm thấy trang", "Trang hoặc mục bạn tìm không tồn tại hoặc đã được chuyển.")


def server_error(request):
    return _page(request, 500, "Hệ thống gặp lỗi", "Đã có lỗi phía máy chủ. Lỗi đã được ghi lại; vui lòng thử lại sau.")
