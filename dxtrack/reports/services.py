"""Writes of reports: opening, values, task updates, narrative, evidence, the workflow, closing a
period, and the defaults (who reports which indicator, checks between values)."""

from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from dxtrack.accounts.models import Role
from dxtrack.core import audit, files
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.text import clean_text
from dxtrack.obligations.models import Obligation, Period
from dxtrack.obligations.services import _require_secretariat
from dxtrack.org.models import Agency
from dxtrack.reports import validation as v
from dxtrack.reports.models import DataValue, Report, ReportStatus, TaskState, TaskUpdate

# ---- reports: who may do what ------------------------------------------------------------------------


class Conflict(DomainError):
    """Someone else changed the same thing since the caller read it; `current` is what is there now."""

    def __init__(self, message: str, *, current: dict | None = None, details: list[str] | None = None):
        super().__init__(message, code="conflict", details=details)
        self.current = current or {}


def _is_secretariat(actor) -> bool:
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and (actor.is_superuser or actor.role == Role.SECRETARIAT)
    )


def _belongs(actor, obligation: Obligation) -> bool:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if obligation.agency_id is not None:
        return actor.agency_id == obligation.agency_id
    return actor.admin_unit_id == obligation.admin_unit_id


def _may_edit(actor, obligation: Obligation) -> bool:
    return _belongs(actor, obligation) and actor.role in (Role.REPORTER, Role.APPROVER)


def _require_open(report: Report) -> None:
    if report.obligation.period.closed_at is not None:
        raise InvalidData(f"Kỳ {report.obligation.period.label} đã khóa sổ; không thay đổi được báo cáo.")
    if not report.is_editable:
        raise InvalidData(
            f"Báo cáo đang ở trạng thái “{report.get_status_display()}”; chỉ sửa được khi đang soạn hoặc bị trả lại."
        )


def may_edit(actor, report: Report) -> bool:
    """Whether `actor` may change `report` now: a reporter or approver of its unit, the report
    open for editing and its period not closed. For pages deciding what to show; writes check
    again under lock."""
    return _may_edit(actor, report.obligation) and report.is_editable and report.obligation.period.closed_at is None


def may_open(actor, obligation: Obligation) -> bool:
    """Whether `actor` may start the report of `obligation`."""
    return _may_edit(actor, obligation) and obligation.period.closed_at is None


def require_editable(*, actor, report: Report) -> None:
    """Refuses with the reason when `actor` may not change `report` now."""
    if not _may_edit(actor, report.obligation):
        raise NotAllowed("Chỉ cán bộ của đơn vị được nhập số liệu của đơn vị mình.")
    _require_open(report)


@transaction.atomic
def report_open(*, actor, obligation: Obligation) -> Report:
    """The obligation's report, created as a draft the first time its unit opens it."""
    existing = Report.objects.filter(obligation=obligation).first()
    if existing is not None:
        return existing
    if not (_may_edit(actor, obligation) or actor is None):
        raise NotAllowed("Chỉ cán bộ của đơn vị được lập báo cáo của đơn vị mình.")
    report = Report.objects.create(obligation=obligation)
    audit.record(actor=actor, action="reporting.report.create", target=report, changes={"status": [None, "draft"]})
    return report


# ---- values ------------------------------------------------------------------------------------------


@dataclass
class ValueInput:
    indicator: str  # the indicator's code
    value: object = None
    numerator: object = None
    denominator: object = None
    comment: str = ""
    version: int | None = None  # the version the client last saw; None: whatever is there now
    where: str = ""  # where it came from, for messages: "Dòng 12", "dataValues[3]"


@dataclass
class RowResult:
    indicator: str
    result: str  # imported | updated | ignored | error | conflict
    reason: str = ""
    where: str = ""
    findings: list[v.Finding] = field(default_factory=list)


@dataclass
class ImportSummary:
    status: str  # ok | error
    dry_run: bool
    rows: list[RowResult]

    def count(self, result: str) -> int:
        return sum(1 for r in self.rows if r.result == result)

    @property
    def imported(self) -> int:
        return self.count("imported")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def ignored(self) -> int:
        return self.count("ignored")

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.result in ("error", "conflict")]

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "dryRun": self.dry_run,
            "imported": self.imported,
            "updated": self.updated,
            "ignored": self.ignored,
            "rows": [
                {
                    "indicator": r.indicator,
                    "result": r.result,
                    "reason": r.reason,
                    "where": r.where,
                    "findings": [{"level": f.level, "field": f.field, "message": f.message} for f in r.findings],
                }
                for r in self.rows
            ],
        }


