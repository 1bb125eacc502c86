"""The Excel round trip of a report's page: its template to download and the filled file to upload.
An adapter: it reads the report as its page does and writes through the reports' services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxtrack.core.errors import DomainError, NotAllowed
from dxtrack.reports import views as report_views
from dxtrack.reports.forms import ExcelUploadForm


def _excel_module():
    try:
        from dxtrack.exchange import excel
    except ImportError:
        raise Http404 from None
    return excel


def _file_slug(text: str) -> str:
    return slugify(text.replace("đ", "d").replace("Đ", "D").replace("/", "-"))


@login_required
def excel_template(request, pk: int):
    report = report_views._report(request, pk)
    data = _excel_module().template_for(report)
    obligation = report.obligation
    body = obligation.admin_unit or obligation.agency
    filename = f"bao-cao-{_file_slug(body.name)}-{_file_slug(obligation.period.label)}.xlsx"
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def excel_upload(request, pk: int):
    report = report_views._report(request, pk)
    excel = _excel_module()
    upload = ExcelUploadForm(request.POST, request.FILES, auto_id="excel-%s")
    if not upload.is_valid():
        problems = [str(e) for errors in upload.errors.values() for e in errors]
        return report_views._render_report(request, report, status=400, error=" ".join(problems), excel_form=upload)
    file = upload.cleaned_data["file"]
    try:
        result = excel.import_file(actor=request.user, report=report, data=file.read(), filename=file.name)
    except NotAllowed:
        raise  # answered 403 by core.middleware.DomainErrorPages
    except DomainError as exc:
        return report_views._render_report(request, report, status=400, error=exc.message, details=exc.details)
    values, tasks = result.values, result.tasks
    messages.success(
        request,
        _(
            "Đã nhập tệp Excel. Số liệu: %(vi)d mới, %(vu)d cập nhật, %(vn)d không đổi. "
            "Nhiệm vụ: %(ti)d mới, %(tu)d cập nhật, %(tn)d không đổi."
        )
        % {
            "vi": values.imported,
            "vu": values.updated,
            "vn": values.ignored,
            "ti": tasks.imported,
            "tu": tasks.updated,
            "tn": tasks.ignored,
        },
    )
    return redirect("reports:report", pk=report.pk)


# ---- the province's view: completeness, a period, the queue ------------------------------------------
