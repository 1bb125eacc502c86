"""The follow-up list as an Excel workbook: one row per directive or corrective action, the late
ones filled red, dates as dates (dd/mm/yyyy), so the secretariat can sort and send it on."""

import io

from dxtrack.core.text import xml_safe

HEAD = [
    "Loại",
    "Nội dung",
    "Cơ quan chủ trì",
    "Phiên họp / cuộc kiểm tra",
    "Thời hạn",
    "Tình trạng",
    "Tiến độ (%)",
    "Đã đóng",
    "Lý do đóng / kết quả",
    "Chậm",
]
KINDS = {"directive": "Chỉ đạo", "action": "Biện pháp khắc phục"}
LATE_COLOUR = "FDE2E1"


def follow_up(rows) -> bytes:
    # Imported here, as core.exports does: only this download needs openpyxl, not every process
    # that loads the URLs (the server's and the task worker's start, ADR 0047, `check`).
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    late = PatternFill("solid", fgColor=LATE_COLOUR)
    wb = Workbook()
    ws = wb.active
    ws.title = "Theo dõi"
    ws.append(HEAD)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(
            [
                KINDS[r.kind],
                xml_safe(r.title),
                xml_safe(r.agency),
                xml_safe(r.source),
                r.deadline,
                r.state_label,
                r.percent,
                "Có" if r.closed else "",
                xml_safe(r.closing_reason),
                "Chậm" if r.late else "",
            ]
        )
        ws.cell(ws.max_row, 5).number_format = "DD/MM/YYYY"
        if r.late:
            for cell in ws[ws.max_row]:
                cell.fill = late
    for col, width in zip("ABCDEFGHIJ", [18, 70, 35, 40, 12, 18, 10, 8, 40, 8], strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
