"""The rows of the five open datasets (targets and progress, approved values, tasks and their
state, reporting rates, final assessment results) and their columns, all from public aggregates,
approved data and closed assessment rounds only. Rows never carry people: no user, no free text
typed by a reporter."""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Max, Q
from django.utils import timezone

from dxtrack.analytics import progress as p
from dxtrack.analytics import rollup
from dxtrack.analytics.models import TargetProgress
from dxtrack.analytics.services.targets import progress_label
from dxtrack.core.dates import at_local
from dxtrack.obligations.calendar import DATA_PERIOD, DATA_PERIOD_BASIS, REPORTING_PERIOD
from dxtrack.obligations.models import Obligation, Period, PeriodType
from dxtrack.plans.models import Document, Pillar, Recurrence, ReportingRule, Target, Task, TaskParty
from dxtrack.reports.models import APPROVED, DataValue, Report, ReportStatus, TaskUpdate
from dxtrack.reports.selectors import rate_counts

from .schema import Column, Filters, _codes

# ---- reading helpers -----------------------------------------------------------------------------


def number(x) -> int | float | None:
    """A stored decimal as a JSON number: integral values without a fraction, the rest as float
    (four decimal places fit a double exactly enough for every indicator here)."""
    if x is None:
        return None
    if isinstance(x, Decimal):
        return int(x) if x == x.to_integral_value() else float(x)
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _date(x) -> str | None:
    return x.isoformat() if x is not None else None


def _datetime(x: datetime.datetime | None) -> str | None:
    return timezone.localtime(x).isoformat(timespec="seconds") if x is not None else None


