import pytest

from dxtrack.accounts.access import PUBLIC, SYSTEM, Access
from dxtrack.accounts.models import Role
from dxtrack.org.tests.factories import agency

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_none_is_refused_so_no_caller_leaves_its_meaning_to_the_callee():
    # Given no actor, when it is made an Access, then it is refused rather than guessed.
    with pytest.raises(TypeError):
        Access.of(None)


def test_the_system_runs_the_programme_and_reads_everything():
    assert SYSTEM.is_system and SYSTEM.runs_programme and SYSTEM.is_province_wide
    assert SYSTEM.covers(agency_id=123) is True
    assert SYSTEM.audit_actor is None
    assert SYSTEM.reports_for(agency_id=123) is False


def test_the_public_sees_no_private_data_and_does_nothing():
    assert PUBLIC.is_public and not PUBLIC.runs_programme and not PUBLIC.is_province_wide
    assert PUBLIC.covers(agency_id=1, admin_unit_id=1) is False


def test_an_inactive_user_is_the_public():
    # Given a secretariat member whose account was switched off
    user = UserFactory(role=Role.SECRETARIAT, is_active=False)
    # Then their access is the public's: being inactive is checked in one place
    access = Access.of(user)
    assert access.is_public and not access.is_secretariat and not access.runs_programme


def test_a_reporter_reports_for_their_own_agency_only():
    own, other = agency("SO_KHCN"), agency("SO_TAI_CHINH")
    access = Access.of(UserFactory(role=Role.REPORTER, agency=own))
    assert access.reports_for(agency_id=own.pk) is True
    assert access.reports_for(agency_id=other.pk) is False
    assert access.covers(agency_id=own.pk) is True
    assert access.covers(agency_id=other.pk) is False
    assert access.runs_programme is False


def test_a_leader_reads_everything_but_reports_for_nobody():
    access = Access.of(UserFactory(role=Role.LEADER))
    assert access.is_province_wide and not access.runs_programme
    assert access.covers(agency_id=1) is True
    assert access.reports_for(agency_id=1) is False


def test_every_request_carries_its_access(client):
    # Given a signed-in secretariat member, when any page is asked for, then the request's access
    # is theirs
    from django.test import RequestFactory

    from dxtrack.accounts.middleware import AccessMiddleware

    user = UserFactory(role=Role.SECRETARIAT)
    request = RequestFactory().get("/")
    request.user = user
    seen = {}
    AccessMiddleware(lambda r: seen.setdefault("access", r.access))(request)
    assert isinstance(seen["access"], Access)
    assert seen["access"].user == user and seen["access"].is_secretariat


def test_only_the_approver_of_the_unit_signs_for_it():
    # Given an approver and a reporter of one agency
    own, other = agency("SO_KHCN"), agency("SO_TAI_CHINH")
    approver = Access.of(UserFactory(role=Role.APPROVER, agency=own))
    reporter = Access.of(UserFactory(role=Role.REPORTER, agency=own))
    # Then only the approver signs for it, and for no other agency; the system signs for nobody
    assert approver.signs_for(agency_id=own.pk) is True
    assert approver.signs_for(agency_id=other.pk) is False
    assert reporter.signs_for(agency_id=own.pk) is False
    assert SYSTEM.signs_for(agency_id=own.pk) is False


def test_core_and_org_reach_the_same_access_without_importing_accounts():
    # Given a user, when core's hook makes it an actor, then it is the Access that accounts makes
    from dxtrack.core.actors import access_of

    user = UserFactory(role=Role.SECRETARIAT)
    assert access_of(user) == Access.of(user)
    assert access_of(SYSTEM) is SYSTEM
    with pytest.raises(TypeError):
        access_of(None)
