"""The secretariat cannot grant itself more than it has; every admin act is audited with old → new
and with how its actor authenticated; a password set by another must be changed by its owner."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from dxtrack.accounts import services
from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.models import Role, User
from dxtrack.core.models import AuditEvent, Via
from dxtrack.org.tests.factories import current_commune

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HAM_RONG = "14758"
NEW = "Rieng-cua-toi-2026#"


@pytest.fixture
def totruong():
    """The secretariat as the demo makes it: staff, in its group, not superuser."""
    return services.user_create(actor=SYSTEM, username="totruong", password=PASSWORD, role=Role.SECRETARIAT)


@pytest.fixture
def superuser():
    return UserFactory(role=Role.SECRETARIAT, is_staff=True, is_superuser=True, username="root")


@pytest.fixture
def reporter():
    return UserFactory(role=Role.REPORTER, admin_unit=current_commune(HAM_RONG), agency=None, username="hr.baocao")


def _change_form_data(client, user) -> dict:
    """What the admin's change form would post back unchanged."""
    page = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, datetime.datetime):  # the admin splits it into a day and a time
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = local.date().isoformat(), local.strftime("%H:%M:%S.%f")
        elif isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "pk"):
            data[name] = value.pk
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    return data


def test_the_secretariat_cannot_make_itself_superuser_or_grant_permissions(client, totruong):
    # Given the secretariat (staff, not superuser) in the admin
    client.force_login(totruong)
    data = _change_form_data(client, totruong)
    permission = Permission.objects.get(codename="delete_user")
    group = Group.objects.create(name="Quản trị toàn quyền")
    # When it posts its own change form with superuser status, a permission and a group
    response = client.post(
        reverse("admin:accounts_user_change", args=[totruong.pk]),
        {**data, "is_superuser": "on", "user_permissions": [permission.pk], "groups": [group.pk]},
    )
    # Then the form saves what it may change and none of the powers
    assert response.status_code == 302
    totruong.refresh_from_db()
    assert (totruong.is_superuser, list(totruong.user_permissions.all())) == (False, [])
    assert [g.name for g in totruong.groups.all()] == [services.SECRETARIAT_GROUP]
    page = client.get(reverse("admin:accounts_user_change", args=[totruong.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page and 'name="groups"' not in page


def test_the_secretariat_cannot_change_a_superusers_account_or_see_groups(client, totruong, superuser):
    # Given the secretariat in the admin
    client.force_login(totruong)
    before = (superuser.email, superuser.password)
    # When it posts a change of a superuser's e-mail, or a new password for them
    url = reverse("admin:accounts_user_change", args=[superuser.pk])
    assert client.post(url, {"username": "root", "email": "ke-gian@example.com"}).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[superuser.pk])
    assert (
        client.post(password, {"password1": "Chiem-quyen-2026!", "password2": "Chiem-quyen-2026!"}).status_code == 403
    )
    # Then nothing changed, and the groups (which carry permissions) are not even listed to it
    superuser.refresh_from_db()
    assert (superuser.email, superuser.password) == before
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_a_superuser_granting_groups_and_permissions_is_audited_old_to_new(client, superuser, reporter):
    # Given a superuser in the admin and a group
    client.force_login(superuser)
    group = Group.objects.create(name="Biên tập")
    permission = Permission.objects.get(codename="view_user")
    data = _change_form_data(client, reporter)
    # When it gives the reporter the group and a permission
    response = client.post(
        reverse("admin:accounts_user_change", args=[reporter.pk]),
        {**data, "groups": [group.pk], "user_permissions": [permission.pk]},
    )
    assert response.status_code == 302
    # Then the audit says which, old → new, and that it was done in the admin
    event = AuditEvent.objects.filter(action="admin.change", target_id=str(reporter.pk)).get()
    assert event.changes == {"groups": [[], ["Biên tập"]], "user_permissions": [[], [str(permission)]]}
    assert (event.actor, event.via) == (superuser, Via.ADMIN)


def test_a_group_change_is_audited(client, superuser):
    client.force_login(superuser)
    permission = Permission.objects.get(codename="view_user")
    response = client.post(reverse("admin:auth_group_add"), {"name": "Xem người dùng", "permissions": [permission.pk]})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.add", target_type="auth.group")
    assert event.changes["permissions"] == [[], [str(permission)]]


def test_a_password_reset_by_the_secretariat_is_audited_and_must_be_changed_at_next_log_in(client, totruong, reporter):
    # Given the secretariat in the admin
    client.force_login(totruong)
    # When it sets the reporter's password
    url = reverse("admin:auth_user_password_change", args=[reporter.pk])
    response = client.post(url, {"password1": "Mat-khau-moi-2026!", "password2": "Mat-khau-moi-2026!"})
    assert response.status_code == 302
    # Then the reset is audited, naming who did it and how
    event = AuditEvent.objects.get(action="accounts.password.reset")
    assert (event.actor, event.target_id, event.via) == (totruong, str(reporter.pk), Via.ADMIN)
    assert event.changes["must_change_password"] == [False, True]
    # And the reporter, logging in with it, is led to change it before anything else
    client.logout()
    login = client.post(reverse("accounts:login"), {"username": "hr.baocao", "password": "Mat-khau-moi-2026!"})
    assert login.status_code == 302
    assert client.get(reverse("reports:index")).url == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Mat-khau-moi-2026!", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.must_change_password is False
    assert client.get(reverse("reports:index")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.password.change", actor=reporter, via=Via.SESSION).exists()


def test_an_api_write_names_the_token_and_who_minted_it(client, superuser, reporter, calendar_2025):
    # Given a token that a superuser minted for the reporter of a commune with an open report
    from dxtrack.reports import selectors
    from dxtrack.reports.services.opening import report_open
    from dxtrack.reports.tests.builders import commune_obligation

    obligation = commune_obligation()
    reporter.admin_unit = obligation.admin_unit
    reporter.save()
    report = report_open(actor=reporter, obligation=obligation)
    token, plain = services.token_create(actor=superuser, user=reporter, name="Phần mềm xã")
    task = selectors.form_tasks(obligation)[0][0]
    # When a task update is written through the API with that token
    response = client.post(
        f"/api/reporting/reports/{report.pk}/tasks",
        {"tasks": [{"task": task.pk, "state": "in_progress", "percent": 30}]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert response.status_code == 200, response.content
    # Then its audit event names the reporter, the token, and the superuser behind the token
    event = AuditEvent.objects.get(action="reporting.task_update.set")
    assert (event.actor, event.via, event.token_id, event.real_actor) == (reporter, Via.TOKEN, token.pk, superuser)


def test_a_login_password_is_never_in_the_audit(client, superuser, reporter):
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[reporter.pk])
    client.post(url, {"password1": "Mat-khau-moi-2026!", "password2": "Mat-khau-moi-2026!"})
    assert "Mat-khau-moi-2026!" not in str(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert User.objects.get(pk=reporter.pk).check_password(PASSWORD) is False


def test_the_secretariat_reads_the_audit_log_with_filters_and_others_cannot(client, totruong, superuser, reporter):
    # Given a password reset done in the admin by the secretariat
    client.force_login(totruong)
    url = reverse("admin:auth_user_password_change", args=[reporter.pk])
    client.post(url, {"password1": "Mat-khau-moi-2026!", "password2": "Mat-khau-moi-2026!"})
    # When the secretariat opens the log filtered on that action and on the admin
    page = client.get(reverse("core:audit_log"), {"thao_tac": "accounts.password.reset", "qua": "admin"})
    # Then the event is there with who, how and what
    assert page.status_code == 200
    rows = list(page.context["page"])
    assert [(e.action, e.actor, e.via) for e in rows] == [("accounts.password.reset", totruong, Via.ADMIN)]
    html = page.content.decode()
    assert "trang quản trị" in html and "Đặt lại mật khẩu cho hr.baocao" in html
    # named in words, never by its internal code (which stays only in the filter's option value)
    assert "<td>đặt lại mật khẩu</td>" in html and ">accounts.password.reset<" not in html
    assert "phải đổi mật khẩu" in html  # the field as the model names it
    # A bad date is said in Vietnamese, not a server error
    bad = client.get(reverse("core:audit_log"), {"tu_ngay": "31/02/2026"})
    assert bad.status_code == 200 and "Từ ngày “31/02/2026” không phải là ngày có thật" in bad.content.decode()
    # And a unit's user is refused
    client.force_login(reporter)
    reporter.must_change_password = False
    reporter.save()
    assert client.get(reverse("core:audit_log")).status_code == 403
