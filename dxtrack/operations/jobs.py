"""The queued large download (core.exports, kind "core.export"): the worker runs the page's own
view again as the person who asked, with the export made inline. The file is therefore scoped
exactly as the page is (same decorators, same checks, same selector) — the rule of core.exports
— and no view had to describe its table a second time for the queue. Here, in the top layer,
because it needs the accounts' Access and the URL map of every app."""

from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.urls import Resolver404, resolve

from dxtrack.accounts.access import Access
from dxtrack.core import jobs
from dxtrack.core.errors import DomainError
from dxtrack.core.exports import EXPORT_JOB
from dxtrack.core.models import Job

NOT_A_FILE = "Trang không trả về tệp (mã {status}); có thể quyền xem của bạn đã thay đổi. Hãy mở lại trang rồi tải lại."


@jobs.register(EXPORT_JOB, waiting="Đang chuẩn bị tệp…")
def export(job: Job, progress: jobs.Progress) -> jobs.Result:
    path, query = job.params["path"], job.params.get("query", "")
    try:
        match = resolve(path)
    except Resolver404 as exc:
        raise DomainError("Trang của bảng này không còn nữa.") from exc
    # (imported here: django.test and what it imports cost every process about 0,02 s at start,
    # and only a queued download needs the request it builds)
    from django.test import RequestFactory

    request = RequestFactory().get(f"{path}?{query}" if query else path)
    request.user = job.user
    request.access = Access.for_user(job.user)
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    request.dxtrack_export_inline = True
    progress(10)
    response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200 or "attachment" not in response.get("Content-Disposition", ""):
        raise DomainError(NOT_A_FILE.format(status=response.status_code))
    progress(90)
    return jobs.Result(data=response.content, filename=job.params["filename"], content_type=response["Content-Type"])