_VALUE_FIELDS = ("value", "numerator", "denominator", "comment")
SOURCES = {"web": "Nhập trên web", "excel": "Tải lên tệp Excel", "api": "Nhập qua API", "demo": "Dữ liệu trình diễn"}
MAX_COMMENT = 2000


def _create_once(model, key: dict, *, conflict: Conflict, **fields):
    """Creates the row of `key` or, where a concurrent writer created it first, raises `conflict`.

    Only that race is reported as someone else's edit: an IntegrityError with no row under the key
    afterwards is another fault and goes on as it is, rather than being told to the user as a race."""
    try:
        with transaction.atomic():
            return model.objects.create(**key, **fields)
    except IntegrityError:
        if model.objects.filter(**key).exists():
            raise conflict from None
        raise


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
        _require_open(report)
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
                current = _create_once(
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


# ---- task updates ------------------------------------------------------------------------------------


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


MAX_TEXT = 4000
EVIDENCE_URL_MAX = 500  # TaskUpdate.evidence_url's max_length
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".docx", ".xlsx", ".png", ".jpg", ".jpeg")


def _text(value, label: str, limit: int = MAX_TEXT) -> tuple[str, str]:
    if value is None:
        return "", ""
    if not isinstance(value, str):
        return "", f"{label} phải là văn bản."
    value = clean_text(value)
    if len(value) > limit:
        return "", f"{label} dài quá {limit} ký tự."
    return value, ""


