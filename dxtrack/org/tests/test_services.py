"""Contact points: private to their organisation; writes checked and audited."""

import pytest

from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.org import selectors, services
from dxtrack.org.models import ContactPoint

from .factories import agency, current_commune

pytestmark = pytest.mark.django_db
GOOD = {
    "person": "Nguyễn Văn An",
    "position": "Phó Chủ tịch",
    "phone": "0912 345 678",
    "email": "an@thanhhoa.gov.vn",
}


@pytest.fixture
def ham_rong():
    return current_commune("14758")


@pytest.fixture
def hac_thanh():
    return current_commune("14797")


def test_the_units_approver_updates_its_contact_and_the_change_is_audited(ham_rong):
    approver = UserFactory(role="approver", admin_unit=ham_rong)
    contact = services.contact_point_update(actor=approver, admin_unit=ham_rong, data=GOOD)
    assert (contact.person, contact.phone, contact.email) == (
        "Nguyễn Văn An",
        "0912 345 678",
        "an@thanhhoa.gov.vn",
    )
    event = AuditEvent.objects.get(action="org.contact_point.update")
    assert event.actor == approver and event.target_id == str(contact.pk)
    assert event.changes["person"] == ["", "Nguyễn Văn An"]


def test_an_unchanged_save_writes_no_audit_event(ham_rong):
    approver = UserFactory(role="approver", admin_unit=ham_rong)
    services.contact_point_update(actor=approver, admin_unit=ham_rong, data=GOOD)
    services.contact_point_update(actor=approver, admin_unit=ham_rong, data=GOOD)
    assert AuditEvent.objects.filter(action="org.contact_point.update").count() == 1


def test_a_user_of_one_unit_cannot_change_another_units_contact(ham_rong, hac_thanh):
    # Given Hạc Thành's contact, set by its own approver
    services.contact_point_update(
        actor=UserFactory(role="approver", admin_unit=hac_thanh), admin_unit=hac_thanh, data=GOOD
    )
    before = list(ContactPoint.objects.values())
    events = AuditEvent.objects.count()
    # When Hàm Rồng's approver tries to overwrite it
    intruder = UserFactory(role="approver", admin_unit=ham_rong)
    with pytest.raises(NotAllowed):
        services.contact_point_update(actor=intruder, admin_unit=hac_thanh, data={"person": "Kẻ lạ"})
    # Then nothing changed
    assert list(ContactPoint.objects.values()) == before
    assert AuditEvent.objects.count() == events


def test_a_reporter_cannot_change_even_its_own_units_contact(ham_rong):
    reporter = UserFactory(role="reporter", admin_unit=ham_rong)
    with pytest.raises(NotAllowed):
        services.contact_point_update(actor=reporter, admin_unit=ham_rong, data=GOOD)
    assert ContactPoint.objects.count() == 0


def test_a_user_of_one_unit_cannot_read_another_units_contact(ham_rong, hac_thanh):
    services.contact_point_update(
        actor=UserFactory(role="approver", admin_unit=hac_thanh), admin_unit=hac_thanh, data=GOOD
    )
    with pytest.raises(NotAllowed):
        selectors.contact_point_get(actor=UserFactory(role="reporter", admin_unit=ham_rong), admin_unit=hac_thanh)
    assert list(selectors.contact_points_visible(actor=UserFactory(role="reporter", admin_unit=ham_rong))) == []


def test_own_unit_secretariat_and_leader_read_the_contact(ham_rong):
    services.contact_point_update(
        actor=UserFactory(role="approver", admin_unit=ham_rong), admin_unit=ham_rong, data=GOOD
    )
    for reader in (
        UserFactory(role="reporter", admin_unit=ham_rong),
        UserFactory(role="secretariat", agency=agency("SO_KHCN")),
        UserFactory(role="leader", agency=agency("UBND_TINH")),
    ):
        assert selectors.contact_point_get(actor=reader, admin_unit=ham_rong).person == "Nguyễn Văn An"


def test_the_public_reads_no_contact(ham_rong):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        selectors.contact_point_get(actor=AnonymousUser(), admin_unit=ham_rong)
    assert list(selectors.contact_points_visible(actor=AnonymousUser())) == []


def test_control_characters_in_a_contact_are_dropped_and_the_rest_kept(ham_rong):
    # Given the unit's approver
    approver = UserFactory(role="approver", admin_unit=ham_rong)
    # When a note is pasted with control characters (NUL, which PostgreSQL refuses, and others)
    services.contact_point_update(actor=approver, admin_unit=ham_rong, data={"note": "a\x00b\x0bc"})
    # Then the note is kept without them
    assert ContactPoint.objects.get(admin_unit=ham_rong).note == "abc"


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        ({"email": "khong-phai-email"}, "email: địa chỉ thư điện tử không hợp lệ."),
        ({"phone": "gọi tôi"}, "phone: số điện thoại chỉ gồm chữ số, dấu cách và các ký tự + . ( ) -."),
        ({"person": "x" * 151}, "person: dài quá 150 ký tự."),
        ({"person": ["danh", "sách"]}, "person: phải là văn bản."),
    ],
)
def test_bad_contact_input_is_refused_with_a_message_and_nothing_saved(ham_rong, data, detail):
    approver = UserFactory(role="approver", admin_unit=ham_rong)
    with pytest.raises(InvalidData) as caught:
        services.contact_point_update(actor=approver, admin_unit=ham_rong, data=data)
    assert caught.value.details == [detail]
    assert ContactPoint.objects.count() == 0
    assert not AuditEvent.objects.filter(action="org.contact_point.update").exists()
