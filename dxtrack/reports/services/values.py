"""Saving a report's values: each row parsed, checked against the form and the rules between
values, compared with what is stored, then written and audited, all or nothing."""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from dxtrack.accounts.access import Access
from dxtrack.core.text import clean_text
from dxtrack.obligations.models import Obligation
from dxtrack.reports import validation as v
from dxtrack.reports.models import DataValue, Report

from .editing import SOURCES
from .rows import Accepted, ImportSummary, RowKind, apply_many, apply_rows, apply_to_obligation, apply_to_obligations


@dataclass
class ValueInput:
    indicator: str  # the indicator's code
    value: object = None
    numerator: object = None
    denominator: object = None
    comment: str = ""
    version: int | None = None  # the version the client last saw; None: whatever is there now
    where: str = ""  # where it came from, for messages: "Dòng 12", "dataValues[3]"


_VALUE_FIELDS = ("value", "numerator", "denominator", "comment")
MAX_COMMENT = 2000


# What the audit compares for a value not stored yet: one read-only mapping, not a dict per row.
_NONE_STORED = MappingProxyType(dict.fromkeys(_VALUE_FIELDS))


def _snapshot(dv: DataValue | None) -> Mapping:
    if dv is None:
        return _NONE_STORED
    return {
        "value": None if dv.value is None else str(dv.value),
        "numerator": None if dv.numerator is None else str(dv.numerator),
        "denominator": None if dv.denominator is None else str(dv.denominator),
        "comment": dv.comment or None,
    }


def _parse_row(row: ValueInput, spec: v.IndicatorSpec) -> tuple[v.Entry | None, str]:
    try:
        entry = v.Entry(
            value=v.parse_number(row.value),
            numerator=v.parse_number(row.numerator),
            denominator=v.parse_number(row.denominator),
            comment=clean_text(row.comment) if isinstance(row.comment, str | type(None)) else "",
        )
    except v.NotANumber as exc:
        return None, exc.message
    if not isinstance(row.comment, str | type(None)):
        return None, "Giải trình phải là văn bản."
    if len(entry.comment) > MAX_COMMENT:
        return None, f"Giải trình dài quá {MAX_COMMENT} ký tự."
    if spec.is_ratio and entry.value is not None and entry.numerator is None and entry.denominator is None:
        return None, "Chỉ tiêu tỷ lệ: nhập tử số và mẫu số (hệ thống tự tính tỷ lệ)."
    if not spec.is_ratio and (entry.numerator is not None or entry.denominator is not None):
        return None, "Chỉ tiêu này không phải tỷ lệ: chỉ nhập giá trị."
    if spec.is_ratio:
        entry.value = v.derived_value(spec, entry)
    return entry, ""


@dataclass
class _Form:
    """What a form asks, shared by the reports of one plan and kind of body: indicators by code,
    their specs, the rules between them (None: read when checking)."""

    indicators: dict
    specs: dict
    rules: list | None


