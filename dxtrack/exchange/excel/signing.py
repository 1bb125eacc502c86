"""The signature that names a template's report and form, and its check on upload."""

from django.core import signing
from openpyxl.worksheet.worksheet import Worksheet

from dxtrack.core.errors import InvalidData
from dxtrack.reports import selectors
from dxtrack.reports.models import Report

from .layout import HEADER_HASH, LAYOUT_VERSION, META_SHEET, SALT, SHEET, SIGNATURE_CELL, _body, _digest, _short


def _signature(report: Report, form: selectors.Form) -> dict:
    obligation = report.obligation
    return {
        "v": LAYOUT_VERSION,
        "report": report.pk,
        "obligation": obligation.pk,
        "unit": _body(report),
        "period": obligation.period.label,
        "plan": obligation.rule.document.reference,
        "headers": HEADER_HASH,
        "indicators": _digest([row.indicator.code for row in form.rows]),
        "tasks": _digest([row.task.pk for row in form.tasks]),
    }


def _check_identity(wb, report: Report, form: selectors.Form) -> Worksheet:
    """The report's sheet, once the signature shows the file is this report's template of the
    current form; refuses a foreign, tampered or outdated file."""
    if META_SHEET not in wb.sheetnames:
        raise InvalidData(
            "Tệp không có chữ ký của hệ thống: không phải biểu mẫu tải từ hệ thống hoặc trang nhận dạng đã bị xóa. "
            "Hãy tải biểu mẫu của báo cáo này và nhập lại."
        )
    token = wb[META_SHEET][SIGNATURE_CELL].value
    try:
        signed = signing.loads(token if isinstance(token, str) else "", salt=SALT)
    except signing.BadSignature as exc:
        raise InvalidData(
            "Chữ ký của tệp không hợp lệ: phần nhận dạng của tệp đã bị sửa. Hãy tải biểu mẫu mới và nhập lại."
        ) from exc
    expected = _signature(report, form)
    if not isinstance(signed, dict) or signed.get("v") != LAYOUT_VERSION or signed.get("headers") != HEADER_HASH:
        raise InvalidData("Tệp được tạo theo mẫu cũ; hãy tải biểu mẫu mới và nhập lại.")
    if (signed.get("report"), signed.get("obligation")) != (report.pk, report.obligation_id):
        raise InvalidData(
            f"Tệp này là biểu báo cáo của {signed.get('unit')}, kỳ {signed.get('period')} ({signed.get('plan')}), "
            f"không phải của báo cáo đang mở: {expected['unit']}, kỳ {expected['period']} ({expected['plan']})."
        )
    if (signed.get("indicators"), signed.get("tasks")) != (expected["indicators"], expected["tasks"]):
        raise InvalidData(
            "Danh mục chỉ tiêu hoặc nhiệm vụ của báo cáo đã thay đổi sau khi tải tệp về; "
            "hãy tải biểu mẫu mới và nhập lại."
        )
    extra = [name for name in wb.sheetnames if name not in (SHEET, META_SHEET)]
    if SHEET not in wb.sheetnames:
        raise InvalidData(f"Tệp không có trang tính “{SHEET}” của biểu mẫu (đã bị xóa hoặc đổi tên).")
    if extra:
        names = ", ".join(f"“{_short(name, 30)}”" for name in extra)
        raise InvalidData(f"Tệp có thêm trang tính {names}; chỉ nhập vào trang “{SHEET}” của biểu mẫu.")
    return wb[SHEET]
