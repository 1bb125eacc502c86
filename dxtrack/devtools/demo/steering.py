"""The steering committee's demo (`dxtrack demo_steering`, run by `dxtrack demo`): its membership
2024–2026, its sessions (quarterly, six-month, nine-month, year-end) with minutes and attendance,
the conclusions of the six-month 2025 session — a notice written here as a DOCX and imported
through the plan extractor like any uploaded notice, eight directives, some done and closed, some
late — and an inspection round with findings and corrective actions. Then (`--packs`, after the
recomputation) a briefing pack for each session.

Everything goes through steering's services as the system, except the agencies' own updates on
the directives: like the demo reports (generator.py), they are written into the agencies' stored
reports directly, with an audit event naming the demo."""

import datetime
import io

import docx
from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role, User
from dxtrack.core.models import AuditEvent
from dxtrack.obligations.models import Obligation
from dxtrack.org.models import AdminLevel, AdminUnit, Agency
from dxtrack.plans.models import Document, DocumentType, Task
from dxtrack.plans.services import review
from dxtrack.reports.models import APPROVED, Report, TaskUpdate
from dxtrack.steering.models import CommitteeMember, Session, SessionStatus
from dxtrack.steering.services import briefing, conclusions, directives, inspections, sessions

PLAN = "kh-bcd-cds-2024"  # the committee's plan: every department reports on it each quarter
DEMO_REASON = "Dữ liệu trình diễn"

# (person, position, role in the committee, agency, from, to, order)
MEMBERS = [
    ("Đỗ Minh Tuấn", "Chủ tịch UBND tỉnh", "Trưởng Ban Chỉ đạo", "UBND_TINH", "2024-01-01", None, 1),
    ("Lê Đức Giang", "Phó Chủ tịch UBND tỉnh", "Phó Trưởng Ban", "UBND_TINH", "2024-01-01", None, 2),
    (
        "Phạm Văn Hải",
        "Giám đốc Sở Thông tin và Truyền thông",
        "Phó Trưởng Ban thường trực",
        "SO_TTTT",
        "2024-01-01",
        "2025-02-28",
        3,
    ),
    (
        "Nguyễn Thị Lan",
        "Giám đốc Sở Khoa học và Công nghệ",
        "Phó Trưởng Ban thường trực",
        "SO_KHCN",
        "2025-03-01",
        None,
        3,
    ),
    ("Trần Quốc Bảo", "Giám đốc Sở Tài chính", "Ủy viên", "SO_TAI_CHINH", "2024-01-01", None, 10),
    ("Hoàng Văn Nam", "Giám đốc Sở Nội vụ", "Ủy viên", "SO_NOI_VU", "2024-01-01", None, 11),
    ("Vũ Thị Hà", "Chánh Văn phòng UBND tỉnh", "Ủy viên", "VP_UBND", "2024-01-01", None, 12),
    ("Lê Văn Sơn", "Giám đốc Công an tỉnh", "Ủy viên", "CONG_AN_TINH", "2024-01-01", None, 13),
]

# (kind, date) for 2024–2026: a plenary each quarter, the six-month, nine-month and year-end reviews.
SESSIONS = [
    ("quarterly", "2024-03-28"),
    ("six_month", "2024-07-12"),
    ("nine_month", "2024-10-10"),
    ("year_end", "2024-12-20"),
    ("quarterly", "2025-03-27"),
    ("six_month", "2025-07-10"),
    ("nine_month", "2025-10-09"),
    ("year_end", "2025-12-19"),
    ("quarterly", "2026-03-26"),
    ("six_month", "2026-07-09"),
    ("nine_month", "2026-10-08"),
    ("year_end", "2026-12-18"),
]
CONCLUDED = "2025-07-10"

