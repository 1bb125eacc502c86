"""Shapes of the reporting API: what a client may send (strict: unknown fields and wrong types are
refused before any service runs) and what it gets back (documented in the OpenAPI schema)."""

import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from dxtrack.core.ids import MAX_ID
from dxtrack.obligations.models import PeriodType
from dxtrack.reports.models import ReportStatus, TaskState

MAX_LIMIT = 200
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


def _choices(choices) -> str:
    # The API takes and gives the codes; the docs say what each means, in Vietnamese.
    return ", ".join(f"`{value}` ({label})" for value, label in choices)


PERIOD_TYPES = _choices(PeriodType.choices)
REPORT_STATUSES = _choices(ReportStatus.choices)
TASK_STATES = _choices(TaskState.choices)
DRY_RUN = "true: chỉ kiểm tra, không lưu gì"
VERSION_IN = "Phiên bản đã đọc; gửi khác phiên bản hiện có thì bị từ chối (409); null: không kiểm tra"
VERSION_OUT = "Phiên bản, tăng mỗi lần thay đổi; gửi lại khi cập nhật để tránh ghi đè thay đổi của người khác"


class _In(BaseModel):
    # Plain pydantic, not ninja's Schema: a Schema wraps every object's validation in a root
    # validator that reads ORM objects (from_attributes), and a bulk import validates 100,000
    # rows; what is sent is JSON, never an ORM object. The rules (fields, limits) are the same.
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# ---- in ------------------------------------------------------------------------------------------


class ObligationFilter(Schema):
    # Unknown query parameters are tolerated (caches and proxies add their own), unlike bodies.
    year: int | None = Field(None, ge=2000, le=2100, description="Năm của kỳ báo cáo")
    period_type: Literal[tuple(PeriodType.values)] | None = Field(  # type: ignore[valid-type]
        None, description=f"Loại kỳ: {PERIOD_TYPES}"
    )
    # A report status, or "missing" for an obligation whose report nobody has opened yet.
    status: Literal[(*ReportStatus.values, "missing")] | None = Field(  # type: ignore[valid-type]
        None, description=f"Trạng thái báo cáo: {REPORT_STATUSES}; missing: chưa lập báo cáo"
    )
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Số nghĩa vụ tối đa mỗi trang (1–{MAX_LIMIT})")
    # Bounded so the database never sees a number wider than its integers (a 500 otherwise).
    offset: int = Field(0, ge=0, le=MAX_ID, description="Bỏ qua bấy nhiêu nghĩa vụ đầu tiên (phân trang)")


class ValueRowIn(_In):
    indicator: str = Field(..., max_length=100, description="Mã chỉ tiêu")
    value: NumberOrText = Field(None, description="Giá trị (chỉ tiêu không phải tỷ lệ)")
    numerator: NumberOrText = Field(None, description="Tử số (chỉ tiêu tỷ lệ)")
    denominator: NumberOrText = Field(None, description="Mẫu số (chỉ tiêu tỷ lệ)")
    comment: str | None = Field("", max_length=MAX_TEXT_INPUT, description="Giải trình (tối đa 2.000 ký tự)")
    version: int | None = Field(None, ge=0, strict=True, description=VERSION_IN)


class ValuesIn(_In):
    dry_run: bool = Field(False, alias="dryRun", strict=True, description=DRY_RUN)
    # The row cap is checked in the endpoint, to answer 413 with the count rather than 422.
    values: list[ValueRowIn] = Field(..., description=f"Các dòng số liệu (tối đa {MAX_ROWS} dòng)")


MAX_BATCH_REPORTS = 200


class ReportValuesIn(_In):
    obligation: int = Field(..., ge=1, le=MAX_ID, strict=True, description="Mã số (id) nghĩa vụ báo cáo")
    values: list[ValueRowIn] = Field(..., description="Các dòng số liệu của nghĩa vụ này")


