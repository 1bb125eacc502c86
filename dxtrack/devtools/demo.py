"""Demo data: plausible reports for every obligation of the calendar, from 2021 to today.

`generate` fills each obligation whose period has started with a report in a realistic state:
most approved (locked in periods older than the last two quarters, which are closed), some
submitted late, some returned with a reason, some left in draft, some never started. Each unit
has a profile (prompt, ordinary, chronically late) that shifts those proportions.

Values follow one trend per indicator, scattered per unit, so that once rolled up to the province
some of the register's targets are on track (fibre to the home rising toward its 2025 target),
others stagnate and a few regress. Ratios carry a numerator and a denominator sized to the unit
(population, households, enterprises, dossiers…); counts are whole; percentages stay in 0–100.
A few values jump far from the unit's own history, so that the outlier check flags them; each
carries the explanation a unit would write (see OUTLIER_COMMENTS).

Deterministic: every obligation draws from its own `random.Random`, seeded with the seed and the
obligation's stable identity (plan, period, body code), never with database ids. The same
register and calendar give the same data on every machine, in any order, and a second run adds
nothing: obligations that already have a report are skipped.

This bypasses the per-value services on purpose. values_apply and report_transition lock the
report, re-read the form, check every value and write an audit event per value and per step;
for the ~3,400 obligations and ~80,000 rows of the demo that is minutes of work instead of
seconds. The generator writes with bulk_create instead, produces only values that pass the unit
and rule checks, copies period and reporter onto each value as the services do, and writes one
audit event per report ("reporting.demo.generate") and per closed period, in the same
transaction as the data (one transaction per year).
"""

import datetime
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.models import Role, User
from dxtrack.core.dates import at_local, end_of_day, format_vn_date
from dxtrack.core.errors import InvalidData
from dxtrack.core.models import AuditEvent
from dxtrack.core.numbers import PERCENT, format_number
from dxtrack.obligations.models import Obligation, Period
from dxtrack.org.models import AdminUnitChange
from dxtrack.plans.models import Document, Indicator, PartyRole, Task, TaskParty
from dxtrack.reports import selectors
from dxtrack.reports import validation as v
from dxtrack.reports.models import DataValue, Report, ReportStatus, TaskState, TaskUpdate

S = ReportStatus
MISSING = "missing"
START = datetime.date(2021, 1, 1)
DEMO_REASON = "Dữ liệu trình diễn"
# The demo's own unit (the log-ins hamrong.baocao / hamrong.duyet): its reports not yet due are
# left for the visitor to fill.
DEMO_FORM_UNITS = frozenset({"14758"})

# ---- how units report ----------------------------------------------------------------------------

# (share of units, {phase: {status: weight}}, chance that a submitted report came in late)
PROFILES = {
    "prompt": (
        0.30,
        {
            "closed": {S.LOCKED: 97, MISSING: 1, S.DRAFT: 1, S.RETURNED: 1},
            "open": {S.APPROVED: 78, S.SUBMITTED: 14, S.RETURNED: 4, S.DRAFT: 2, MISSING: 2},
            "not_due": {S.SUBMITTED: 35, S.APPROVED: 8, S.DRAFT: 45, MISSING: 12},
        },
        0.04,
    ),
    "ordinary": (
        0.60,
        {
            "closed": {S.LOCKED: 91, MISSING: 4, S.DRAFT: 3, S.RETURNED: 2},
            "open": {S.APPROVED: 60, S.SUBMITTED: 18, S.RETURNED: 7, S.DRAFT: 7, MISSING: 8},
            "not_due": {S.SUBMITTED: 15, S.APPROVED: 2, S.DRAFT: 48, MISSING: 35},
        },
        0.15,
    ),
    "late": (
        0.10,
        {
            "closed": {S.LOCKED: 72, MISSING: 16, S.DRAFT: 7, S.RETURNED: 5},
            "open": {S.APPROVED: 35, S.SUBMITTED: 15, S.RETURNED: 12, S.DRAFT: 15, MISSING: 23},
            "not_due": {S.SUBMITTED: 2, S.DRAFT: 38, MISSING: 60},
        },
        0.65,
    ),
}

RETURN_REASONS = [
    "Mẫu số dân số trưởng thành chưa thống nhất với số liệu của Công an tỉnh; đề nghị rà soát lại.",
    "Số hộ gia đình có cáp quang chưa khớp với số liệu của doanh nghiệp viễn thông; đề nghị kiểm tra.",
    "Nhiệm vụ báo cáo đã hoàn thành nhưng chưa có sản phẩm, minh chứng kèm theo.",
    "Phần khó khăn, vướng mắc còn chung chung; đề nghị nêu cụ thể nguyên nhân và giải pháp.",
    "Số hồ sơ giải quyết trực tuyến cao hơn số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh.",
]