# The notice's eight directives (numbered sentences, as such notices write them) and what the lead
# agency reported on each: (state, percent) in its report of that quarter, or None (nothing yet).
DIRECTIVES = [
    (
        "Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với Văn phòng UBND tỉnh, Công an tỉnh hoàn thành kết nối "
        "cơ sở dữ liệu quốc gia về dân cư với hệ thống thông tin giải quyết thủ tục hành chính tỉnh; thời hạn: trước "
        "ngày 30/9/2025.",
        ("done", 100, "Quý III/2025"),
        "Đã kiểm tra: hệ thống kết nối chạy ổn định từ 15/9/2025.",
    ),
    (
        "Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ tham mưu bố trí kinh phí thực hiện chuyển đổi số năm "
        "2026, hoàn thành trước ngày 31/10/2025.",
        ("done", 100, "Quý IV/2025"),
        "Dự toán đã được HĐND tỉnh thông qua.",
    ),
    (
        "Giao Sở Thông tin và Truyền thông chủ trì rà soát, đề xuất phủ sóng di động 4G, 5G tại các thôn, bản vùng "
        "cao còn lõm sóng; hoàn thành trong Quý IV năm 2025.",
        ("done", 100, "Quý IV/2025"),
        None,
    ),
    (
        "Giao Trung tâm Phục vụ hành chính công tỉnh chủ trì nâng tỷ lệ hồ sơ trực tuyến toàn trình; thời hạn: "
        "31/12/2025.",
        ("in_progress", 70, "Quý IV/2025"),
        None,
    ),
    (
        "Giao Sở Nội vụ chủ trì, phối hợp với Sở Giáo dục và Đào tạo tổ chức đào tạo kỹ năng số cho cán bộ, công "
        "chức cấp xã sau sắp xếp; thời hạn: tháng 11/2025.",
        ("done", 100, "Quý IV/2025"),
        None,
    ),
    (
        "Giao Sở Y tế chủ trì triển khai bệnh án điện tử tại các bệnh viện tuyến tỉnh; thời hạn: trước ngày "
        "31/12/2025.",
        None,
        None,
    ),
    (
        "Giao Sở Công Thương chủ trì, phối hợp với Sở Tài chính hỗ trợ doanh nghiệp nhỏ và vừa đưa sản phẩm lên sàn "
        "thương mại điện tử; thời hạn: Quý IV/2025.",
        ("in_progress", 40, "Quý IV/2025"),
        None,
    ),
    (
        "Giao Sở Xây dựng chủ trì số hóa hồ sơ cấp phép xây dựng còn lưu trữ giấy; thời hạn: trước ngày 15/11/2025.",
        None,
        None,
    ),
]


def notice_docx() -> bytes:
    """Thông báo kết luận số 85/TB-BCĐ, laid out as the committee issues them."""
    document = docx.Document()
    head = document.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ TỈNH"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    head.cell(1, 0).text = "Số: 85/TB-BCĐ"
    head.cell(1, 1).text = "Thanh Hóa, ngày 18 tháng 7 năm 2025"
    for text in [
        "THÔNG BÁO",
        "Kết luận của Trưởng Ban Chỉ đạo chuyển đổi số tỉnh tại phiên họp sơ kết 6 tháng đầu năm 2025",
        "Ngày 10/7/2025, Ban Chỉ đạo chuyển đổi số tỉnh họp phiên sơ kết 6 tháng đầu năm 2025, triển khai "
        "nhiệm vụ 6 tháng cuối năm. Sau khi nghe báo cáo và ý kiến các thành viên, Trưởng Ban Chỉ đạo kết luận:",
        "I. ĐÁNH GIÁ CHUNG",
        "Sáu tháng đầu năm, các cơ quan, đơn vị cơ bản hoàn thành nhiệm vụ; một số chỉ tiêu còn chậm so với kế hoạch.",
        "II. NHIỆM VỤ TRỌNG TÂM 6 THÁNG CUỐI NĂM",
        *[f"{n}. {text}" for n, (text, _, _) in enumerate(DIRECTIVES, start=1)],
        "Nơi nhận:",
    ]:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _members() -> list[CommitteeMember]:
    agencies = {a.code: a for a in Agency.objects.filter(code__in={m[3] for m in MEMBERS})}
    return [
        CommitteeMember.objects.create(
            person=person,
            position=position,
            committee_role=role,
            agency=agencies[code],
            valid_from=datetime.date.fromisoformat(start),
            valid_to=datetime.date.fromisoformat(end) if end else None,
            position_order=order,
        )
        for person, position, role, code, start, end, order in MEMBERS
    ]