class ValuesBatchIn(_In):
    dry_run: bool = Field(False, alias="dryRun", strict=True, description=DRY_RUN)
    # The caps are checked in the endpoint, to answer 413 with the counts rather than 422.
    reports: list[ReportValuesIn] = Field(
        ...,
        description=(
            f"Số liệu của từng nghĩa vụ báo cáo (tối đa {MAX_BATCH_REPORTS} nghĩa vụ, tổng cộng tối đa "
            f"{MAX_ROWS} dòng); mỗi nghĩa vụ chỉ một lần"
        ),
    )


class TaskRowIn(_In):
    task: int = Field(..., strict=True, description="Mã số (id) nhiệm vụ")
    state: Literal[tuple(TaskState.values)] = Field(  # type: ignore[valid-type]
        TaskState.NOT_STARTED, description=f"Tình trạng: {TASK_STATES}"
    )
    percent: NumberOrText = Field(None, description="Tiến độ (%), số nguyên từ 0 đến 100")
    output: str | None = Field("", max_length=MAX_TEXT_INPUT, description="Sản phẩm đã có (tối đa 4.000 ký tự)")
    evidence_url: str | None = Field(
        "",
        alias="evidenceUrl",
        max_length=MAX_TEXT_INPUT,
        description="Đường dẫn minh chứng, bắt đầu bằng http:// hoặc https:// (tối đa 500 ký tự)",
    )
    note: str | None = Field("", max_length=MAX_TEXT_INPUT, description="Ghi chú (tối đa 4.000 ký tự)")
    version: int | None = Field(None, ge=0, strict=True, description=VERSION_IN)


class TasksIn(_In):
    dry_run: bool = Field(False, alias="dryRun", strict=True, description=DRY_RUN)
    tasks: list[TaskRowIn] = Field(..., description=f"Các dòng cập nhật nhiệm vụ (tối đa {MAX_ROWS} dòng)")


class TransitionIn(_In):
    action: Literal["submit", "approve", "return", "lock", "unlock"] = Field(
        ...,
        description="Thao tác: submit (gửi), approve (duyệt), return (trả lại), lock (khóa), unlock (mở khóa)",
    )
    reason: str = Field("", max_length=MAX_TEXT_INPUT, description="Lý do; bắt buộc khi trả lại hoặc mở khóa")
    version: int | None = Field(None, ge=0, strict=True, description=VERSION_IN)


# ---- out -----------------------------------------------------------------------------------------


class ErrorOut(Schema):
    # Closed, so that a 400 carrying an import summary is never mistaken for (and cut down to) this.
    model_config = ConfigDict(extra="forbid")

    detail: str = Field(..., description="Thông báo lỗi bằng tiếng Việt")
    errors: list[Any] = Field([], description="Chi tiết: từng lỗi, hoặc vị trí và lỗi của từng trường (422)")
    current: dict | None = Field(None, description="Khi xung đột (409): giá trị hiện có")


class UnitOut(Schema):
    code: str = Field(..., description="Mã cơ quan, hoặc mã thống kê của đơn vị hành chính")
    name: str = Field(..., description="Tên đơn vị")
    kind: Literal["agency", "admin_unit"] = Field(
        ..., description="Loại đơn vị: agency (cơ quan, đơn vị), admin_unit (đơn vị hành chính cấp xã)"
    )


class PeriodOut(Schema):
    label: str = Field(..., description="Tên kỳ, ví dụ Quý III/2025")
    type: str = Field(..., description=f"Loại kỳ: {PERIOD_TYPES}")
    start: datetime.date = Field(..., description="Kỳ báo cáo từ ngày: ngày đầu kỳ theo lịch (YYYY-MM-DD)")
    end: datetime.date = Field(..., description="Kỳ báo cáo đến ngày: ngày cuối kỳ theo lịch (YYYY-MM-DD)")
    data_from: datetime.date = Field(
        ..., description="Kỳ số liệu từ ngày: thời gian chốt số liệu theo Nghị định 09/2019/NĐ-CP (YYYY-MM-DD)"
    )
    data_to: datetime.date = Field(..., description="Kỳ số liệu đến ngày (YYYY-MM-DD)")


class PlanOut(Schema):
    code: str = Field(..., description="Mã kế hoạch (văn bản)")
    reference: str = Field(..., description="Số, ký hiệu của văn bản")


