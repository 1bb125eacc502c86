"""Saving a report's values: each row parsed, checked against the form and the rules between
values, compared with what is stored, then written and audited, all or nothing."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dxtrack.core import audit
from dxtrack.core.errors import NotAllowed
from dxtrack.core.text import clean_text
from dxtrack.reports import validation as v
from dxtrack.reports.models import DataValue, Report

from .editing import SOURCES, Conflict, _may_edit, create_once, require_open
from .rows import ImportSummary, RowResult


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


def _snapshot(dv: DataValue | None) -> dict:
    if dv is None:
        return dict.fromkeys(_VALUE_FIELDS)
    return {
        "value": None if dv.value is None else str(dv.value),
        "numerator": None if dv.numerator is None else str(dv.numerator),
        "denominator": None if dv.denominator is None else str(dv.denominator),
        "comment": dv.comment or None,
    }


def _as_stored(entry: v.Entry) -> DataValue:
    return DataValue(value=entry.value, numerator=entry.numerator, denominator=entry.denominator, comment=entry.comment)


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


def values_apply(
    *,
    actor,
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
    from dxtrack.reports import selectors

    if not _may_edit(actor, report.obligation):
        raise NotAllowed("Chỉ cán bộ của đơn vị được nhập số liệu của đơn vị mình.")
    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).select_related("obligation__period").get(pk=report.pk)
        require_open(report)
        indicators = {i.code: i for i in selectors.form_indicators(report.obligation)}
        specs = {code: selectors.indicator_spec(i) for code, i in indicators.items()}
        stored = {dv.indicator.code: dv for dv in report.values.select_related("indicator")}
        results: list[RowResult] = []
        parsed: dict[str, v.Entry] = {}
        seen: set[str] = set()
        for row in rows:
            code = row.indicator if isinstance(row.indicator, str) else ""
            result = RowResult(code, "error", where=row.where)
            results.append(result)
            if code not in indicators:
                shown = str(row.indicator)[:60] if row.indicator not in (None, "") else "(trống)"
                result.reason = f"Mã chỉ tiêu '{shown}' không có trong biểu báo cáo này."
                continue
            if code in seen:
                result.reason = "Chỉ tiêu này xuất hiện nhiều lần; mỗi chỉ tiêu chỉ nhập một lần."
                continue
            seen.add(code)
            entry, problem = _parse_row(row, specs[code])
            if entry is None:
                result.reason = problem
                continue
            current = stored.get(code)
            if row.version is not None and current is not None and current.version != row.version:
                result.result = "conflict"
                result.reason = "Người khác vừa sửa số liệu này; hãy xem giá trị mới trước khi lưu."
                continue
            if row.version not in (None, 0) and current is None:
                result.result = "conflict"
                result.reason = "Số liệu này vừa bị thay đổi; hãy tải lại biểu."
                continue
            parsed[code] = entry
            result.result = "ok"
        # Findings see the whole report as it would be after this change.
        merged = {code: selectors.entry_of(dv) for code, dv in stored.items()}
        merged.update(parsed)
        findings = selectors.findings_for(report.obligation, list(indicators.values()), merged)
        for result in results:
            if result.result != "ok":
                continue
            entry = parsed[result.indicator]
            result.findings = findings.get(result.indicator, [])
            errors = [f for f in result.findings if f.level == v.ERROR]
            if strict and errors:
                result.result = "error"
                result.reason = " ".join(f.message for f in errors)
                continue
            before = _snapshot(stored.get(result.indicator))
            if before == _snapshot(_as_stored(entry)):
                result.result, result.reason = "ignored", "Không thay đổi so với số liệu đã lưu."
            elif result.indicator not in stored and entry.is_empty:
                result.result, result.reason = "ignored", "Để trống."
            else:
                result.result = "updated" if result.indicator in stored else "imported"
        failed = any(r.result in ("error", "conflict") for r in results)
        summary = ImportSummary("error" if failed else "ok", dry_run, results)
        if failed or dry_run:
            return summary
        now = timezone.now()
        obligation = report.obligation
        for result in results:
            if result.result not in ("imported", "updated"):
                continue
            entry = parsed[result.indicator]
            current = stored.get(result.indicator)
            before = _snapshot(current)
            fields = {
                "value": entry.value,
                "numerator": entry.numerator,
                "denominator": entry.denominator,
                "comment": entry.comment,
                "updated_at": now,
                "updated_by": actor,
            }
            if current is None:
                indicator = indicators[result.indicator]
                current = create_once(
                    DataValue,
                    {"report": report, "indicator": indicator},
                    period_id=obligation.period_id,
                    agency_id=obligation.agency_id,
                    admin_unit_id=obligation.admin_unit_id,
                    **fields,
                    conflict=Conflict(
                        "Người khác vừa nhập số liệu này cùng lúc; hãy tải lại biểu.", details=[indicator.name]
                    ),
                )
            else:
                # The version guard makes the second of two concurrent writers fail, not overwrite.
                changed = DataValue.objects.filter(pk=current.pk, version=current.version).update(
                    version=current.version + 1, **fields
                )
                if changed != 1:
                    fresh = DataValue.objects.get(pk=current.pk)
                    raise Conflict(
                        "Người khác vừa sửa số liệu này; hãy xem giá trị mới trước khi lưu.",
                        current={result.indicator: _snapshot(fresh)},
                        details=[indicators[result.indicator].name],
                    )
            audit.record(
                actor=actor,
                action="reporting.value.set",
                target=current,
                changes=audit.diff(before, _snapshot(_as_stored(entry))),
                reason=SOURCES.get(source, source) + (f": {entry.comment}" if entry.comment else ""),
            )
        Report.objects.filter(pk=report.pk).update(updated_at=now)
        return summary
