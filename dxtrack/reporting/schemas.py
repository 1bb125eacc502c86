"""Shapes of the reporting API: what a client may send (strict: unknown fields and wrong types are
refused before any service runs) and what it gets back (documented in the OpenAPI schema)."""

import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from .models import PeriodType, ReportStatus, TaskState

MAX_LIMIT = 200
MAX_ID = 2**63 - 1  # the widest integer SQLite and PostgreSQL's bigint hold
MAX_ROWS = 2000
# Generous caps on text, only to refuse absurd payloads at the door; the services apply the real
# limits (2,000 characters of comment, 4,000 of a task's text) with a message on the row.
MAX_NUMBER_TEXT = 100
MAX_TEXT_INPUT = 20_000


def _number_or_text(raw: Any) -> Any:
    # Numbers and text go through as they are: the service parses them ("1.234,5" included) and
    # explains a wrong one on its row. Anything else (true, a list, an object) is refused here.
    if raw is None or (isinstance(raw, int | float | str) and not isinstance(raw, bool)):
        if isinstance(raw, str) and len(raw) > MAX_NUMBER_TEXT:
            raise PydanticCustomError(
                "dx_number_too_long", "Giá trị dài quá {limit} ký tự.", {"limit": MAX_NUMBER_TEXT}
            )
        return raw
    raise PydanticCustomError("dx_number_type", "Phải là một số, một chuỗi số hoặc null.")


NumberOrText = Annotated[
    Any,
    PlainValidator(_number_or_text),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string", "maxLength": MAX_NUMBER_TEXT}, {"type": "null"}],
            "description": 'Số JSON, hoặc chuỗi số theo cách viết Việt Nam (ví dụ "1.234,5").',
        }
    ),
]


class _In(Schema):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# ---- in ------------------------------------------------------------------------------------------


class ObligationFilter(Schema):
    # Unknown query parameters are tolerated (caches and proxies add their own), unlike bodies.
    year: int | None = Field(None, ge=2000, le=2100)
    period_type: Literal[tuple(PeriodType.values)] | None = None  # type: ignore[valid-type]
    # A report status, or "missing" for an obligation whose report nobody has opened yet.
    status: Literal[(*ReportStatus.values, "missing")] | None = None  # type: ignore[valid-type]
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    # Bounded so the database never sees a number wider than its integers (a 500 otherwise).
    offset: int = Field(0, ge=0, le=MAX_ID)


class ValueRowIn(_In):
    indicator: str = Field(..., max_length=100, description="Mã chỉ tiêu")
    value: NumberOrText = None
    numerator: NumberOrText = None
    denominator: NumberOrText = None
    comment: str | None = Field("", max_length=MAX_TEXT_INPUT)
    version: int | None = Field(None, ge=0, strict=True, description="Phiên bản số liệu đã đọc; null: không kiểm tra")


class ValuesIn(_In):
    dry_run: bool = Field(False, alias="dryRun", strict=True)
    # The row cap is checked in the endpoint, to answer 413 with the count rather than 422.
    values: list[ValueRowIn]


class TaskRowIn(_In):
    task: int = Field(..., strict=True, description="Mã số (id) nhiệm vụ")
    state: Literal[tuple(TaskState.values)] = TaskState.NOT_STARTED  # type: ignore[valid-type]
    percent: NumberOrText = None
    output: str | None = Field("", max_length=MAX_TEXT_INPUT)
    evidence_url: str | None = Field("", alias="evidenceUrl", max_length=MAX_TEXT_INPUT)
    note: str | None = Field("", max_length=MAX_TEXT_INPUT)
    version: int | None = Field(None, ge=0, strict=True)


class TasksIn(_In):
    dry_run: bool = Field(False, alias="dryRun", strict=True)
    tasks: list[TaskRowIn]