# Explanations a unit gives for a value far from its history (the outlier check's warning).
OUTLIER_COMMENTS = [
    "Tăng đột biến do doanh nghiệp viễn thông hoàn thành kéo cáp, triển khai đồng loạt trong kỳ.",
    "Số liệu tăng mạnh do đợt cao điểm ra quân của Tổ công nghệ số cộng đồng trong kỳ.",
    "Kỳ này thống kê lại theo hướng dẫn mới của Bộ, nên số liệu thay đổi lớn so với các kỳ trước.",
]
OUTLIER_RATE = 0.006
# Noise alone sometimes strays far from a smooth history; a unit sending such a value explains it.
NOISE_COMMENTS = [
    "Số liệu biến động do rà soát, chuẩn hóa lại dữ liệu nguồn trong kỳ.",
    "Đã kiểm tra lại; số liệu đúng theo báo cáo của các bộ phận chuyên môn.",
]

RESULTS = [
    "{indicator} đạt {value}%.",
    "Duy trì vận hành ổn định hệ thống quản lý văn bản và điều hành; văn bản đi đều được ký số.",
    "Tổ chức {n} lớp tập huấn kỹ năng số cho cán bộ, công chức và người dân.",
    "Tổ công nghệ số cộng đồng hướng dẫn người dân cài đặt, sử dụng VNeID và thanh toán không dùng tiền mặt.",
    "Hoàn thành {done}/{tasks} nhiệm vụ được giao trong kế hoạch.",
    "Triển khai thanh toán trực tuyến phí, lệ phí trên Cổng dịch vụ công quốc gia.",
    "Cập nhật, làm sạch dữ liệu hộ tịch, dân cư phục vụ Đề án 06.",
]
DIFFICULTIES = [
    "Hạ tầng mạng tại một số thôn vùng sâu, vùng xa chưa ổn định.",
    "Đội ngũ cán bộ phụ trách công nghệ thông tin còn mỏng, chủ yếu kiêm nhiệm.",
    "Kinh phí bố trí cho chuyển đổi số còn hạn chế.",
    "Một bộ phận người dân, nhất là người cao tuổi, chưa quen sử dụng dịch vụ công trực tuyến.",
    "Trang thiết bị tại bộ phận một cửa đã xuống cấp, cấu hình thấp.",
]
DIFFICULTY_AFTER_MERGER = "Sau sắp xếp đơn vị hành chính, dữ liệu dân cư, hộ gia đình đang được rà soát, cập nhật lại."
MERGER = datetime.date(2025, 7, 1)
PROPOSALS = [
    "Đề nghị Sở Khoa học và Công nghệ tổ chức tập huấn chuyên sâu cho cán bộ đầu mối.",
    "Đề nghị doanh nghiệp viễn thông đẩy nhanh tiến độ phủ sóng tại các thôn lõm sóng.",
    "Đề nghị tỉnh bố trí kinh phí nâng cấp trang thiết bị cho bộ phận một cửa.",
    "Đề nghị hướng dẫn thống nhất cách xác định mẫu số của các chỉ tiêu tỷ lệ.",
    "Không có đề xuất, kiến nghị.",
]

# ---- what indicators measure ---------------------------------------------------------------------

