"""The reporting JSON API: obligations, reports, imports of values and task updates, the workflow.

Endpoints only parse, call a selector or a service, and shape the answer. Every read goes through
the selectors' scope; an object the caller may not see answers 404 exactly like one that does not
exist, so ids reveal nothing about other units.
"""

from decimal import Decimal
from typing import Annotated

from ninja import Path, Query, Router, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from dxtrack.accounts.access import Access
from dxtrack.accounts.api_auth import token_auth
from dxtrack.core.numbers import format_number
from dxtrack.exchange.actors import api_access
from dxtrack.exchange.schemas import (
    MAX_BATCH_REPORTS,
    MAX_ID,
    MAX_ROWS,
    ErrorOut,
    ObligationFilter,
    ObligationPage,
    ReportOut,
    TasksImportOut,
    TasksIn,
    TransitionIn,
    ValuesBatchIn,
    ValuesBatchOut,
    ValuesImportOut,
    ValuesIn,
)
from dxtrack.obligations import selectors as obligation_selectors
from dxtrack.obligations.models import Obligation
from dxtrack.reports import selectors
from dxtrack.reports.models import Report
from dxtrack.reports.services import workflow
from dxtrack.reports.services.rows import ImportSummary
from dxtrack.reports.services.task_updates import TaskInput, task_updates_apply
from dxtrack.reports.services.values import ValueInput, values_apply_to, values_apply_to_many

# A token (other systems) or the browser's session; the token needs no CSRF header.
router = Router(auth=[token_auth, django_auth], tags=["Báo cáo định kỳ"])

# Ids are bounded so the database never sees a number wider than its integers (a 500 otherwise).
ReportId = Annotated[int, Path(ge=1, le=MAX_ID, description="Mã số (id) báo cáo")]
ObligationId = Annotated[int, Path(ge=1, le=MAX_ID, description="Mã số (id) nghĩa vụ báo cáo")]

ERRORS = {
    **{status: ErrorOut for status in (400, 401, 403, 404, 409, 413, 422)},
    429: ErrorOut,  # the rate limit (dxtrack/core/throttling.py)
}


def _thousands(n: int) -> str:
    return format_number(n)


def _check_row_count(n: int, what: str) -> None:
    if n > MAX_ROWS:
        raise HttpError(
            413,
            f"Mỗi lần gửi tối đa {_thousands(MAX_ROWS)} dòng {what}; lần này có {_thousands(n)} dòng. "
            "Hãy chia thành nhiều lần gửi.",
        )


def _number(d: Decimal | None) -> int | float | None:
    # JSON numbers, not strings: a string such as "1.234" would read back as 1234 in the Vietnamese
    # notation the import accepts. Stored values have at most 4 decimals, well within a float.
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def _unit(obligation: Obligation) -> dict:
    body = obligation.agency or obligation.admin_unit
    return {"code": body.code, "name": body.name, "kind": "agency" if obligation.agency_id else "admin_unit"}


def _period(obligation: Obligation) -> dict:
    p = obligation.period
    return {
        "label": p.label,
        "type": p.period_type,
        "start": p.start,
        "end": p.end,
        "data_from": p.data_from,
        "data_to": p.data_to,
    }


def _obligation_out(obligation: Obligation) -> dict:
    report = getattr(obligation, "report", None)
    return {
        "id": obligation.pk,
        "unit": _unit(obligation),
        "period": _period(obligation),
        "plan": {"code": obligation.rule.document.code, "reference": obligation.rule.document.reference},
        "due": obligation.due,
        "report": None if report is None else {"id": report.pk, "status": report.status, "version": report.version},
    }


def _report_out(actor: Access, report: Report) -> dict:
    obligation = report.obligation
    values = report.values.select_related("indicator").order_by("indicator__code")
    return {
        "id": report.pk,
        "obligation": obligation.pk,
        "unit": _unit(obligation),
        "period": _period(obligation),
        "due": obligation.due,
        "status": report.status,
        "version": report.version,
        "allowedActions": workflow.allowed_actions(actor, report),
        "returnReason": report.return_reason,
        "values": [
            {
                "indicator": dv.indicator.code,
                "value": _number(dv.value),
                "numerator": _number(dv.numerator),
                "denominator": _number(dv.denominator),
                "comment": dv.comment,
                "version": dv.version,
            }
            for dv in values
        ],
        "tasks": [
            {
                "task": u.task_id,
                "state": u.state,
                "percent": u.percent,
                "output": u.output,
                "evidenceUrl": u.evidence_url,
                "evidenceFile": bool(u.evidence_file),
                "note": u.note,
                "version": u.version,
            }
            for u in report.task_updates.order_by("task_id")
        ],
        "narrative": {"results": report.results, "difficulties": report.difficulties, "proposals": report.proposals},
    }


