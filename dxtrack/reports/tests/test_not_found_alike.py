"""Another unit's objects are not found, on the web pages as in the API (issue #13, item 6): the
pages' answer comes from the one mapping of domain errors (core.middleware.DomainErrorPages)."""

import pytest
from django.urls import reverse

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.obligations.models import Obligation
from dxtrack.reports.services.opening import report_open

pytestmark = pytest.mark.django_db


def _neighbour(obligation) -> tuple[Obligation, object]:
    """The neighbouring commune's obligation under the same rule, and its reporter."""
    other = (
        Obligation.objects.filter(rule=obligation.rule, period=obligation.period, admin_unit__isnull=False)
        .exclude(admin_unit=obligation.admin_unit)
        .order_by("admin_unit__code")
        .first()
    )
    return other, UserFactory(role=Role.REPORTER, admin_unit=other.admin_unit, agency=None)


def test_another_units_report_is_404_on_the_page_as_in_the_api(client, obligation, people):
    # Given the neighbouring commune's report
    other, neighbour = _neighbour(obligation)
    report = report_open(actor=neighbour, obligation=other)
    # When Hàm Rồng's reporter asks for it on the page and through the API
    client.force_login(people[0])
    page = client.get(reverse("reports:report", args=[report.pk]))
    api = client.get(f"/api/reporting/reports/{report.pk}")
    # Then both answer 404, the page with the Vietnamese not-found page
    assert (page.status_code, api.status_code) == (404, 404)
    assert "Không tìm thấy trang" in page.content.decode()


def test_another_units_obligation_is_404_on_the_page_as_in_the_api(client, obligation, people):
    # Given the neighbouring commune's obligation
    other, _ = _neighbour(obligation)
    # When Hàm Rồng's reporter opens it on the page and sends values for it through the API
    client.force_login(people[0])
    page = client.get(reverse("reports:obligation", args=[other.pk]))
    api = client.post(f"/api/reporting/obligations/{other.pk}/values", '{"values": []}', "application/json")
    # Then both answer 404
    assert (page.status_code, api.status_code) == (404, 404)
    assert "Không tìm thấy trang" in page.content.decode()
