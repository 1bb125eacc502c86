"""A period's two spans (kỳ báo cáo, kỳ số liệu) as every page shows them (ADR 14)."""

from django import template

from dxtrack.core.dates import format_vn_date
from dxtrack.obligations.calendar import DATA_PERIOD_BASIS, spans

register = template.Library()


@register.inclusion_tag("obligations/_period_bounds.html")
def period_bounds(period, obligation=None):
    """<dt>/<dd> pairs for a <dl>: the period's kỳ báo cáo and kỳ số liệu and, for an obligation
    whose body existed for part of the data window only, the part it reports for."""
    calendar_span, data_span = spans(period)
    own = None
    if obligation is not None and (obligation.window_from, obligation.window_to) != (period.data_from, period.data_to):
        own = f"{format_vn_date(obligation.window_from)}–{format_vn_date(obligation.window_to)}"
    return {
        "label": period.label,
        "calendar_span": calendar_span,
        "data_span": data_span,
        "basis": DATA_PERIOD_BASIS,
        "own": own,
    }
