"""Script tags for the project's own files, each with its Subresource Integrity hash: a browser
runs a script only if it is byte for byte the file this release shipped (a proxy or a cache that
altered it is refused)."""

import base64
import hashlib
from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@cache
def integrity(path: str) -> str:
    """sha384 of the static file `path`, as the integrity attribute writes it (read once per process)."""
    found = finders.find(path)
    if not found:
        raise ValueError(f"no static file {path}")
    with open(found, "rb") as f:
        digest = hashlib.sha384(f.read()).digest()
    return "sha384-" + base64.b64encode(digest).decode()


@register.simple_tag
def script(path: str, defer: bool = True):
    if defer:
        return format_html('<script src="{}" integrity="{}" defer></script>', static(path), integrity(path))
    return format_html('<script src="{}" integrity="{}"></script>', static(path), integrity(path))