class ValueRows(RowKind):
    """A value of one indicator of the report's form."""

    model = DataValue
    action = "reporting.value.set"
    stranger = "Chỉ cán bộ của đơn vị được nhập số liệu của đơn vị mình."
    stale = "Người khác vừa sửa số liệu này; hãy xem giá trị mới trước khi lưu."
    gone = "Số liệu này vừa bị thay đổi; hãy tải lại biểu."
    raced = "Người khác vừa nhập số liệu này cùng lúc; hãy tải lại biểu."
    unchanged = "Không thay đổi so với số liệu đã lưu."
    duplicate = "Chỉ tiêu này xuất hiện nhiều lần; mỗi chỉ tiêu chỉ nhập một lần."

    def __init__(self, report: Report, *, strict: bool = True, shared: "_Form | None" = None, stored=None, hist=None):
        """`shared`, `stored` and `hist` are given by `for_reports` (read once for many reports);
        alone, the kind reads them for its report."""
        from dxtrack.reports import selectors

        super().__init__(report)
        self.strict = strict
        if shared is None:
            indicators = selectors.form_indicators(report.obligation)
            shared = _Form(
                {i.code: i for i in indicators}, {i.code: selectors.indicator_spec(i) for i in indicators}, None
            )
        self.indicators, self.specs, self.rules = shared.indicators, shared.specs, shared.rules
        self.hist = hist
        self._columns = None
        if stored is None:
            stored = {dv.indicator.code: dv for dv in report.values.select_related("indicator")}
        self.stored = stored

    @classmethod
    def for_reports(cls, reports: list[Report], *, strict: bool = True, indicators=None) -> list["ValueRows"]:
        """The kinds of many locked reports, read together: each form (its indicators and the
        rules between them) once per plan and kind of body, every stored value in one query, the
        history of earlier periods in one query. `indicators`: `form_key` → what
        `form_indicators` gives, when the caller has read it already (the DHIS2 resolver)."""
        from dxtrack.reports import selectors

        forms: dict[tuple, _Form] = {}
        shared: dict[int, _Form] = {}
        for report in reports:
            key = selectors.form_key(report.obligation)
            if key not in forms:
                if indicators is not None and key in indicators:
                    indicators_of = indicators[key]
                else:
                    indicators_of = selectors.form_indicators(report.obligation)
                specs = {i.code: selectors.indicator_spec(i) for i in indicators_of}
                forms[key] = _Form({i.code: i for i in indicators_of}, specs, selectors.rule_specs(set(specs)))
            shared[report.pk] = forms[key]
        stored: dict[int, dict[str, DataValue]] = {report.pk: {} for report in reports}
        for dv in DataValue.objects.filter(report__in=[r.pk for r in reports]).select_related("indicator"):
            stored[dv.report_id][dv.indicator.code] = dv
        obligations = [report.obligation for report in reports]
        hist = selectors.history_many(
            obligations, {r.obligation.pk: {i.pk for i in shared[r.pk].indicators.values()} for r in reports}
        )
        return [
            cls(r, strict=strict, shared=shared[r.pk], stored=stored[r.pk], hist=hist[r.obligation.pk]) for r in reports
        ]

    def identify(self, row: ValueInput) -> tuple[str | None, str, str]:
        code = row.indicator if isinstance(row.indicator, str) else ""
        if code not in self.indicators:
            shown = str(row.indicator)[:60] if row.indicator not in (None, "") else "(trống)"
            return None, code, f"Mã chỉ tiêu '{shown}' không có trong biểu báo cáo này."
        return code, code, ""

    def parse(self, row: ValueInput, current) -> tuple[v.Entry | None, str, list]:
        entry, problem = _parse_row(row, self.specs[row.indicator])
        return entry, problem, []

    def check_batch(self, accepted: list[Accepted]) -> None:
        """Findings see the whole report as it would be after this change; `strict` (files, API)
        refuses a row with an error among them."""
        from dxtrack.reports import selectors

        merged = {code: selectors.entry_of(dv) for code, dv in self.stored.items()}
        merged.update({item.key: item.data for item in accepted})
        findings = selectors.findings_for(
            self.report.obligation,
            list(self.indicators.values()),
            merged,
            hist=self.hist,
            rules=self.rules,
            specs=self.specs,
        )
        for item in accepted:
            item.result.findings = findings.get(item.key, [])
            errors = [f for f in item.result.findings if f.level == v.ERROR]
            if self.strict and errors:
                item.result.result = "error"
                item.result.reason = " ".join(f.message for f in errors)

    def snapshot(self, stored: DataValue | None) -> Mapping:
        return _snapshot(stored)

    def after(self, data: v.Entry) -> dict:
        # As `_snapshot` of the row as it will be stored, without making a model instance per row (a bulk
        # import calls this for every value).
        return {
            "value": None if data.value is None else str(data.value),
            "numerator": None if data.numerator is None else str(data.numerator),
            "denominator": None if data.denominator is None else str(data.denominator),
            "comment": data.comment or None,
        }

    def is_empty(self, data: v.Entry) -> bool:
        return data.is_empty

    def fields(self, data: v.Entry) -> dict:
        return {
            "value": data.value,
            "numerator": data.numerator,
            "denominator": data.denominator,
            "comment": data.comment,
        }

    def create_key(self, key: str) -> dict:
        return {"report": self.report, "indicator": self.indicators[key]}

    def create_fields(self) -> dict:
        obligation = self.report.obligation
        return {
            "period_id": obligation.period_id,
            "agency_id": obligation.agency_id,
            "admin_unit_id": obligation.admin_unit_id,
        }

    def create_columns(self, key: str) -> dict:
        # Called for every new value of a bulk import: the report's columns made once.
        columns = self._columns
        if columns is None:
            columns = self._columns = {"report_id": self.report.pk, **self.create_fields()}
        return {**columns, "indicator_id": self.indicators[key].pk}

    def target_repr(self, row: dict) -> str:
        # DataValue.__str__, without a model instance per value.
        return f"{row['indicator_id']}={row['value']}"

    def name(self, key: str) -> str:
        return self.indicators[key].name

    def current_of(self, key: str, fresh: DataValue) -> dict:
        return {key: _snapshot(fresh)}

    def audit_reason(self, data: v.Entry, source: str) -> str:
        return SOURCES.get(source, source) + (f": {data.comment}" if data.comment else "")


