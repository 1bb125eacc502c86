import pytest

from dxtrack.accounts.access import SYSTEM
from dxtrack.obligations import services as obligation_services
from dxtrack.plans.models import ReportingRule
from dxtrack.plans.register import register_load
from dxtrack.reports.services.defaults import defaults_load


@pytest.fixture
def half_years():
    """The semiannual rule of Quyết định 4216 (districts until 30/6/2025, communes after)."""
    register_load(actor=SYSTEM)
    defaults_load(actor=SYSTEM)
    rule = ReportingRule.objects.get(document__code="qd-4216-2020", period_type="semiannual")
    for year in (2022, 2023, 2024, 2025):
        obligation_services.calendar_generate(actor=SYSTEM, year=year, rules=[rule])
    return rule