# The base (denominator) of a ratio, by a fragment of the indicator's code; first match wins.
BASES = [
    ("ho-gia-dinh", "households"),
    ("dan-so-truong-thanh", "adults"),
    ("dan-so-15", "adults"),
    ("nguoi-do-tuoi-lao-dong", "adults"),
    ("dan-so", "population"),
    ("nguoi-dan", "population"),
    ("lao-dong", "workers"),
    ("dnnvv", "enterprises"),
    ("doanh-nghiep", "enterprises"),
    ("thuc-pham", "enterprises"),
    ("website", "websites"),
    ("ho-so-tthc", "dossiers"),
    ("hai-long", "respondents"),
    ("ho-so-cong-viec", "documents"),
    ("van-ban", "documents"),
    ("dvc", "services"),
    ("thon-ban", "villages"),
    ("xa-", "communes"),
    ("huyen", "districts"),
    ("benh-vien", "hospitals"),
    ("co-so-y-te", "clinics"),
    ("co-so", "schools"),
    ("co-quan", "agencies"),
    ("kiem-tra", "inspections"),
    ("bao-cao", "regimes"),
    ("httt", "systems"),
    ("do-thi", "towns"),
    ("cbccvc", "officials"),
]
# Size of each base: (commune low, high), (district low, high), province.
SIZES = {
    "population": ((5000, 18000), (70000, 260000), 3_760_000),
    "enterprises": ((8, 90), (250, 2500), 19_500),
    "websites": ((0, 3), (3, 25), 420),
    "dossiers": ((150, 1800), (2500, 20000), 380_000),
    "respondents": ((60, 300), (400, 2000), 12_000),
    "documents": ((400, 2500), (4000, 20000), 520_000),
    "services": ((110, 150), (250, 320), 1_850),
    "villages": ((1, 4), (4, 20), 260),
    "communes": ((1, 1), (12, 35), 166),
    "districts": ((1, 1), (1, 1), 26),
    "hospitals": ((1, 1), (1, 3), 38),
    "clinics": ((1, 2), (20, 40), 720),
    "schools": ((3, 8), (40, 120), 2_000),
    "agencies": ((4, 9), (25, 45), 72),
    "inspections": ((4, 20), (20, 90), 850),
    "regimes": ((12, 25), (40, 60), 180),
    "systems": ((1, 3), (3, 8), 60),
    "towns": ((1, 1), (1, 2), 30),
    "officials": ((20, 45), (250, 600), 38_000),
    "items": ((5, 40), (40, 300), 2_000),
}
# Fixed shares of other bases.
DERIVED = {"adults": ("population", 0.71), "households": ("population", 1 / 3.7), "workers": ("population", 0.56)}

# Trend of a percentage: (level at the start of 2021, level at the end of the target year) as
# shares of the target. Most rise to meet it, some stagnate, a few fall back.
TRENDS = {"on_track": (0.40, 1.04), "stagnating": (0.50, 0.66), "regressing": (0.78, 0.58)}
TREND_OF = {
    "ho-gia-dinh-cap-quang": "on_track",
    "dan-so-truong-thanh-co-dien-thoai-thong-minh": "on_track",
    "ho-so-tthc-giai-quyet-truc-tuyen": "on_track",
    "dan-so-truong-thanh-dung-dvc-truc-tuyen": "stagnating",
    "dan-so-co-tai-khoan-thanh-toan-dien-tu": "stagnating",
    "kiem-tra-qua-moi-truong-so": "regressing",
    "kinh-te-so-ty-trong-grdp": "stagnating",
    "dan-so-truong-thanh-co-chu-ky-so": "regressing",
    "lao-dong-doanh-nghiep-tap-huan-may-tinh": "regressing",
}
# Provincial figures that are not shares of a target: (start 2021, end of target year, decimals).
LEVELS = {
    "doanh-nghiep-cntt": (260, 335, 0),
    "doanh-thu-cong-nghiep-cntt": (410, 840, 1),
    "nhan-luc-cntt-chat-luong-cao-dao-tao": (25, 160, 0),
    "doanh-thu-cong-nghiep-cntt-tang-binh-quan": (12.5, 16.5, 2),
    "nang-suat-lao-dong-tang-hang-nam": (5.6, 7.4, 2),
    "cong-nghiep-cntt-ty-trong-grdp": (1.6, 2.5, 2),
    "benh-vien-tuyen-huyen-thong-minh": (0, 6, 0),
    "benh-vien-tuyen-tinh-thong-minh": (0, 2, 0),
    "dvc-thiet-yeu-qd-422-trien-khai": (8, 28, 0),
    "dvc-thiet-yeu-de-an-06-trien-khai": (6, 25, 0),
    "doanh-nghiep-cong-nghe-so-phat-trien-trong-nam": (6, 13, 0),
}
# Values that are the sum of others of the same report.
SUM_OF = {"dvc-thiet-yeu-trien-khai": ("dvc-thiet-yeu-qd-422-trien-khai", "dvc-thiet-yeu-de-an-06-trien-khai")}
RECURRING = frozenset({"quarterly", "continuous", "yearly", "monthly"})


def _rng(*parts) -> random.Random:
    """A generator seeded with the parts' text: the same draws for the same thing, everywhere."""
    return random.Random("|".join(str(p) for p in parts))  # noqa: S311 - made-up data, not secrets


def _body_key(obligation: Obligation) -> str:
    if obligation.admin_unit_id:
        return f"u{obligation.admin_unit.code}@{obligation.admin_unit.valid_from}"
    return f"a{obligation.agency.code}"


