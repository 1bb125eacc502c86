"""Every page: a Content-Security-Policy that allows no inline script, a Permissions-Policy, and
markup that needs neither (no inline script, no event-handler attributes), the admin included."""

import base64
import hashlib
import re

import pytest
from django.test import Client

from . import pages

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:json|ld\+json)\")[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\s(on[a-z]+)\s*=", re.I)
SCRIPT_TAG = re.compile(r"<script[^>]*\bsrc=\"([^\"]+)\"[^>]*>", re.I)


@pytest.fixture
def demo(db):
    return pages.demo_world()


def test_every_page_carries_the_policies_and_needs_no_inline_script(demo):
    from dxtrack.accounts.models import User

    problems, seen = [], 0
    for username in ("totruong", "hamrong.baocao", pages.ADMIN_USER, None):
        client = Client(raise_request_exception=False)
        user = User.objects.get(username=username) if username else None
        if user:
            client.force_login(user)
        for url in pages.page_urls(user):
            response = client.get(url)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            seen += 1
            policy = response.get("Content-Security-Policy", "")
            script_src = next((d for d in policy.split(";") if d.strip().startswith("script-src")), "")
            if script_src.strip() != "script-src 'self'":
                problems.append(f"{url}: script-src «{script_src.strip()}»")
            if "frame-ancestors 'none'" not in policy:
                problems.append(f"{url}: no frame-ancestors")
            if "camera=()" not in response.get("Permissions-Policy", ""):
                problems.append(f"{url}: no Permissions-Policy")
            html = response.content.decode()
            problems += [f"{url}: inline {m.group(0)[:60]}" for m in INLINE_SCRIPT.finditer(html)]
            problems += [f"{url}: {m.group(1)}= attribute" for m in HANDLER.finditer(html)]
            # (the admin's own scripts are Django's templates, served by us but tagged by Django)
            if not url.startswith("/quan-tri/"):
                bare = [m.group(1) for m in SCRIPT_TAG.finditer(html) if "integrity=" not in m.group(0)]
                problems += [f"{url}: {src} without integrity" for src in bare]
    assert seen > 150
    assert problems == []


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
