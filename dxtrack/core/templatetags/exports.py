"""`{% export_links %}`: the "Tải Excel" / "Tải CSV" links beside a table, carrying the page's
current filters (the export goes through the same view, so it applies the same filters)."""

from django import template
from django.http import QueryDict

from dxtrack.core.exports import EXPORT_PARAM, TABLE_PARAM

register = template.Library()

# The page number is dropped: a download holds every row of the filtered list, not one page.
_DROPPED = (EXPORT_PARAM, TABLE_PARAM, "trang")


def _href(request, fmt: str, table: str) -> str:
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for name in _DROPPED:
        query.pop(name, None)
    query[EXPORT_PARAM] = fmt
    if table:
        query[TABLE_PARAM] = table
    return f"?{query.urlencode()}"


@register.inclusion_tag("core/_export_links.html", takes_context=True)
def export_links(context, table: str = "", label: str = ""):
    """`table` names the table on a page with several (the view's `bang` key); `label` tells
    screen-reader users which table the links download."""
    request = context.get("request")
    return {"xlsx": _href(request, "xlsx", table), "csv": _href(request, "csv", table), "label": label}
