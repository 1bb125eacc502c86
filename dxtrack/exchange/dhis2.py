"""DHIS2's dataValueSets, read and written: values move to and from national systems in the shape
those systems already speak (JSON and CSV), through the same write path as every other channel.

The mapping (docs/adr/0008-api-tokens-dhis2.md):
- dataElement        → the indicator's code
- period             → "2025" (year), "2025S1"/"2025S2" (half year), "2025Q1".."2025Q4" (quarter)
- orgUnit            → the agency's code, or the administrative unit's statistics code
- dataSet            → the plan whose reporting rule creates the obligation (its document code)
- categoryOptionCombo → "default" (or empty) for a value; "numerator"/"denominator" for the two
                        parts of a ratio, which dxtrack keeps and derives the rate from
- attributeOptionCombo → "default" or empty only
- value              → DHIS2's notation: a decimal point, no thousands separators
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q

from dxtrack.core.errors import DomainError, InvalidData
from dxtrack.core.numbers import format_number
from dxtrack.obligations import selectors as obligation_selectors
from dxtrack.obligations.models import Obligation, Period, PeriodType
from dxtrack.plans.models import Aggregation
from dxtrack.reports import selectors
from dxtrack.reports.models import DataValue, ReportStatus
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.services.values import ValueInput, values_apply

CSV_COLUMNS = (
    "dataelement",
    "period",
    "orgunit",
    "catoptcombo",
    "attroptcombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
)
# DHIS2's own default category option combo, by code and by its well-known uid.
DEFAULT_COMBOS = frozenset({"", "default", "HllvX50cXC0"})
PARTS = ("numerator", "denominator")
MAX_EXPORT = 50_000

_PERIOD_RE = re.compile(r"^(\d{4})(?:(Q)([1-4])|(S)([12]))?$")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$")
PERIOD_HELP = "ví dụ 2025Q3 (quý), 2025S1 (6 tháng), 2025 (năm)"


class NotFound(DomainError):
    def __init__(self, message: str):
        super().__init__(message, code="not_found")


# ---- periods ---------------------------------------------------------------------------------------


def parse_period(pid: str) -> tuple[str, int, int] | None:
    """(period type, year, number) of a DHIS2 period id, or None when it is not one dxtrack keeps."""
    match = _PERIOD_RE.match(pid or "")
    if match is None:
        return None
    year = int(match.group(1))
    if match.group(2):
        return PeriodType.QUARTERLY, year, int(match.group(3))
    if match.group(4):
        return PeriodType.SEMIANNUAL, year, int(match.group(5))
    return PeriodType.YEARLY, year, 1


def period_id(period: Period) -> str:
    if period.period_type == PeriodType.QUARTERLY:
        return f"{period.year}Q{period.number}"
    if period.period_type == PeriodType.SEMIANNUAL:
        return f"{period.year}S{period.number}"
    return str(period.year)


def find_period(pid: str) -> Period | None:
    parsed = parse_period(pid)
    if parsed is None:
        return None
    period_type, year, number = parsed
    return Period.objects.filter(period_type=period_type, year=year, number=number).first()


def bad_period_message(pid: str) -> str:
    if parse_period(pid) is None:
        return f"Kỳ '{str(pid)[:20]}' không đúng cách viết của DHIS2 ({PERIOD_HELP})."
    return f"Kỳ {pid} chưa có trong lịch báo cáo."


# ---- units -----------------------------------------------------------------------------------------


def _unit_q(code: str, prefix: str = "") -> Q:
    return Q(**{f"{prefix}agency__code": code}) | Q(**{f"{prefix}admin_unit__code": code})


def require_unit(actor, code: str) -> None:
    """Refuses (404) a unit the caller may not see exactly as one that does not exist."""
    if not obligation_selectors.obligations(actor=actor).filter(_unit_q(code)).exists():
        raise NotFound(f"Không tìm thấy đơn vị '{str(code)[:50]}' trong phạm vi của bạn.")


# ---- numbers ---------------------------------------------------------------------------------------


class _BadValue(Exception):
    pass


def parse_value(raw) -> Decimal | int | float | None:
    """A DHIS2 value: text with a decimal point ("12.5"), or a JSON number. dxtrack's own
    channels read "1.234" as one thousand two hundred thirty-four; DHIS2 means 1.234."""
    if raw is None or (isinstance(raw, int | float) and not isinstance(raw, bool)):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        if _NUMBER_RE.match(text):
            try:
                return Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                pass
    raise _BadValue(f"Giá trị '{str(raw)[:20]}' không phải là số (DHIS2 dùng dấu chấm thập phân, ví dụ 12.5).")


def wire_number(number: Decimal) -> str:
    """DHIS2's own notation ("12.5"): a protocol's machine number, not a figure shown to people."""
    return format(number.normalize(), "f")


# ---- import ----------------------------------------------------------------------------------------


@dataclass
class Row:
    """One DHIS2 data value as received; `index` is its place in the request (0-based)."""

    data_element: str
    period: str = ""
    org_unit: str = ""
    category_option_combo: str = ""
    attribute_option_combo: str = ""
    value: object = None
    comment: str = ""
    deleted: bool = False
    where: str = ""
    index: int = 0


@dataclass
class Conflict:
    object: str
    value: str
    indexes: list[int] = field(default_factory=list)


@dataclass
class Summary:
    """DHIS2's ImportSummary: counts are of data values (rows), as DHIS2 counts them."""

    status: str  # SUCCESS | WARNING | ERROR
    dry_run: bool
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def description(self) -> str:
        if self.status == "ERROR":
            return f"Có {len(self.conflicts)} lỗi; chưa lưu số liệu nào."
        if self.dry_run:
            return "Kiểm tra xong (dryRun): số liệu hợp lệ, chưa lưu."
        if self.status == "WARNING":
            return "Đã lưu số liệu; có cảnh báo cần xem và giải trình trước khi gửi báo cáo."
        return "Đã lưu số liệu."

    def as_dict(self) -> dict:
        out = {
            "responseType": "ImportSummary",
            "status": self.status,
            "description": self.description,
            "importCount": {
                "imported": self.imported,
                "updated": self.updated,
                "ignored": self.ignored,
                "deleted": self.deleted,
            },
            "conflicts": [{"object": c.object, "value": c.value, "indexes": c.indexes} for c in self.conflicts],
            "dryRun": self.dry_run,
        }
        if self.status == "ERROR":
            out["detail"] = self.description
        return out


