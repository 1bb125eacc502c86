"""Notifications: each arrives once, in the app and by e-mail, only after commit; preferences are
respected; a user sees only their own."""

import pytest
from django.db import transaction
from django.urls import reverse

from dxtrack.accounts.access import SYSTEM, Access
from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.errors import NotFound
from dxtrack.core.models import AuditEvent
from dxtrack.notifications import selectors
from dxtrack.notifications.models import Delivery, Kind, Notification, Preference
from dxtrack.notifications.services import notify
from dxtrack.notifications.services.preferences import preferences_set
from dxtrack.notifications.services.reading import notification_read, notifications_read_all
from dxtrack.notifications.tasks import deliver_email

pytestmark = pytest.mark.django_db


def tell(users, key="event:1", kind=Kind.ASSIGNED):
    return notify(
        actor=SYSTEM,
        recipients=users,
        kind=kind,
        title="Được giao nhiệm vụ thử",
        body="Nội dung nhiệm vụ.",
        url="/ke-hoach/",
        key=key,
    )


@pytest.fixture
def anh():
    return UserFactory(username="anh", role=Role.SECRETARIAT, email="anh@example.vn")


def test_arrives_once_in_the_app_and_by_email_after_commit(anh, mailoutbox, django_capture_on_commit_callbacks):
    # Given a user with the default preference (both)
    # When they are notified, and the same event is notified again
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = tell([anh])
        second = tell([anh])
        # Then nothing is mailed before the commit, one row is written, the second call writes nothing
        assert mailoutbox == []
        assert len(first) == 1 and second == []
    # When the transaction commits: one e-mail leaves, with the title, the body and the full link
    assert len(callbacks) >= 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert (mail.to, mail.subject) == (["anh@example.vn"], "Được giao nhiệm vụ thử")
    assert "Nội dung nhiệm vụ." in mail.body
    assert "http://127.0.0.1:8000/ke-hoach/" in mail.body
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.in_app, note.by_email) == (anh, Kind.ASSIGNED, True, True)
    assert note.emailed_at is not None
    assert selectors.unread_count(actor=Access.for_user(anh)) == 1


def test_the_delivery_task_run_twice_mails_once(anh, mailoutbox, django_capture_on_commit_callbacks):
    # Given a notification e-mailed once
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = tell([anh])
    assert len(mailoutbox) == 1
    # When the queue delivers its task again (a retry)
    with django_capture_on_commit_callbacks(execute=True):
        result = deliver_email.enqueue(note.pk)
    # Then nothing more is sent
    assert result.return_value == {"sent": False}
    assert len(mailoutbox) == 1


def test_nothing_when_the_transaction_rolls_back(anh, mailoutbox, django_capture_on_commit_callbacks):
    # When the change that notifies is rolled back
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tell([anh])
        raise RuntimeError("the service failed after notifying")
    # Then there is neither a notification nor an e-mail
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_preferences_are_respected(mailoutbox, django_capture_on_commit_callbacks):
    # Given one user per choice, one without an address, one inactive
    app = UserFactory(role=Role.LEADER, email="app@example.vn")
    email = UserFactory(role=Role.LEADER, email="email@example.vn")
    both = UserFactory(role=Role.LEADER, email="both@example.vn")
    no_address = UserFactory(role=Role.LEADER, email="")
    gone = UserFactory(role=Role.LEADER, email="gone@example.vn", is_active=False)
    preferences_set(actor=Access.for_user(app), choices={Kind.ASSIGNED: Delivery.APP})
    preferences_set(actor=Access.for_user(email), choices={Kind.ASSIGNED: Delivery.EMAIL})
    # When all are notified
    with django_capture_on_commit_callbacks(execute=True):
        tell([app, email, both, no_address, gone])
    # Then the mail goes to those who chose it and have an address; the bell shows the others'
    assert sorted(m.to[0] for m in mailoutbox) == ["both@example.vn", "email@example.vn"]
    shown = {u.username for u in [app, email, both, no_address] if selectors.unread_count(actor=Access.for_user(u))}
    assert shown == {app.username, both.username, no_address.username}
    assert not Notification.objects.filter(recipient=gone).exists()
    # And a preference for one kind leaves the others at their default
    assert list(Preference.objects.filter(user=app).values_list("kind", "delivery")) == [(Kind.ASSIGNED, "app")]
    assert dict((k, d) for k, _l, d in selectors.preferences(actor=Access.for_user(app)))[Kind.DUE_SOON] == "both"