def _failed_detail(failed: list) -> str:
    if any(r.result == "conflict" for r in failed):
        conflicts = sum(r.result == "conflict" for r in failed)
        return f"Có {conflicts} dòng vừa bị người khác thay đổi; chưa lưu gì. Hãy tải lại số liệu rồi gửi lại."
    return f"Có {len(failed)} dòng lỗi; chưa lưu gì."


def _value_rows(rows, prefix: str) -> list[ValueInput]:
    return [
        ValueInput(
            indicator=row.indicator,
            value=row.value,
            numerator=row.numerator,
            denominator=row.denominator,
            comment=row.comment or "",
            version=row.version,
            where=f"{prefix}values[{i}]",
        )
        for i, row in enumerate(rows)
    ]


def _summary_response(summary: ImportSummary, key: str) -> Status:
    """200 when saved (or when a dry run would save), 409 when a row met someone else's change,
    400 otherwise; the rows say which and why either way."""
    out = summary.as_dict()
    if key != "indicator":
        for row in out["rows"]:
            row[key] = row.pop("indicator")
    failed = summary.errors
    if not failed:
        return Status(200, out)
    out["detail"] = _failed_detail(failed)
    out["errors"] = [f"{r.where}: {r.reason}" for r in failed]
    return Status(409 if any(r.result == "conflict" for r in failed) else 400, out)


@router.get(
    "/obligations",
    response={**ERRORS, 200: ObligationPage},
    summary="Danh sách nghĩa vụ báo cáo",
    description=(
        "Các nghĩa vụ báo cáo người gọi được xem (của đơn vị mình; Tổ giúp việc và lãnh đạo tỉnh xem tất cả), "
        "kỳ cũ trước, kèm báo cáo đã lập (nếu có). Lọc theo năm, loại kỳ, trạng thái; phân trang bằng "
        "limit và offset."
    ),
)
def obligation_list(request, filters: Query[ObligationFilter]):
    """The obligations the caller may see (their own unit's; everything for the secretariat and the
    province's leaders), oldest period first."""
    actor = api_access(request)
    qs = obligation_selectors.obligations(actor=actor).select_related("report")
    if filters.year is not None:
        qs = qs.filter(period__year=filters.year)
    if filters.period_type:
        qs = qs.filter(period__period_type=filters.period_type)
    if filters.status == "missing":
        qs = qs.filter(report__isnull=True)
    elif filters.status:
        qs = qs.filter(report__status=filters.status)
    qs = qs.order_by("period__start", "due", "pk")
    page = qs[filters.offset : filters.offset + filters.limit]
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_obligation_out(o) for o in page],
    }


@router.get(
    "/reports/{report_id}",
    response={**ERRORS, 200: ReportOut},
    by_alias=True,
    summary="Một báo cáo",
    description=(
        "Báo cáo với số liệu, cập nhật nhiệm vụ, thuyết minh, trạng thái và các thao tác người gọi được làm. "
        "Báo cáo ngoài phạm vi của người gọi: 404, như báo cáo không có."
    ),
)
def report_detail(request, report_id: ReportId):
    actor = api_access(request)
    return _report_out(actor, selectors.report_get(actor=actor, pk=report_id))


@router.post(
    "/obligations/{obligation_id}/values",
    response={**ERRORS, 200: ValuesImportOut, 400: ValuesImportOut | ErrorOut, 409: ValuesImportOut | ErrorOut},
    by_alias=True,
    summary="Nhập số liệu của một nghĩa vụ báo cáo",
    description=(
        "Kiểm tra mọi dòng rồi lưu tất cả hoặc không lưu gì. `dryRun`: chỉ kiểm tra. Lần đầu đơn vị gửi số "
        'liệu, báo cáo được lập (đang soạn). Số viết kiểu Việt Nam ("1.234,5") hoặc số JSON.'
    ),
)
def values_import(request, obligation_id: ObligationId, payload: ValuesIn):
    """Checks every row and saves all of them or none. `dryRun` checks without saving. The report
    is opened (as a draft) the first time its unit sends values."""
    actor = api_access(request)
    _check_row_count(len(payload.values), "số liệu")
    obligation = obligation_selectors.obligation_get(actor=actor, pk=obligation_id)
    rows = _value_rows(payload.values, "")
    # One transaction, the service's: nothing is left behind of a dry run or a refused import, not
    # even the draft report opened for it.
    summary = values_apply_to(
        actor=actor, obligation=obligation, rows=rows, dry_run=payload.dry_run, strict=True, source="api"
    )
    return _summary_response(summary, "indicator")


