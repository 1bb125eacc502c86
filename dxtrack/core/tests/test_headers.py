"""The page scripts' Subresource Integrity (every page's policies are checked in test_every_page)."""

import base64
import hashlib
import re

import pytest

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script[^>]*\bsrc=\"([^\"]+)\"[^>]*>", re.I)


def test_a_scripts_integrity_is_the_hash_of_the_file_served(client):
    # Given the page scripts' tags
    html = client.get("/tai-khoan/dang-nhap/").content.decode()
    tags = SCRIPT_TAG.finditer(html)
    checked = 0
    for tag in tags:
        # When each script is fetched as the browser would
        src = tag.group(1)
        body = b"".join(client.get(src).streaming_content)
        # Then its integrity attribute is the sha384 of exactly those bytes
        expected = "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()
        assert f'integrity="{expected}"' in tag.group(0), src
        checked += 1
    assert checked >= 3


def test_the_header_links_are_the_addresses_reverse_gives_under_any_prefix():
    # Given the links of the page header, reversed once per URL configuration and prefix
    from django.urls import reverse, set_script_prefix

    from dxtrack.core.templatetags.links import page_url

    names = ["site:home", "plans:index", "admin:index", "accounts:logout"]
    try:
        for prefix in ("/", "/dxtrack/", "/"):
            # When the site is served under a prefix (or not)
            set_script_prefix(prefix)
            # Then each link is what reverse gives there
            assert [page_url(n) for n in names] == [reverse(n) for n in names]
            assert page_url("plans:index").startswith(prefix)
    finally:
        set_script_prefix("/")
