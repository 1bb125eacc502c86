"""What both directions share: DHIS2's periods, org units, numbers and CSV columns."""

import re
from decimal import Decimal, InvalidOperation

from django.db.models import Q

from dxtrack.accounts.access import Access
from dxtrack.core.errors import DomainError
from dxtrack.obligations import selectors as obligation_selectors
from dxtrack.obligations.models import Period, PeriodType

CSV_COLUMNS = (
    "dataelement",
    "period",
    "orgunit",
    "catoptcombo",
    "attroptcombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
)
# DHIS2's own default category option combo, by code and by its well-known uid.
DEFAULT_COMBOS = frozenset({"", "default", "HllvX50cXC0"})
PARTS = ("numerator", "denominator")
MAX_EXPORT = 50_000

_PERIOD_RE = re.compile(r"^(\d{4})(?:(Q)([1-4])|(S)([12]))?$")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$")
PERIOD_HELP = "ví dụ 2025Q3 (quý), 2025S1 (6 tháng), 2025 (năm)"


class NotFound(DomainError):
    def __init__(self, message: str):
        super().__init__(message, code="not_found")


# ---- periods ---------------------------------------------------------------------------------------


def parse_period(pid: str) -> tuple[str, int, int] | None:
    """(period type, year, number) of a DHIS2 period id, or None when it is not one dxtrack keeps."""
    match = _PERIOD_RE.match(pid or "")
    if match is None:
        return None
    year = int(match.group(1))
    if match.group(2):
        return PeriodType.QUARTERLY, year, int(match.group(3))
    if match.group(4):
        return PeriodType.SEMIANNUAL, year, int(match.group(5))
    return PeriodType.YEARLY, year, 1


def period_id(period: Period) -> str:
    if period.period_type == PeriodType.QUARTERLY:
        return f"{period.year}Q{period.number}"
    if period.period_type == PeriodType.SEMIANNUAL:
        return f"{period.year}S{period.number}"
    return str(period.year)


def find_period(pid: str) -> Period | None:
    parsed = parse_period(pid)
    if parsed is None:
        return None
    period_type, year, number = parsed
    return Period.objects.filter(period_type=period_type, year=year, number=number).first()


def bad_period_message(pid: str) -> str:
    if parse_period(pid) is None:
        return f"Kỳ '{str(pid)[:20]}' không đúng cách viết của DHIS2 ({PERIOD_HELP})."
    return f"Kỳ {pid} chưa có trong lịch báo cáo."


# ---- units -----------------------------------------------------------------------------------------


def _unit_q(code: str, prefix: str = "") -> Q:
    return Q(**{f"{prefix}agency__code": code}) | Q(**{f"{prefix}admin_unit__code": code})


def require_unit(actor: Access, code: str) -> None:
    """Refuses (404) a unit the caller may not see exactly as one that does not exist."""
    if not obligation_selectors.obligations(actor=actor).filter(_unit_q(code)).exists():
        raise NotFound(f"Không tìm thấy đơn vị '{str(code)[:50]}' trong phạm vi của bạn.")


# ---- numbers ---------------------------------------------------------------------------------------


class _BadValue(Exception):
    pass


def parse_value(raw) -> Decimal | int | float | None:
    """A DHIS2 value: text with a decimal point ("12.5"), or a JSON number. dxtrack's own
    channels read "1.234" as one thousand two hundred thirty-four; DHIS2 means 1.234."""
    if raw is None or (isinstance(raw, int | float) and not isinstance(raw, bool)):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        if _NUMBER_RE.match(text):
            try:
                return Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                pass
    raise _BadValue(f"Giá trị '{str(raw)[:20]}' không phải là số (DHIS2 dùng dấu chấm thập phân, ví dụ 12.5).")


def wire_number(number: Decimal) -> str:
    """DHIS2's own notation ("12.5"): a protocol's machine number, not a figure shown to people."""
    return format(number.normalize(), "f")