@dataclass
class _Pending:
    """The parts of one indicator's value for one obligation, gathered from one or more rows."""

    parts: dict[str, object] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


class _Resolver:
    """Finds each row's obligation: the unit's obligations in the period, narrowed by the plan
    (dataSet) when given, else by which of them asks about the row's indicator."""

    def __init__(self, actor, data_set: str):
        self.actor = actor
        self.data_set = data_set
        self.periods: dict[str, Period | None] = {}
        self.obligations: dict[tuple[str, int], list[Obligation]] = {}
        self.codes: dict[int, set[str]] = {}

    def period(self, pid: str) -> Period | None:
        if pid not in self.periods:
            self.periods[pid] = find_period(pid)
        return self.periods[pid]

    def candidates(self, unit: str, period: Period) -> list[Obligation]:
        key = (unit, period.pk)
        if key not in self.obligations:
            qs = obligation_selectors.obligations(actor=self.actor).filter(_unit_q(unit), period=period)
            if self.data_set:
                qs = qs.filter(rule__document__code=self.data_set)
            self.obligations[key] = list(qs.order_by("pk"))
        return self.obligations[key]

    def asks(self, obligation: Obligation) -> set[str]:
        if obligation.pk not in self.codes:
            self.codes[obligation.pk] = {i.code for i in selectors.form_indicators(obligation)}
        return self.codes[obligation.pk]

    def resolve(self, row: Row) -> tuple[Obligation | None, Conflict | None]:
        if not row.period:
            return None, Conflict("period", "Thiếu kỳ báo cáo (period).", [row.index])
        period = self.period(row.period)
        if period is None:
            return None, Conflict(row.period[:20], bad_period_message(row.period), [row.index])
        if not row.org_unit:
            return None, Conflict("orgUnit", "Thiếu đơn vị (orgUnit).", [row.index])
        found = self.candidates(row.org_unit, period)
        plan = f" theo kế hoạch '{self.data_set[:100]}'" if self.data_set else ""
        if not found:
            return None, Conflict(
                self.data_set[:100] or row.org_unit,
                f"Đơn vị {row.org_unit} không có nghĩa vụ báo cáo kỳ {row.period}{plan}.",
                [row.index],
            )
        if len(found) > 1:
            found = [o for o in found if row.data_element in self.asks(o)]
            if len(found) > 1:
                plans = ", ".join(sorted(o.rule.document.code for o in found))
                return None, Conflict(
                    row.data_element[:100],
                    f"Chỉ tiêu có trong nhiều báo cáo của đơn vị kỳ {row.period}; ghi rõ dataSet (một trong: {plans}).",
                    [row.index],
                )
        if not found or row.data_element not in self.asks(found[0]):
            shown = row.data_element[:60] or "(trống)"
            return None, Conflict(
                row.data_element[:100] or "dataElement",
                f"Mã chỉ tiêu '{shown}' không có trong biểu báo cáo kỳ {row.period} của đơn vị {row.org_unit}{plan}.",
                [row.index],
            )
        return found[0], None


