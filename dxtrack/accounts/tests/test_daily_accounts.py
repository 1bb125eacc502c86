"""Accounts for every day: a forgotten password by e-mail (rate-limited), the secretariat's page of
a unit's users, one's own sessions and "log out everywhere"."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from dxtrack.accounts import services, sessions
from dxtrack.accounts.access import Access
from dxtrack.accounts.models import ApiToken, Role, User, UserSession
from dxtrack.accounts.tests.factories import PASSWORD, UserFactory
from dxtrack.core.errors import NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.org.models import Agency

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mat-khau-moi-rat-dai-2026"


def sign_in(client, user) -> bool:
    """Through the log-in page (django-axes needs the request, which client.login does not pass)."""
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    return response.status_code == 302


def reset_link(mail) -> str:
    return re.search(r"http://testserver(/tai-khoan/dat-lai-mat-khau/\S+/)", mail.body).group(1)


def test_forgotten_password_by_email(client, mailoutbox):
    # Given a user whose password someone else had set
    user = UserFactory(username="quen", email="quen@example.vn", must_change_password=True)
    # When they ask for a reset
    response = client.post(reverse("accounts:password_reset"), {"email": "QUEN@example.vn"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    # Then one Vietnamese e-mail carries the link
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "dxtrack: đặt lại mật khẩu" and mail.to == ["quen@example.vn"]
    assert "Tên đăng nhập của anh/chị: quen" in mail.body
    # When they follow it and set a new password
    page = client.get(reset_link(mail), follow=True)
    assert "Đặt mật khẩu mới" in page.content.decode()
    response = client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    # Then the password works, the demand to change it is gone, and it is audited
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.must_change_password
    assert AuditEvent.objects.get(action="accounts.password.reset_by_email").actor == user
    # And the link does not work twice
    assert "không hợp lệ" in client.get(reset_link(mail), follow=True).content.decode()


def test_an_unknown_address_looks_the_same_and_sends_nothing(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "khongco@example.vn"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_reset_is_rate_limited(client, mailoutbox, settings):
    settings.DXTRACK_PASSWORD_RESET_PER_IP_HOUR = 5
    UserFactory(email="nhieu@example.vn")
    url = reverse("accounts:password_reset")
    # Per address: the 4th request in the hour looks sent but sends nothing
    for _ in range(4):
        assert client.post(url, {"email": "nhieu@example.vn"}).status_code == 302
    assert len(mailoutbox) == 3
    # Per client: the 6th request in the hour is refused in Vietnamese
    client.post(url, {"email": "khac@example.vn"})
    response = client.post(url, {"email": "khac@example.vn"})
    assert response.status_code == 429
    assert "quá nhiều yêu cầu" in response.content.decode()


def test_secretariat_creates_a_units_user_who_sets_their_own_password(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    secretariat = UserFactory(role=Role.SECRETARIAT)
    client.force_login(secretariat)
    url = reverse("accounts:users") + "?co-quan=SO_KHCN"
    assert "Tài khoản của" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"username": "khcn.moi", "full_name": "Nguyễn Văn Mới", "email": "moi@khcn.example", "role": "reporter"},
        )
    assert response.status_code == 302
    user = User.objects.get(username="khcn.moi")
    assert (user.agency.code, user.role, user.is_active) == ("SO_KHCN", Role.REPORTER, True)
    assert AuditEvent.objects.get(action="accounts.user.create").actor == secretariat
    assert [m.to for m in mailoutbox] == [["moi@khcn.example"]]
    assert "/tai-khoan/dat-lai-mat-khau/" in mailoutbox[0].body
    # A province-wide role cannot be given to a unit's account
    response = client.post(url, {"username": "khcn.sai", "full_name": "X", "email": "x@k.example", "role": "leader"})
    assert response.status_code == 400 and not User.objects.filter(username="khcn.sai").exists()


def test_deactivating_ends_sessions_and_is_refused_to_others(client):
    secretariat = UserFactory(role=Role.SECRETARIAT)
    reporter = UserFactory(role=Role.REPORTER, agency=Agency.objects.get(code="SO_KHCN"))
    other = UserFactory(role=Role.REPORTER, agency=Agency.objects.get(code="SO_KHCN"))
    # Given the reporter is signed in
    assert sign_in(client, reporter)
    assert UserSession.objects.filter(user=reporter).count() == 1
    # When another reporter tries to lock them: refused, nothing changes
    with pytest.raises(NotAllowed):
        services.user_deactivate(actor=Access.for_user(other), user=reporter)
    reporter.refresh_from_db()
    assert reporter.is_active
    # When the secretariat locks them
    services.user_deactivate(actor=Access.for_user(secretariat), user=reporter, reason="Chuyển công tác")
    # Then they are out at once, and it is audited with the reason
    reporter.refresh_from_db()
    assert not reporter.is_active
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert not UserSession.objects.filter(user=reporter).exists()
    event = AuditEvent.objects.get(action="accounts.user.deactivate")
    assert (event.reason, event.changes["is_active"]) == ("Chuyển công tác", [True, False])
    # The page's button does the same for reactivation
    staff = client.__class__()
    staff.force_login(secretariat)
    staff.post(reverse("accounts:user_active", args=[reporter.pk]))
    reporter.refresh_from_db()
    assert reporter.is_active
    # A reporter cannot use the page
    other_client = client.__class__()
    other_client.force_login(other)
    assert other_client.get(reverse("accounts:users")).status_code == 403
    assert other_client.post(reverse("accounts:user_active", args=[reporter.pk]), {"khoa": "1"}).status_code == 403
    reporter.refresh_from_db()
    assert reporter.is_active


def test_own_sessions_and_log_out_everywhere(client):
    from django.test import Client

    user = UserFactory(role=Role.REPORTER, agency=Agency.objects.get(code="SO_KHCN"))
    services.token_create(actor=Access.for_user(user), user=user, name="Hệ thống A")
    phone, laptop = Client(), Client()
    for c in (client, phone, laptop):
        assert sign_in(c, user)
    page = client.get(reverse("accounts:sessions")).content.decode()
    assert page.count("Đăng xuất phiên này") == 2 and "Phiên này" in page and "Hệ thống A" in page
    # Nobody else's sessions are listed
    assert sessions.sessions(actor=Access.for_user(UserFactory())) == []
    # When they log out everywhere
    client.post(reverse("accounts:sessions"), {"tat-ca": "1"})
    # Then only this session remains, and every token is revoked
    assert phone.get(reverse("accounts:profile")).status_code == 302
    assert laptop.get(reverse("accounts:profile")).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert UserSession.objects.filter(user=user).count() == 1
    assert Session.objects.count() == 1
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert AuditEvent.objects.get(action="accounts.logout_everywhere").changes == {"sessions": [2, 0], "tokens": [1, 0]}


def test_province_wide_list_shows_secretariat_and_leaders_who_sit_in_an_agency(client):
    # Given a secretariat member and a provincial leader who both sit in an agency, and a reporter there
    khcn = Agency.objects.get(code="SO_KHCN")
    secretariat = UserFactory(username="totruong.x", role=Role.SECRETARIAT, agency=khcn)
    UserFactory(username="lanhdao.x", role=Role.LEADER, agency=khcn)
    UserFactory(username="khcn.baocao.x", role=Role.REPORTER, agency=khcn)
    client.force_login(secretariat)
    # When the secretariat opens the province-wide accounts
    page = client.get(reverse("accounts:users")).content.decode()
    # Then both province-wide accounts are listed and the agency's reporter is not
    assert 'data-label="Tên đăng nhập">totruong.x</td>' in page and 'data-label="Tên đăng nhập">lanhdao.x</td>' in page
    assert "khcn.baocao.x" not in page
    # and on a phone the list stacks into cards
    assert '<table class="stack">' in page


def test_sessions_table_turns_into_cards_on_a_phone(client):
    # Given a signed-in user; when they open their sessions page
    user = UserFactory(role=Role.REPORTER, agency=Agency.objects.get(code="SO_KHCN"))
    assert sign_in(client, user)
    page = client.get(reverse("accounts:sessions")).content.decode()
    # Then the table is the stacking kind, each cell labelled for the phone layout
    assert '<table class="stack">' in page
    assert 'data-label="Đăng nhập lúc"' in page