def _sessions(system: Access, plan: Document, today: datetime.date) -> dict[str, Session]:
    out = {}
    for kind, iso in SESSIONS:
        day = datetime.date.fromisoformat(iso)
        chair = next(m for m in CommitteeMember.objects.filter(position_order=1) if m.serves_on(day))
        session = sessions.session_schedule(
            actor=system, kind=kind, date=day, chair=chair, plan=plan, venue="Hội trường UBND tỉnh"
        )
        if day < today:
            rows = list(session.members.order_by("member__position_order", "pk"))
            attendance = {sm.pk: ("present", "") for sm in rows}
            if len(rows) > 4:  # one member sends a deputy, one is away: as minutes record it
                attendance[rows[-1].pk] = ("delegated", "Phó Giám đốc dự thay")
                attendance[rows[-2].pk] = ("absent", "Đi công tác")
            sessions.session_record(
                actor=system,
                session=session,
                minutes=f"{session.title}. Ban Chỉ đạo nghe báo cáo tình hình thực hiện, thảo luận và thống nhất "
                "các nhiệm vụ trọng tâm kỳ tới (thông báo kết luận ban hành riêng).",
                attendance=attendance,
            )
        out[iso] = session
    return out


def _report_of(agency_id: int, label: str):
    ob = (
        Obligation.objects.filter(agency_id=agency_id, rule__document__code=PLAN, period__label=label)
        .select_related("report")
        .first()
    )
    report = getattr(ob, "report", None) if ob else None
    return report if report is not None and report.status in APPROVED else None


def _updates(document: Document) -> list[TaskUpdate]:
    """The lead agencies' answers on the directives in their approved quarterly reports."""
    written = []
    tasks = list(document.tasks.order_by("position").prefetch_related("parties"))
    for task, (_text, update, _closing) in zip(tasks, DIRECTIVES, strict=True):
        lead = next((p.agency_id for p in task.parties.all() if p.role == "lead" and p.agency_id), None)
        if update is None or lead is None:
            continue
        state, percent, label = update
        report = _report_of(lead, label)
        if report is None or TaskUpdate.objects.filter(report=report, task=task).exists():
            continue
        written.append(
            TaskUpdate.objects.create(
                report=report,
                task=task,
                state=state,
                percent=percent,
                note="Đã hoàn thành theo chỉ đạo." if state == "done" else "Đang triển khai.",
                updated_at=report.decided_at or timezone.now(),
            )
        )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                action="reporting.demo.generate",
                target_type="reports.taskupdate",
                target_id=str(u.pk),
                target_repr=str(u)[:255],
                changes={"state": [None, u.state]},
                reason=DEMO_REASON,
            )
            for u in written
        ]
    )
    return written


def _conclusions(system: Access, session: Session) -> Document:
    draft = conclusions.conclusions_import(
        actor=system, session=session, data=notice_docx(), filename="85-TB-BCD-ket-luan-so-ket-6-thang-2025.docx"
    )
    review.import_accept_all(actor=system, plan_import=draft)
    document = conclusions.conclusions_publish(actor=system, session=session)
    _updates(document)
    for task, (_text, _update, closing) in zip(document.tasks.order_by("position"), DIRECTIVES, strict=True):
        if closing:
            directives.directive_close(actor=system, task=task, reason=closing)
    return document


