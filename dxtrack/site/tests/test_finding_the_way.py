"""Finding the way: breadcrumbs on every page, the help page per role, the links between a
unit's directory entry, its reports and its progress, and the confirmations."""

import pytest
from django.urls import reverse

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.org.tests.factories import agency, current_commune
from dxtrack.reports.tests.builders import HAM_RONG

pytestmark = pytest.mark.django_db


def _crumbs(html: str) -> str:
    start = html.index('<nav class="crumbs"')
    return html[start : html.index("</nav>", start)]


def test_a_unit_page_has_its_trail_and_links_to_its_reports_and_progress(client):
    unit = current_commune(HAM_RONG)
    client.force_login(UserFactory(role=Role.LEADER))
    html = client.get(reverse("org:unit", args=[unit.pk])).text
    crumbs = _crumbs(html)
    assert 'href="/"' in crumbs and "Danh mục tổ chức" in crumbs
    assert '<span aria-current="page">Phường Hàm Rồng</span>' in crumbs
    assert f"{reverse('reports:index')}?don-vi=Ph%C6%B0%E1%BB%9Dng%20H%C3%A0m%20R%E1%BB%93ng" in html
    assert reverse("analytics:commune", args=[unit.pk]) in html


def test_an_agency_page_links_to_its_tasks_reports_and_progress(client):
    client.force_login(UserFactory(role=Role.LEADER))
    so = agency("SO_TAI_CHINH")
    html = client.get(reverse("org:agency", args=[so.code])).text
    for url in (reverse("plans:agency", args=[so.code]), reverse("analytics:agency", args=[so.code])):
        assert url in html


def test_the_section_page_is_the_current_crumb_and_the_home_page_has_none(client):
    crumbs = _crumbs(client.get(reverse("plans:index")).text)
    assert '<span aria-current="page">Kế hoạch</span>' in crumbs
    assert '<nav class="crumbs"' not in client.get(reverse("site:home")).text


def test_a_page_under_a_page_names_its_parent(client):
    client.force_login(UserFactory(role=Role.SECRETARIAT))
    crumbs = _crumbs(client.get(reverse("reports:queue_approve")).text)
    assert f'<a href="{reverse("reports:queue")}">Chờ duyệt</a>' in crumbs
    assert '<span aria-current="page">Xác nhận duyệt</span>' in crumbs


def test_a_command_page_has_one_trail_through_the_commands(client):
    # Given the secretariat on a command's page
    client.force_login(UserFactory(role=Role.SECRETARIAT))
    html = client.get(reverse("operations:command_periods")).text
    # Then the one trail goes home › Vận hành (the commands, as in the header) › the command
    crumbs = _crumbs(html)
    assert f'<a href="{reverse("operations:commands")}">Vận hành</a>' in crumbs
    assert '<span aria-current="page">Khóa sổ kỳ báo cáo</span>' in crumbs
    # and no second trail of the page's own
    assert html.count('aria-label="Vị trí"') == 0 and html.count('<nav class="crumbs"') == 1


@pytest.mark.parametrize(
    ("role", "first"),
    [(Role.REPORTER, "can-bo-bao-cao"), (Role.SECRETARIAT, "to-giup-viec"), (Role.LEADER, "lanh-dao-tinh")],
)
def test_the_help_page_opens_the_readers_role_first(client, role, first):
    client.force_login(UserFactory(role=role, admin_unit=current_commune(HAM_RONG) if role == Role.REPORTER else None))
    html = client.get(reverse("site:help")).text
    assert html.index('<details class="help"') == html.index(f'<details class="help" id="{first}" open')
    assert html.count(" open>") == 1


def test_the_public_gets_the_help_too(client):
    html = client.get(reverse("site:help")).text
    assert '<details class="help" id="cong-chung" open>' in html
    assert reverse("site:help") in html  # the footer's link