def check_evidence_url(value) -> tuple[str, str]:
    """(the link, "") or ("", why it is refused). Only web addresses a reader can open are kept: a
    link is shown to the secretariat and leaders, so javascript:, data: and the like never are."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    text, problem = _text(value, "Đường dẫn minh chứng", EVIDENCE_URL_MAX)
    if problem or not text:
        return "", problem
    if not text.lower().startswith(("https://", "http://")):
        return (
            "",
            "Đường dẫn minh chứng phải bắt đầu bằng http:// hoặc https://, ví dụ https://example.gov.vn/tai-lieu.",
        )
    try:
        URLValidator(schemes=["http", "https"])(text)
        # Characters a real address carries percent-encoded only (RFC 3986): here, they are markup.
        if any(c in text for c in '<>"`{}|\\^'):
            raise ValidationError("unsafe characters")
    except ValidationError:
        return "", "Đường dẫn minh chứng không phải một địa chỉ web hợp lệ (có khoảng trắng hoặc thiếu tên miền?)."
    return text, ""


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
        text, problem = _text(getattr(row, name), label)
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
        _require_open(report)
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
                current = _create_once(
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


@transaction.atomic
def task_evidence_attach(*, actor, update: TaskUpdate, upload) -> TaskUpdate:
    """Keeps an evidence file of a task update, after checking its size and that its content is
    what its name says (PDF, DOCX, XLSX, PNG, JPEG)."""
    import os

    report = (
        Report.objects.select_for_update(of=("self",)).select_related("obligation__period").get(pk=update.report_id)
    )
    if not _may_edit(actor, report.obligation):
        raise NotAllowed("Chỉ cán bộ của đơn vị được gửi minh chứng của đơn vị mình.")
    _require_open(report)
    name = os.path.basename(getattr(upload, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in EVIDENCE_TYPES:
        raise InvalidData("Tệp minh chứng phải là PDF, DOCX, XLSX, PNG hoặc JPEG.")
    if not upload.size:
        raise InvalidData("Tệp minh chứng rỗng.")
    if upload.size > EVIDENCE_MAX_BYTES:
        raise InvalidData("Tệp minh chứng lớn quá 10 MB.")
    data = upload.read(EVIDENCE_MAX_BYTES + 1)
    upload.seek(0)
    files.check_content(data, ext)
    before = update.evidence_file.name or None
    update.evidence_file.save(name, upload, save=False)
    if before:
        # The replaced file goes once the new one is kept; a rollback keeps the old one.
        storage = update.evidence_file.storage
        transaction.on_commit(lambda: storage.delete(before))
    update.version += 1
    update.updated_by = actor
    update.updated_at = timezone.now()
    update.save(update_fields=["evidence_file", "version", "updated_by", "updated_at"])
    audit.record(
        actor=actor,
        action="reporting.task_update.evidence",
        target=update,
        changes={"evidence_file": [before, update.evidence_file.name]},
    )
    return update


# ---- the narrative -----------------------------------------------------------------------------------

NARRATIVE_FIELDS = ("results", "difficulties", "proposals")
MAX_NARRATIVE = 20000


@transaction.atomic
def narrative_save(*, actor, report: Report, expected_version: int | None, source: str = "web", **texts) -> Report:
    if not _may_edit(actor, report.obligation):
        raise NotAllowed("Chỉ cán bộ của đơn vị được viết báo cáo của đơn vị mình.")
    report = Report.objects.select_for_update(of=("self",)).select_related("obligation__period").get(pk=report.pk)
    _require_open(report)
    if expected_version is not None and report.version != expected_version:
        raise Conflict(
            "Người khác vừa sửa phần thuyết minh của báo cáo này.",
            current={f: getattr(report, f) for f in NARRATIVE_FIELDS},
        )
    before = {f: getattr(report, f) for f in NARRATIVE_FIELDS}
    after = dict(before)
    for name in NARRATIVE_FIELDS:
        if name in texts:
            text, problem = _text(texts[name], "Phần thuyết minh", MAX_NARRATIVE)
            if problem:
                raise InvalidData(problem)
            after[name] = text
    changes = audit.diff(before, after)
    if not changes:
        return report
    for name, text in after.items():
        setattr(report, name, text)
    report.version += 1
    report.updated_at = timezone.now()
    report.save(update_fields=[*NARRATIVE_FIELDS, "version", "updated_at"])
    audit.record(
        actor=actor,
        action="reporting.report.narrative",
        target=report,
        changes=changes,
        reason=SOURCES.get(source, source),
    )
    return report


# ---- the workflow ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    who: str  # approver | secretariat
    needs_reason: bool = False
    label: str = ""


S = ReportStatus
TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, "approver", label="gửi"),
    "approve": Transition(frozenset({S.SUBMITTED}), S.APPROVED, "secretariat", label="duyệt"),
    "return": Transition(frozenset({S.SUBMITTED}), S.RETURNED, "secretariat", needs_reason=True, label="trả lại"),
    "lock": Transition(frozenset({S.APPROVED}), S.LOCKED, "secretariat", label="khóa"),
    "unlock": Transition(frozenset({S.APPROVED, S.LOCKED}), S.RETURNED, "secretariat", True, "mở khóa"),
}


RECOMPUTING_ACTIONS = frozenset({"approve", "unlock"})


def _may_take(actor, report: Report, t: Transition) -> bool:
    if t.who == "secretariat":
        return actor is None or _is_secretariat(actor)  # None: the system, as in _require_secretariat
    return _belongs(actor, report.obligation) and actor.role == Role.APPROVER


def allowed_actions(actor, report: Report) -> list[str]:
    """The transitions `actor` may take on `report` now (for showing buttons)."""
    out = []
    for name, t in TRANSITIONS.items():
        if report.status not in t.sources:
            continue
        if _may_take(actor, report, t):
            out.append(name)
    return out


@transaction.atomic
def report_transition(
    *, actor, report: Report, action: str, reason: str = "", expected_version: int | None = None
) -> Report:
    """Moves a report along the table above; anything else is refused with the reason."""
    from dxtrack.reports import selectors

    t = TRANSITIONS.get(action)
    if t is None:
        raise InvalidData("Thao tác không hợp lệ.")
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("obligation__period", "obligation__agency", "obligation__admin_unit")
        .get(pk=report.pk)
    )
    if not _may_take(actor, report, t):
        if t.who == "secretariat":
            raise NotAllowed(f"Chỉ Tổ giúp việc được {t.label} báo cáo.")
        raise NotAllowed("Chỉ lãnh đạo đơn vị được ký gửi báo cáo của đơn vị mình.")
    if expected_version is not None and report.version != expected_version:
        raise Conflict("Báo cáo vừa được người khác thay đổi; hãy tải lại trang.")
    if report.status not in t.sources:
        raise InvalidData(f"Không thể {t.label} báo cáo đang ở trạng thái “{report.get_status_display()}”.")
    reason = clean_text(reason) if isinstance(reason, str) else ""
    if t.needs_reason and not reason:
        raise InvalidData(f"Cần ghi lý do {t.label}.")
    if len(reason) > MAX_TEXT:
        raise InvalidData(f"Lý do dài quá {MAX_TEXT} ký tự.")
    period = report.obligation.period
    if action in ("submit", "approve", "return") and period.closed_at is not None:
        raise InvalidData(f"Kỳ {period.label} đã khóa sổ.")
    if action == "submit":
        problems = selectors.report_form(report).problems
        if problems:
            raise InvalidData("Báo cáo chưa gửi được: còn lỗi cần sửa.", details=problems)
    now = timezone.now()
    before = report.status
    report.status = t.target
    report.version += 1
    report.updated_at = now
    if action == "submit":
        report.submitted_at, report.submitted_by = now, actor
        report.first_submitted_at = report.first_submitted_at or now
    elif action in ("approve", "return"):
        report.decided_at, report.decided_by = now, actor
    if t.target == S.RETURNED:
        report.return_reason = reason
    report.save()
    audit.record(
        actor=actor,
        action=f"reporting.report.{action}",
        target=report,
        changes={"status": [before, report.status]},
        reason=reason,
    )
    if action in RECOMPUTING_ACTIONS:
        # Progress reads approved data only: what an approval adds or an unlock takes away must
        # show at once, after the change commits (a rolled-back approval recomputes nothing).
        from dxtrack.reports.signals import report_decided

        report_id, period_id = report.pk, report.obligation.period_id
        transaction.on_commit(
            lambda: report_decided.send(sender=Report, report_id=report_id, period_id=period_id, action=action)
        )
    return report


@transaction.atomic
def period_close(*, actor, period: Period) -> int:
    """Closes a period: its approved reports lock. Returns how many locked."""
    _require_secretariat(actor)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.closed_at is not None:
        raise InvalidData(f"Kỳ {period.label} đã khóa sổ từ trước.")
    locked = 0
    for report in Report.objects.filter(obligation__period=period, status=S.APPROVED):
        report_transition(actor=actor, report=report, action="lock")
        locked += 1
    period.closed_at = timezone.now()
    period.save(update_fields=["closed_at"])
    audit.record(actor=actor, action="reporting.period.close", target=period, changes={"closed": [False, True]})
    return locked


# ---- defaults: who reports which indicator, checks between values ------------------------------------

DEFAULTS_PATH = Path(__file__).parent / "data" / "defaults.json"


@dataclass(frozen=True)
class DefaultsResult:
    reporters_added: int
    rules_added: int


@transaction.atomic
def defaults_load(*, actor, path: Path = DEFAULTS_PATH) -> DefaultsResult:
    """Assigns every indicator of the register to the agency that reports its provincial figure
    and loads the checks between values. Adds what is missing; keeps the secretariat's edits."""
    import json

    from dxtrack.obligations.models import IndicatorReporter
    from dxtrack.plans.models import Indicator
    from dxtrack.reports.models import ValidationRule

    _require_secretariat(actor)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        reporters, rules = data["reporters"], data["rules"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidData(f"Tệp cấu hình báo cáo không đọc được: {exc}") from exc
    agencies = {a.code: a for a in Agency.objects.all()}
    indicators = {i.code: i for i in Indicator.objects.all()}
    problems = [
        f"Không có cơ quan mã '{code}'."
        for code in {reporters["default"], *reporters["by_sector"].values(), *reporters["by_indicator"].values()}
        if code not in agencies
    ]
    problems += [
        f"Quy tắc '{rule.get('name')}': không có chỉ tiêu '{rule.get(side)}'."
        for rule in rules
        for side in ("left", "right")
        if rule.get(side) not in indicators
    ]
    if problems:
        raise InvalidData("Tệp cấu hình báo cáo có lỗi; chưa nạp gì.", details=problems)
    assigned = set(IndicatorReporter.objects.values_list("indicator_id", flat=True))
    fresh = []
    for code, indicator in indicators.items():
        if indicator.pk in assigned:
            continue
        agency_code = (
            reporters["by_indicator"].get(code) or reporters["by_sector"].get(indicator.sector) or reporters["default"]
        )
        fresh.append(IndicatorReporter(indicator=indicator, agency=agencies[agency_code]))
    IndicatorReporter.objects.bulk_create(fresh)
    have = set(ValidationRule.objects.values_list("name", flat=True))
    new_rules = [
        ValidationRule(
            name=r["name"],
            message=r["message"],
            left=indicators[r["left"]],
            left_part=r.get("left_part", "value"),
            operator=r["operator"],
            right=indicators[r["right"]],
            right_part=r.get("right_part", "value"),
            importance=r.get("importance", "medium"),
        )
        for r in rules
        if r["name"] not in have
    ]
    ValidationRule.objects.bulk_create(new_rules)
    for rule in new_rules:
        audit.record(actor=actor, action="reporting.rule.create", target=rule, changes={"name": [None, rule.name]})
    if fresh:
        audit.record(
            actor=actor,
            action="reporting.indicator_reporters.load",
            target=fresh[0].indicator,
            changes={"assigned": [0, len(fresh)]},
        )
    return DefaultsResult(len(fresh), len(new_rules))
