"""Links reversed once per process: to the site's fixed pages (the header of every page links to
about twenty of them, and reversing them on each render was a sixth of a small page's time), and to
the objects of long lists (the organisation index links some 800)."""

import functools

from django import template
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

register = template.Library()


@register.simple_tag
def page_url(name: str) -> str:
    """`{% url name %}` for a page without parameters: the same address, computed once per URL
    configuration (a changed ROOT_URLCONF or cleared URL caches make a new resolver) and prefix."""
    return _reversed(name, (), get_resolver(get_urlconf()), get_script_prefix())


@register.simple_tag
def object_url(name: str, *args) -> str:
    """`{% url name id %}` for the page of one object of a long list (the province's tree links
    some 800 units): each address reversed once per process, by the same key as page_url. Only for
    a URL name included once (no instance namespace for the request to choose)."""
    if all(type(arg) in (int, str) for arg in args):
        return _reversed(name, args, get_resolver(get_urlconf()), get_script_prefix())
    return reverse(name, args=args)


@functools.lru_cache(maxsize=8192)
def _reversed(name: str, args: tuple, resolver, prefix: str) -> str:
    # (resolver and prefix are in the key: reverse() reads the same ones; the arguments' types are
    # in it with their values: an int and a str of one id are different keys, though they reverse
    # to the same address)
    return reverse(name, args=args, urlconf=resolver.urlconf_name)
