"""The assistant's question set: about 170 questions across the intents, with and without
diacritics, with typos, out of scope, bad input and permission cases, each with its expected
figure computed from the demo world at test time. One test over the whole set (the demo world is
put back once): at least 90 % right and no leak at all."""

import datetime
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.analytics import selectors as progress
from dxtrack.analytics.models import Scorecard, TargetProgress
from dxtrack.assistant.services.ask import ask
from dxtrack.core.numbers import format_number
from dxtrack.core.text import fold, strip_diacritics
from dxtrack.obligations.models import Obligation, Period
from dxtrack.obligations.selectors import obligations
from dxtrack.org.models import AdminUnit, Agency
from dxtrack.plans.models import Clause, DocumentType, PartyRole, Target, Task
from dxtrack.reports.models import APPROVED, ReportStatus
from dxtrack.reports.selectors import late_count

TODAY = datetime.date(2025, 11, 30)  # the demo world's day
NOT_FOUND = "Không tìm thấy"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass
class Case:
    question: str
    actor: Access
    intent: str
    expect: list[str] = field(default_factory=list)  # all must appear in the answer
    any_of: list[str] = field(default_factory=list)  # one must appear
    absent: list[str] = field(default_factory=list)  # none may appear
    context_from: str = ""  # a question asked first, whose context this one continues
    kind: str = ""


def _n(value, unit="") -> str:
    return format_number(value, unit, show_unit=bool(unit))