class TransitionIn(_In):
    action: Literal["submit", "approve", "return", "lock", "unlock"]
    reason: str = Field("", max_length=MAX_TEXT_INPUT)
    version: int | None = Field(None, ge=0, strict=True, description="Phiên bản báo cáo đã đọc; null: không kiểm tra")


# ---- out -----------------------------------------------------------------------------------------


class ErrorOut(Schema):
    # Closed, so that a 400 carrying an import summary is never mistaken for (and cut down to) this.
    model_config = ConfigDict(extra="forbid")

    detail: str
    errors: list[Any] = Field([], description="Chi tiết: từng lỗi, hoặc vị trí và lỗi của từng trường (422)")
    current: dict | None = Field(None, description="Khi xung đột (409): giá trị hiện có")


class UnitOut(Schema):
    code: str
    name: str
    kind: Literal["agency", "admin_unit"]


class PeriodOut(Schema):
    label: str
    type: str
    start: datetime.date = Field(description="Kỳ báo cáo từ ngày (ngày đầu kỳ theo lịch)")
    end: datetime.date = Field(description="Kỳ báo cáo đến ngày (ngày cuối kỳ theo lịch)")
    data_from: datetime.date = Field(
        description="Kỳ số liệu từ ngày (thời gian chốt số liệu theo Nghị định 09/2019/NĐ-CP)"
    )
    data_to: datetime.date = Field(description="Kỳ số liệu đến ngày")


class PlanOut(Schema):
    code: str
    reference: str


class ReportRefOut(Schema):
    id: int
    status: str
    version: int


class ObligationOut(Schema):
    id: int
    unit: UnitOut
    period: PeriodOut
    plan: PlanOut
    due: datetime.date
    report: ReportRefOut | None


class ObligationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ObligationOut]


class ValueOut(Schema):
    indicator: str
    value: int | float | None
    numerator: int | float | None
    denominator: int | float | None
    comment: str
    version: int


class TaskUpdateOut(Schema):
    task: int
    state: str
    percent: int
    output: str
    evidence_url: str = Field(..., alias="evidenceUrl")
    evidence_file: bool = Field(..., alias="evidenceFile")
    note: str
    version: int


class NarrativeOut(Schema):
    results: str
    difficulties: str
    proposals: str


class ReportOut(Schema):
    id: int
    obligation: int
    unit: UnitOut
    period: PeriodOut
    due: datetime.date
    status: str
    version: int
    allowed_actions: list[str] = Field(..., alias="allowedActions")
    return_reason: str = Field(..., alias="returnReason")
    values: list[ValueOut]
    tasks: list[TaskUpdateOut]
    narrative: NarrativeOut


class FindingOut(Schema):
    level: str
    field: str
    message: str


RowResult = Literal["imported", "updated", "ignored", "error", "conflict"]
WHERE = "Vị trí trong nội dung gửi lên, ví dụ values[3]"
DETAIL = "Khi có lỗi: tóm tắt bằng tiếng Việt"
ERRORS = "Khi có lỗi: từng dòng lỗi, kèm vị trí"


class ValueRowOut(Schema):
    indicator: str
    result: RowResult
    reason: str
    where: str = Field(..., description=WHERE)
    findings: list[FindingOut]


class TaskRowOut(Schema):
    task: str
    result: RowResult
    reason: str
    where: str = Field(..., description=WHERE)
    findings: list[FindingOut]


class ValuesImportOut(Schema):
    status: Literal["ok", "error"]
    dry_run: bool = Field(..., alias="dryRun")
    imported: int
    updated: int
    ignored: int
    rows: list[ValueRowOut]
    detail: str | None = Field(None, description=DETAIL)
    errors: list[str] = Field([], description=ERRORS)


class TasksImportOut(Schema):
    status: Literal["ok", "error"]
    dry_run: bool = Field(..., alias="dryRun")
    imported: int
    updated: int
    ignored: int
    rows: list[TaskRowOut]
    detail: str | None = Field(None, description=DETAIL)
    errors: list[str] = Field([], description=ERRORS)