class ReportRefOut(Schema):
    id: int = Field(..., description="Mã số (id) báo cáo")
    status: str = Field(..., description=f"Trạng thái: {REPORT_STATUSES}")
    version: int = Field(..., description=VERSION_OUT)


class ObligationOut(Schema):
    id: int = Field(..., description="Mã số (id) nghĩa vụ báo cáo")
    unit: UnitOut = Field(..., description="Đơn vị phải báo cáo")
    period: PeriodOut = Field(..., description="Kỳ báo cáo")
    plan: PlanOut = Field(..., description="Kế hoạch quy định việc báo cáo")
    due: datetime.date = Field(..., description="Hạn gửi báo cáo (YYYY-MM-DD)")
    report: ReportRefOut | None = Field(..., description="Báo cáo đã lập; null: chưa lập")


class ObligationPage(Schema):
    count: int = Field(..., description="Tổng số nghĩa vụ khớp bộ lọc")
    limit: int = Field(..., description="Số nghĩa vụ tối đa mỗi trang")
    offset: int = Field(..., description="Số nghĩa vụ đã bỏ qua")
    items: list[ObligationOut] = Field(..., description="Các nghĩa vụ của trang này")


class ValueOut(Schema):
    indicator: str = Field(..., description="Mã chỉ tiêu")
    value: int | float | None = Field(..., description="Giá trị (với chỉ tiêu tỷ lệ: tỷ lệ đã tính)")
    numerator: int | float | None = Field(..., description="Tử số (chỉ tiêu tỷ lệ)")
    denominator: int | float | None = Field(..., description="Mẫu số (chỉ tiêu tỷ lệ)")
    comment: str = Field(..., description="Giải trình")
    version: int = Field(..., description=VERSION_OUT)


class TaskUpdateOut(Schema):
    task: int = Field(..., description="Mã số (id) nhiệm vụ")
    state: str = Field(..., description=f"Tình trạng: {TASK_STATES}")
    percent: int = Field(..., description="Tiến độ (%)")
    output: str = Field(..., description="Sản phẩm đã có")
    evidence_url: str = Field(..., alias="evidenceUrl", description="Đường dẫn minh chứng")
    evidence_file: bool = Field(..., alias="evidenceFile", description="true: đã gửi tệp minh chứng")
    note: str = Field(..., description="Ghi chú")
    version: int = Field(..., description=VERSION_OUT)


class NarrativeOut(Schema):
    results: str = Field(..., description="Kết quả đạt được")
    difficulties: str = Field(..., description="Khó khăn, vướng mắc")
    proposals: str = Field(..., description="Đề xuất, kiến nghị")


class ReportOut(Schema):
    id: int = Field(..., description="Mã số (id) báo cáo")
    obligation: int = Field(..., description="Mã số (id) nghĩa vụ báo cáo")
    unit: UnitOut = Field(..., description="Đơn vị báo cáo")
    period: PeriodOut = Field(..., description="Kỳ báo cáo")
    due: datetime.date = Field(..., description="Hạn gửi báo cáo (YYYY-MM-DD)")
    status: str = Field(..., description=f"Trạng thái: {REPORT_STATUSES}")
    version: int = Field(..., description=VERSION_OUT)
    allowed_actions: list[str] = Field(
        ..., alias="allowedActions", description="Các thao tác người gọi được làm lúc này (xem transitions)"
    )
    return_reason: str = Field(..., alias="returnReason", description="Lý do trả lại (nếu bị trả lại)")
    values: list[ValueOut] = Field(..., description="Số liệu các chỉ tiêu")
    tasks: list[TaskUpdateOut] = Field(..., description="Cập nhật tiến độ các nhiệm vụ")
    narrative: NarrativeOut = Field(..., description="Phần thuyết minh")


class _Out(BaseModel):
    # Plain pydantic for the import summaries, not ninja's Schema: a Schema runs its root validator
    # (made to read ORM objects) on every object of the answer, and a batch answers a row for each
    # of its thousands of values; what is answered here is built as dicts, never ORM objects.
    model_config = ConfigDict(populate_by_name=True)