def test_preferences_set_audits_and_refuses_bad_choices(anh):
    access = Access.for_user(anh)
    assert preferences_set(actor=access, choices={Kind.OVERDUE: Delivery.APP}) == {Kind.OVERDUE: "app"}
    event = AuditEvent.objects.get(action="notifications.preferences.set")
    assert event.changes == {Kind.OVERDUE: ["both", "app"]}
    # Same choice again: nothing changes, nothing is audited
    assert preferences_set(actor=access, choices={Kind.OVERDUE: Delivery.APP}) == {}
    assert AuditEvent.objects.filter(action="notifications.preferences.set").count() == 1
    from dxtrack.core.errors import InvalidData

    with pytest.raises(InvalidData):
        preferences_set(actor=access, choices={Kind.OVERDUE: "fax"})
    assert Preference.objects.get(user=anh).delivery == "app"


def test_a_user_sees_and_reads_only_their_own(anh, client):
    # Given two users, each with a notification
    other = UserFactory(role=Role.LEADER)
    (mine,) = tell([anh], key="event:mine")
    (theirs,) = tell([other], key="event:theirs")
    # Then each one's list holds their own only
    assert list(selectors.notifications(actor=Access.for_user(anh))) == [mine]
    assert list(selectors.notifications(actor=Access.public())) == []
    # And reading another's is "not found", changing nothing
    with pytest.raises(NotFound):
        notification_read(actor=Access.for_user(anh), pk=theirs.pk)
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.force_login(anh)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("notifications:index"))
    assert page.status_code == 200
    assert page.content.decode().count("Được giao nhiệm vụ thử") == 1


def test_the_bells_count_is_the_persons_own_unread_ones_shown_in_the_app(anh):
    # Given three of anh's notifications (one read), one by e-mail only, and another person's
    other = UserFactory(role=Role.LEADER)
    first, _second, _third = (tell([anh], key=f"event:{n}")[0] for n in range(3))
    notification_read(actor=Access.for_user(anh), pk=first.pk)
    Preference.objects.create(user=anh, kind=Kind.OVERDUE, delivery=Delivery.EMAIL)
    tell([anh], key="event:mail-only", kind=Kind.OVERDUE)
    tell([other], key="event:theirs")
    # Then the bell counts anh's two unread ones in the app, the other person one, nobody none
    assert selectors.unread_count(actor=Access.for_user(anh)) == 2
    assert selectors.notifications(actor=Access.for_user(anh)).filter(read_at__isnull=True).count() == 2
    assert selectors.unread_count(actor=Access.for_user(other)) == 1
    assert selectors.unread_count(actor=Access.public()) == 0


def test_bell_list_and_mark_read(anh, client):
    tell([anh], key="event:a")
    tell([anh], key="event:b")
    client.force_login(anh)
    bell = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-unread="2"' in bell
    # and every page's header shows the same bell as it is served, not after a second request
    header = client.get(reverse("notifications:index")).content.decode()
    assert bell in header and 'hx-trigger="every 30s"' in bell and "load" not in bell
    # Opening one marks it read and goes where it points
    note = Notification.objects.filter(recipient=anh).order_by("pk").first()
    response = client.post(reverse("notifications:read", args=[note.pk]), {"mo": "1"})
    assert response.status_code == 302 and response["Location"] == "/ke-hoach/"
    assert 'data-unread="1"' in client.get(reverse("notifications:bell")).content.decode()
    # All read
    client.post(reverse("notifications:read_all"))
    assert "data-unread" not in client.get(reverse("notifications:bell")).content.decode()
    assert notifications_read_all(actor=Access.for_user(anh)) == 0
    # Signed out meanwhile: htmx is told to stop polling (286), nothing is swapped in
    client.logout()
    assert client.get(reverse("notifications:bell")).status_code == 286


def test_preferences_page(anh, client):
    client.force_login(anh)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Báo cáo sắp đến hạn" in page
    response = client.post(reverse("notifications:preferences"), {Kind.DUE_SOON: "email"})
    assert response.status_code == 302
    assert Preference.objects.get(user=anh, kind=Kind.DUE_SOON).delivery == "email"
    assert client.post(reverse("notifications:preferences"), {Kind.DUE_SOON: "fax"}).status_code == 400
