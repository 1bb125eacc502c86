"""Saving a report's task updates: state, progress, output, evidence link and note of each task
the report answers for, checked, compared with what is stored, written and audited, all or
nothing."""

from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone

from dxtrack.core import audit
from dxtrack.core.errors import NotAllowed
from dxtrack.reports import validation as v
from dxtrack.reports.models import Report, TaskState, TaskUpdate

from .editing import SOURCES, Conflict, _may_edit, create_once, require_open, text_field
from .evidence import check_evidence_url
from .rows import ImportSummary, RowResult


@dataclass
class TaskInput:
    task: object  # the task's id
    state: object = TaskState.NOT_STARTED
    percent: object = None
    output: object = ""
    evidence_url: object = ""
    note: object = ""
    version: int | None = None
    where: str = ""


def _check_task_row(row: TaskInput) -> tuple[dict | None, str]:
    if row.state not in TaskState.values:
        return None, "Tình trạng phải là: chưa triển khai, đang triển khai hoặc đã hoàn thành."
    try:
        percent = v.parse_number(row.percent)
    except v.NotANumber:
        return None, "Tiến độ phải là một số từ 0 đến 100."
    if percent is None:
        percent = {TaskState.DONE: 100, TaskState.NOT_STARTED: 0}.get(row.state)
        if percent is None:
            return None, "Nhập tiến độ (%) của nhiệm vụ đang triển khai."
    if not 0 <= percent <= 100 or percent != int(percent):
        return None, "Tiến độ phải là số nguyên từ 0 đến 100."
    percent = int(percent)
    if row.state == TaskState.DONE and percent != 100:
        return None, "Nhiệm vụ đã hoàn thành thì tiến độ là 100%."
    if row.state == TaskState.NOT_STARTED and percent != 0:
        return None, "Nhiệm vụ chưa triển khai thì tiến độ là 0%."
    if row.state == TaskState.IN_PROGRESS and percent == 100:
        return None, "Tiến độ 100%: hãy chọn tình trạng “Đã hoàn thành”."
    out = {"state": row.state, "percent": percent}
    for name, label in (("output", "Sản phẩm"), ("note", "Ghi chú")):
        text, problem = text_field(getattr(row, name), label)
        if problem:
            return None, problem
        out[name] = text
    out["evidence_url"], problem = check_evidence_url(row.evidence_url)
    if problem:
        return None, problem
    return out, ""


def _task_snapshot(update: TaskUpdate | None) -> dict:
    if update is None:
        return {"state": None, "percent": None, "output": None, "evidence_url": None, "note": None}
    return {
        "state": update.state,
        "percent": update.percent,
        "output": update.output or None,
        "evidence_url": update.evidence_url or None,
        "note": update.note or None,
    }


def _task_after(data: dict) -> dict:
    return {k: data[k] if k == "percent" else (data[k] or None) for k in data}


def task_updates_apply(
    *,
    actor,
    report: Report,
    rows: list[TaskInput],
    dry_run: bool = False,
    source: str = "web",
    keep_rest_of_row: bool = False,
) -> ImportSummary:
    """Checks and saves the report's task updates, all or nothing (results as for values).

    keep_rest_of_row (the form's autosave of one row): a refused evidence link does not refuse the
    row; the rest is saved, the link stays as it was, and the row's findings say why beside the
    field, so that nothing typed after a mistyped link is lost."""
    from dxtrack.reports import selectors

    if not _may_edit(actor, report.obligation):
        raise NotAllowed("Chỉ cán bộ của đơn vị được cập nhật nhiệm vụ của đơn vị mình.")
    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).select_related("obligation__period").get(pk=report.pk)
        require_open(report)
        tasks = {task.pk: task for task, _role in selectors.form_tasks(report.obligation)}
        stored = {u.task_id: u for u in report.task_updates.all()}
        results, clean, seen = [], {}, set()
        for row in rows:
            try:
                task_id = int(row.task)
            except (TypeError, ValueError):
                task_id = None
            result = RowResult(str(row.task)[:20], "error", where=row.where)
            results.append(result)
            if task_id not in tasks:
                result.reason = "Nhiệm vụ không có trong biểu báo cáo này."
                continue
            if task_id in seen:
                result.reason = "Nhiệm vụ này xuất hiện nhiều lần."
                continue
            seen.add(task_id)
            current = stored.get(task_id)
            if row.version is not None and current is not None and current.version != row.version:
                result.result, result.reason = "conflict", "Người khác vừa cập nhật nhiệm vụ này; hãy tải lại."
                continue
            data, problem = _check_task_row(row)
            if data is None and keep_rest_of_row:
                _url, url_problem = check_evidence_url(row.evidence_url)
                if url_problem:
                    kept = current.evidence_url if current else ""
                    data, problem = _check_task_row(replace(row, evidence_url=kept))
                    if data is not None:
                        result.findings.append(v.Finding(v.ERROR, "evidence_url", url_problem))
            if data is None:
                result.reason = problem
                continue
            if current is not None and _task_snapshot(current) == _task_after(data):
                result.result, result.reason = "ignored", "Không thay đổi."
                continue
            clean[task_id] = data
            result.result = "updated" if current else "imported"
        failed = any(r.result in ("error", "conflict") for r in results)
        summary = ImportSummary("error" if failed else "ok", dry_run, results)
        if failed or dry_run:
            return summary
        now = timezone.now()
        for task_id, data in clean.items():
            current = stored.get(task_id)
            before = _task_snapshot(current)
            if current is None:
                current = create_once(
                    TaskUpdate,
                    {"report": report, "task_id": task_id},
                    updated_at=now,
                    updated_by=actor,
                    **data,
                    conflict=Conflict(
                        "Người khác vừa cập nhật nhiệm vụ này; hãy tải lại.", details=[tasks[task_id].title]
                    ),
                )
            elif not TaskUpdate.objects.filter(pk=current.pk, version=current.version).update(
                version=current.version + 1, updated_at=now, updated_by=actor, **data
            ):
                raise Conflict("Người khác vừa cập nhật nhiệm vụ này; hãy tải lại.", details=[tasks[task_id].title])
            audit.record(
                actor=actor,
                action="reporting.task_update.set",
                target=current,
                changes=audit.diff(before, _task_after(data)),
                reason=SOURCES.get(source, source),
            )
        Report.objects.filter(pk=report.pk).update(updated_at=now)
        return summary
