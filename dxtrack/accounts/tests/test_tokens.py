"""API tokens: who may make and revoke them, what is kept (a hash, never the secret), and which
tokens authenticate."""

import datetime
import hashlib
import smtplib

import pytest
from django.urls import reverse
from django.utils import timezone

from dxtrack.accounts import services
from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.models import ApiToken, Role
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.org.tests.factories import current_commune

from .factories import UserFactory

pytestmark = pytest.mark.django_db

HAM_RONG = "14758"


@pytest.fixture
def reporter():
    return UserFactory(role=Role.REPORTER, admin_unit=current_commune(HAM_RONG), agency=None)


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


def _state():
    return (
        ApiToken.objects.count(),
        list(ApiToken.objects.values_list("revoked_at", flat=True)),
        AuditEvent.objects.count(),
    )


def test_a_user_makes_a_token_for_themselves_and_only_its_hash_is_kept(reporter):
    # When a commune's reporter makes a token
    token, plain = services.token_create(actor=reporter, user=reporter, name="  Phần mềm xã  ")
    # Then the plain token reads dxt_<prefix>_<secret>, and only its sha256 is stored
    assert plain.startswith(f"dxt_{token.prefix}_")
    assert len(plain) == 4 + 12 + 1 + 43
    assert token.digest == hashlib.sha256(plain.encode()).hexdigest()
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert plain not in str(stored)
    assert (token.name, token.user, token.created_by, token.expires_at, token.revoked_at) == (
        "Phần mềm xã",
        reporter,
        reporter,
        None,
        None,
    )
    # And the making is audited, without the secret
    event = AuditEvent.objects.get(action="accounts.token.create")
    assert (event.actor, event.target_id) == (reporter, str(token.pk))
    assert event.changes == {"name": [None, "Phần mềm xã"], "user": [None, reporter.pk], "expires_at": [None, None]}
    assert plain not in str(event.changes)
    # And the token authenticates as the reporter
    assert services.token_authenticate(plain) == reporter


def test_an_expiry_date_means_through_that_day(reporter):
    day = timezone.localdate() + datetime.timedelta(days=30)
    token, _ = services.token_create(actor=reporter, user=reporter, name="Có hạn", expires=day)
    assert timezone.localtime(token.expires_at) == timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


@pytest.fixture
def superuser():
    return UserFactory(role=Role.SECRETARIAT, is_superuser=True, is_staff=True)


def test_a_superuser_makes_a_token_for_a_unit_user_audited_and_the_owner_is_told(
    reporter, superuser, mailoutbox, django_capture_on_commit_callbacks
):
    # Given a reporter with an e-mail address
    reporter.email = "baocao@hamrong.example"
    reporter.save()
    # When a superuser makes a token acting as them
    with django_capture_on_commit_callbacks(execute=True):
        token, plain = services.token_create(actor=superuser, user=reporter, name="Kết nối DHIS2")
    # Then the token acts as the reporter, names its maker, and the audit says it was made for another
    assert (token.user, token.created_by) == (reporter, superuser)
    assert services.token_authenticate(plain) == reporter
    event = AuditEvent.objects.get(action="accounts.token.create", target_id=str(token.pk))
    assert (event.actor, event.reason) == (superuser, f"Tạo thay cho {reporter.username}")
    # and the owner is told by e-mail
    assert [m.to for m in mailoutbox] == [["baocao@hamrong.example"]]
    assert token.prefix in mailoutbox[0].body