def _inspections(system: Access) -> int:
    plan = inspections.inspection_plan_create(
        actor=system,
        year=2025,
        number="106/KH-BCĐ",
        title="Kế hoạch kiểm tra công tác chuyển đổi số năm 2025",
        teams=[
            ("Đoàn kiểm tra số 1", "Nguyễn Thị Lan", "Sở Khoa học và Công nghệ; Văn phòng UBND tỉnh"),
            ("Đoàn kiểm tra số 2", "Lê Đức Giang", "Sở Nội vụ; Sở Tài chính"),
        ],
    )
    one, two = list(plan.teams.order_by("pk"))
    finance = Agency.objects.get(code="SO_TAI_CHINH")
    health = Agency.objects.get(code="SO_Y_TE")
    ham_rong = AdminUnit.objects.get(level=AdminLevel.COMMUNE, code="14758", valid_to__isnull=True)
    v1 = inspections.visit_schedule(actor=system, plan=plan, team=one, date=datetime.date(2025, 9, 10), agency=finance)
    v2 = inspections.visit_schedule(actor=system, plan=plan, team=one, date=datetime.date(2025, 9, 17), agency=health)
    v3 = inspections.visit_schedule(
        actor=system, plan=plan, team=two, date=datetime.date(2025, 9, 24), admin_unit=ham_rong
    )
    inspections.visit_schedule(actor=system, plan=plan, team=two, date=datetime.date(2025, 11, 12), agency=health)
    late_q2 = Report.objects.filter(
        obligation__agency=finance, obligation__rule__document__code=PLAN, obligation__period__label="Quý II/2025"
    ).first()
    f1 = inspections.finding_add(
        actor=system,
        visit=v1,
        report=late_q2,
        text="Báo cáo định kỳ quý II/2025 gửi chậm so với quy định; chưa cử cán bộ đầu mối dự phòng.",
        actions=[("Cử cán bộ đầu mối dự phòng, lập lịch nhắc hạn báo cáo.", datetime.date(2025, 10, 15))],
    )
    # The unit answers its own findings: the demo's approver of Sở Tài chính (when the demo users exist).
    signer = User.objects.filter(agency=finance, role=Role.APPROVER, is_active=True).order_by("pk").first()
    unit = Access.for_user(signer) if signer is not None else system
    if signer is not None:
        inspections.finding_answer(
            actor=unit, finding=f1, answer="Sở đã cử đầu mối dự phòng theo Quyết định 412/QĐ-STC."
        )
    inspections.action_done(
        actor=unit, action=f1.actions.get(), note="Đã cử đầu mối và lập lịch nhắc.", day=datetime.date(2025, 10, 3)
    )
    inspections.finding_close(actor=system, finding=f1, reason="Đã khắc phục")
    records = Task.objects.filter(
        document__doc_type=DocumentType.CONCLUSIONS, title__contains="bệnh án điện tử", parties__agency=health
    ).first()
    inspections.finding_add(
        actor=system,
        visit=v2,
        task=records,
        text="Bệnh án điện tử mới triển khai tại 2/9 bệnh viện tuyến tỉnh; chưa có lộ trình cho các bệnh viện còn lại.",
        actions=[
            ("Ban hành lộ trình triển khai bệnh án điện tử cho 7 bệnh viện còn lại.", datetime.date(2025, 11, 30))
        ],
    )
    inspections.finding_add(
        actor=system,
        visit=v3,
        text="Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến của phường thấp hơn bình quân tỉnh.",
        actions=[
            ("Bố trí tổ công nghệ số cộng đồng hướng dẫn người dân nộp hồ sơ trực tuyến.", datetime.date(2026, 1, 31)),
            ("Niêm yết hướng dẫn nộp hồ sơ trực tuyến tại bộ phận một cửa.", datetime.date(2025, 10, 31)),
        ],
    )
    return plan.visits.count()


def generate(*, actor: Access, today: datetime.date) -> dict[str, int]:
    """The committee's records as of `today`; nothing if its sessions are there already."""
    if not actor.is_system:
        raise PermissionError("only the system generates the demo")
    if Session.objects.exists():
        return {}
    with transaction.atomic():
        plan = Document.objects.get(code=PLAN)
        _members()
        by_day = _sessions(actor, plan, today)
        document = _conclusions(actor, by_day[CONCLUDED])
        visits = _inspections(actor)
    return {"sessions": len(by_day), "directives": document.tasks.count(), "visits": visits}


def packs(*, actor: Access, today: datetime.date) -> int:
    """A briefing pack for each session held or due by `today`'s year, as of its day (or today)."""
    made = 0
    for session in Session.objects.exclude(status=SessionStatus.CANCELLED).order_by("date", "pk"):
        if session.packs.exists():
            continue
        briefing.pack_prepare(actor=actor, session=session, as_of=min(session.date, today))
        made += 1
    return made


def first_page_png(path, *, resolution: int = 80) -> bool:
    """The latest pack's first page as PNG at `path` (docs/steering-pack-first-page.png): its
    DOCX, converted by LibreOffice, rendered by pdftoppm. False when either is missing."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from dxtrack.publishing import pdf
    from dxtrack.steering import docx as pack_docx
    from dxtrack.steering.models import BriefingPack

    pack = BriefingPack.objects.order_by("-session__date", "-pk").first()
    renderer = shutil.which("pdftoppm")
    if pack is None or not pdf.available() or renderer is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "pack.pdf"
        source.write_bytes(pdf.docx_to_pdf(pack_docx.render(pack.facts)))
        stem = Path(path).with_suffix("")
        # The arguments are ours: the binary found above, a temporary file, the path the command was given.
        subprocess.run(  # noqa: S603
            [renderer, "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile", str(source), str(stem)],
            check=True,
            timeout=120,
        )
    return True
