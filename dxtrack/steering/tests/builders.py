"""Test data for steering: a conclusions notice written here (DOCX made in code), a committee,
a plan with a quarterly reporting rule and an agency's obligation under it."""

import datetime
import io

import docx

from dxtrack.accounts.access import Access
from dxtrack.obligations.models import Obligation, Period
from dxtrack.org.models import Agency
from dxtrack.plans.models import Document, DocumentType, ReportingRule

from ..models import CommitteeMember
from ..services import sessions

SYSTEM = Access.system()
SESSION_DAY = datetime.date(2025, 7, 10)

# The notice the tests pin: five directives, one to a department merged away on 1/3/2025
# (Sở Thông tin và Truyền thông → Sở Khoa học và Công nghệ).
DIRECTIVES = [
    "1. Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với Văn phòng UBND tỉnh, Công an tỉnh hoàn thành "
    "kết nối cơ sở dữ liệu dân cư với hệ thống giải quyết thủ tục hành chính; thời hạn: trước ngày 30/9/2025.",
    "2. Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ tham mưu bố trí kinh phí chuyển đổi số năm 2026, "
    "hoàn thành trước ngày 31/10/2025.",
    "3. Giao Sở Thông tin và Truyền thông chủ trì rà soát hạ tầng số các xã vùng cao; hoàn thành trong Quý IV "
    "năm 2025.",
    "4. Giao Trung tâm Phục vụ hành chính công tỉnh chủ trì nâng tỷ lệ hồ sơ trực tuyến toàn trình; "
    "thời hạn: 31/12/2025.",
    "5. Giao Sở Nội vụ chủ trì, phối hợp với Sở Y tế, Sở Giáo dục và Đào tạo đào tạo kỹ năng số cho cán bộ, "
    "công chức cấp xã; thời hạn: tháng 11/2025.",
]


def notice_docx(
    directives: list[str] = DIRECTIVES, *, number: str = "12/TB-BCĐ", day: str = "ngày 15 tháng 7 năm 2025"
) -> bytes:
    """A conclusions notice laid out as such notices are: the header table, "THÔNG BÁO", its
    summary line, an assessment, then the numbered directives."""
    document = docx.Document()
    head = document.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ TỈNH"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    head.cell(1, 0).text = f"Số: {number}"
    head.cell(1, 1).text = f"Thanh Hóa, {day}"
    for text in [
        "THÔNG BÁO",
        "Kết luận của Trưởng Ban Chỉ đạo chuyển đổi số tỉnh tại phiên họp sơ kết 6 tháng đầu năm 2025",
        "Ngày 10/7/2025, Ban Chỉ đạo chuyển đổi số tỉnh họp phiên sơ kết 6 tháng đầu năm 2025. "
        "Trưởng Ban Chỉ đạo kết luận như sau:",
        "I. ĐÁNH GIÁ CHUNG",
        "Các cơ quan, đơn vị đã triển khai cơ bản các nhiệm vụ được giao.",
        "II. NHIỆM VỤ TRONG THỜI GIAN TỚI",
        *directives,
        "Nơi nhận:",
    ]:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def committee() -> list[CommitteeMember]:
    """Three seats; the deputy changes on 1/3/2025."""
    ubnd = Agency.objects.get(code="UBND_TINH")
    khcn = Agency.objects.get(code="SO_KHCN")
    tttt = Agency.objects.get(code="SO_TTTT")
    return [
        CommitteeMember.objects.create(
            person="Nguyễn Văn A",
            position="Chủ tịch UBND tỉnh",
            committee_role="Trưởng ban",
            agency=ubnd,
            valid_from=datetime.date(2024, 1, 1),
            position_order=1,
        ),
        CommitteeMember.objects.create(
            person="Trần Văn B",
            position="Giám đốc Sở TT&TT",
            committee_role="Phó Trưởng ban thường trực",
            agency=tttt,
            valid_from=datetime.date(2024, 1, 1),
            valid_to=datetime.date(2025, 2, 28),
            position_order=2,
        ),
        CommitteeMember.objects.create(
            person="Lê Thị C",
            position="Giám đốc Sở KH&CN",
            committee_role="Phó Trưởng ban thường trực",
            agency=khcn,
            valid_from=datetime.date(2025, 3, 1),
            position_order=2,
        ),
    ]


def programme_plan() -> Document:
    """The committee's plan with a quarterly reporting rule: its reports carry the directives."""
    plan = Document.objects.create(
        code="kh-bcd-thu", number="99/KH-BCĐ", doc_type=DocumentType.PLAN, title="Kế hoạch hoạt động", year=2025
    )
    ReportingRule.objects.create(document=plan, period_type="quarterly", due=["15 tháng cuối quý"])
    return plan


def obligation_for(plan: Document, agency_code: str, *, quarter: int = 3, year: int = 2025) -> Obligation:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = (datetime.date(year, 3 * quarter, 28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(1)
    period, _ = Period.objects.get_or_create(
        period_type="quarterly",
        year=year,
        number=quarter,
        defaults={"label": f"Quý {quarter}/{year}", "start": start, "end": end, "data_from": start, "data_to": end},
    )
    return Obligation.objects.create(
        rule=plan.reporting_rules.get(),
        period=period,
        agency=Agency.objects.get(code=agency_code),
        due=end + datetime.timedelta(days=15),
        window_from=start,
        window_to=end,
    )


def scheduled(plan: Document | None = None, *, day: datetime.date = SESSION_DAY, kind: str = "six_month"):
    members = committee()
    return sessions.session_schedule(
        actor=SYSTEM, kind=kind, date=day, title="Phiên họp sơ kết 6 tháng đầu năm 2025", chair=members[0], plan=plan
    )