def _frac(day: datetime.date, until_year: int) -> float:
    """How far `day` lies from 1/1/2021 toward the end of `until_year` (may exceed 1)."""
    end = datetime.date(until_year, 12, 31)
    return (day - START).days / max(1, (end - START).days)


@dataclass
class IndicatorPlan:
    """How one indicator's values are made."""

    indicator: Indicator
    spec: v.IndicatorSpec
    target: float | None
    target_year: int
    trend: str

    def level(self, day: datetime.date) -> float:
        """The provincial percentage on `day` (ratios and percentages)."""
        target = self.target if self.target and self.target > 0 else 60.0
        start, end = (share * target for share in TRENDS[self.trend])
        frac = _frac(day, self.target_year)
        if frac > 1:  # past the target year the trend continues, slower
            frac = 1 + 0.3 * (frac - 1)
        return max(0.5, min(100.0, start + (end - start) * frac))


def _plans(seed: int) -> dict[int, IndicatorPlan]:
    out = {}
    for indicator in Indicator.objects.prefetch_related("targets"):
        targets = sorted(
            (t for t in indicator.targets.all() if t.value is not None and t.year),
            key=lambda t: (t.year < 2024, t.year),
        )
        target = targets[0] if targets else None
        trend = TREND_OF.get(indicator.code)
        if trend is None:
            draw = _rng(seed, "trend", indicator.code).random()
            trend = "on_track" if draw < 0.6 else "stagnating" if draw < 0.85 else "regressing"
        out[indicator.pk] = IndicatorPlan(
            indicator,
            selectors.indicator_spec(indicator),
            target.value if target else None,
            target.year if target else 2025,
            trend,
        )
    return out


class _Forms:
    """The form of each obligation, computed once per kind of body (the same for all communes)."""

    def __init__(self):
        self.indicators: dict[tuple, list[Indicator]] = {}
        self.tasks: dict[tuple, list[tuple[Task, str]]] = {}
        named = set(TaskParty.objects.filter(admin_unit__isnull=False).values_list("admin_unit_id", flat=True))
        # A unit named on a task, or one it became part of: form_tasks takes in a unit's former units.
        frontier = named
        while frontier:
            frontier = set(AdminUnitChange.objects.filter(old_id__in=frontier).values_list("new_id", flat=True)) - named
            named |= frontier
        self.named_units = named

    def of(self, obligation: Obligation) -> tuple[list[Indicator], list[tuple[Task, str]]]:
        doc = obligation.rule.document_id
        if obligation.admin_unit_id:
            ind_key = (doc, "unit")
            unit = obligation.admin_unit_id if obligation.admin_unit_id in self.named_units else None
            task_key = (doc, "unit", obligation.admin_unit.level, unit)
        else:
            ind_key = task_key = (doc, "agency", obligation.agency_id)
        if ind_key not in self.indicators:
            self.indicators[ind_key] = selectors.form_indicators(obligation)
        if task_key not in self.tasks:
            self.tasks[task_key] = selectors.form_tasks(obligation)
        return self.indicators[ind_key], self.tasks[task_key]


