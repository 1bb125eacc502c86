import pytest

from dxtrack.accounts.access import SYSTEM
from dxtrack.obligations import services as obligation_services
from dxtrack.plans.models import ReportingRule


def _half_years_generate():
    rule = ReportingRule.objects.get(document__code="qd-4216-2020", period_type="semiannual")
    for year in (2022, 2023, 2024, 2025):
        obligation_services.calendar_generate(actor=SYSTEM, year=year, rules=[rule])
    return rule


@pytest.fixture(scope="session")
def half_years_rows(register_rows, django_db_blocker):
    from dxtrack.core.snapshots import shared

    with django_db_blocker.unblock():
        return shared("half-years 2022–2025", _half_years_generate, on=[register_rows])


@pytest.fixture
def half_years(request, register, half_years_rows):
    """The semiannual rule of Quyết định 4216 (districts until 30/6/2025, communes after)."""
    from dxtrack.core.snapshots import put_back_or_build

    return put_back_or_build(request, half_years_rows, _half_years_generate)