def values_apply(
    *,
    actor: Access,
    report: Report,
    rows: list[ValueInput],
    dry_run: bool = False,
    strict: bool = True,
    source: str = "web",
) -> ImportSummary:
    """Checks and saves a set of values of one report, all or nothing.

    Every row gets a result: imported (new), updated, ignored (unchanged or empty, with the
    reason), error or conflict. Any error or conflict leaves the report as it was. `strict`
    (files, API) treats a failed unit or rule check as an error; the web form (strict=False)
    saves the draft value and shows the finding next to it, and submission is refused until it
    is fixed. A row carrying the version the client saw is refused as a conflict when someone
    else saved the value since."""
    return apply_rows(ValueRows, actor=actor, report=report, rows=rows, dry_run=dry_run, source=source, strict=strict)


def values_apply_to(
    *,
    actor: Access,
    obligation: Obligation,
    rows: list[ValueInput],
    dry_run: bool = False,
    strict: bool = True,
    source: str = "web",
) -> ImportSummary:
    """`values_apply` to the report of `obligation`, opened (as a draft) the first time its unit
    sends values: the reporting API's import, the report found and locked in one query."""
    return apply_to_obligation(
        ValueRows, actor=actor, obligation=obligation, rows=rows, dry_run=dry_run, source=source, strict=strict
    )


def values_apply_to_many(
    *,
    actor: Access,
    batches: list[tuple[Obligation, list[ValueInput]]],
    dry_run: bool = False,
    strict: bool = True,
    source: str = "web",
) -> list[ImportSummary]:
    """`values_apply_to` of many obligations in one call (the reporting API's batch): one
    summary per obligation in the order given, all or nothing across every one of them — when
    any row of any report fails, nothing is written and no draft opened for the call is kept."""
    return apply_to_obligations(ValueRows, actor=actor, batches=batches, dry_run=dry_run, source=source, strict=strict)


def values_apply_many(
    *,
    actor: Access,
    batches: list[tuple[Report, list[ValueInput]]],
    dry_run: bool = False,
    strict: bool = True,
    source: str = "web",
    indicators: dict | None = None,
) -> list[ImportSummary]:
    """`values_apply` of many reports at once (a DHIS2 import reaching many obligations): the
    same checks and answers, one summary per report in the order given, all or nothing across
    every report — when any row of any report fails, nothing is written. The reports are locked
    together, their forms, stored values and history read in a few queries, and every written
    value and its audit event inserted set-based. `indicators`: each form's indicators by
    `selectors.form_key`, when the caller has read them already."""
    return apply_many(
        ValueRows, actor=actor, batches=batches, dry_run=dry_run, source=source, strict=strict, indicators=indicators
    )
