"""The open-data catalogue: five datasets kept in code (their metadata, their columns and how their
rows are read), all from public aggregates and approved data only.

Rows never carry people: no user, no free text typed by a reporter (comments, narratives,
evidence), only the register's own texts (plans, targets, tasks, the bodies they name) and
numbers the secretariat approved. Column names are ASCII snake case so that scripts keep working
whatever the spreadsheet's locale; every column has a Vietnamese label in the JSON file and on
the catalogue page.
"""

import datetime
import re

from django.conf import settings
from django.db.models import Min

from dxtrack.plans.models import Document

from .rows import (
    RATE_COLUMNS,
    RESULT_COLUMNS,
    TARGET_COLUMNS,
    TASK_COLUMNS,
    VALUE_COLUMNS,
    _approval_changes,
    _datetime,
    _rate_rows,
    _rates_modified,
    _result_rows,
    _results_modified,
    _target_rows,
    _targets_modified,
    _task_rows,
    _tasks_modified,
    _value_rows,
)
from .schema import Dataset, Filters

LICENSE_ID = "cc-by"  # the id CKAN's default licence list gives CC BY
LICENSE_TITLE = "Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0)"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
# EU data themes (the DCAT-AP vocabulary harvesters map from); CKAN groups have no equivalent here.
THEME_GOVERNMENT = "http://publications.europa.eu/resource/authority/data-theme/GOVE"
THEME_TECHNOLOGY = "http://publications.europa.eu/resource/authority/data-theme/TECH"

YEARS = range(1990, 2101)
CODE = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")


class BadRequest(Exception):
    """A request the catalogue cannot answer, with the message for the reader (Vietnamese)."""

    def __init__(self, message: str, *, status: int = 400, field: str = ""):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


def publisher_name() -> str:
    return getattr(
        settings,
        "DXTRACK_OPENDATA_PUBLISHER",
        f"Tổ giúp việc Ban Chỉ đạo chuyển đổi số tỉnh {settings.DXTRACK_PROVINCE_NAME}",
    )


def catalogue_title() -> str:
    return f"Dữ liệu mở về chuyển đổi số tỉnh {settings.DXTRACK_PROVINCE_NAME}"


def catalogue_description() -> str:
    return (
        f"Các tập dữ liệu mở về thực hiện kế hoạch chuyển đổi số của tỉnh {settings.DXTRACK_PROVINCE_NAME}: "
        "chỉ tiêu và tiến độ, số liệu đã được duyệt, nhiệm vụ và tình trạng, tỷ lệ báo cáo, "
        "kết quả đánh giá, công nhận chuyển đổi số. "
        f"Công bố theo giấy phép {LICENSE_TITLE}."
    )


def issued() -> datetime.datetime | None:
    """When the register started: the first plan loaded is when anything here could be read."""
    return Document.objects.aggregate(m=Min("created_at"))["m"]


# ---- the registry ----------------------------------------------------------------------------------------

COMMON_KEYWORDS = ("chuyển đổi số", "kế hoạch", "tiến độ")


def _province() -> str:
    return settings.DXTRACK_PROVINCE_NAME


