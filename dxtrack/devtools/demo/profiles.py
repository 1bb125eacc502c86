"""The demo's shape: the units' profiles, the texts they write, the sizes and trends of the
indicators (see the package's docstring)."""

import datetime
import random
from dataclasses import dataclass

from dxtrack.obligations.models import Obligation
from dxtrack.plans.models import Indicator
from dxtrack.reports import selectors
from dxtrack.reports import validation as v
from dxtrack.reports.models import ReportStatus

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
