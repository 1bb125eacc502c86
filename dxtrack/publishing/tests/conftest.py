import hashlib
import os

import pytest

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


# The demo world (`demo_world`) is dxtrack/conftest.py's: one session fixture for the publishing
# and the assistant tests, so that it is built once per process, not once per package.