def _typo(text: str) -> str:
    """One letter dropped from the longest word (a typo people make)."""
    words = text.split()
    i = max(range(len(words)), key=lambda j: len(words[j]))
    w = words[i]
    words[i] = w[: len(w) // 2] + w[len(w) // 2 + 1 :]
    return " ".join(words)


def _plain(text: str) -> str:
    return strip_diacritics(text).lower()


def _open_count(actor: Access, **body) -> int:
    qs = obligations(actor=actor).filter(**body, period__start__lte=TODAY)
    return qs.exclude(report__status__in=[ReportStatus.SUBMITTED, *sorted(APPROVED)]).count()


def _target_cases(public: Access) -> list[Case]:
    cases, seen = [], set()
    targets = Target.objects.in_force().filter(value__isnull=False, indicator__isnull=False, year__isnull=False)
    for t in targets.select_related("indicator").order_by("pk"):
        if (t.indicator_id, t.year) in seen or len(seen) >= 25:
            continue
        seen.add((t.indicator_id, t.year))
        same = targets.filter(indicator=t.indicator, year=t.year)
        values = sorted({_n(x.value) for x in same})
        question = f"Chỉ tiêu {t.indicator.name.lower()} năm {t.year} là bao nhiêu?"
        cases.append(Case(question, public, "target_value", values, kind="target"))
        cases.append(Case(_plain(question), public, "target_value", values, kind="target plain"))
        if len(seen) % 2:
            cases.append(Case(_typo(question), public, "target_value", values, kind="target typo"))
    return cases


def _status_cases(public: Access) -> list[Case]:
    cases, seen = [], set()
    rows = TargetProgress.objects.filter(latest_value__isnull=False).select_related("target__indicator")
    for tp in rows.order_by("target__pk"):
        ind = tp.target.indicator
        if ind is None or ind.pk in seen or len(seen) >= 15:
            continue
        seen.add(ind.pk)
        values = sorted(
            {
                _n(x.latest_value, x.target.unit)
                for x in rows.filter(target__indicator=ind)
                if x.latest_value is not None
            }
        )
        question = f"{ind.name} hiện nay đạt bao nhiêu?"
        cases.append(Case(question, public, "indicator_status", any_of=values, expect=["Số liệu đã duyệt đến"]))
        if len(seen) <= 8:
            cases.append(Case(_plain(question), public, "indicator_status", any_of=values, kind="status plain"))
    return cases


def _task_cases(public: Access) -> list[Case]:
    cases = []
    tasks = Task.objects.in_force().filter(parties__role=PartyRole.LEAD).distinct().order_by("pk")
    for task in tasks:
        words = task.title.split()
        if len(words) < 6 or len(cases) >= 25:
            continue
        leads = [p.text for p in task.parties.all() if p.role == PartyRole.LEAD]
        question = f"Ai chủ trì nhiệm vụ {' '.join(words[:14])}?"
        cases.append(Case(question, public, "task_owner", [*leads, task.deadline_label], kind="task"))
        if len(cases) % 5 == 0:
            cases.append(Case(_plain(question), public, "task_owner", leads, kind="task plain"))
    return cases


def _reporting_cases(people: dict) -> list[Case]:
    sec, sotc, hamrong, public = people["sec"], people["sotc"], people["hamrong"], people["public"]
    tc = Agency.objects.get(code="SO_TAI_CHINH")
    hr = people["hamrong_unit"]
    cases = [
        Case("Sở Tài chính còn nợ báo cáo nào?", sec, "owes", [f"còn {_open_count(sec, agency=tc)} báo cáo"]),
        Case("so tai chinh con no bao cao nao", sec, "owes", [f"còn {_open_count(sec, agency=tc)} báo cáo"]),
        Case("Sở Tài chín còn phải nộp báo cáo gì?", sec, "owes", [f"còn {_open_count(sec, agency=tc)} báo cáo"]),
        Case(
            "Phường Hàm Rồng còn phải nộp báo cáo gì?", sec, "owes", [f"còn {_open_count(sec, admin_unit=hr)} báo cáo"]
        ),
        Case("Đơn vị tôi còn nợ báo cáo nào?", sotc, "owes", [f"còn {_open_count(sotc, agency=tc)} báo cáo"]),
        Case("don vi toi con no bao cao nao", hamrong, "owes", [f"còn {_open_count(hamrong, admin_unit=hr)} báo cáo"]),
        # permission: another unit's obligations are neither counted nor listed
        Case("Sở Tài chính còn nợ báo cáo nào?", hamrong, "owes", [NOT_FOUND], absent=["còn "], kind="perm"),
        Case("Phường Hàm Rồng còn nợ báo cáo nào?", sotc, "owes", [NOT_FOUND], absent=["còn "], kind="perm"),
        Case(
            "Sở Tài chính còn nợ báo cáo nào?", public, "owes", ["đăng nhập"], absent=["báo cáo chưa gửi"], kind="perm"
        ),
    ]
    for other in ("SO_Y_TE", "SO_NOI_VU", "SO_CONG_THUONG"):
        agency = Agency.objects.filter(code=other).first()
        if agency is not None:
            n = _open_count(sec, agency=agency)
            cases.append(Case(f"{agency.name} còn nợ báo cáo nào?", sec, "owes", [f"còn {n} báo cáo"]))
    quarters = Period.objects.filter(period_type="quarterly", year__in=[2024, 2025]).order_by("year", "number")
    for i, period in enumerate(p for p in quarters if p.end < TODAY):
        n = late_count(actor=sec, period=period, today=TODAY)
        q = f"Đơn vị nào chậm báo cáo quý {period.number} năm {period.year}?"
        if i % 2:
            q = f"Nhung don vi nao chua nop bao cao quy {ROMAN[period.number]}/{period.year}"
        cases.append(Case(q, sec, "late", [f"{n} báo cáo chậm"], kind="late"))
    q3 = Period.objects.get(period_type="quarterly", year=2025, number=3)
    mine = late_count(actor=sotc, period=q3, today=TODAY)
    cases += [
        Case("Những báo cáo nào chậm quý 3 năm 2025?", sotc, "late", [f"{mine} báo cáo chậm"], kind="perm"),
        Case(
            "Đơn vị nào chậm báo cáo quý 3 năm nay?",
            sec,
            "late",
            [f"{late_count(actor=sec, period=q3, today=TODAY)} báo cáo"],
        ),
        Case(
            "Đơn vị nào chậm báo cáo quý 3 năm 2025?",
            public,
            "late",
            ["đăng nhập"],
            absent=["báo cáo chậm hoặc thiếu"],
            kind="perm",
        ),
    ]
    for who in ("sec", "sotc", "hamrong"):
        actor = people[who]
        n = obligations(actor=actor).filter(report__status=ReportStatus.SUBMITTED).count()
        cases.append(Case("Có bao nhiêu báo cáo đang chờ duyệt?", actor, "pending_count", [f"Có {n} báo cáo"]))
        cases.append(Case("co bao nhieu bao cao cho duyet", actor, "pending_count", [f"Có {n} báo cáo"]))
    cases.append(Case("Có bao nhiêu báo cáo đang chờ duyệt?", public, "pending_count", ["đăng nhập"], kind="perm"))
    return cases


def _count_cases(people: dict) -> list[Case]:
    from dxtrack.analytics import progress as p

    cases = []
    for year in (2025, 2030, None):
        s = progress.summary(year=year)
        counts = {c.status: c.count for c in s.cards}
        y = f" năm {year}" if year else ""
        achieved, risk = counts.get(p.ACHIEVED, 0), sum(counts.get(x, 0) for x in progress.AT_RISK)
        cases.append(
            Case(f"Bao nhiêu chỉ tiêu{y} đã đạt?", people["public"], "target_counts", [f"Có {achieved} chỉ tiêu"])
        )
        cases.append(
            Case(
                _plain(f"Có bao nhiêu chỉ tiêu{y} có nguy cơ không đạt?"),
                people["sec"],
                "target_counts",
                [f"Có {risk} chỉ tiêu"],
            )
        )
    for kind, words in (("commune", "Xã nào"), ("agency", "Cơ quan nào")):
        ranked = Scorecard.objects.filter(kind=kind, rank__isnull=False)
        top = ranked.order_by("rank", "label").first()
        bottom = ranked.order_by("-rank", "-label").first()
        cases.append(Case(f"{words} đứng đầu bảng xếp hạng?", people["sec"], "ranking", [top.label]))
        cases.append(Case(_plain(f"{words} đứng cuối bảng xếp hạng?"), people["lead"], "ranking", [bottom.label]))
    cases.append(Case("Xã nào đứng đầu xếp hạng?", people["public"], "ranking", ["đăng nhập"], kind="perm"))
    return cases


def _plan_cases(public: Access) -> list[Case]:
    cases = []
    for doc, number, topic in (
        ("qd-4216-2020", "Quyết định 4216", "cáp quang"),
        ("qd-4216-2020", "Quyết định 4216", "dữ liệu"),
        ("nq-06-tu-2021", "Nghị quyết 06", "doanh nghiệp"),
        ("nq-06-tu-2021", "Nghị quyết 06", "dịch vụ công trực tuyến"),
        ("qd-4216-2020", "quyet dinh 4216", "chinh quyen so"),
        ("nq-06-tu-2021", "nghi quyet 06", "cap quang"),
    ):
        key = fold(topic)
        paths = set()
        for c in Clause.objects.filter(document__code=doc):
            texts = [c.heading, *c.targets.values_list("label", flat=True), *c.tasks.values_list("title", flat=True)]
            if any(key in fold(t) for t in texts):
                paths.add(f"/dieu/{c.path}/")
        # where no clause of that plan speaks of it, "không tìm thấy" is the right answer
        expect = [] if paths else [NOT_FOUND]
        cases.append(Case(f"{number} nói gì về {topic}?", public, "plan_says", expect, sorted(paths), kind="plan"))
    return cases


def _scope_cases(people: dict) -> list[Case]:
    public, sec = people["public"], people["sec"]
    out = [
        "Thời tiết hôm nay thế nào?",
        "Giá vàng hôm nay bao nhiêu?",
        "Ai là tổng thống Mỹ?",
        "Kết quả bóng đá tối qua",
        "What is the weather in Hanoi?",
        "<script>alert('x')</script>",
        "<b>xin chào</b>",
        "'; DROP TABLE accounts_user; --",
        "SELECT * FROM reports_datavalue WHERE 1=1",
        "x" * 10_000,
        "chỉ tiêu " * 1200,
        "Hello, what is the capital of France?",
        "Công thức nấu phở bò",
        "asdkjh qwelkj zxcmnb",
        "Ngày mai có mưa không?",
    ]
    cases = [Case(q, public if i % 2 else sec, "none", [NOT_FOUND], kind="scope") for i, q in enumerate(out)]
    cases += [Case(q, public, "empty", ["Hãy nhập"], kind="scope") for q in ("", "   ", "\x00\x01")]
    for q in (
        "Phường Hàm Rồng đã được công nhận hoàn thành chuyển đổi số chưa?",
        "Kết quả đánh giá chuyển đổi số của Sở Tài chính năm 2025?",
        "xa nao duoc cong nhan dat chuan chuyen doi so",
        "Điểm đánh giá DTI của phường Hàm Rồng?",
    ):
        cases.append(Case(q, sec, "assessment", [NOT_FOUND], kind="assessment"))
    return cases


def _out_of_scope_cases(people: dict) -> list[Case]:
    """Questions about figures the programme does not hold, whose words meet some indicator's:
    "không tìm thấy" with suggestions, never a loosely matching indicator's target."""
    public, sec = people["public"], people["sec"]
    questions = [
        "Dân số tỉnh Thanh Hóa là bao nhiêu người?",
        "dan so thanh hoa la bao nhieu nguoi",
        "Diện tích tỉnh Thanh Hóa là bao nhiêu km2?",
        "GDP bình quân đầu người năm 2025 là bao nhiêu?",
        "Tỷ lệ thất nghiệp của tỉnh năm 2025 là bao nhiêu?",
        "ty le ho ngheo nam 2025 la bao nhieu",
        "Số học sinh đỗ đại học năm 2025 là bao nhiêu?",
        "Sản lượng lúa của tỉnh năm 2024 là bao nhiêu tấn?",
        "Số người dân tộc thiểu số trong tỉnh là bao nhiêu?",
        "Tổng vốn đầu tư nước ngoài năm 2025 là bao nhiêu?",
        # Other domains, written before they were first asked (ADR 0042 gives the share then):
        # health, poverty, education, weather, prices, population, traffic accidents; most share
        # words with some indicator ("tỷ lệ", "dân số", "người dân", "xăng dầu", "doanh nghiệp").
        "Tỷ lệ người dân có thẻ bảo hiểm y tế năm 2025 là bao nhiêu?",
        "so benh nhan nhap vien vi sot xuat huyet nam nay",
        "Số ca mắc COVID-19 trong tỉnh năm 2024 là bao nhiêu?",
        "Tỷ lệ trẻ em được tiêm chủng đầy đủ năm 2025?",
        "Số hộ nghèo của tỉnh năm 2025 là bao nhiêu hộ?",
        "ty le ho can ngheo nam 2024",
        "Thu nhập bình quân đầu người của người dân năm 2025 là bao nhiêu triệu đồng?",
        "Tỷ lệ học sinh tốt nghiệp trung học phổ thông năm 2025 là bao nhiêu?",
        "so truong hoc dat chuan quoc gia nam 2025",
        "Có bao nhiêu giáo viên trong tỉnh?",
        "Lượng mưa trung bình tháng 10 năm 2025 là bao nhiêu mm?",
        "nhiet do cao nhat nam 2024 o thanh hoa",
        "Bão số 3 năm 2025 gây thiệt hại bao nhiêu?",
        "Giá xăng dầu hôm nay là bao nhiêu?",
        "gia lua gao nam 2025 bao nhieu mot kg",
        "Chỉ số giá tiêu dùng CPI năm 2025 tăng bao nhiêu phần trăm?",
        "Tỷ lệ dân số thành thị năm 2025 là bao nhiêu?",
        "dan so tre em duoi 15 tuoi la bao nhieu nguoi",
        "Tỷ lệ tăng dân số tự nhiên năm 2024?",
        "Số vụ tai nạn giao thông năm 2025 là bao nhiêu?",
        "so nguoi chet vi tai nan giao thong nam 2024",
        "Tai nạn giao thông trên quốc lộ 1A giảm bao nhiêu phần trăm?",
        "Tỷ lệ che phủ rừng của tỉnh năm 2025 là bao nhiêu?",
        "Số doanh nghiệp giải thể năm 2025 là bao nhiêu?",
        "Số km đường cao tốc trong tỉnh là bao nhiêu?",
        # found after the grounding: stop words of the index that are content words here
        # ("bảo hiểm xã hội", "biết chữ"), answered with figures before ADR 0042's marked spellings
        "Tỷ lệ dân số có bảo hiểm xã hội năm 2025?",
        "Tỷ lệ dân số trưởng thành biết chữ năm 2025?",
    ]
    # no figure at all: neither a target ("Chỉ tiêu “…”: năm …") nor an approved value
    no_figure = ["Chỉ tiêu “", "giá trị đã duyệt mới nhất", "đã duyệt)"]
    return [
        Case(q, public if i % 2 else sec, "none", [NOT_FOUND, "Bạn có thể hỏi"], absent=no_figure, kind="out")
        for i, q in enumerate(questions)
    ]


def _follow_up_cases(public: Access) -> list[Case]:
    cases, done = [], set()
    targets = Target.objects.in_force().filter(value__isnull=False, indicator__isnull=False)
    for t in targets.filter(year=2025).select_related("indicator").order_by("pk"):
        later = targets.filter(indicator=t.indicator, year=2030)
        if t.indicator_id in done or not later.exists() or len(done) >= 5:
            continue
        done.add(t.indicator_id)
        first = f"Chỉ tiêu {t.indicator.name.lower()} năm 2025 là bao nhiêu?"
        values = sorted({_n(x.value) for x in later})
        cases.append(
            Case("Còn năm 2030?", public, "target_value", [*values, "năm 2030"], context_from=first, kind="follow")
        )
    return cases


def _unit_value_cases(people: dict) -> list[Case]:
    """The latest approved figure of a unit's indicator; another unit's drafts never shown."""
    from dxtrack.reports.models import DataValue

    cases = []
    tc = Agency.objects.get(code="SO_TAI_CHINH")
    for body, name, field_ in (
        (tc, "Sở Tài chính", "agency"),
        (people["hamrong_unit"], "phường Hàm Rồng", "admin_unit"),
    ):
        approved = DataValue.objects.approved().filter(**{field_: body}, value__isnull=False)
        for code in list(approved.values_list("indicator__code", flat=True).distinct().order_by("indicator__code"))[:4]:
            latest = approved.filter(indicator__code=code).select_related("indicator", "period")
            latest = latest.order_by("-period__end", "-pk").first()
            figure = _n(latest.value, latest.indicator.unit)
            question = f"{latest.indicator.name} của {name} là bao nhiêu?"
            cases.append(Case(question, people["sec"], "indicator_status", [figure, latest.period.label], kind="unit"))
            # another unit's reporter: the approved figure at most, never a later draft
            drafts = DataValue.objects.filter(**{field_: body}, indicator__code=code, value__isnull=False)
            drafts = drafts.exclude(report__status__in=sorted(APPROVED)).filter(period__end__gt=latest.period.end)
            other = people["hamrong"] if field_ == "agency" else people["sotc"]
            absent = [_n(d.value, latest.indicator.unit) for d in drafts] if drafts else []
            absent = [a for a in absent if a != figure]
            cases.append(Case(question, other, "indicator_status", [figure], absent=absent, kind="perm unit"))
    return cases


def _dated_cases(people: dict) -> list[Case]:
    """Sở TT&TT merged into Sở KH&CN (3/2025): asked about, answered as the one carrying its duties."""
    from dxtrack.assistant.intents import overdue_tasks
    from dxtrack.plans.selectors import agency_tasks

    sec = people["sec"]
    khcn = Agency.objects.get(code="SO_KHCN")
    duties = agency_tasks(khcn, actor=sec)
    lead = f"chủ trì {len(duties[PartyRole.LEAD])} nhiệm vụ"
    owed = f"còn {_open_count(sec, agency=khcn)} báo cáo"
    overdue = f"Nhiệm vụ chủ trì quá hạn: {len(overdue_tasks(khcn, TODAY))}"
    tc = Agency.objects.get(code="SO_TAI_CHINH")
    return [
        Case("Sở TT&TT chủ trì những nhiệm vụ nào?", sec, "task_owner", ["nay là Sở Khoa học và Công nghệ", lead]),
        Case("so tttt chu tri nhiem vu gi", sec, "task_owner", [lead]),
        Case("Sở Thông tin và Truyền thông còn nợ báo cáo nào?", sec, "owes", ["nay là", owed, overdue]),
        Case("Sở KH&CN còn nợ báo cáo nào?", sec, "owes", [owed, overdue]),
        Case(
            "Sở Tài chính còn nợ báo cáo nào?",
            sec,
            "owes",
            [f"Nhiệm vụ chủ trì quá hạn: {len(overdue_tasks(tc, TODAY))}"],
        ),
    ]


def _natural_cases(people: dict) -> list[Case]:
    """Questions as people phrase them, written before they were first asked (ADR 0037 reports
    the share they got right then)."""
    sec, public = people["sec"], people["public"]

    def target(question, code, year, actor=public):
        values = sorted({_n(t.value) for t in Target.objects.in_force().filter(indicator__code=code, year=year)})
        return Case(question, actor, "target_value", values, kind="natural")

    cases = [
        target("Mục tiêu đến năm 2025 tỷ lệ hộ gia đình có cáp quang là bao nhiêu %?", "ho-gia-dinh-cap-quang", 2025),
        target("Đến 2030 kinh tế số chiếm bao nhiêu phần trăm GRDP?", "kinh-te-so-ty-trong-grdp", 2030),
        target("muc tieu ty trong kinh te so trong grdp nam 2025", "kinh-te-so-ty-trong-grdp", 2025),
        target("Năm 2025 phải có bao nhiêu xã hoàn thành chuyển đổi số?", "so-xa-hoan-thanh-chuyen-doi-so", 2025),
        target(
            "Tỷ lệ dân số có tài khoản thanh toán điện tử phải đạt bao nhiêu vào năm 2030?",
            "dan-so-co-tai-khoan-thanh-toan-dien-tu",
            2030,
        ),
        target(
            "Kế hoạch yêu cầu tỷ lệ doanh nghiệp chuyển đổi số năm 2025 là bao nhiêu",
            "doanh-nghiep-chuyen-doi-so",
            2025,
        ),
        target("Target cáp quang hộ gia đình 2025 là bao nhiêu?", "ho-gia-dinh-cap-quang", 2025),
        target("Chỉ tiêu CĐS: tỷ lệ DN chuyển đổi số năm 2030?", "doanh-nghiep-chuyen-doi-so", 2030),
        Case("Hiện nay tỷ lệ hộ gia đình có cáp quang đạt bao nhiêu?", public, "indicator_status", kind="natural"),
        Case("Tình hình thực hiện chỉ tiêu kinh tế số trong GRDP?", public, "indicator_status", kind="natural"),
        Case("Tiến độ chỉ tiêu doanh nghiệp chuyển đổi số ra sao?", public, "indicator_status", kind="natural"),
        Case("Số liệu mới nhất về tỷ lệ văn bản gửi nhận điện tử", public, "indicator_status", kind="natural"),
        Case("Sở Tài chính đang nợ những báo cáo gì?", sec, "owes", kind="natural"),
        Case("Phường Hàm Rồng chưa nộp báo cáo nào?", sec, "owes", kind="natural"),
        Case("Báo cáo nào của Sở Y tế còn chưa gửi?", sec, "owes", kind="natural"),
        Case("Quý 2 năm 2025 có bao nhiêu đơn vị nộp báo cáo trễ hạn?", sec, "late", ["Quý II/2025"], kind="natural"),
        Case(
            "Danh sách đơn vị chưa báo cáo 6 tháng đầu năm 2025", sec, "late", ["6 tháng đầu năm 2025"], kind="natural"
        ),
        Case("Năm ngoái những đơn vị nào chậm báo cáo?", sec, "late", ["năm 2024"], kind="natural"),
        Case("Hiện có mấy báo cáo chờ phê duyệt?", sec, "pending_count", kind="natural"),
        Case("Có bao nhiêu chỉ tiêu đang chậm tiến độ?", public, "target_counts", kind="natural"),
        Case("Những chỉ tiêu nào đã đạt năm 2025?", public, "target_counts", kind="natural"),
        Case("Top 3 xã phường có điểm cao nhất?", sec, "ranking", kind="natural"),
        Case("Sở ngành nào xếp hạng thấp nhất?", sec, "ranking", ["cơ quan"], kind="natural"),
        Case("Nghị quyết 06 đề cập gì đến chính quyền số?", public, "plan_says", ["06-NQ/TU"], kind="natural"),
        Case("Kế hoạch 4216 quy định gì về an toàn thông tin?", public, "plan_says", ["4216/QĐ-UBND"], kind="natural"),
        Case("Lương cơ bản năm 2025 là bao nhiêu?", public, "none", [NOT_FOUND], kind="natural"),
        Case("Chủ tịch UBND tỉnh là ai?", public, "none", [NOT_FOUND], kind="natural"),
        Case("Làm sao để đổi mật khẩu?", sec, "none", [NOT_FOUND], kind="natural"),
        Case("Xã Pù Nhi có đạt chuẩn xã chuyển đổi số không?", sec, "assessment", [NOT_FOUND], kind="natural"),
    ]
    # the plans' own tasks (the committee's directives, added last, are asked in _directive_cases)
    plan_tasks = Task.objects.in_force().exclude(document__doc_type=DocumentType.CONCLUSIONS)
    for task in plan_tasks.filter(parties__role=PartyRole.LEAD).distinct().order_by("-pk")[:6]:
        words = task.title.split()
        leads = [p.text for p in task.parties.all() if p.role == PartyRole.LEAD]
        cases.append(
            Case(f"{' '.join(words[:9])} do cơ quan nào chủ trì?", public, "task_owner", leads, kind="natural")
        )
    return cases


def _steering_world() -> None:
    """The steering committee's demo records (ADR 0035: sessions 2024–2026, the conclusions
    85/TB-BCĐ of the six-month 2025 session with eight directives, an inspection round), built the
    way `dxtrack demo` builds them; the demo world of the publishing tests has none."""
    from dxtrack.devtools.demo import steering as demo_steering

    demo_steering.generate(actor=Access.system(), today=TODAY)


def _open_directives(actor: Access, agency: Agency, session=None) -> list:
    """What the follow-up page lists for the agency as still open, minus those reported done."""
    from dxtrack.analytics import progress as p
    from dxtrack.steering import selectors as steering

    rows = steering.follow_up(actor=actor, at=TODAY, agency=agency.pk, session=session)
    return [r for r in rows if r.kind == "directive" and not r.closed and r.state != p.DONE]


def _directive_cases(people: dict) -> list[Case]:
    """Directives of the steering committee and overdue corrective actions (ADR 0035), through
    steering's selectors with the asker's Access."""
    from dxtrack.steering import selectors as steering
    from dxtrack.steering.models import ActionState, CorrectiveAction, Session

    sec, sotc, hamrong, public = people["sec"], people["sotc"], people["hamrong"], people["public"]
    tc, nv, yt = (Agency.objects.get(code=c) for c in ("SO_TAI_CHINH", "SO_NOI_VU", "SO_Y_TE"))
    hr = people["hamrong_unit"]
    session = Session.objects.get(kind="six_month", date__year=2025)

    def still_open(agency, actor=sec):
        rows = _open_directives(actor, agency)
        return f"chưa hoàn thành: {len(rows)} (quá hạn {sum(1 for r in rows if r.late)})"

    def overdue(**owner):
        qs = CorrectiveAction.objects.filter(**owner, deadline__lt=TODAY).exclude(state=ActionState.DONE)
        return f"Biện pháp khắc phục sau kiểm tra quá hạn: {qs.count()}"

    given = [
        r for r in steering.follow_up(actor=sec, at=TODAY, agency=nv.pk, session=session.pk) if r.kind == "directive"
    ]
    session_url = f"/ban-chi-dao/phien-hop/{session.pk}/"
    tc_titles = [r.title[:60] for r in steering.follow_up(actor=sec, at=TODAY, agency=tc.pk) if r.kind == "directive"]
    yt_titles = [r.title[:60] for r in steering.follow_up(actor=sec, at=TODAY, agency=yt.pk) if r.kind == "directive"]
    owes_tc = [
        f"Chỉ đạo của Ban Chỉ đạo chưa hoàn thành: {len(_open_directives(sec, tc))}",
        overdue(owner=tc),
    ]
    return [
        Case("Sở Tài chính còn những chỉ đạo nào chưa xong?", sec, "directive", [still_open(tc)], kind="directive"),
        Case("so tai chinh con nhung chi dao nao chua xong", sec, "directive", [still_open(tc)], kind="directive"),
        Case("Sở Y tế còn chỉ đạo nào chưa hoàn thành?", sec, "directive", [still_open(yt)], kind="directive"),
        Case("Sở Nội vụ còn chỉ đạo nào chưa xong?", people["lead"], "directive", [still_open(nv)], kind="directive"),
        Case(
            "Kết luận phiên họp 6 tháng đầu năm 2025 giao gì cho Sở Nội vụ?",
            sec,
            "directive",
            [f"được giao: {len(given)}", session_url, *[r.title[:60] for r in given]],
            kind="directive",
        ),
        Case(
            "ket luan phien hop 6 thang dau nam 2025 giao gi cho so noi vu",
            sec,
            "directive",
            [f"được giao: {len(given)}", session_url],
            kind="directive",
        ),
        Case(
            "Đơn vị tôi còn những chỉ đạo nào chưa xong?",
            sotc,
            "directive",
            [still_open(tc, sotc)],
            kind="directive",
        ),
        Case("Sở Tài chính còn nợ những gì?", sec, "owes", owes_tc, kind="directive owes"),
        Case("Đơn vị tôi còn nợ báo cáo nào?", sotc, "owes", owes_tc, kind="directive owes"),
        Case("Phường Hàm Rồng còn nợ những gì?", sec, "owes", [overdue(owner_unit=hr)], kind="directive owes"),
        Case("don vi toi con no nhung gi", hamrong, "owes", [overdue(owner_unit=hr)], kind="directive owes"),
        # permission: a commune's reporter learns nothing of an agency's directives, an agency's
        # reporter nothing of another agency's, the public nothing at all
        Case(
            "Sở Tài chính còn những chỉ đạo nào chưa xong?",
            hamrong,
            "directive",
            [NOT_FOUND],
            absent=tc_titles,
            kind="perm directive",
        ),
        Case(
            "Kết luận phiên họp 6 tháng đầu năm 2025 giao gì cho Sở Y tế?",
            sotc,
            "directive",
            [NOT_FOUND],
            absent=[*yt_titles, session_url],
            kind="perm directive",
        ),
        Case(
            "Sở Tài chính còn những chỉ đạo nào chưa xong?",
            public,
            "directive",
            ["đăng nhập"],
            absent=tc_titles,
            kind="perm directive",
        ),
    ]


def _leaks(case: Case, answer, people: dict) -> list[str]:
    """Another unit's obligations or reports linked, or private data shown to the public."""
    actor, found = case.actor, []
    for s in answer.sources:
        m = re.match(r"^/bao-cao/(nghia-vu/)?(\d+)/", s["url"])
        if not m:
            continue
        if actor.is_public:
            found.append(s["url"])
            continue
        pk = int(m.group(2))
        ob = (
            Obligation.objects.filter(pk=pk).first() if m.group(1) else Obligation.objects.filter(report__pk=pk).first()
        )
        if ob is not None and not actor.covers(agency_id=ob.agency_id, admin_unit_id=ob.admin_unit_id):
            found.append(s["url"])
    return found


def all_cases(people: dict) -> list[Case]:
    """The whole set, built from the data in the database (also used by bench/assistant.py); the
    directives' questions only where the steering committee has concluded a session."""
    from dxtrack.steering.models import Session

    cases = (
        _target_cases(people["public"])
        + _status_cases(people["public"])
        + _task_cases(people["public"])
        + _reporting_cases(people)
        + _count_cases(people)
        + _plan_cases(people["public"])
        + _scope_cases(people)
        + _follow_up_cases(people["public"])
        + _out_of_scope_cases(people)
        + _unit_value_cases(people)
        + _dated_cases(people)
        + _natural_cases(people)
    )
    if Session.objects.filter(kind="six_month", date__year=2025).exists():
        cases += _directive_cases(people)
    return cases


def _shows(answer, what: str) -> bool:
    return what in answer.text or any(what in s["url"] for s in answer.sources)


def is_right(case: Case, answer) -> bool:
    return (
        answer.intent == case.intent
        and all(_shows(answer, e) for e in case.expect)
        and (not case.any_of or any(_shows(answer, e) for e in case.any_of))
        and not any(_shows(answer, a) for a in case.absent)
    )


def leaks(case: Case, answer, people: dict) -> list[str]:
    """What the asker may not see: another unit's reports linked (_leaks), and in a permission
    case any of what it names as another's (drafts, directives, session pages)."""
    found = _leaks(case, answer, people)
    if case.kind.startswith("perm"):
        found += [a for a in case.absent if _shows(answer, a)]
    return found


def test_question_set(demo_world):
    # given the demo world with the steering committee's records, and its people
    hamrong_unit = AdminUnit.objects.get(level="commune", code="14758", valid_to__isnull=True)
    people = {
        "sec": Access.for_user(UserFactory(role=Role.SECRETARIAT)),
        "lead": Access.for_user(UserFactory(role=Role.LEADER)),
        "sotc": Access.for_user(UserFactory(role=Role.REPORTER, agency=Agency.objects.get(code="SO_TAI_CHINH"))),
        "hamrong": Access.for_user(UserFactory(role=Role.REPORTER, agency=None, admin_unit=hamrong_unit)),
        "public": Access.public(),
        "hamrong_unit": hamrong_unit,
    }
    _steering_world()
    cases = all_cases(people)
    assert len(cases) >= 150
    assert sum(1 for c in cases if "directive" in c.kind) == 14
    assert sum(1 for c in cases if c.kind == "out") == 37

    # when each is asked
    wrong, leaked, times = [], [], []
    for case in cases:
        context = {}
        if case.context_from:
            context = ask(actor=case.actor, question=case.context_from, today=TODAY).context
        start = time.perf_counter()
        answer = ask(actor=case.actor, question=case.question, context=context, today=TODAY)
        times.append(1000 * (time.perf_counter() - start))
        if not is_right(case, answer):
            wrong.append((case.kind, case.question[:90], case.intent, answer.intent, answer.text[:160]))
        leaked += leaks(case, answer, people)

    # then at least 90 % are right and nothing leaks
    share = 1 - len(wrong) / len(cases)
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    kinds = Counter(w[0] for w in wrong)
    print(f"question set: {len(cases)} questions, {share:.1%} right, p95 {p95:.0f} ms; wrong: {kinds}")
    for w in wrong:
        print("WRONG", w)
    assert leaked == []
    assert share >= 0.9