def test_a_mail_server_that_refuses_leaves_the_token_made_and_logs_why(
    reporter, superuser, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    # Given a reporter with an e-mail address and a mail server that refuses the message
    reporter.email = "baocao@hamrong.example"
    reporter.save()

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection closed")

    monkeypatch.setattr(services, "send_mail", refuse)
    # When a superuser makes a token acting as them
    with django_capture_on_commit_callbacks(execute=True):
        _token, plain = services.token_create(actor=superuser, user=reporter, name="Kết nối DHIS2")
    # Then the token stands and the failure is in the log, naming the address
    assert services.token_authenticate(plain) == reporter
    assert [r.getMessage() for r in caplog.records if r.name == "dxtrack.accounts.services"] == [
        "accounts: the token notice to baocao@hamrong.example could not be sent"
    ]


@pytest.mark.parametrize("maker", ["secretariat", "approver"])
def test_nobody_else_makes_a_token_for_a_user_and_nothing_changes(reporter, secretariat, maker, mailoutbox):
    # Given the secretariat (staff, not superuser) or a colleague of the same unit
    other = secretariat if maker == "secretariat" else UserFactory(role=Role.APPROVER, admin_unit=reporter.admin_unit)
    before = _state()
    # When they try to make a token acting as the reporter
    with pytest.raises(NotAllowed) as exc:
        services.token_create(actor=other, user=reporter, name="Của người khác")
    # Then it is refused and nothing changes
    assert exc.value.message == "Chỉ chính người dùng (hoặc quản trị viên cấp cao) được tạo mã truy cập API của mình."
    assert _state() == before
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("role", "name", "expires", "problem"),
    [
        (Role.LEADER, "Tỉnh", None, "Mã truy cập API chỉ cấp cho cán bộ báo cáo hoặc lãnh đạo đơn vị"),
        (Role.SECRETARIAT, "Tổ", None, "Mã truy cập API chỉ cấp cho cán bộ báo cáo hoặc lãnh đạo đơn vị"),
        (Role.REPORTER, " ", None, "Đặt tên cho mã truy cập (hệ thống nào dùng mã này)."),
        (Role.REPORTER, "x" * 101, None, "Tên dài quá 100 ký tự."),
        (Role.REPORTER, "Hết hạn", datetime.date(2020, 1, 1), "Ngày hết hạn phải sau thời điểm hiện tại."),
    ],
)
def test_a_token_is_refused_for_a_province_wide_role_a_missing_name_or_a_past_expiry(
    superuser, role, name, expires, problem
):
    kwargs = {"admin_unit": current_commune(HAM_RONG), "agency": None} if role == Role.REPORTER else {}
    user = UserFactory(role=role, **kwargs)
    before = _state()
    with pytest.raises(InvalidData) as exc:
        services.token_create(actor=superuser, user=user, name=name, expires=expires)
    assert exc.value.message == "Chưa tạo được mã truy cập API."
    assert len(exc.value.details) == 1
    assert exc.value.details[0].startswith(problem)
    assert _state() == before


def test_revoking_ends_the_token_once_and_is_audited(reporter):
    token, plain = services.token_create(actor=reporter, user=reporter, name="Phần mềm xã")
    services.token_revoke(actor=reporter, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == reporter
    assert services.token_authenticate(plain) is None
    # Revoking again changes nothing and records nothing more
    first = token.revoked_at
    services.token_revoke(actor=reporter, token=token)
    token.refresh_from_db()
    assert token.revoked_at == first
    assert AuditEvent.objects.filter(action="accounts.token.revoke", target_id=str(token.pk)).count() == 1


def test_only_the_owner_or_the_secretariat_revokes(reporter, secretariat):
    token, plain = services.token_create(actor=reporter, user=reporter, name="Phần mềm xã")
    colleague = UserFactory(role=Role.APPROVER, admin_unit=reporter.admin_unit, agency=None)
    before = _state()
    with pytest.raises(NotAllowed):
        services.token_revoke(actor=colleague, token=token)
    assert _state() == before
    assert services.token_authenticate(plain) == reporter
    services.token_revoke(actor=secretariat, token=token)
    assert services.token_authenticate(plain) is None


def test_expired_unknown_malformed_and_orphaned_tokens_do_not_authenticate(reporter):
    token, plain = services.token_create(actor=reporter, user=reporter, name="Phần mềm xã")
    # A wrong secret under a real prefix, a made-up token, and text that is no token at all
    assert services.token_authenticate(plain[:-1] + ("A" if plain[-1] != "A" else "B")) is None
    assert services.token_authenticate(f"dxt_{'0' * 12}_{'a' * 43}") is None
    assert services.token_authenticate("") is None
    assert services.token_authenticate("dxt_' OR 1=1 --") is None
    # Past its expiry
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert services.token_authenticate(plain) is None
    # Its user left, or became province-wide
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
    assert services.token_authenticate(plain) == reporter
    reporter.is_active = False
    reporter.save()
    assert services.token_authenticate(plain) is None
    reporter.is_active = True
    reporter.role, reporter.admin_unit = Role.LEADER, None
    reporter.save()
    assert services.token_authenticate(plain) is None


def test_last_used_is_written_at_most_once_a_minute(reporter):
    token, plain = services.token_create(actor=reporter, user=reporter, name="Phần mềm xã")
    services.token_authenticate(plain)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    services.token_authenticate(plain)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    services.token_authenticate(plain)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


# ---- the page ------------------------------------------------------------------------------------------


def test_the_page_shows_a_new_token_once_then_only_its_prefix(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("accounts:tokens"), {"name": "Phần mềm xã", "expires": ""})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=reporter)
    page = response.content.decode()
    assert "mã chỉ hiện một lần này" in page
    plain = page.split("<p><code>")[1].split("</code>")[0]
    assert services.token_authenticate(plain) == reporter
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    # When the page is opened again, the secret is gone and the prefix names the token
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert plain not in again
    assert f"dxt_{token.prefix}_…" in again


