"""Links to the site's fixed pages (no parameters), reversed once: the header of every page links
to about twenty of them, and reversing them on each render was a sixth of a small page's time."""

import functools

from django import template
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

register = template.Library()


@register.simple_tag
def page_url(name: str) -> str:
    """`{% url name %}` for a page without parameters: the same address, computed once per URL
    configuration (a changed ROOT_URLCONF or cleared URL caches make a new resolver) and prefix."""
    return _reversed(name, get_resolver(get_urlconf()), get_script_prefix())


@functools.lru_cache(maxsize=512)
def _reversed(name: str, resolver, prefix: str) -> str:
    # (resolver and prefix are the key: reverse() reads the same ones)
    return reverse(name, urlconf=resolver.urlconf_name)
