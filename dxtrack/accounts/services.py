"""Writes to accounts: creating users and giving them their role's permissions."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed

from .models import PROVINCE_WIDE_ROLES, Role, User

SECRETARIAT_GROUP = "Tổ giúp việc Ban Chỉ đạo"
# The secretariat keeps the registry and the reporting settings in the admin; it may not touch
# permissions or audit.
_SECRETARIAT_APPS = ("org", "accounts", "reporting")


def secretariat_group() -> Group:
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    perms = Permission.objects.filter(content_type__app_label__in=_SECRETARIAT_APPS)
    group.permissions.set(perms)
    return group


def _may_manage_users(actor) -> bool:
    return actor is None or actor.is_superuser or (actor.is_authenticated and actor.role == Role.SECRETARIAT)


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    email: str = "",
    agency=None,
    admin_unit=None,
) -> User:
    """actor None means the system itself (command line, demo set-up)."""
    if not _may_manage_users(actor):
        raise NotAllowed("Chỉ Tổ giúp việc được tạo tài khoản.")
    problems = []
    if role not in Role.values:
        problems.append(f"Vai trò '{role}' không hợp lệ.")
    if agency is not None and admin_unit is not None:
        problems.append("Một người dùng chỉ thuộc một cơ quan hoặc một đơn vị hành chính.")
    if role not in PROVINCE_WIDE_ROLES and agency is None and admin_unit is None:
        problems.append("Cán bộ báo cáo và lãnh đạo đơn vị phải thuộc một cơ quan hoặc đơn vị.")
    if User.objects.filter(username=username).exists():
        problems.append(f"Tên đăng nhập '{username}' đã có.")
    if problems:
        raise InvalidData("Chưa tạo được tài khoản.", details=problems)
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        role=role,
        agency=agency,
        admin_unit=admin_unit,
        is_staff=role == Role.SECRETARIAT,
    )
    user.set_password(password)
    user.save()
    if role == Role.SECRETARIAT:
        user.groups.add(secretariat_group())
    audit.record(
        actor=actor,
        action="accounts.user.create",
        target=user,
        changes={
            "role": [None, role],
            "agency": [None, agency and agency.pk],
            "admin_unit": [None, admin_unit and admin_unit.pk],
        },
    )
    return user
