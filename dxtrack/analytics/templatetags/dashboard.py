"""Fixed-decimal Vietnamese numbers for the dashboards: a measured value keeps its decimal
("55,0", "1.750,3") so a column of figures lines up; `vn.vnnum` drops it for whole numbers."""

from django import template

register = template.Library()


@register.filter
def vnfixed(value, digits=1):
    try:
        number, digits = float(value), int(digits)
    except (TypeError, ValueError):
        return "" if value is None else value
    text = f"{number:,.{digits}f}"  # 1,750.3 → 1.750,3
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@register.filter
def measure(value, unit=""):
    """'55,0%' or '400,0 doanh nghiệp': as the plan's targets write a value with its unit."""
    text = vnfixed(value)
    if text == "" or not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


@register.inclusion_tag("analytics/_legend.html")
def progress_legend(as_of=None):
    """The legend beside every status: what each status means, the ratio R and the score, and
    the year the statuses are assessed as of (the stored progress's, or `as_of` where a frozen
    document states its own)."""
    from dxtrack.analytics import progress as p
    from dxtrack.analytics import selectors

    statuses = [*selectors.STATUSES, p.MET, p.MET_LATE]
    current = selectors.services.assessment_year()
    stored = as_of or selectors.assessed_as_of()
    return {
        "as_of": stored,
        "stale": not as_of and stored != current,
        "current": current,
        "labels": {s: selectors.status_label(s) for s in statuses},
    }
