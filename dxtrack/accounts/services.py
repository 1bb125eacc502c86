"""Writes to accounts: creating users and giving them their role's permissions."""

import datetime
import hashlib
import hmac
import re
import secrets

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.text import clean_text

from .models import PROVINCE_WIDE_ROLES, ApiToken, Role, User

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


# ---- API tokens ------------------------------------------------------------------------------------

# Tokens act for one unit: only its reporters and approvers hold them. A province-wide role would
# turn a leaked secret into a key to every unit's data.
TOKEN_ROLES = frozenset({Role.REPORTER, Role.APPROVER})
TOKEN_NAME_MAX = 100
_TOKEN_RE = re.compile(r"^dxt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
# Writing last_used_at on every request would make every read a write; once a minute says enough.
_LAST_USED_STEP = datetime.timedelta(minutes=1)


def _digest(plain: str) -> str:
    # The secret is 256 random bits, not a password: a fast hash is enough and keeps each
    # request's check cheap; a slow one (argon2) would add nothing against guessing.
    return hashlib.sha256(plain.encode()).hexdigest()


def _is_secretariat(actor) -> bool:
    return actor is not None and actor.is_authenticated and (actor.is_superuser or actor.role == Role.SECRETARIAT)


def _may_hold_token(user: User) -> bool:
    return user.is_active and user.role in TOKEN_ROLES and user.organisation is not None


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


@transaction.atomic
def token_create(*, actor, user: User, name: str, expires=None) -> tuple[ApiToken, str]:
    """A new token acting as `user`, and its plain text, which is never stored and cannot be
    shown again. `expires`: a datetime, or a date (valid through that day); None: no end.
    The secretariat makes tokens for any unit's user, a user for themselves; actor None is the system."""
    if not (actor is None or _is_secretariat(actor) or (actor.is_authenticated and actor.pk == user.pk)):
        raise NotAllowed("Chỉ Tổ giúp việc hoặc chính người dùng được tạo mã truy cập API.")
    name = clean_text(name)
    if isinstance(expires, datetime.date) and not isinstance(expires, datetime.datetime):
        expires = _end_of_day(expires)
    problems = []
    if not name:
        problems.append("Đặt tên cho mã truy cập (hệ thống nào dùng mã này).")
    elif len(name) > TOKEN_NAME_MAX:
        problems.append(f"Tên dài quá {TOKEN_NAME_MAX} ký tự.")
    if not _may_hold_token(user):
        problems.append(
            "Mã truy cập API chỉ cấp cho cán bộ báo cáo hoặc lãnh đạo đơn vị (đang hoạt động) của một cơ quan, đơn vị."
        )
    if expires is not None and expires <= timezone.now():
        problems.append("Ngày hết hạn phải sau thời điểm hiện tại.")
    if problems:
        raise InvalidData("Chưa tạo được mã truy cập API.", details=problems)
    prefix = secrets.token_hex(6)
    while ApiToken.objects.filter(prefix=prefix).exists():  # 48 bits: a clash is rare, but possible
        prefix = secrets.token_hex(6)
    plain = f"dxt_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name,
        user=user,
        prefix=prefix,
        digest=_digest(plain),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=expires,
    )
    audit.record(
        actor=actor,
        action="accounts.token.create",
        target=token,
        changes={"name": [None, name], "user": [None, user.pk], "expires_at": [None, expires and expires.isoformat()]},
    )
    return token, plain


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Ends a token for good. The secretariat revokes any token, a user their own; revoking a
    revoked token changes nothing."""
    if not (actor is None or _is_secretariat(actor) or (actor.is_authenticated and actor.pk == token.user_id)):
        raise NotAllowed("Chỉ Tổ giúp việc hoặc chủ của mã được thu hồi mã truy cập API.")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=actor,
        action="accounts.token.revoke",
        target=token,
        changes={"revoked_at": [None, token.revoked_at.isoformat()]},
    )
    return token


def token_authenticate(plain: str) -> User | None:
    """The user a token acts as, or None when it is malformed, unknown, expired, revoked, or its
    user may no longer hold one (left, or moved to a province-wide role)."""
    match = _TOKEN_RE.match(plain or "")
    if match is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=match.group(1)).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(plain)):
        return None
    now = timezone.now()
    if not token.is_valid_at(now) or not _may_hold_token(token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at >= _LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
