import subprocess
import sys
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from dxtrack.accounts import services
from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.models import User
from dxtrack.accounts.scope import Scope
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.core.testing import child_environ
from dxtrack.org.tests.factories import agency, current_commune

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_passwords_are_hashed_with_argon2():
    user = UserFactory()
    assert user.password.startswith("argon2$")


def test_log_in_and_out(client):
    UserFactory(username="baocao")
    response = client.post(reverse("accounts:login"), {"username": "baocao", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_wrong_password_gets_a_vietnamese_message(client):
    UserFactory(username="baocao")
    response = client.post(reverse("accounts:login"), {"username": "baocao", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_repeated_failures_lock_the_address_out_even_for_the_right_password(client):
    UserFactory(username="baocao")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "baocao", "password": "sai"})
    response = client.post(reverse("accounts:login"), {"username": "baocao", "password": PASSWORD})
    assert response.status_code == 429
    assert "tạm khóa" in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.parametrize("username", ["", "x" * 5000, "' OR 1=1 --", "\x00"])
def test_odd_log_in_input_never_errors(client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": "x"})
    assert response.status_code in (200, 429)


def test_a_user_belongs_to_one_organisation_at_most():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(
            username="hai", role="reporter", agency=agency("SO_KHCN"), admin_unit=current_commune("14758")
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="khongdonvi", role="reporter")


def test_scope_of_each_role():
    unit = current_commune("14758")
    assert Scope.for_user(UserFactory(role="leader")).everything
    assert Scope.for_user(UserFactory(role="secretariat")).everything
    reporter_scope = Scope.for_user(UserFactory(role="reporter", admin_unit=unit))
    assert reporter_scope == Scope(admin_unit_ids=frozenset({unit.pk}))
    assert not reporter_scope.covers(admin_unit_id=unit.pk + 1)


def test_only_the_secretariat_creates_users_and_it_is_audited():
    reporter = UserFactory(role="reporter", agency=agency("SO_KHCN"))
    with pytest.raises(NotAllowed):
        services.user_create(
            actor=reporter, username="moi", password=PASSWORD, role="reporter", agency=agency("SO_KHCN")
        )
    assert not User.objects.filter(username="moi").exists()
    secretariat = UserFactory(role="secretariat", agency=agency("SO_KHCN"))
    user = services.user_create(
        actor=secretariat,
        username="moi",
        password=PASSWORD,
        role="approver",
        admin_unit=current_commune("14758"),
    )
    assert AuditEvent.objects.get(action="accounts.user.create").target_id == str(user.pk)


def test_user_create_explains_what_is_wrong():
    with pytest.raises(InvalidData) as caught:
        services.user_create(actor=SYSTEM, username="x", password=PASSWORD, role="vua")
    assert caught.value.details == [
        "Vai trò 'vua' không hợp lệ.",
        "Cán bộ báo cáo và lãnh đạo đơn vị phải thuộc một cơ quan hoặc đơn vị.",
    ]


def test_secretariat_may_use_the_admin_and_its_edits_are_audited(client):
    secretariat = services.user_create(
        actor=SYSTEM, username="tgv", password=PASSWORD, role="secretariat", agency=agency("SO_KHCN")
    )
    client.force_login(secretariat)
    so_tc = agency("SO_TAI_CHINH")
    url = reverse("admin:org_agency_change", args=[so_tc.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": so_tc.code,
            "name": "Sở Tài chính",
            "aliases": '["STC"]',
            "kind": "department",
            "valid_from": "",
            "valid_to": "",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.change")
    assert event.changes == {"aliases": [[], ["STC"]]} and event.actor == secretariat
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_check_deploy_is_clean_in_production_mode():
    env = child_environ(
        DXTRACK_ENV="production",
        DXTRACK_SECRET_KEY="k" * 20 + "Zq8#x!v9Lp2@mN5$rT7&wY" * 3,
        DXTRACK_ALLOWED_HOSTS="dxtrack.thanhhoa.gov.vn",
    )
    result = subprocess.run(
        [sys.executable, "-m", "dxtrack.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = child_environ(without=("DXTRACK_SECRET_KEY",), DXTRACK_ENV="production")
    result = subprocess.run(
        [sys.executable, "-m", "dxtrack.cli", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "DXTRACK_SECRET_KEY must be set in production" in result.stderr