class _Generator:
    def __init__(self, *, today: datetime.date, seed: int):
        self.today = today
        self.seed = seed
        self.now = timezone.now()
        # Nothing generated happens after the run itself, nor after the day it is run "as of".
        self.cutoff = min(self.now, end_of_day(today))
        self.plans = _plans(seed)
        self.forms = _Forms()
        self.documents = {d.pk: d for d in Document.objects.all()}
        self.rules = selectors.rule_specs({p.indicator.code for p in self.plans.values()})
        quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        # Periods ending before the last two quarters are closed.
        months = quarter_start.year * 12 + quarter_start.month - 1 - 6
        self.close_before = datetime.date(months // 12, months % 12 + 1, 1)
        approvers = User.objects.filter(is_active=True, role=Role.APPROVER).order_by("pk")
        self.approvers = {}
        for user in approvers:
            self.approvers.setdefault(
                ("agency", user.agency_id) if user.agency_id else ("unit", user.admin_unit_id), user
            )
        # Approved values so far, per body, indicator and kind of period: the outlier check's history.
        self.history: dict[tuple, list[Decimal]] = {}
        self.secretariat = User.objects.filter(is_active=True, role=Role.SECRETARIAT).order_by("pk").first()

    # -- units

    def profile(self, body: str) -> str:
        draw = _rng(self.seed, "profile", body).random()
        for name, (share, _weights, _late) in PROFILES.items():
            if draw < share:
                return name
            draw -= share
        return "ordinary"

    def size(self, obligation: Obligation, base: str, period: Period) -> int:
        if base in DERIVED:
            parent, share = DERIVED[base]
            return max(1, round(self.size(obligation, parent, period) * share))
        commune, district, province = SIZES[base]
        if obligation.agency_id:
            low = high = province
        elif obligation.admin_unit.level == "district":
            low, high = district
        else:
            low, high = commune
            if obligation.admin_unit.kind == "Phường" and base in ("population", "enterprises", "dossiers"):
                low, high = low * 2, high * 2  # wards are denser
        body = _body_key(obligation)
        size = _rng(self.seed, "size", body, base).randint(low, high)
        if base in ("population", "enterprises"):
            size = round(size * (1.008 ** (period.year - 2021)))  # slow growth
        elif base in ("dossiers", "documents", "inspections", "respondents"):
            # flows of a period: vary from one period to the next
            flow = _rng(self.seed, "flow", body, base, period.label).uniform(0.85, 1.15)
            size = round(size * flow * {"quarterly": 1, "semiannual": 2, "yearly": 4}[period.period_type])
        return max(1, size)

    # -- values

    def values(self, obligation: Obligation, indicators: list[Indicator], rng: random.Random) -> dict[str, v.Entry]:
        body, period = _body_key(obligation), obligation.period
        day = min(period.data_to, self.today)
        entries: dict[str, v.Entry] = {}
        index = (period.year - 2021) * {"quarterly": 4, "semiannual": 2, "yearly": 1}[period.period_type]
        for indicator in indicators:
            plan = self.plans[indicator.pk]
            unit_rng = _rng(self.seed, "unit", body, indicator.code)
            spread = 0.06 if obligation.agency_id else 0.25
            factor = 1 + unit_rng.uniform(-spread, spread)
            rounding = unit_rng.random()  # the same per unit, so small bases move steadily
            comment = ""
            if plan.spec.is_ratio:
                level = plan.level(day) * factor + rng.gauss(0, 1.2)
                # A few jumps far from the unit's history (only where it has one to compare).
                if index >= 5 and rng.random() < OUTLIER_RATE:
                    level = level * 1.6 + 25
                    comment = rng.choice(OUTLIER_COMMENTS)
                level = max(0.0, min(100.0, level))
                base = next((b for fragment, b in BASES if fragment in indicator.code), "items")
                den = self.size(obligation, base, period)
                num = min(den, math.floor(den * level / 100 + rounding))
                entry = v.Entry(numerator=Decimal(num), denominator=Decimal(den), comment=comment)
                entry.value = v.derived_value(plan.spec, entry)
            else:
                entry = v.Entry(value=self._scalar(obligation, plan, day, factor, rng))
            entries[indicator.code] = entry
        for code, parts in SUM_OF.items():
            if code in entries and all(p in entries for p in parts):
                entries[code].value = sum(entries[p].value for p in parts)
        self._obey_rules(entries)
        return entries

    def _scalar(self, obligation, plan: IndicatorPlan, day, factor, rng) -> Decimal:
        code, spec = plan.indicator.code, plan.spec
        if code in LEVELS:
            start, end, decimals = LEVELS[code]
            frac = min(_frac(day, plan.target_year), 1.4)
            number = (start + (end - start) * frac) * factor
            if decimals:
                number += rng.gauss(0, 0.04 * abs(number))
        elif spec.unit == "%":
            number = plan.level(day) * factor + rng.gauss(0, 1.0)
            decimals = 2
        elif spec.unit in v.RANK_UNITS:
            number, decimals = max(1, 30 - 4 * (day.year - 2021)) + rng.randint(-2, 2), 0
        else:
            target = plan.target or 20
            number, decimals = target * min(1.1, 0.3 + 0.7 * _frac(day, plan.target_year)) * factor, 0
        if obligation.admin_unit_id and not plan.spec.is_ratio and spec.unit in v.COUNT_UNITS:
            # A commune's or district's share of a provincial count: a handful at most.
            number = rng.choices([0, 0, 0, 1, 1, 2], k=1)[0] * (3 if obligation.admin_unit.level == "district" else 1)
        if spec.unit == "%":
            number = max(0.0, min(100.0, number))
        elif spec.unit in v.RANK_UNITS:
            number = max(1, number)
        else:
            number = max(0.0, number)
        quantum = Decimal(1).scaleb(-decimals)
        return Decimal(str(round(number, decimals))).quantize(quantum)

    def _obey_rules(self, entries: dict[str, v.Entry]) -> None:
        """Adjusts the left-hand side of every rule between two values the report breaks, as a
        careful unit would before sending."""
        specs = {code: self.plans_by_code[code].spec for code in entries}
        for code, _finding in v.check_rules(self.rules, entries, specs):
            for rule in self.rules:
                if rule.left != code:
                    continue
                left, right = entries[rule.left], entries[rule.right]
                target = (
                    v.derived_value(specs[rule.right], right)
                    if rule.right_part == "value"
                    else getattr(right, rule.right_part)
                )
                if target is None:
                    continue
                if rule.left_part == "value" and specs[rule.left].is_ratio:
                    num = math.floor(target * left.denominator / specs[rule.left].scale)
                    left.numerator = Decimal(min(num, int(left.denominator)))
                elif rule.left_part == "denominator":
                    share = left.numerator / left.denominator if left.denominator else 0
                    left.denominator = target
                    left.numerator = Decimal(math.floor(share * target))
                else:
                    setattr(left, rule.left_part, target)
                left.value = v.derived_value(specs[rule.left], left)

    def _explain_outliers(self, obligation, entries: dict[str, v.Entry], status: str, rng: random.Random) -> None:
        """Gives every value the outlier check flags a comment, as submission requires, and keeps
        the approved values as history for the periods after."""
        body, period_type = _body_key(obligation), obligation.period.period_type
        for code, entry in entries.items():
            history = self.history.setdefault((body, code, period_type), [])
            if not entry.comment and v.check_outlier(self.plans_by_code[code].spec, entry, history):
                entry.comment = rng.choice(NOISE_COMMENTS)
            if status in (S.APPROVED, S.LOCKED) and entry.value is not None:
                history.append(entry.value)

    @property
    def plans_by_code(self) -> dict[str, IndicatorPlan]:
        if not hasattr(self, "_by_code"):
            self._by_code = {p.indicator.code: p for p in self.plans.values()}
        return self._by_code

    # -- tasks

    def task_state(self, obligation: Obligation, task: Task, day: datetime.date) -> tuple[str, int, datetime.date]:
        document = self.documents[task.document_id]
        rng = _rng(self.seed, "task", _body_key(obligation), document.code, task.position)
        begin = document.issued_on or datetime.date(document.year or 2021, 1, 1)
        start = begin + datetime.timedelta(days=rng.randint(0, 240))
        if obligation.admin_unit_id and obligation.admin_unit.valid_from:
            start = max(start, obligation.admin_unit.valid_from + datetime.timedelta(days=rng.randint(0, 60)))
        if task.recurrence in RECURRING:
            finish = None
        elif task.deadline:
            on_time = rng.random() < 0.8
            shift = -rng.randint(0, 150) if on_time else rng.randint(20, 500)
            finish = task.deadline + datetime.timedelta(days=shift)
        else:
            finish = start + datetime.timedelta(days=rng.randint(200, 1200))
        if finish is not None:
            finish = max(finish, start + datetime.timedelta(days=30))
        if day < start:
            return TaskState.NOT_STARTED, 0, finish
        if finish is None:  # a recurring duty never ends
            years = (day - start).days / 365
            return TaskState.IN_PROGRESS, min(90, 5 * round((30 + 20 * years) / 5)), finish
        if day >= finish:
            return TaskState.DONE, 100, finish
        percent = 5 * round(20 * (day - start).days / (finish - start).days)
        return TaskState.IN_PROGRESS, max(5, min(95, percent)), finish

    # -- one report

    def status(self, obligation: Obligation, rng: random.Random) -> tuple[str, bool]:
        """The report's status and whether it was (first) submitted after the due date."""
        body, period = _body_key(obligation), obligation.period
        if obligation.admin_unit_id and obligation.admin_unit.code in DEMO_FORM_UNITS and obligation.due >= self.today:
            return (MISSING if period.period_type == "quarterly" else S.DRAFT), False
        _share, weights, late_p = PROFILES[self.profile(body)]
        phase = "closed" if period.end < self.close_before else "open" if obligation.due < self.today else "not_due"
        table = dict(weights[phase])
        if phase == "closed" and period.year < 2023:  # reporting took a while to become routine
            table[MISSING] = table.get(MISSING, 0) + 3 * (2023 - period.year)
        status = rng.choices(list(table), weights=list(table.values()), k=1)[0]
        late = phase != "not_due" and rng.random() < late_p
        return status, late

    def at(self, day: datetime.date, rng: random.Random) -> datetime.datetime:
        """A moment of office hours (07:00–17:59) of `day` on the province's clock. An hour of the
        run's own day not yet lived is taken on the day before, in office hours still: a report
        generated at 03:18 was neither sent at 15:34 nor in the night."""
        hour, minute = rng.randint(7, 17), rng.randint(0, 59)
        moment = at_local(day, datetime.time(hour, minute))
        if moment <= self.cutoff:
            return moment
        # Only the run's own day gets here (cutoff is past every earlier day's end), and the
        # day before is over by then.
        return at_local(day - datetime.timedelta(days=1), datetime.time(hour, minute))

    def build(self, obligation: Obligation) -> tuple[Report | None, list, list, dict]:
        rule = obligation.rule
        rng = _rng(
            self.seed, rule.document.code, rule.period_type, rule.due, obligation.period.label, _body_key(obligation)
        )
        status, late = self.status(obligation, rng)
        if status == MISSING:
            return None, [], [], {"status": MISSING, "late": False, "outliers": 0}
        period, due = obligation.period, obligation.due
        indicators, tasks = self.forms.of(obligation)
        complete = status != S.DRAFT
        # when things happened
        opened = max(period.data_to - datetime.timedelta(days=rng.randint(5, 25)), period.start)
        opened = min(opened, self.today)
        submitted = decided = None
        if complete:
            day = (
                due + datetime.timedelta(days=rng.randint(1, 45))
                if late
                else due - datetime.timedelta(days=rng.randint(0, 8))
            )
            day = max(opened, min(day, self.today))
            submitted = self.at(day, rng)
            if status in (S.APPROVED, S.LOCKED, S.RETURNED):
                decided_day = min(day + datetime.timedelta(days=rng.randint(1, 10)), self.today)
                decided = max(self.at(decided_day, rng), submitted)
        report = Report(
            obligation=obligation,
            status=status,
            created_at=self.at(opened, rng),
            updated_at=decided or submitted or self.at(opened, rng),
        )
        if submitted:
            report.first_submitted_at = report.submitted_at = submitted
            report.submitted_by = self.approvers.get(
                ("agency", obligation.agency_id) if obligation.agency_id else ("unit", obligation.admin_unit_id)
            )
            report.version = 2
        if decided:
            report.decided_at, report.decided_by = decided, self.secretariat
            report.version = 3
        if status == S.RETURNED or (status in (S.APPROVED, S.LOCKED) and rng.random() < 0.06):
            # returned; the approved ones among these were corrected and sent again before approval
            report.return_reason = rng.choice(RETURN_REASONS)
            if status != S.RETURNED:
                report.first_submitted_at = submitted - datetime.timedelta(days=rng.randint(3, 12))
                report.version = 5
        # values
        entries = self.values(obligation, indicators, rng)
        if complete:
            self._explain_outliers(obligation, entries, status, rng)
        else:
            keep = rng.uniform(0.3, 0.9)
            entries = {code: e for code, e in entries.items() if rng.random() < keep}
        when = report.created_at
        values = [
            DataValue(
                report=report,
                indicator=indicator,
                period_id=obligation.period_id,
                agency_id=obligation.agency_id,
                admin_unit_id=obligation.admin_unit_id,
                value=entries[indicator.code].value,
                numerator=entries[indicator.code].numerator,
                denominator=entries[indicator.code].denominator,
                comment=entries[indicator.code].comment,
                updated_at=when,
            )
            for indicator in indicators
            if indicator.code in entries
        ]
        # task updates
        updates, done = [], 0
        day = min(period.data_to, self.today)
        for task, role in tasks:
            if not complete and (role != PartyRole.LEAD or rng.random() < 0.5):
                continue
            state, percent, finish = self.task_state(obligation, task, day)
            done += state == TaskState.DONE
            output = note = ""
            if state == TaskState.DONE:
                output = (task.output or "Đã hoàn thành theo kế hoạch.")[:1000]
            elif state == TaskState.IN_PROGRESS and finish and rng.random() < 0.5:
                note = f"Dự kiến hoàn thành trong tháng {finish:%m/%Y}."
            elif state == TaskState.NOT_STARTED:
                note = "Chưa triển khai do chưa được bố trí kinh phí." if rng.random() < 0.3 else ""
            updates.append(
                TaskUpdate(
                    report=report, task=task, state=state, percent=percent, output=output, note=note, updated_at=when
                )
            )
        # narrative
        if complete or rng.random() < 0.5:
            self.narrate(report, obligation, entries, done, len(tasks), rng, complete)
        outliers = sum(1 for e in entries.values() if e.comment in OUTLIER_COMMENTS)
        return report, values, updates, {"status": status, "late": late and complete, "outliers": outliers}

    def narrate(self, report, obligation, entries, done, tasks, rng, complete) -> None:
        ratios = [
            (self.plans_by_code[code].indicator.name, e.value)
            for code, e in entries.items()
            if self.plans_by_code[code].spec.is_ratio and e.value is not None
        ]
        sentences = []
        for template in rng.sample(RESULTS, k=3):
            if "{indicator}" in template:
                if not ratios:
                    continue
                name, value = rng.choice(ratios)
                sentences.append(template.format(indicator=name, value=format_number(value, PERCENT)))
            elif "{done}" in template:
                if tasks:
                    sentences.append(template.format(done=done, tasks=tasks))
            else:
                sentences.append(template.format(n=rng.randint(1, 6)))
        report.results = " ".join(sentences)
        if not complete:
            return
        hard = rng.sample(DIFFICULTIES, k=rng.randint(1, 2))
        if obligation.period.end >= MERGER and obligation.admin_unit_id and rng.random() < 0.5:
            hard.append(DIFFICULTY_AFTER_MERGER)
        report.difficulties = " ".join(hard)
        report.proposals = rng.choice(PROPOSALS)


def generate(
    *, today: datetime.date, seed: int = 2026, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Fills every obligation whose period has started by `today` and has no report yet; closes
    the periods older than the last two quarters. Returns the counts of what it wrote.
    `today` may lie in the past (the demo as seen on that day), never in the future: every
    moment written is at or before the run."""
    if today > timezone.localdate():
        raise InvalidData(
            f"Ngày {format_vn_date(today)} chưa đến: dữ liệu trình diễn chỉ được tạo đến hôm nay "
            f"({format_vn_date(timezone.localdate())})."
        )
    gen = _Generator(today=today, seed=seed)
    pending = list(
        Obligation.objects.filter(report__isnull=True, period__start__lte=today)
        .select_related("period", "rule__document", "agency", "admin_unit")
        .order_by("period__year", "period__start", "period__period_type", "rule_id", "pk")
    )
    counts: Counter = Counter()
    total, done = len(pending), 0
    if progress:
        progress(0, total)
    years = sorted({o.period.year for o in pending})
    for year in years:
        batch = [o for o in pending if o.period.year == year]
        with transaction.atomic():
            reports, values, updates = [], [], []
            for obligation in batch:
                report, vals, ups, info = gen.build(obligation)
                counts[str(info["status"])] += 1
                counts["late"] += info["late"]
                counts["outliers"] += info["outliers"]
                if report is not None:
                    reports.append(report)
                    values += vals
                    updates += ups
                done += 1
                if progress and done % 250 == 0:
                    progress(done, total)
            Report.objects.bulk_create(reports, batch_size=500)
            for row in (*values, *updates):
                row.report = row.report  # the report has its pk now: copy it to report_id
            DataValue.objects.bulk_create(values, batch_size=1000)
            TaskUpdate.objects.bulk_create(updates, batch_size=1000)
            per_report_values = Counter(dv.report_id for dv in values)
            per_report_updates = Counter(up.report_id for up in updates)
            AuditEvent.objects.bulk_create(
                [
                    AuditEvent(
                        action="reporting.demo.generate",
                        target_type="reporting.report",
                        target_id=str(r.pk),
                        target_repr=str(r)[:255],
                        changes={
                            "status": [None, r.status],
                            "values": [0, per_report_values[r.pk]],
                            "task_updates": [0, per_report_updates[r.pk]],
                        },
                        reason=DEMO_REASON,
                    )
                    for r in reports
                ],
                batch_size=1000,
            )
            counts["reports"] += len(reports)
            counts["values"] += len(values)
            counts["task_updates"] += len(updates)
            counts["periods_closed"] += _close(gen.close_before, year, gen.now)
        if progress:
            progress(done, total)
    counts["obligations"] = total
    return dict(sorted(counts.items()))


def _close(before: datetime.date, year: int, now: datetime.datetime) -> int:
    """Closes the year's periods that ended before `before`, as period_close would (their
    approved reports were generated locked already), with its audit event."""
    periods = list(Period.objects.filter(year=year, end__lt=before, closed_at__isnull=True))
    Period.objects.filter(pk__in=[p.pk for p in periods]).update(closed_at=now)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                action="reporting.period.close",
                target_type="reporting.period",
                target_id=str(p.pk),
                target_repr=str(p)[:255],
                changes={"closed": [False, True]},
                reason=DEMO_REASON,
            )
            for p in periods
        ]
    )
    return len(periods)
