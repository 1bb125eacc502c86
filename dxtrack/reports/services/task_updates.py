"""Saving a report's task updates: state, progress, output, evidence link and note of each task
the report answers for, checked, compared with what is stored, written and audited, all or
nothing."""

from dataclasses import dataclass, replace

from dxtrack.accounts.access import Access
from dxtrack.reports import validation as v
from dxtrack.reports.models import Report, TaskState, TaskUpdate

from .editing import text_field
from .evidence import check_evidence_url
from .rows import ImportSummary, RowKind, apply_rows


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


class TaskRows(RowKind):
    """An update of one task the report answers for."""

    model = TaskUpdate
    action = "reporting.task_update.set"
    stranger = "Chỉ cán bộ của đơn vị được cập nhật nhiệm vụ của đơn vị mình."
    stale = "Người khác vừa cập nhật nhiệm vụ này; hãy tải lại."
    gone = stale
    raced = stale
    unchanged = "Không thay đổi."
    duplicate = "Nhiệm vụ này xuất hiện nhiều lần."

    def __init__(self, report: Report, *, keep_rest_of_row: bool = False):
        from dxtrack.reports import selectors

        super().__init__(report)
        self.keep_rest_of_row = keep_rest_of_row
        self.tasks = {task.pk: task for task, _role in selectors.form_tasks(report.obligation)}
        self.stored = {u.task_id: u for u in report.task_updates.all()}

    def identify(self, row: TaskInput) -> tuple[int | None, str, str]:
        try:
            task_id = int(row.task)
        except (TypeError, ValueError):
            task_id = None
        if task_id not in self.tasks:
            return None, str(row.task)[:20], "Nhiệm vụ không có trong biểu báo cáo này."
        return task_id, str(row.task)[:20], ""

    def parse(self, row: TaskInput, current: TaskUpdate | None) -> tuple[dict | None, str, list]:
        data, problem = _check_task_row(row)
        if data is None and self.keep_rest_of_row:
            _url, url_problem = check_evidence_url(row.evidence_url)
            if url_problem:
                kept = current.evidence_url if current else ""
                data, problem = _check_task_row(replace(row, evidence_url=kept))
                if data is not None:
                    return data, "", [v.Finding(v.ERROR, "evidence_url", url_problem)]
        return data, problem, []

    def snapshot(self, stored: TaskUpdate | None) -> dict:
        return _task_snapshot(stored)

    def after(self, data: dict) -> dict:
        return _task_after(data)

    def fields(self, data: dict) -> dict:
        return data

    def create_key(self, key: int) -> dict:
        return {"report": self.report, "task_id": key}

    def name(self, key: int) -> str:
        return self.tasks[key].title


def task_updates_apply(
    *,
    actor: Access,
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
    return apply_rows(
        TaskRows,
        actor=actor,
        report=report,
        rows=rows,
        dry_run=dry_run,
        source=source,
        keep_rest_of_row=keep_rest_of_row,
    )
