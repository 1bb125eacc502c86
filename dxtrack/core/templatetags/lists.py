"""Template side of `core.lists`: a sortable column header that keeps the list's filters."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def sort_header(lq, key: str, label: str, css: str = ""):
    """<th> with a link that sorts by `key` (again: the other way), and aria-sort when it does."""
    active = lq.sort == key
    state = ("descending" if lq.descending else "ascending") if active else "none"
    arrow = ("▼" if lq.descending else "▲") if active else ""
    hint = _("Sắp xếp theo %(label)s") % {"label": label}
    return format_html(
        '<th scope="col" class="{}" aria-sort="{}"><a href="{}" title="{}">{}</a>'
        ' <span aria-hidden="true">{}</span></th>',
        css,
        state,
        lq.sort_url(key),
        hint,
        label,
        arrow,
    )


@register.filter
def get_item(mapping, key):
    """`mapping[key]` for the URL's hyphenated names, which the template language cannot spell."""
    return mapping.get(key) if hasattr(mapping, "get") else None
