"""Numbers as Vietnamese officials write them: the one place that shows a number and the one
place that reads a typed one.

Showing (`format_number`): decimal comma, thousands dot, and only the precision the figure needs.
The precision follows the indicator's unit, because the unit says what is being counted:
- a count of things (doanh nghiệp, dịch vụ công, xã, …) or a rank is whole: no decimals
  ("71 dịch vụ công", never "71,0");
- a percentage has at most one decimal ("52,6%", never "52,6316%");
- any other unit (tỷ đồng, an index, a unitless ratio or score) at most two;
- a caller may ask for another precision (`decimals`): an input shows a stored value whole
  (`EXACT`, the four places the database keeps) so that saving it again loses nothing.
Trailing zeros are always dropped ("55%", not "55,0%"); halves round away from zero.

Reading (`parse_number`): the Vietnamese way only. "12,5" is 12,5; "1.250" is 1 250;
"1.250,5" is 1 250,5. A dot that cannot be a thousands separator ("0.125", "12.5", "1.25") is
ambiguous — an English decimal point or a mistyped thousands group — and is refused with a
message saying how to write it; it is never read as 125. JSON and spreadsheet numbers are
already numbers and pass as they are.

Plain arguments only: core does not import the apps that own indicators.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Units whose values are counted things: whole and non-negative.
COUNT_UNITS = frozenset(
    {"doanh nghiệp", "bệnh viện", "dịch vụ công", "nhân lực", "huyện", "xã", "người", "hộ", "hồ sơ", "cơ sở"}
)
RANK_UNITS = frozenset({"hạng"})
PERCENT = "%"

PERCENT_DECIMALS = 1
OTHER_DECIMALS = 2
EXACT = 4  # the places every stored reported value keeps (DecimalField decimal_places=4)

MAX_ABS = Decimal("1e15")
MAX_TEXT = 40

_HOW = "dùng dấu phẩy cho phần thập phân, ví dụ 12,5; dấu chấm chỉ để tách hàng nghìn, ví dụ 1.250"
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")
_PLAIN = re.compile(r"\d+(?:,\d+)?")
_DOTTED = re.compile(r"\d+(?:\.\d+)+")
_MINUS = "-\u2212"  # hyphen-minus, and the minus sign a word processor puts in


class NumberError(ValueError):
    """A typed number that cannot be read; `message` says, in Vietnamese, how to write it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def decimals_for(unit: str | None) -> int:
    """How many decimals at most a value in `unit` is shown with (the rule above)."""
    unit = (unit or "").strip()
    if unit in COUNT_UNITS or unit in RANK_UNITS:
        return 0
    if unit == PERCENT:
        return PERCENT_DECIMALS
    return OTHER_DECIMALS


def format_number(value, unit: str | None = "", *, decimals: int | None = None, show_unit: bool = False) -> str:
    """`value` (int, float, Decimal or a number's text) as Vietnamese writes it; "" for none.

    `unit` sets the precision (see `decimals_for`) unless `decimals` is given; with `show_unit`
    the unit follows ("52,6%", "71 dịch vụ công"). A value that is no finite number is returned
    as its text, so a page never fails on it.
    """
    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    if not number.is_finite():
        return str(value)
    places = decimals_for(unit) if decimals is None else max(0, int(decimals))
    try:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds: show it whole
        places = 0
        number = number.to_integral_value(rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""  # "-0" after rounding is just 0
    whole, _, frac = f"{abs(number):f}".partition(".")
    frac = frac.rstrip("0")
    text = f"{sign}{int(whole):,}".replace(",", ".") + (f",{frac}" if frac else "")
    unit = (unit or "").strip()
    if not show_unit or not unit:
        return text
    return f"{text}{unit}" if unit == PERCENT else f"{text} {unit}"


def parse_number(raw, *, places: int | None = None) -> Decimal | None:
    """A number as a person typed it; None when empty. Raises NumberError with a message.

    Text is read the Vietnamese way only (see the module's rule); int, float and Decimal (a JSON
    number, a spreadsheet's numeric cell) are numbers already. `places` rounds the result to the
    places its storage keeps.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NumberError("Giá trị phải là một số.")
    if isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise NumberError("Giá trị phải là một số hữu hạn.")
        number = Decimal(repr(raw))
    elif isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, str):
        number = _parse_text(raw)
        if number is None:
            return None
    else:
        raise NumberError("Giá trị phải là một số.")
    if not number.is_finite() or abs(number) >= MAX_ABS:
        raise NumberError("Giá trị quá lớn.")
    if places is None:
        return number
    try:
        return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise NumberError("Giá trị quá lớn.") from exc


def _parse_text(raw: str) -> Decimal | None:
    shown = raw.strip()
    # Spaces (ordinary, non-breaking, narrow) may group thousands in a pasted figure.
    text = re.sub(r"[\s\u00a0\u202f]", "", shown)
    if not text:
        return None
    if len(text) > MAX_TEXT:
        raise NumberError("Giá trị quá dài để là một số.")
    quoted = shown[:20] + ("…" if len(shown) > 20 else "")
    negative = text[0] in _MINUS
    body = text[1:] if negative or text[0] == "+" else text
    if _GROUPED.fullmatch(body) or _PLAIN.fullmatch(body):
        number = Decimal(body.replace(".", "").replace(",", "."))
        return -number if negative else number
    if _DOTTED.fullmatch(body):
        # "0.125", "12.5": a decimal point, or a thousands group typed wrong; never guess.
        instead = ("-" if negative else "") + body.replace(".", ",", 1) if body.count(".") == 1 else ""
        example = f" (nếu là số thập phân, viết {instead})" if instead else ""
        raise NumberError(f"“{quoted}” không rõ nghĩa{example}: {_HOW}.")
    raise NumberError(f"“{quoted}” không phải là số ({_HOW}).")
