"""The header's bell, rendered with the page."""

from django import template

from dxtrack.accounts.access import Access

from .. import selectors

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def bell(context):
    """The bell with its unread count (then polled every 30 s). Rendered with the page: before, the
    header asked for it by a second request as each page loaded, one more request per page view
    (and the count appeared a moment after the page)."""
    request = context["request"]
    actor = getattr(request, "access", None) or Access.for_user(request.user)
    return {"unread": selectors.unread_count(actor=actor)}
