"""DHIS2-compatible dataValueSets at /api/dataValueSets: import (JSON or CSV) and export.

The body of the import is read here rather than by ninja, because the same address takes JSON and
CSV as DHIS2's does; the JSON is still checked against the schema below, with the same 422 answer
as every other endpoint."""

import datetime
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from dxtrack.accounts.api_auth import token_auth
from dxtrack.core import jsonin
from dxtrack.core.numbers import format_number
from dxtrack.exchange import dhis2
from dxtrack.exchange.actors import api_access
from dxtrack.exchange.schemas import MAX_ROWS, MAX_TEXT_INPUT, ErrorOut, NumberOrText

router = Router(auth=[token_auth, django_auth], tags=["Trao đổi số liệu (DHIS2)"])

CSV_TYPES = ("application/csv", "text/csv")
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


# ---- shapes ------------------------------------------------------------------------------------------


class _In(BaseModel):
    # Plain pydantic, not ninja's Schema: a Schema wraps every object's validation in a root
    # validator that reads ORM objects (from_attributes), and a bulk import validates 100,000
    # rows; what is sent is JSON, never an ORM object. The rules (fields, limits) are the same.
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


IGNORED = "Đọc rồi bỏ qua (DHIS2 xuất kèm trường này), để nhập lại được tệp xuất của DHIS2"


class DataValueIn(_In):
    data_element: str = Field(..., alias="dataElement", max_length=100, description="Mã chỉ tiêu")
    period: str | None = Field(None, max_length=20, description="Kỳ; trống: kỳ của cả bộ số liệu")
    org_unit: str | None = Field(None, alias="orgUnit", max_length=50, description="Mã đơn vị; trống: của cả bộ")
    category_option_combo: str | None = Field(
        None,
        alias="categoryOptionCombo",
        max_length=50,
        description="'default' hoặc trống: giá trị; 'numerator'/'denominator': tử số/mẫu số của chỉ tiêu tỷ lệ",
    )
    attribute_option_combo: str | None = Field(
        None, alias="attributeOptionCombo", max_length=50, description="Bỏ qua (trường của DHIS2)"
    )
    value: NumberOrText = Field(None, description="Giá trị; trống: xóa giá trị")
    comment: str | None = Field(None, max_length=MAX_TEXT_INPUT, description="Giải trình")
    # Sent back by DHIS2's own exports; read and ignored, so an export can be imported unchanged.
    stored_by: str | None = Field(None, alias="storedBy", max_length=200, description=IGNORED)
    created: str | None = Field(None, max_length=50, description=IGNORED)
    last_updated: str | None = Field(None, alias="lastUpdated", max_length=50, description=IGNORED)
    followup: bool | None = Field(None, description=IGNORED)
    deleted: bool | None = Field(None, description="true: xóa giá trị (như gửi giá trị trống)")


class DataValueSetIn(_In):
    data_set: str | None = Field(
        None, alias="dataSet", max_length=100, description="Mã kế hoạch (văn bản) của nghĩa vụ báo cáo"
    )
    complete_date: str | None = Field(
        None, alias="completeDate", max_length=50, description="Bỏ qua: báo cáo được gửi và duyệt theo quy trình"
    )
    period: str | None = Field(None, max_length=20, description=f"Kỳ chung của mọi dòng, {dhis2.PERIOD_HELP}")
    org_unit: str | None = Field(None, alias="orgUnit", max_length=50, description="Mã đơn vị chung của mọi dòng")
    attribute_option_combo: str | None = Field(
        None, alias="attributeOptionCombo", max_length=50, description="Bỏ qua (trường của DHIS2)"
    )
    # The row cap is checked in the endpoint, to answer 413 with the count rather than 422.
    data_values: list[DataValueIn] = Field([], alias="dataValues", description=f"Các giá trị (tối đa {MAX_ROWS} dòng)")


