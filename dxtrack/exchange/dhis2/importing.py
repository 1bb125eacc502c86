"""Importing dataValueSets: rows resolved to obligations, checked, and applied all or nothing
through the reports' services."""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from dxtrack.accounts.access import Access
from dxtrack.core.errors import InvalidData
from dxtrack.obligations import selectors as obligation_selectors
from dxtrack.obligations.models import Obligation, Period
from dxtrack.reports import selectors
from dxtrack.reports.services.opening import reports_open
from dxtrack.reports.services.values import ValueInput, values_apply_many

from .wire import (
    CSV_COLUMNS,
    DEFAULT_COMBOS,
    PARTS,
    _BadValue,
    _unit_q,
    bad_period_message,
    find_period,
    parse_period,
    parse_value,
    require_unit,
)


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


class _Pending:
    """The parts of one indicator's value for one obligation, gathered from one or more rows."""

    # Slots and a plain __init__: one is made for every value of an import (a hundred thousand).
    __slots__ = ("comments", "parts", "rows")

    def __init__(self):
        self.parts: dict[str, object] = {}
        self.comments: list[str] = []
        self.rows: list[Row] = []


class _Resolver:
    """Finds each row's obligation: the unit's obligations in the period, narrowed by the plan
    (dataSet) when given, else by which of them asks about the row's indicator."""

    def __init__(self, actor: Access, data_set: str):
        self.actor = actor
        self.data_set = data_set
        self.periods: dict[str, Period | None] = {}
        self.obligations: dict[tuple[str, int], list[Obligation]] = {}
        self.codes: dict[int, set[str]] = {}
        # Each form's indicators by `selectors.form_key`, read once and handed to the apply.
        self.indicators: dict[tuple, list] = {}

    def prefetch(self, rows: list[Row]) -> None:
        """Reads at once what `resolve` would look up row by row: the periods named, the units'
        obligations in them, and what each form asks (once per plan and kind of body). The
        answers are the same; only the number of queries changes."""
        wanted = {}
        for pid in {r.period for r in rows if r.period}:
            parsed = parse_period(pid)
            if parsed is None:
                self.periods[pid] = None
            else:
                wanted[pid] = parsed
        if wanted:
            # The periods of the kinds and years named, matched here: a handful of rows a year, by
            # one plain query rather than an OR of three conditions per period named.
            named = set(wanted.values())
            found: dict[tuple, Period] = {}
            for period in Period.objects.filter(
                period_type__in={t for t, _y, _n in named}, year__in={y for _t, y, _n in named}
            ).order_by("pk"):
                key = (period.period_type, period.year, period.number)
                if key in named:
                    found.setdefault(key, period)
            for pid, parsed in wanted.items():
                self.periods[pid] = found.get(parsed)
        units = {r.org_unit for r in rows if r.org_unit}
        periods = {p.pk: p for p in self.periods.values() if p is not None}
        if not units or not periods:
            return
        qs = obligation_selectors.obligations(actor=self.actor).filter(
            Q(agency__code__in=units) | Q(admin_unit__code__in=units), period__in=list(periods)
        )
        if self.data_set:
            qs = qs.filter(rule__document__code=self.data_set)
        for unit in units:
            for period_pk in periods:
                self.obligations[unit, period_pk] = []
        for obligation in qs.select_related("agency", "admin_unit", "period", "rule__document").order_by("pk"):
            for unit in {getattr(obligation.agency, "code", None), getattr(obligation.admin_unit, "code", None)}:
                if unit in units:
                    self.obligations[unit, obligation.period_id].append(obligation)
        forms: dict[tuple, set[str]] = {}
        for found_obligations in self.obligations.values():
            for obligation in found_obligations:
                key = selectors.form_key(obligation)
                if key not in forms:
                    self.indicators[key] = selectors.form_indicators(obligation)
                    forms[key] = {i.code for i in self.indicators[key]}
                self.codes[obligation.pk] = forms[key]

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

    def _plan_words(self) -> str:
        return f" theo kế hoạch '{self.data_set[:100]}'" if self.data_set else ""

    def resolve(self, row: Row) -> tuple[Obligation | None, Conflict | None]:
        if not row.period:
            return None, Conflict("period", "Thiếu kỳ báo cáo (period).", [row.index])
        period = self.period(row.period)
        if period is None:
            return None, Conflict(row.period[:20], bad_period_message(row.period), [row.index])
        if not row.org_unit:
            return None, Conflict("orgUnit", "Thiếu đơn vị (orgUnit).", [row.index])
        found = self.candidates(row.org_unit, period)
        if not found:
            plan = self._plan_words()
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
            plan = self._plan_words()
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


def _gather(resolver: _Resolver, rows: list[Row]):
    """Each row's obligation and value part, gathered by obligation and indicator: (the parts by
    obligation key and indicator code, the obligations by key, the rows' conflicts)."""
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
        by_code = pending.get(obligation.pk)
        if by_code is None:
            by_code = pending[obligation.pk] = {}
        entry = by_code.get(row.data_element)
        if entry is None:
            entry = by_code[row.data_element] = _Pending()
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
        comment = row.comment.strip() if row.comment else ""
        if comment and comment not in entry.comments:
            entry.comments.append(comment)
    return pending, obligations, conflicts


def data_values_import(*, actor: Access, rows: list[Row], data_set: str = "", dry_run: bool = False) -> Summary:
    """Imports DHIS2 data values: every row checked, all saved or none (across every obligation
    the rows reach). A unit outside the caller's reach is refused with 404 before anything else;
    other problems come back as conflicts of an ERROR summary."""
    for unit in sorted({r.org_unit for r in rows if r.org_unit}):
        require_unit(actor, unit)
    resolver = _Resolver(actor, data_set or "")
    resolver.prefetch(rows)
    pending, obligations, conflicts = _gather(resolver, rows)
    if conflicts:
        return Summary("ERROR", dry_run, ignored=len(rows), conflicts=conflicts)

    summary = Summary("SUCCESS", dry_run)
    with transaction.atomic():
        # Every report the rows reach is opened, checked and written together (one lock, one read
        # of the stored values, each form once), all or nothing across them.
        order = sorted(pending)
        reports = reports_open(actor=actor, obligations=[obligations[pk] for pk in order])
        batches, sources = [], {}
        for pk in order:
            inputs = []
            for code, entry in pending[pk].items():
                inputs.append(
                    ValueInput(
                        indicator=code,
                        value=entry.parts.get("value"),
                        numerator=entry.parts.get("numerator"),
                        denominator=entry.parts.get("denominator"),
                        comment=" ".join(entry.comments),
                        # Most values come in one row: its place as it is.
                        where=entry.rows[0].where if len(entry.rows) == 1 else ", ".join(r.where for r in entry.rows),
                    )
                )
                sources[pk, code] = entry.rows
            batches.append((reports[pk], inputs))
        results = values_apply_many(
            actor=actor, batches=batches, dry_run=dry_run, strict=True, source="api", indicators=resolver.indicators
        )
        for pk, result in zip(order, results, strict=True):
            for row_result in result.rows:
                indexes = [r.index for r in sources[pk, row_result.indicator]]
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
