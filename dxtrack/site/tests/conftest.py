import pytest

from dxtrack.reports.tests.builders import commune_obligation, unit_people


@pytest.fixture
def obligation(calendar_2025):
    """Phường Hàm Rồng's Quý III/2025 report under the 2024 plan."""
    return commune_obligation()


@pytest.fixture
def people(obligation):
    """Its reporter, approver, and a secretariat user."""
    return unit_people(obligation.admin_unit)