def _part(row: Row) -> tuple[str | None, Conflict | None]:
    combo = (row.category_option_combo or "").strip()
    if (row.attribute_option_combo or "").strip() not in DEFAULT_COMBOS:
        return None, Conflict(
            row.attribute_option_combo[:50],
            "attributeOptionCombo chỉ nhận 'default' hoặc để trống.",
            [row.index],
        )
    if combo in DEFAULT_COMBOS:
        return "value", None
    if combo in PARTS:
        return combo, None
    return None, Conflict(
        combo[:50],
        "categoryOptionCombo phải là 'default' (hoặc trống) cho giá trị, 'numerator' (tử số) hoặc "
        "'denominator' (mẫu số) cho chỉ tiêu tỷ lệ.",
        [row.index],
    )


def data_values_import(*, actor, rows: list[Row], data_set: str = "", dry_run: bool = False) -> Summary:
    """Imports DHIS2 data values: every row checked, all saved or none (across every obligation
    the rows reach). A unit outside the caller's reach is refused with 404 before anything else;
    other problems come back as conflicts of an ERROR summary."""
    for unit in sorted({r.org_unit for r in rows if r.org_unit}):
        require_unit(actor, unit)
    resolver = _Resolver(actor, data_set or "")
    conflicts: list[Conflict] = []
    pending: dict[int, dict[str, _Pending]] = {}
    obligations: dict[int, Obligation] = {}
    for row in rows:
        part, problem = _part(row)
        obligation = None
        if problem is None:
            obligation, problem = resolver.resolve(row)
        if problem is None:
            try:
                value = None if row.deleted else parse_value(row.value)
            except _BadValue as exc:
                problem = Conflict(row.data_element[:100], str(exc), [row.index])
        if problem is not None:
            conflicts.append(problem)
            continue
        obligations[obligation.pk] = obligation
        entry = pending.setdefault(obligation.pk, {}).setdefault(row.data_element, _Pending())
        if part in entry.parts:
            conflicts.append(
                Conflict(
                    row.data_element[:100],
                    f"Chỉ tiêu xuất hiện nhiều lần trong kỳ {row.period} với cùng categoryOptionCombo.",
                    [row.index],
                )
            )
            continue
        entry.parts[part] = value
        entry.rows.append(row)
        if row.comment and row.comment.strip() and row.comment.strip() not in entry.comments:
            entry.comments.append(row.comment.strip())
    if conflicts:
        return Summary("ERROR", dry_run, ignored=len(rows), conflicts=conflicts)

    summary = Summary("SUCCESS", dry_run)
    with transaction.atomic():
        for pk in sorted(pending):
            inputs, sources = [], {}
            for code, entry in pending[pk].items():
                inputs.append(
                    ValueInput(
                        indicator=code,
                        value=entry.parts.get("value"),
                        numerator=entry.parts.get("numerator"),
                        denominator=entry.parts.get("denominator"),
                        comment=" ".join(entry.comments),
                        where=", ".join(r.where for r in entry.rows),
                    )
                )
                sources[code] = entry.rows
            report = report_open(actor=actor, obligation=obligations[pk])
            result = values_apply(actor=actor, report=report, rows=inputs, dry_run=dry_run, strict=True, source="api")
            for row_result in result.rows:
                indexes = [r.index for r in sources[row_result.indicator]]
                if row_result.result in ("error", "conflict"):
                    summary.conflicts.append(Conflict(row_result.indicator, row_result.reason, indexes))
                    continue
                setattr(summary, row_result.result, getattr(summary, row_result.result) + len(indexes))
                for finding in row_result.findings:
                    if finding.level == "warning":
                        summary.conflicts.append(
                            Conflict(row_result.indicator, f"Cảnh báo: {finding.message}", indexes)
                        )
        if any(not c.value.startswith("Cảnh báo: ") for c in summary.conflicts):
            transaction.set_rollback(True)
            errors = [c for c in summary.conflicts if not c.value.startswith("Cảnh báo: ")]
            return Summary("ERROR", dry_run, ignored=len(rows), conflicts=errors)
        if dry_run:
            # Nothing is left behind, not even the draft reports opened for this request.
            transaction.set_rollback(True)
    if summary.conflicts:
        summary.status = "WARNING"
    return summary