class ImportQuery(Schema):
    dry_run: bool = Field(False, alias="dryRun", description="true: chỉ kiểm tra, không lưu")
    # CREATE_AND_UPDATE is DHIS2's default; NEW_AND_UPDATES its older name. Only it is offered:
    # a value is set, whether or not it was there before.
    import_strategy: Literal["CREATE_AND_UPDATE", "NEW_AND_UPDATES"] = Field(
        "CREATE_AND_UPDATE",
        alias="importStrategy",
        description=(
            "Cách nhập của DHIS2; chỉ nhận CREATE_AND_UPDATE (thêm mới hoặc cập nhật) hoặc tên cũ NEW_AND_UPDATES"
        ),
    )
    data_set: str | None = Field(
        None, alias="dataSet", max_length=100, description="Mã kế hoạch, cho tệp CSV (không có cột dataSet)"
    )


class ExportQuery(Schema):
    data_set: str | None = Field(None, alias="dataSet", max_length=100, description="Mã kế hoạch (văn bản)")
    period: list[str] = Field([], max_length=50, description=f"Một hoặc nhiều kỳ, {dhis2.PERIOD_HELP}")
    org_unit: str | None = Field(None, alias="orgUnit", max_length=50, description="Mã đơn vị")
    start_date: datetime.date | None = Field(
        None, alias="startDate", description="Chỉ các kỳ bắt đầu từ ngày này (YYYY-MM-DD)"
    )
    end_date: datetime.date | None = Field(
        None, alias="endDate", description="Chỉ các kỳ kết thúc đến ngày này (YYYY-MM-DD)"
    )
    format: Literal["json", "csv"] | None = Field(None, description="csv: như gửi tiêu đề Accept: text/csv")


class ImportCountOut(Schema):
    imported: int = Field(..., description="Số giá trị thêm mới")
    updated: int = Field(..., description="Số giá trị cập nhật")
    ignored: int = Field(..., description="Số giá trị bỏ qua (không thay đổi hoặc lỗi)")
    deleted: int = Field(..., description="Số giá trị đã xóa")


class ConflictOut(Schema):
    object: str = Field(..., description="Đối tượng có lỗi (mã chỉ tiêu, kỳ, đơn vị…)")
    value: str = Field(..., description="Lý do, bằng tiếng Việt")
    indexes: list[int] = Field(..., description="Vị trí (từ 0) của các dòng liên quan trong dataValues hoặc tệp CSV")


class ImportSummaryOut(Schema):
    response_type: Literal["ImportSummary"] = Field(
        ..., alias="responseType", description="Luôn là ImportSummary (như DHIS2)"
    )
    status: Literal["SUCCESS", "WARNING", "ERROR"] = Field(
        ...,
        description="SUCCESS: đã lưu; WARNING: đã lưu, có cảnh báo cần giải trình; ERROR: có lỗi, không lưu gì",
    )
    description: str = Field(..., description="Tóm tắt kết quả, bằng tiếng Việt")
    import_count: ImportCountOut = Field(..., alias="importCount", description="Đếm số giá trị theo kết quả")
    conflicts: list[ConflictOut] = Field(..., description="Các lỗi và cảnh báo")
    dry_run: bool = Field(..., alias="dryRun", description="true: chỉ kiểm tra, chưa lưu gì")
    detail: str | None = Field(None, description="Khi có lỗi: tóm tắt bằng tiếng Việt")


class DataValueOut(Schema):
    data_element: str = Field(..., alias="dataElement", description="Mã chỉ tiêu")
    period: str = Field(..., description=f"Kỳ, {dhis2.PERIOD_HELP}")
    org_unit: str = Field(..., alias="orgUnit", description="Mã đơn vị")
    category_option_combo: str = Field(
        ..., alias="categoryOptionCombo", description="default: giá trị; numerator/denominator: tử số/mẫu số"
    )
    attribute_option_combo: str = Field(..., alias="attributeOptionCombo", description="Luôn là default")
    value: str = Field(..., description="Giá trị, dấu chấm thập phân như DHIS2")
    stored_by: str = Field(..., alias="storedBy", description="Tên đăng nhập của người nhập")
    last_updated: str = Field(..., alias="lastUpdated", description="Thời điểm cập nhật cuối (ISO 8601)")
    comment: str = Field(..., description="Giải trình")
    followup: bool = Field(..., description="Luôn là false (trường của DHIS2: đánh dấu cần theo dõi)")


