"""Vietnamese formatting for templates: numbers with the decimal comma, dates dd/mm/yyyy."""

from django import template

from dxtrack.core.dates import format_vn_date
from dxtrack.core.numbers import format_number

register = template.Library()


@register.filter
def vnnum(value, arg=""):
    """A number the Vietnamese way (core.numbers.format_number). The argument is the indicator's
    unit, which sets the precision (`x|vnnum:"%"`), or a number of decimals (`x|vnnum:4`)."""
    if isinstance(arg, int) or (isinstance(arg, str) and arg.isdigit()):
        return format_number(value, decimals=int(arg))
    return format_number(value, arg)


@register.filter
def vndate(value):
    return format_vn_date(value) if hasattr(value, "strftime") else (value or "")


@register.filter
def isodate_vn(value):
    """'2024-06-30' (as stored in JSON) → '30/06/2024'."""
    if not value or not isinstance(value, str) or len(value) != 10:
        return value or ""
    return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"


@register.filter
def refs(value):
    """A list of agency references as the review form shows them: names joined by '; '."""
    return "; ".join((r.get("name") or r.get("text") or "") for r in (value or []))


_COMPARATORS = {">=": "≥", "<=": "≤", "=": "="}


@register.filter
def target_value(target):
    """'≥ 80 %', '10–20 doanh nghiệp': a target's value as a reader expects it."""
    get = target.get if isinstance(target, dict) else lambda k, d=None: getattr(target, k, d)
    comparator = get("comparator") or get("direction")
    value, upper, unit = get("value"), get("value_max"), get("unit") or ""
    if comparator == "range":
        text = f"{vnnum(value, unit)}–{vnnum(upper, unit)}"
    else:
        text = f"{_COMPARATORS.get(comparator, '')} {vnnum(value, unit)}".strip()
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}".strip()