@router.post(
    "/values",
    response={**ERRORS, 200: ValuesBatchOut, 400: ValuesBatchOut | ErrorOut, 409: ValuesBatchOut | ErrorOut},
    by_alias=True,
    summary="Nhập số liệu của nhiều nghĩa vụ báo cáo cùng lúc",
    description=(
        "Như nhập số liệu của một nghĩa vụ, cho nhiều nghĩa vụ trong một lần gửi (ví dụ các kỳ của một đơn vị): "
        "kiểm tra mọi dòng của mọi nghĩa vụ rồi lưu tất cả hoặc không lưu gì. `dryRun`: chỉ kiểm tra. Tối đa "
        f"{MAX_BATCH_REPORTS} nghĩa vụ và {MAX_ROWS} dòng mỗi lần; mỗi nghĩa vụ chỉ một lần. Nghĩa vụ ngoài phạm vi "
        "của người gọi: 404, như nghĩa vụ không có."
    ),
)
def values_import_batch(request, payload: ValuesBatchIn):
    """Many obligations' values in one request, all or nothing across them: what another system
    sends when it hands over a unit's periods at once, without paying a request (and a commit)
    per report."""
    actor = api_access(request)
    if len(payload.reports) > MAX_BATCH_REPORTS:
        raise HttpError(
            413,
            f"Mỗi lần gửi tối đa {_thousands(MAX_BATCH_REPORTS)} nghĩa vụ báo cáo; lần này có "
            f"{_thousands(len(payload.reports))}. Hãy chia thành nhiều lần gửi.",
        )
    _check_row_count(sum(len(item.values) for item in payload.reports), "số liệu")
    found = obligation_selectors.obligations_get(actor=actor, pks=[item.obligation for item in payload.reports])
    batches = [
        (found[item.obligation], _value_rows(item.values, f"reports[{i}].")) for i, item in enumerate(payload.reports)
    ]
    summaries = values_apply_to_many(actor=actor, batches=batches, dry_run=payload.dry_run, strict=True, source="api")
    reports = [
        {"obligation": item.obligation, **summary.as_dict()}
        for item, summary in zip(payload.reports, summaries, strict=True)
    ]
    failed = [row for summary in summaries for row in summary.errors]
    out = {
        "status": "error" if failed else "ok",
        "dryRun": payload.dry_run,
        **{key: sum(report[key] for report in reports) for key in ("imported", "updated", "ignored")},
        "reports": reports,
    }
    if not failed:
        return Status(200, out)
    out["detail"] = _failed_detail(failed)
    out["errors"] = [f"{r.where}: {r.reason}" for r in failed]
    return Status(409 if any(r.result == "conflict" for r in failed) else 400, out)


@router.post(
    "/reports/{report_id}/tasks",
    response={**ERRORS, 200: TasksImportOut, 400: TasksImportOut | ErrorOut, 409: TasksImportOut | ErrorOut},
    by_alias=True,
    summary="Cập nhật tiến độ nhiệm vụ của một báo cáo",
    description=(
        "Như nhập số liệu: kiểm tra mọi dòng, lưu tất cả hoặc không lưu gì, `dryRun` để chỉ kiểm tra. Chỉ các "
        "nhiệm vụ có trong biểu báo cáo của đơn vị."
    ),
)
def tasks_import(request, report_id: ReportId, payload: TasksIn):
    """As for values: every row checked, all saved or none, `dryRun` to check only."""
    actor = api_access(request)
    _check_row_count(len(payload.tasks), "nhiệm vụ")
    report = selectors.report_get(actor=actor, pk=report_id)
    rows = [
        TaskInput(
            task=row.task,
            state=row.state,
            percent=row.percent,
            output=row.output,
            evidence_url=row.evidence_url,
            note=row.note,
            version=row.version,
            where=f"tasks[{i}]",
        )
        for i, row in enumerate(payload.tasks)
    ]
    summary = task_updates_apply(actor=actor, report=report, rows=rows, dry_run=payload.dry_run, source="api")
    return _summary_response(summary, "task")


@router.post(
    "/reports/{report_id}/transitions",
    response={**ERRORS, 200: ReportOut},
    by_alias=True,
    summary="Gửi, duyệt, trả lại, khóa hoặc mở khóa báo cáo",
    description=(
        "`submit`: lãnh đạo đơn vị gửi báo cáo; `approve`, `return` (kèm lý do), `lock`, `unlock` (kèm lý do): "
        "Tổ giúp việc. `version` để không thao tác trên báo cáo vừa bị người khác thay đổi."
    ),
)
def report_transition(request, report_id: ReportId, payload: TransitionIn):
    """`submit` by the unit's approver; `approve`, `return` (with a reason), `lock`, `unlock` (with
    a reason) by the secretariat. `version` guards against acting on a report changed meanwhile."""
    actor = api_access(request)
    report = selectors.report_get(actor=actor, pk=report_id)
    report = workflow.report_transition(
        actor=actor,
        report=report,
        action=payload.action,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _report_out(actor, report)
