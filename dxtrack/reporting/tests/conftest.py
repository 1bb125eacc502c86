"""The reporting tests start from the real register (five seed plans), the default reporting set-up
and the calendar of one year. Loaded per test inside its rolled-back transaction."""

import pytest

from dxtrack.plans.register import register_load
from dxtrack.reporting import services


@pytest.fixture
def register(db):
    register_load(actor=None)
    services.defaults_load(actor=None)


@pytest.fixture
def calendar_2025(register):
    services.calendar_generate(actor=None, year=2025)
