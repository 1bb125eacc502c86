"""Numbers on the dashboards, through the project's one formatter (core.numbers): a measured
value with only the precision its unit needs ("55%", "52,6%", "71 dịch vụ công")."""

from django import template

from dxtrack.core.numbers import format_number

register = template.Library()


@register.filter
def vnfixed(value, digits=1):
    """At most `digits` decimals (a score, the ratio R, a rate): "0,97", "4,5", "100"."""
    try:
        digits = int(digits)
    except (TypeError, ValueError):
        digits = 1
    return "" if value is None else format_number(value, decimals=digits)


@register.filter
def measure(value, unit=""):
    """'55%' or '400 doanh nghiệp': a value with its unit, as the plan's targets write it."""
    return "" if value is None else format_number(value, unit, show_unit=True)


@register.inclusion_tag("analytics/_legend.html")
def progress_legend(as_of=None):
    """The legend beside every status: what each status means, the ratio R and the score, and
    the year the statuses are assessed as of (the stored progress's, or `as_of` where a frozen
    document states its own)."""
    from dxtrack.analytics import progress as p
    from dxtrack.analytics import selectors
    from dxtrack.analytics.services.targets import STATUSES, assessment_year, status_label

    statuses = [*STATUSES, p.MET, p.MET_LATE]
    current = assessment_year()
    stored = as_of or selectors.assessed_as_of()
    return {
        "as_of": stored,
        "stale": not as_of and stored != current,
        "current": current,
        "labels": {s: status_label(s) for s in statuses},
    }