def test_the_page_revokes_ones_own_token_but_not_anothers(client, reporter):
    own, own_plain = services.token_create(actor=SYSTEM, user=reporter, name="Của tôi")
    other_user = UserFactory(role=Role.REPORTER, admin_unit=reporter.admin_unit, agency=None)
    other, other_plain = services.token_create(actor=SYSTEM, user=other_user, name="Của người khác")
    client.force_login(reporter)
    assert client.post(reverse("accounts:token_revoke", args=[other.pk])).status_code == 404
    assert services.token_authenticate(other_plain) == other_user
    response = client.post(reverse("accounts:token_revoke", args=[own.pk]))
    assert response.status_code == 302
    assert services.token_authenticate(own_plain) is None


def test_a_leader_is_told_tokens_are_for_unit_staff(client):
    client.force_login(UserFactory(role=Role.LEADER))
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert "chỉ cấp cho cán bộ báo cáo hoặc lãnh đạo của một cơ quan, đơn vị" in page
    assert "Tạo mã truy cập" not in page


def test_the_secretariat_makes_a_token_in_the_admin_and_sees_it_once(client, reporter):
    admin_user = UserFactory(role=Role.SECRETARIAT, is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_apitoken_add"), {"name": "Kết nối DHIS2", "user": reporter.pk, "expires_at": ""}
    )
    assert response.status_code == 200
    plain = response.content.decode().split('<code id="new-token">')[1].split("</code>")[0]
    assert services.token_authenticate(plain) == reporter
    assert ApiToken.objects.get(user=reporter).created_by == admin_user


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2027", "Ngày hết hạn “31/02/2027” không phải là ngày có thật"),
        ("1/7/27", "Ngày hết hạn “1/7/27” có năm hai chữ số"),
        ("12/31/2027", "Ngày hết hạn “12/31/2027” ghi tháng trước ngày"),
    ],
)
def test_the_page_refuses_a_wrong_expiry_date_and_creates_nothing(client, reporter, typed, message):
    client.force_login(reporter)
    response = client.post(reverse("accounts:tokens"), {"name": "Phần mềm xã", "expires": typed})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ApiToken.objects.filter(user=reporter).exists()


@pytest.mark.parametrize("typed", ["31/12/2099", "2099-12-31"])
def test_the_page_takes_an_expiry_typed_or_picked(client, reporter, typed):
    client.force_login(reporter)
    client.post(reverse("accounts:tokens"), {"name": "Phần mềm xã", "expires": typed})
    token = ApiToken.objects.get(user=reporter)
    assert timezone.localtime(token.expires_at).date() == datetime.date(2100, 1, 1)