def _latest(*moments) -> datetime.datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def _as_moment(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return at_local(day)


def _approval_changes() -> datetime.datetime | None:
    """The latest decision that changed what is approved: an approval or a lock, and the
    unlocks (a returned report that had been decided on; a plain return is counted too, which
    only makes the date later than needed, never earlier)."""
    agg = Report.objects.aggregate(
        approved=Max("decided_at", filter=Q(status__in=sorted(APPROVED))),
        locked=Max("updated_at", filter=Q(status=ReportStatus.LOCKED)),
        unlocked=Max("updated_at", filter=Q(status=ReportStatus.RETURNED, decided_at__isnull=False)),
    )
    return _latest(agg["approved"], agg["locked"], agg["unlocked"])


def _register_changed() -> datetime.datetime | None:
    return Document.objects.aggregate(m=Max("updated_at"))["m"]


# ---- chỉ tiêu và tiến độ ---------------------------------------------------------------------------

# A revision retires register items instead of deleting them (ADR 12): the files keep them and say so.
VALID_TO = "Hiệu lực đến (ngày cuối còn hiệu lực nếu đã được văn bản sửa đổi thay thế; trống: đang có hiệu lực)"

TARGET_COLUMNS = (
    Column("ma_van_ban", "Mã văn bản"),
    Column("so_hieu_van_ban", "Số, ký hiệu văn bản"),
    Column("dieu_khoan", "Điều khoản"),
    Column("noi_dung_chi_tieu", "Nội dung chỉ tiêu"),
    Column("ma_chi_tieu_theo_doi", "Mã chỉ tiêu theo dõi"),
    Column("ten_chi_tieu_theo_doi", "Tên chỉ tiêu theo dõi"),
    Column("tru_cot", "Trụ cột"),
    Column("nam_muc_tieu", "Năm mục tiêu", "integer"),
    Column("gia_tri_muc_tieu", "Giá trị mục tiêu", "number"),
    Column("gia_tri_muc_tieu_tren", "Giá trị mục tiêu (cận trên, nếu là khoảng)", "number"),
    Column("so_sanh", "So sánh (>=, <=, =, range)"),
    Column("don_vi_tinh", "Đơn vị tính"),
    Column("gia_tri_moi_nhat", "Giá trị mới nhất (từ số liệu đã duyệt)", "number"),
    Column("nam_gia_tri_moi_nhat", "Năm của giá trị mới nhất", "integer"),
    Column("ma_tinh_trang", "Mã tình trạng"),
    Column("tinh_trang", "Tình trạng"),
    Column("ket_qua_moc", "Kết quả mốc đã qua (met: đạt đúng hạn, met_late: đạt muộn, missed: không đạt)"),
    Column("nam_dat", "Năm đạt (mốc đạt muộn)", "integer"),
    Column("nam_danh_gia", "Năm đánh giá (tình trạng tính đến năm này)", "integer"),
    Column("du_bao_nam_muc_tieu", "Dự báo giá trị ở năm mục tiêu (không có với mốc đã qua)", "number"),
    Column("nguon_so_lieu", "Nguồn của giá trị mới nhất"),
    Column("ly_do", "Lý do chưa đánh giá được"),
    Column("tinh_luc", "Tính lúc", "datetime"),
    Column("hieu_luc_den", VALID_TO, "date"),
)


def _target_rows(filters: Filters) -> Iterator[tuple]:
    qs = Target.objects.select_related("document", "clause", "indicator", "progress").order_by(
        "document__code", "position", "pk"
    )
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.indicator:
        qs = qs.filter(indicator__code=filters.indicator)
    for t in qs.iterator(chunk_size=500):
        tp: TargetProgress | None = getattr(t, "progress", None)
        pillar = t.pillar or (t.indicator.pillar if t.indicator else "")
        yield (
            t.document.code,
            t.document.reference,
            t.clause.path if t.clause else "",
            t.label,
            t.indicator.code if t.indicator else "",
            t.indicator.name if t.indicator else "",
            str(Pillar(pillar).label) if pillar in Pillar.values else pillar,
            t.year,
            number(t.value),
            number(t.value_max),
            t.comparator,
            t.unit or (t.indicator.unit if t.indicator else ""),
            number(tp.latest_value) if tp else None,
            tp.latest_year if tp else None,
            tp.status if tp else "",
            # The label every page and the periodic report give the same stored row.
            progress_label(tp) if tp else "Chưa đánh giá",
            tp.outcome if tp else "",
            tp.met_year if tp else None,
            tp.as_of if tp else None,
            number(round(tp.projected, 4)) if tp and tp.projected is not None else None,
            rollup.SOURCE_LABELS.get(tp.source, "") if tp else "",
            tp.reason if tp else "",
            _datetime(tp.computed_at) if tp else None,
            # A revision retires a target rather than deleting it (ADR 12): kept, and said so.
            _date(t.valid_to),
        )


def _targets_modified():
    return _latest(TargetProgress.objects.aggregate(m=Max("computed_at"))["m"], _register_changed())


# ---- số liệu đã duyệt ------------------------------------------------------------------------------

# A period's columns, the same wherever a file has them: its kỳ báo cáo (the calendar span it is
# named for) and its kỳ số liệu (the span its figures cover), named as reporting.calendar names them.
PERIOD_COLUMNS = (
    Column("ky", REPORTING_PERIOD),
    Column("loai_ky", "Loại kỳ", codes=_codes(PeriodType.choices)),
    Column("nam", "Năm", "integer"),
    Column("tu_ngay", f"{REPORTING_PERIOD} từ ngày", "date"),
    Column("den_ngay", f"{REPORTING_PERIOD} đến ngày", "date"),
    Column("so_lieu_tu_ngay", f"{DATA_PERIOD} từ ngày ({DATA_PERIOD_BASIS})", "date"),
    Column("so_lieu_den_ngay", f"{DATA_PERIOD} đến ngày", "date"),
)
# The stored Period's fields behind PERIOD_COLUMNS, in their order.
PERIOD_FIELDS = ("label", "period_type", "year", "start", "end", "data_from", "data_to")


def _period_cells(label, period_type, year, start, end, data_from, data_to) -> tuple:
    return (label, period_type, year, _date(start), _date(end), _date(data_from), _date(data_to))


VALUE_COLUMNS = (
    Column("ma_chi_tieu", "Mã chỉ tiêu"),
    Column("ten_chi_tieu", "Tên chỉ tiêu"),
    Column("don_vi_tinh", "Đơn vị tính"),
    *PERIOD_COLUMNS,
    Column("ma_don_vi_hanh_chinh", "Mã thống kê của đơn vị hành chính"),
    Column("ten_don_vi_hanh_chinh", "Tên đơn vị hành chính"),
    Column("cap_don_vi_hanh_chinh", "Cấp đơn vị hành chính (province, district, commune)"),
    Column("ma_co_quan", "Mã cơ quan báo cáo số liệu của tỉnh"),
    Column("ten_co_quan", "Tên cơ quan"),
    Column("gia_tri", "Giá trị", "number"),
    Column("tu_so", "Tử số", "number"),
    Column("mau_so", "Mẫu số", "number"),
    Column("ngay_duyet", "Ngày duyệt", "date"),
)
VALUE_FIELDS = (
    "indicator__code",
    "indicator__name",
    "indicator__unit",
    *(f"period__{name}" for name in PERIOD_FIELDS),
    "admin_unit__code",
    "admin_unit__name",
    "admin_unit__level",
    "agency__code",
    "agency__name",
    "value",
    "numerator",
    "denominator",
    "report__decided_at",
)


def _value_rows(filters: Filters) -> Iterator[tuple]:
    # Only approved data (DataValue.objects.approved): the rule every progress figure follows.
    qs = DataValue.objects.approved()
    if filters.year:
        qs = qs.filter(period__year=filters.year)
    if filters.indicator:
        qs = qs.filter(indicator__code=filters.indicator)
    qs = qs.order_by(
        "period__start", "period__period_type", "indicator__code", "admin_unit__code", "agency__code", "pk"
    )
    # values_list + iterator: millions of rows stream through in chunks, never held in memory.
    for row in qs.values_list(*VALUE_FIELDS).iterator(chunk_size=2000):
        code, name, unit = row[:3]
        period = row[3 : 3 + len(PERIOD_FIELDS)]
        (ucode, uname, level, acode, aname, v, num, den, at) = row[3 + len(PERIOD_FIELDS) :]
        yield (
            code,
            name,
            unit,
            *_period_cells(*period),
            ucode or "",
            uname or "",
            level or "",
            acode or "",
            aname or "",
            number(v),
            number(num),
            number(den),
            _date(timezone.localdate(at)) if at else None,
        )


# ---- nhiệm vụ và tình trạng --------------------------------------------------------------------------

TASK_COLUMNS = (
    Column("ma_nhiem_vu", "Mã nhiệm vụ", "integer"),
    Column("ma_van_ban", "Mã văn bản"),
    Column("so_hieu_van_ban", "Số, ký hiệu văn bản"),
    Column("dieu_khoan", "Điều khoản"),
    Column("nhom_nhiem_vu", "Nhóm nhiệm vụ"),
    Column("nhiem_vu", "Nhiệm vụ"),
    Column("san_pham", "Sản phẩm, kết quả"),
    Column("thoi_han", "Thời hạn", "date"),
    Column("thoi_han_theo_van_ban", "Thời hạn như văn bản ghi"),
    Column("lap_lai", "Lặp lại", codes=_codes(Recurrence.choices)),
    Column("tru_cot", "Trụ cột"),
    Column("chu_tri", "Cơ quan, đơn vị chủ trì"),
    Column("phoi_hop", "Cơ quan, đơn vị phối hợp"),
    Column("so_don_vi_da_cap_nhat", "Số đơn vị có cập nhật đã duyệt", "integer"),
    Column("so_don_vi_hoan_thanh", "Số đơn vị báo hoàn thành", "integer"),
    Column("tien_do_binh_quan", "Tiến độ bình quân (%)", "number"),
    Column("ky_cap_nhat_moi_nhat", "Kỳ có cập nhật đã duyệt mới nhất"),
    Column("ma_tinh_trang", "Mã tình trạng"),
    Column("tinh_trang", "Tình trạng"),
    Column("hieu_luc_den", VALID_TO, "date"),
)


def _task_reports() -> dict[int, dict[tuple, tuple]]:
    """The latest approved update of each task per reporting body: {task: {body: (state,
    percent, period label, period end)}}; later periods overwrite earlier ones."""
    rows = (
        TaskUpdate.objects.approved()
        .order_by("report__obligation__period__end", "pk")
        .values_list(
            "task_id",
            "report__obligation__agency_id",
            "report__obligation__admin_unit_id",
            "state",
            "percent",
            "report__obligation__period__label",
            "report__obligation__period__end",
        )
    )
    out: dict[int, dict[tuple, tuple]] = defaultdict(dict)
    for task_id, agency_id, unit_id, state, percent, label, end in rows.iterator(chunk_size=5000):
        out[task_id][(agency_id, unit_id)] = (state, percent, label, end)
    return out


def province_task_state(task: Task, latest: dict[tuple, tuple], at: datetime.date) -> str:
    """A task's state for the province from each body's latest approved update: done when
    every body that reported says done, in progress when any has started, judged against the
    deadline as PROGRESS.md judges a task (analytics.progress.task_state)."""
    states = [update[0] for update in latest.values()]
    if states and all(s == p.DONE for s in states):
        reported = p.DONE
    elif any(s in (p.DONE, p.IN_PROGRESS) for s in states):
        reported = p.IN_PROGRESS
    else:
        reported = p.NOT_STARTED if states else None
    recurring = task.recurrence in ("continuous", "quarterly", "semiannual", "yearly")
    return p.task_state(
        recurrence=task.recurrence,
        deadline=task.deadline,
        reported_state=reported,
        at=at,
        updated_in_period=bool(states) if recurring else True,
    )


def _task_rows(filters: Filters) -> Iterator[tuple]:
    today = timezone.localdate()
    latest = _task_reports()
    parties: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for party in TaskParty.objects.select_related("agency", "group", "admin_unit").order_by("task_id", "position"):
        parties[party.task_id][party.role].append(str(party))
    qs = Task.objects.select_related("document", "clause").order_by("document__code", "position", "pk")
    if filters.year:
        qs = qs.filter(deadline__year=filters.year)
    for task in qs.iterator(chunk_size=500):
        mine = latest.get(task.pk, {})
        state = province_task_state(task, mine, today)
        percents = [update[1] for update in mine.values()]
        newest = max(mine.values(), key=lambda update: update[3]) if mine else None
        pillar = task.pillar
        yield (
            task.pk,
            task.document.code,
            task.document.reference,
            task.clause.path if task.clause else "",
            task.group,
            task.title,
            task.output,
            _date(task.deadline),
            task.deadline_text,
            task.recurrence,
            str(Pillar(pillar).label) if pillar in Pillar.values else pillar,
            "; ".join(parties[task.pk].get("lead", [])),
            "; ".join(parties[task.pk].get("coordinating", [])),
            len(mine),
            sum(1 for update in mine.values() if update[0] == p.DONE),
            round(sum(percents) / len(percents), 1) if percents else None,
            newest[2] if newest else "",
            state,
            p.TASK_LABELS[state],
            _date(task.valid_to),
        )


def _tasks_modified():
    decided = Report.objects.filter(task_updates__isnull=False).aggregate(
        m=Max("decided_at", filter=Q(status__in=sorted(APPROVED)))
    )["m"]
    return _latest(decided, _approval_changes(), _register_changed())


# ---- tỷ lệ báo cáo -------------------------------------------------------------------------------------

RATE_COLUMNS = (
    *PERIOD_COLUMNS,
    Column("ma_van_ban", "Mã văn bản quy định chế độ báo cáo"),
    Column("so_hieu_van_ban", "Số, ký hiệu văn bản"),
    Column("bieu_mau", "Chế độ báo cáo"),
    Column("so_phai_bao_cao", "Số báo cáo phải gửi (đã đến hạn)", "integer"),
    Column("so_da_bao_cao", "Số báo cáo đã gửi", "integer"),
    Column("so_dung_han", "Số báo cáo gửi đúng hạn", "integer"),
    Column("ty_le_bao_cao", "Tỷ lệ báo cáo (%)", "number"),
    Column("ty_le_dung_han", "Tỷ lệ đúng hạn (%)", "number"),
)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _rate_rows(filters: Filters) -> Iterator[tuple]:
    """Counts over every body, not scoped to a reader (reporting.selectors.completeness is):
    whether a report was sent and on time is public, what it says is not. Only obligations
    already due count, as the scorecards count them: a report not yet due is not missing."""
    qs = Obligation.objects.filter(due__lt=timezone.localdate())
    if filters.year:
        qs = qs.filter(period__year=filters.year)
    grouped = list(qs.values("period_id", "rule_id").annotate(**rate_counts()).order_by())
    periods = {x.pk: x for x in Period.objects.filter(pk__in={g["period_id"] for g in grouped})}
    rules = ReportingRule.objects.filter(pk__in={g["rule_id"] for g in grouped}).select_related("document")
    rules = {r.pk: r for r in rules}

    def order(g):
        period = periods[g["period_id"]]
        return (period.start, period.period_type, rules[g["rule_id"]].document.code, g["rule_id"])

    grouped.sort(key=order)
    for g in grouped:
        period, rule = periods[g["period_id"]], rules[g["rule_id"]]
        yield (
            *_period_cells(*(getattr(period, name) for name in PERIOD_FIELDS)),
            rule.document.code,
            rule.document.reference,
            f"{rule.get_period_type_display()} — {rule.document.reference}",
            g["expected"],
            g["reported"],
            g["on_time"],
            _rate(g["reported"], g["expected"]),
            _rate(g["on_time"], g["expected"]),
        )


def _rates_modified():
    today = timezone.localdate()
    agg = Report.objects.filter(first_submitted_at__isnull=False).aggregate(m=Max("updated_at"))
    last_due = Obligation.objects.filter(due__lt=today).aggregate(m=Max("due"))["m"]
    # A due date passing changes the counts: the day after it is when they changed.
    return _latest(agg["m"], _as_moment(last_due + datetime.timedelta(days=1)) if last_due else None)


# ---- kết quả đánh giá, công nhận chuyển đổi số ----------------------------------------------------------

RESULT_COLUMNS = (
    Column("ma_bo_tieu_chi", "Mã bộ tiêu chí"),
    Column("bo_tieu_chi", "Tên bộ tiêu chí"),
    Column("so_hieu_bo_tieu_chi", "Số, ký hiệu quyết định ban hành bộ tiêu chí"),
    Column("nam_danh_gia", "Năm đánh giá", "integer"),
    Column("minh_hoa", "Đợt minh họa, không phải kết quả chính thức", "boolean"),
    Column("doi_tuong", "Đối tượng (commune: xã, phường; district: huyện; agency: cơ quan)"),
    Column("ma_don_vi", "Mã thống kê của đơn vị hành chính hoặc mã cơ quan"),
    Column("ten_don_vi", "Tên đơn vị hành chính hoặc cơ quan"),
    Column("hang", "Hạng theo điểm đạt được (bằng điểm thì cùng hạng)", "integer"),
    Column("diem_dat_duoc", "Điểm đạt được (điểm cuối cùng sau thẩm định)", "number"),
    Column("diem_toi_da", "Tổng điểm tối đa của bộ tiêu chí", "number"),
    Column("bac_dat", "Bậc của mức đạt theo điểm cuối cùng", "integer"),
    Column("muc_dat", "Mức đạt theo điểm cuối cùng"),
    Column("duoc_cong_nhan", "Được công nhận bằng quyết định đã ký", "boolean"),
    Column("muc_cong_nhan", "Mức công nhận"),
    Column("so_quyet_dinh_cong_nhan", "Số quyết định công nhận"),
    Column("ngay_cong_nhan", "Ngày công nhận", "date"),
)


def _result_rows(filters: Filters) -> Iterator[tuple]:
    """Final results of the rounds whose appraisal is closed (assessments.selectors.public_results):
    never a self-assessed or council score of a round still open."""
    from dxtrack.assessments.selectors import public_result_rows

    for round_, row in public_result_rows(year=filters.year):
        subject, recognition = row.subject, row.recognition
        framework = round_.framework
        yield (
            framework.code,
            framework.name,
            framework.number,
            round_.year,
            bool(round_.demonstration or framework.completeness == "demonstration"),
            getattr(subject, "level", "") or "agency",
            subject.code or "",
            subject.name,
            row.rank,
            number(row.final),
            number(framework.max_points),
            row.tier.level if row.tier else None,
            row.tier.name if row.tier else "",
            recognition is not None,
            recognition.tier.name if recognition else "",
            recognition.decision.number if recognition else "",
            _date(recognition.recognised_on) if recognition else None,
        )


def _results_modified():
    from dxtrack.assessments.selectors import public_results_changed

    return public_results_changed()