def datasets() -> dict[str, Dataset]:
    """Built on each call: titles name the province from settings (tests may override them)."""
    province = _province()
    items = [
        Dataset(
            slug="chi-tieu-tien-do",
            title=f"Chỉ tiêu chuyển đổi số và tiến độ thực hiện — tỉnh {province}",
            description=(
                "Mỗi dòng là một chỉ tiêu trong các văn bản kế hoạch chuyển đổi số của tỉnh (văn bản, điều khoản, "
                "năm và giá trị mục tiêu, cách so sánh, đơn vị tính) cùng tiến độ tính từ số liệu đã được duyệt: "
                "giá trị và năm mới nhất, tình trạng (mã và tên), dự báo giá trị ở năm mục tiêu theo tốc độ tăng "
                "trưởng bình quân, nguồn số liệu (cơ quan báo cáo trực tiếp hoặc tổng hợp từ các đơn vị). "
                "Tiến độ được tính lại mỗi khi có báo cáo được duyệt hoặc mở khóa."
            ),
            keywords=(*COMMON_KEYWORDS, "chỉ tiêu", "mục tiêu"),
            themes=(THEME_GOVERNMENT, THEME_TECHNOLOGY),
            columns=TARGET_COLUMNS,
            read=_target_rows,
            modified=_targets_modified,
            filters=("nam", "chi_tieu"),
        ),
        Dataset(
            slug="so-lieu-da-duyet",
            title=f"Số liệu chỉ tiêu đã được duyệt theo đơn vị và kỳ báo cáo — tỉnh {province}",
            description=(
                "Giá trị của từng chỉ tiêu theo dõi do từng đơn vị hành chính (xã, phường; huyện trước 1/7/2025) "
                "hoặc cơ quan cấp tỉnh báo cáo trong từng kỳ, chỉ gồm báo cáo đã được Tổ giúp việc duyệt hoặc "
                "khóa. Chỉ tiêu tỷ lệ có tử số và mẫu số để tổng hợp đúng. Lọc theo năm (?nam=2025) và mã chỉ "
                "tiêu (?chi_tieu=<mã>)."
            ),
            keywords=(*COMMON_KEYWORDS, "số liệu", "đơn vị hành chính", "kỳ báo cáo"),
            themes=(THEME_GOVERNMENT, THEME_TECHNOLOGY),
            columns=VALUE_COLUMNS,
            read=_value_rows,
            modified=_approval_changes,
            filters=("nam", "chi_tieu"),
        ),
        Dataset(
            slug="nhiem-vu-tinh-trang",
            title=f"Nhiệm vụ chuyển đổi số và tình trạng thực hiện — tỉnh {province}",
            description=(
                "Mỗi dòng là một nhiệm vụ trong các văn bản kế hoạch (nhóm, sản phẩm, thời hạn, cơ quan chủ trì và "
                "phối hợp) cùng tình trạng tính từ các cập nhật đã được duyệt: hoàn thành khi mọi đơn vị đã cập "
                "nhật đều báo hoàn thành, đang triển khai khi có đơn vị đã bắt đầu, quá hạn khi qua thời hạn mà "
                "chưa hoàn thành; nhiệm vụ thường xuyên hoặc định kỳ được đánh giá theo kỳ."
            ),
            keywords=(*COMMON_KEYWORDS, "nhiệm vụ", "tình trạng"),
            themes=(THEME_GOVERNMENT, THEME_TECHNOLOGY),
            columns=TASK_COLUMNS,
            read=_task_rows,
            modified=_tasks_modified,
            filters=("nam",),
        ),
        Dataset(
            slug="ty-le-bao-cao",
            title=f"Tỷ lệ báo cáo và báo cáo đúng hạn theo kỳ — tỉnh {province}",
            description=(
                "Theo từng kỳ và từng chế độ báo cáo: số báo cáo phải gửi đã đến hạn, số đã gửi, số gửi đúng hạn "
                "và hai tỷ lệ tương ứng, tính trên mọi cơ quan, đơn vị. Báo cáo đã gửi gồm báo cáo đang chờ "
                "duyệt, đã duyệt và đã khóa; báo cáo bị trả lại chưa gửi lại không được tính."
            ),
            keywords=(*COMMON_KEYWORDS, "báo cáo", "tỷ lệ báo cáo", "đúng hạn"),
            themes=(THEME_GOVERNMENT,),
            columns=RATE_COLUMNS,
            read=_rate_rows,
            modified=_rates_modified,
            filters=("nam",),
        ),
        Dataset(
            slug="ket-qua-danh-gia-chuyen-doi-so",
            title=f"Kết quả đánh giá, công nhận chuyển đổi số theo bộ tiêu chí và năm — tỉnh {province}",
            description=(
                "Mỗi dòng là kết quả cuối cùng của một đơn vị (xã, phường; huyện; cơ quan) trong một đợt đánh giá "
                "đã kết thúc thẩm định: hạng và điểm đạt được sau thẩm định, mức đạt theo điểm đó, và nếu được "
                "công nhận thì mức, số quyết định và ngày công nhận. Điểm tự đánh giá và điểm thẩm định của các đợt "
                "chưa kết thúc không được công bố. Đợt minh họa (cột minh_hoa) không phải kết quả chính thức. "
                "Lọc theo năm đánh giá (?nam=2025)."
            ),
            keywords=(*COMMON_KEYWORDS, "đánh giá", "công nhận", "bộ tiêu chí", "xếp hạng"),
            themes=(THEME_GOVERNMENT, THEME_TECHNOLOGY),
            columns=RESULT_COLUMNS,
            read=_result_rows,
            modified=_results_modified,
            filters=("nam",),
            frequency="Cập nhật khi một đợt đánh giá kết thúc thẩm định hoặc có quyết định công nhận",
        ),
    ]
    return {d.slug: d for d in items}


def dataset_get(slug) -> Dataset:
    found = datasets().get(slug) if isinstance(slug, str) else None
    if found is None:
        raise BadRequest(f"Không có tập dữ liệu “{str(slug)[:80]}”.", status=404, field="id")
    return found


# ---- filters -------------------------------------------------------------------------------------------

FILTER_NAMES = {"nam": "năm", "chi_tieu": "mã chỉ tiêu"}


def parse_filters(dataset: Dataset, params) -> Filters:
    """The file filters a dataset accepts, validated; anything malformed is refused with the
    reason, an unknown indicator too (an empty file would hide a typo)."""
    from dxtrack.plans.models import Indicator

    year, indicator = None, ""
    for name in FILTER_NAMES:
        values = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
        values = [v for v in values if v is not None]
        if not values:
            continue
        if name not in dataset.filters:
            raise BadRequest(f"Tập dữ liệu “{dataset.slug}” không lọc được theo {FILTER_NAMES[name]}.", field=name)
        if len(values) > 1:
            raise BadRequest(f"Tham số “{name}” chỉ được ghi một lần.", field=name)
        raw = values[0].strip()
        if name == "nam":
            if not re.fullmatch(r"\d{4}", raw) or int(raw) not in YEARS:
                raise BadRequest("Năm phải là số có bốn chữ số, từ 1990 đến 2100 (ví dụ ?nam=2025).", field=name)
            year = int(raw)
        else:
            if not CODE.fullmatch(raw):
                raise BadRequest(
                    "Mã chỉ tiêu chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang, tối đa 80 ký tự.", field=name
                )
            if not Indicator.objects.filter(code=raw).exists():
                raise BadRequest(f"Không có chỉ tiêu mã “{raw}”.", status=404, field=name)
            indicator = raw
    return Filters(year=year, indicator=indicator)


def metadata(dataset: Dataset) -> dict:
    """Dates and publisher of a dataset, read once per request."""
    modified = dataset.modified()
    first = issued()
    return {
        "issued": first or modified,
        "modified": modified or first,
        "publisher": publisher_name(),
    }


def isoformat(moment: datetime.datetime | None) -> str | None:
    return _datetime(moment)
