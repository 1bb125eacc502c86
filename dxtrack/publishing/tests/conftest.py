import datetime
import hashlib
import os

import pytest

from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.assessments.tests.conftest import decided, world  # noqa: F401 - an assessment round's fixtures
from dxtrack.obligations.models import Period
from dxtrack.publishing import pdf

FAKE_PDF = b"%PDF-1.4 fake for tests without LibreOffice\n"


def office_or_skip() -> None:
    """LibreOffice is needed: skip without it, unless DXTRACK_REQUIRE_OFFICE=1 (CI) says fail."""
    if not pdf.available():
        if os.environ.get("DXTRACK_REQUIRE_OFFICE") == "1":
            pytest.fail("LibreOffice is required (DXTRACK_REQUIRE_OFFICE=1) but was not found")
        pytest.skip("LibreOffice not installed: run `make office`")


def fake_convert(data: bytes) -> bytes:
    """A stand-in PDF: the bytes depend on the DOCX, so freezing can be checked without Office."""
    return FAKE_PDF + hashlib.sha256(data).hexdigest().encode()


@pytest.fixture
def secretariat(db):
    return UserFactory(role=Role.SECRETARIAT)


@pytest.fixture
def quarter(db):
    """A quarter on its own (no register): enough for layout, workflow and permissions."""
    from dxtrack.obligations.calendar import periods

    # Its bounds as the calendar defines them: 01/07–30/09/2025, data 15/06–14/09/2025.
    return Period.objects.create(**periods("quarterly", 2025)[2].fields())


def _demo_world_build():
    from dxtrack.analytics.services.recompute import recompute_all
    from dxtrack.devtools import demo
    from dxtrack.obligations import services as obligation_services

    for year in (2024, 2025):
        obligation_services.calendar_generate(actor=SYSTEM, year=year)
    demo.generate(actor=SYSTEM, today=datetime.date(2025, 11, 30))
    recompute_all(at=datetime.date(2025, 11, 30))
    return Period.objects.get(label="Quý III/2025", period_type="quarterly")


@pytest.fixture(scope="session")
def demo_world_rows(register_rows, django_db_blocker):
    from dxtrack.core.snapshots import shared

    with django_db_blocker.unblock():
        return shared("demo world", _demo_world_build, on=[register_rows])


@pytest.fixture
def demo_world(request, register, demo_world_rows):
    """The real register, the 2024 and 2025 calendars and the demo's reports as seen on
    30/11/2025 (two years, so that progress can be assessed), with progress and scorecards
    recomputed: what the dashboards show. About 20 s to build: built once per session and put
    back into each test that needs it."""
    from dxtrack.core.snapshots import put_back_or_build

    return put_back_or_build(request, demo_world_rows, _demo_world_build)