class DataValueSetOut(Schema):
    data_set: str | None = Field(None, alias="dataSet", description="Mã kế hoạch đã lọc; null: mọi kế hoạch")
    period: str | None = Field(None, description="Kỳ đã lọc, khi lọc một kỳ")
    org_unit: str | None = Field(None, alias="orgUnit", description="Mã đơn vị đã lọc")
    data_values: list[DataValueOut] = Field(..., alias="dataValues", description="Các giá trị")


def _inline(schema: dict) -> dict:
    """The model's JSON schema with its $defs written in place: the request body is described by
    hand (it takes two media types), and OpenAPI has no place for pydantic's $defs there."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _inline(DataValueSetIn.model_json_schema(by_alias=True))},
            "text/csv": {
                "schema": {
                    "type": "string",
                    "description": "Các cột theo thứ tự của DHIS2: " + ",".join(dhis2.CSV_COLUMNS),
                }
            },
            "application/csv": {"schema": {"type": "string"}},
        },
    }
}
# The status as an int, like ninja's own keys: a "200" beside ninja's 200 came out as the same key
# twice in the JSON, and Swagger UI refused the whole document ("duplicated mapping key").
_EXPORT_CSV = {"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}}


# ---- endpoints ---------------------------------------------------------------------------------------


def _text(request) -> str:
    try:
        return request.body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HttpError(400, "Nội dung gửi lên phải là văn bản UTF-8.") from None


def _validated(model, data, where: list) -> Any:
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise NinjaValidationError(
            [{**e, "loc": ["body", *where, *e["loc"]]} for e in exc.errors(include_url=False, include_input=False)]
        ) from None


def _check_row_count(n: int) -> None:
    if n > MAX_ROWS:
        raise HttpError(
            413,
            f"Mỗi lần gửi tối đa {format_number(MAX_ROWS)} số liệu; lần này có {format_number(n)}. "
            "Hãy chia thành nhiều lần gửi.",
        )


def _rows_from_json(request) -> tuple[list[dhis2.Row], str]:
    try:
        data = jsonin.loads(_text(request) or "null")
    except jsonin.JsonInputError as e:
        raise HttpError(400, e.message) from None
    if isinstance(data, dict) and isinstance(data.get("dataValues"), list):
        _check_row_count(len(data["dataValues"]))
    payload = _validated(DataValueSetIn, data, [])
    rows = [
        dhis2.Row(
            data_element=v.data_element,
            period=v.period or payload.period or "",
            org_unit=v.org_unit or payload.org_unit or "",
            category_option_combo=v.category_option_combo or "",
            attribute_option_combo=v.attribute_option_combo or payload.attribute_option_combo or "",
            value=v.value,
            comment=v.comment or "",
            deleted=bool(v.deleted),
            where=f"dataValues[{i}]",
            index=i,
        )
        for i, v in enumerate(payload.data_values)
    ]
    return rows, payload.data_set or ""


def _rows_from_csv(request) -> list[dhis2.Row]:
    records = dhis2.read_csv(_text(request))
    _check_row_count(len(records))
    rows = []
    for i, record in enumerate(records):
        line = record.pop("line")
        value = _validated(DataValueIn, record, [f"Dòng {line}"])
        rows.append(
            dhis2.Row(
                data_element=value.data_element,
                period=value.period or "",
                org_unit=value.org_unit or "",
                category_option_combo=value.category_option_combo or "",
                attribute_option_combo=value.attribute_option_combo or "",
                value=value.value,
                comment=value.comment or "",
                deleted=bool(value.deleted),
                where=f"Dòng {line}",
                index=i,
            )
        )
    return rows


@router.post(
    "/dataValueSets",
    response={**ERRORS, 200: ImportSummaryOut, 409: ImportSummaryOut | ErrorOut},
    by_alias=True,
    summary="Nhập số liệu theo định dạng dataValueSets của DHIS2 (JSON hoặc CSV)",
    openapi_extra=_IMPORT_BODY,
)
def data_value_sets_import(request, filters: Query[ImportQuery]):
    """Nhận số liệu như API `/api/dataValueSets` của DHIS2, để chuyển số liệu từ hệ thống khác.

    - `dataElement`: mã chỉ tiêu; `period`: `2025Q1`…`2025Q4` (quý), `2025S1`/`2025S2` (6 tháng),
      `2025` (năm); `orgUnit`: mã cơ quan hoặc mã thống kê của đơn vị hành chính của người gửi.
    - `dataSet`: mã kế hoạch (ví dụ `kh-bcd-cds-2024`); cần khi đơn vị có nhiều báo cáo cùng kỳ
      hỏi cùng một chỉ tiêu. Với CSV, gửi qua tham số `?dataSet=`.
    - Chỉ tiêu tỷ lệ: hai dòng, `categoryOptionCombo` = `numerator` (tử số) và `denominator` (mẫu
      số); hệ thống tự tính tỷ lệ. Chỉ tiêu khác: `default` hoặc để trống.
    - Số viết theo DHIS2: dấu chấm thập phân, không có dấu phân cách hàng nghìn.
    - Kiểm tra mọi dòng; lưu tất cả hoặc không lưu gì. `?dryRun=true`: chỉ kiểm tra.
    - Trả về ImportSummary của DHIS2: 200 khi thành công (`SUCCESS`, hoặc `WARNING` khi đã lưu
      nhưng có cảnh báo cần giải trình), 409 khi có lỗi (`ERROR`, không lưu gì). Đơn vị ngoài phạm
      vi của người gửi: 404.
    """
    content_type = (request.content_type or "application/json").lower()
    if content_type in CSV_TYPES:
        rows, data_set = _rows_from_csv(request), filters.data_set or ""
    elif content_type == "application/json":
        rows, data_set = _rows_from_json(request)
        data_set = data_set or filters.data_set or ""
    else:
        raise HttpError(415, "Chỉ nhận nội dung application/json hoặc text/csv (application/csv).")
    summary = dhis2.data_values_import(actor=api_access(request), rows=rows, data_set=data_set, dry_run=filters.dry_run)
    return Status(409 if summary.status == "ERROR" else 200, summary.as_dict())


@router.get(
    "/dataValueSets",
    response={**ERRORS, 200: DataValueSetOut},
    by_alias=True,
    summary="Xuất số liệu theo định dạng dataValueSets của DHIS2 (JSON hoặc CSV)",
    openapi_extra=_EXPORT_CSV,
)
def data_value_sets_export(request, filters: Query[ExportQuery]):
    """Số liệu người gọi được xem, theo định dạng của DHIS2: số liệu đã duyệt (hoặc đã khóa) của
    các đơn vị trong phạm vi, và mọi số liệu của chính đơn vị người gọi (kể cả đang soạn). Chỉ
    tiêu tỷ lệ xuất thành hai dòng tử số/mẫu số. CSV: `?format=csv` hoặc tiêu đề `Accept: text/csv`.
    Mỗi lần tối đa 50.000 số liệu."""
    periods = None
    if filters.period:
        periods = []
        for pid in filters.period:
            period = dhis2.find_period(pid)
            if period is None:
                raise HttpError(400, dhis2.bad_period_message(pid))
            periods.append(period)
    values = dhis2.data_values_export(
        actor=api_access(request),
        data_set=filters.data_set or "",
        periods=periods,
        org_unit=filters.org_unit or "",
        start=filters.start_date,
        end=filters.end_date,
    )
    accept = request.headers.get("Accept", "")
    if filters.format == "csv" or (filters.format is None and any(t in accept for t in CSV_TYPES)):
        response = HttpResponse(dhis2.to_csv(values), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="dataValueSets.csv"'
        return response
    return {
        "dataSet": filters.data_set or None,
        "period": filters.period[0] if len(filters.period) == 1 else None,
        "orgUnit": filters.org_unit or None,
        "dataValues": values,
    }