def read_csv(text: str) -> list[dict]:
    """DHIS2's CSV columns, by position; a first row naming them is skipped. Refuses a file whose
    rows cannot be DHIS2 data values, each problem with its line."""
    try:
        lines = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise InvalidData("Tệp CSV không đọc được.", details=[str(exc)]) from None
    out, problems = [], []
    for number, cells in enumerate(lines, start=1):
        if not any(c.strip() for c in cells):
            continue
        if number == 1 and cells[0].strip().lower() == "dataelement":
            continue
        if len(cells) < 6:
            problems.append(f"Dòng {number}: cần ít nhất 6 cột ({','.join(CSV_COLUMNS[:6])}).")
            continue
        if len(cells) > len(CSV_COLUMNS) + 1:  # DHIS2 2.38+ adds a "deleted" column
            problems.append(f"Dòng {number}: nhiều quá {len(CSV_COLUMNS) + 1} cột.")
            continue
        padded = [*cells, *[""] * (len(CSV_COLUMNS) + 1 - len(cells))]
        out.append(
            {
                "line": number,
                "dataElement": padded[0].strip(),
                "period": padded[1].strip() or None,
                "orgUnit": padded[2].strip() or None,
                "categoryOptionCombo": padded[3].strip() or None,
                "attributeOptionCombo": padded[4].strip() or None,
                "value": padded[5].strip() or None,
                "comment": padded[8] or None,
                "deleted": padded[10].strip().lower() == "true",
            }
        )
    if problems:
        raise InvalidData("Tệp CSV không đúng các cột của DHIS2.", details=problems[:50])
    return out


# ---- export ----------------------------------------------------------------------------------------


def data_values_export(
    *,
    actor,
    data_set: str = "",
    periods: list[Period] | None = None,
    org_unit: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[dict]:
    """The values the caller may read, as DHIS2 data values: approved (or locked) values of every
    unit in the caller's scope, and every value of the caller's own unit whatever its report's
    status (a unit's system reads back its draft). Ratios travel as numerator and denominator."""
    if org_unit:
        require_unit(actor, org_unit)
    visible = obligation_selectors.obligations(actor=actor)
    approved = Q(report__status__in=[ReportStatus.APPROVED, ReportStatus.LOCKED])
    own = Q(pk__in=[])
    if getattr(actor, "agency_id", None):
        own = Q(agency_id=actor.agency_id)
    elif getattr(actor, "admin_unit_id", None):
        own = Q(admin_unit_id=actor.admin_unit_id)
    qs = DataValue.objects.filter(report__obligation__in=visible.values("pk")).filter(approved | own)
    if data_set:
        qs = qs.filter(report__obligation__rule__document__code=data_set)
    if periods is not None:
        qs = qs.filter(period__in=periods)
    if org_unit:
        qs = qs.filter(_unit_q(org_unit))
    if start:
        qs = qs.filter(period__start__gte=start)
    if end:
        qs = qs.filter(period__end__lte=end)
    count = qs.count()
    if count > MAX_EXPORT:
        shown, limit = format_number(count), format_number(MAX_EXPORT)
        raise InvalidData(
            f"Có {shown} số liệu, quá {limit} số liệu mỗi lần; hãy lọc theo dataSet, period hoặc orgUnit."
        )
    qs = qs.select_related("indicator", "period", "agency", "admin_unit", "updated_by").order_by(
        "period__start", "period__period_type", "agency__code", "admin_unit__code", "indicator__code"
    )
    out = []
    for dv in qs:
        base = {
            "dataElement": dv.indicator.code,
            "period": period_id(dv.period),
            "orgUnit": (dv.agency or dv.admin_unit).code,
            "attributeOptionCombo": "default",
            "storedBy": dv.updated_by.username if dv.updated_by else "",
            "lastUpdated": dv.updated_at.isoformat(),
            "followup": False,
        }
        if dv.indicator.aggregation == Aggregation.RATIO:
            parts = [(p, getattr(dv, p)) for p in PARTS if getattr(dv, p) is not None]
        else:
            parts = [("default", dv.value)] if dv.value is not None else []
        for i, (combo, number) in enumerate(parts):
            out.append(
                {
                    **base,
                    "categoryOptionCombo": combo,
                    "value": wire_number(number),
                    "comment": dv.comment if i == 0 else "",
                }
            )
    return out


def to_csv(values: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for v in values:
        writer.writerow(
            [
                v["dataElement"],
                v["period"],
                v["orgUnit"],
                v["categoryOptionCombo"],
                v["attributeOptionCombo"],
                v["value"],
                v["storedBy"],
                v["lastUpdated"],
                v["comment"],
                "true" if v["followup"] else "false",
            ]
        )
    return buffer.getvalue()