class FindingOut(_Out):
    level: str = Field(..., description="Mức: error (lỗi, không lưu), warning (cảnh báo, cần giải trình)")
    field: str = Field(..., description="Trường liên quan")
    message: str = Field(..., description="Nội dung, bằng tiếng Việt")


RowResult = Literal["imported", "updated", "ignored", "error", "conflict"]
WHERE = "Vị trí trong nội dung gửi lên, ví dụ values[3]"
DETAIL = "Khi có lỗi: tóm tắt bằng tiếng Việt"
ERRORS = "Khi có lỗi: từng dòng lỗi, kèm vị trí"
RESULT = (
    "Kết quả của dòng: imported (thêm mới), updated (cập nhật), ignored (không thay đổi), "
    "error (lỗi), conflict (người khác vừa thay đổi)"
)
REASON = "Lý do, bằng tiếng Việt (trống nếu không có gì cần nói)"
FINDINGS = "Kết quả kiểm tra của dòng (lỗi, cảnh báo)"
STATUS = "ok: mọi dòng hợp lệ; error: có dòng lỗi, không lưu gì"


class ValueRowOut(_Out):
    indicator: str = Field(..., description="Mã chỉ tiêu của dòng")
    result: RowResult = Field(..., description=RESULT)
    reason: str = Field(..., description=REASON)
    where: str = Field(..., description=WHERE)
    findings: list[FindingOut] = Field(..., description=FINDINGS)


class TaskRowOut(_Out):
    task: str = Field(..., description="Mã số (id) nhiệm vụ của dòng")
    result: RowResult = Field(..., description=RESULT)
    reason: str = Field(..., description=REASON)
    where: str = Field(..., description=WHERE)
    findings: list[FindingOut] = Field(..., description=FINDINGS)


class ValuesImportOut(_Out):
    status: Literal["ok", "error"] = Field(..., description=STATUS)
    dry_run: bool = Field(..., alias="dryRun", description="true: chỉ kiểm tra, chưa lưu gì")
    imported: int = Field(..., description="Số dòng thêm mới")
    updated: int = Field(..., description="Số dòng cập nhật")
    ignored: int = Field(..., description="Số dòng không thay đổi")
    rows: list[ValueRowOut] = Field(..., description="Kết quả từng dòng")
    detail: str | None = Field(None, description=DETAIL)
    errors: list[str] = Field([], description=ERRORS)


class TasksImportOut(_Out):
    status: Literal["ok", "error"] = Field(..., description=STATUS)
    dry_run: bool = Field(..., alias="dryRun", description="true: chỉ kiểm tra, chưa lưu gì")
    imported: int = Field(..., description="Số dòng thêm mới")
    updated: int = Field(..., description="Số dòng cập nhật")
    ignored: int = Field(..., description="Số dòng không thay đổi")
    rows: list[TaskRowOut] = Field(..., description="Kết quả từng dòng")
    detail: str | None = Field(None, description=DETAIL)
    errors: list[str] = Field([], description=ERRORS)


class ReportValuesOut(ValuesImportOut):
    obligation: int = Field(..., description="Mã số (id) nghĩa vụ báo cáo")


class ValuesBatchOut(_Out):
    status: Literal["ok", "error"] = Field(..., description="ok: mọi dòng của mọi nghĩa vụ hợp lệ; error: không lưu gì")
    dry_run: bool = Field(..., alias="dryRun", description="true: chỉ kiểm tra, chưa lưu gì")
    imported: int = Field(..., description="Số dòng thêm mới, mọi nghĩa vụ cộng lại")
    updated: int = Field(..., description="Số dòng cập nhật, mọi nghĩa vụ cộng lại")
    ignored: int = Field(..., description="Số dòng không thay đổi, mọi nghĩa vụ cộng lại")
    reports: list[ReportValuesOut] = Field(..., description="Kết quả của từng nghĩa vụ, theo thứ tự đã gửi")
    detail: str | None = Field(None, description=DETAIL)
    errors: list[str] = Field([], description=ERRORS)
