"""Writes to accounts: creating users and giving them their role's permissions."""

import datetime
import hashlib
import hmac
import logging
import re
import secrets
import smtplib

from django.contrib.auth.models import Group, Permission
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.text import clean_text

from .access import Access
from .models import PROVINCE_WIDE_ROLES, ApiToken, Role, User

logger = logging.getLogger(__name__)

SECRETARIAT_GROUP = "Tổ giúp việc Ban Chỉ đạo"
# The secretariat keeps the registry and the reporting settings in the admin; it may not touch
# permissions or audit.
_SECRETARIAT_APPS = ("org", "accounts", "obligations", "reports", "steering")


def secretariat_group() -> Group:
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    perms = Permission.objects.filter(content_type__app_label__in=_SECRETARIAT_APPS)
    group.permissions.set(perms)
    return group


@transaction.atomic
def user_create(
    *,
    actor: Access,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    email: str = "",
    agency=None,
    admin_unit=None,
) -> User:
    """The secretariat, or the system itself (command line, demo set-up)."""
    access = Access.of(actor)
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được tạo tài khoản.")
    problems = []
    if role not in Role.values or role == Role.ENTERPRISE:
        # enterprise accounts come only from the registration (enterprise_register)
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
        actor=access,
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


def _may_hold_token(user: User) -> bool:
    return user.is_active and user.role in TOKEN_ROLES and user.organisation is not None


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


@transaction.atomic
def token_create(*, actor: Access, user: User, name: str, expires=None) -> tuple[ApiToken, str]:
    """A new token acting as `user`, and its plain text, which is never stored and cannot be
    shown again. `expires`: a datetime, or a date (valid through that day); None: no end.
    A user makes tokens for themselves; only a superuser makes one for someone else (audited, and
    the owner is told by e-mail), since a token lets whoever holds it act as its owner. The system
    (the demo, tests) makes any."""
    access = Access.of(actor)
    own = access.user is not None and access.user.pk == user.pk
    if not (access.is_system or own or access.is_superuser):
        raise NotAllowed("Chỉ chính người dùng (hoặc quản trị viên cấp cao) được tạo mã truy cập API của mình.")
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
        created_by=access.user,
        expires_at=expires,
    )
    audit.record(
        actor=access,
        action="accounts.token.create",
        target=token,
        changes={"name": [None, name], "user": [None, user.pk], "expires_at": [None, expires and expires.isoformat()]},
        reason="" if access.is_system or own else f"Tạo thay cho {user.username}",
    )
    if not access.is_system and not own:
        _tell_owner_of_token(token, access.user)
    return token, plain


def _tell_owner_of_token(token: ApiToken, actor) -> None:
    """The owner learns that someone else made a token acting as them (after commit: no mail for
    a token that was rolled back)."""
    if not token.user.email:
        return
    subject = "dxtrack: một mã truy cập API vừa được tạo cho tài khoản của anh/chị"
    body = (
        f"Quản trị viên {actor.get_username()} vừa tạo mã truy cập API “{token.name}” (tiền tố {token.prefix}) "
        "đứng tên tài khoản của anh/chị. Nếu anh/chị không yêu cầu, hãy thu hồi mã tại trang Tài khoản → "
        "Mã truy cập API và báo Tổ giúp việc."
    )
    recipient = token.user.email
    transaction.on_commit(lambda: _mail_quietly(subject, body, recipient))


def _mail_quietly(subject: str, body: str, recipient: str) -> None:
    """The token stands whether or not the mail server answers; a failure is logged, not raised
    (Django 6 deprecates send_mail's fail_silently)."""
    try:
        send_mail(subject, body, None, [recipient])
    except (OSError, smtplib.SMTPException):
        logger.exception("accounts: the token notice to %s could not be sent", recipient)


@transaction.atomic
def token_revoke(*, actor: Access, token: ApiToken) -> ApiToken:
    """Ends a token for good. The secretariat (and the system) revokes any token, a user their own;
    revoking a revoked token changes nothing."""
    access = Access.of(actor)
    own = access.user is not None and access.user.pk == token.user_id
    if not (access.runs_programme or own):
        raise NotAllowed("Chỉ Tổ giúp việc hoặc chủ của mã được thu hồi mã truy cập API.")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = access.user
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=access,
        action="accounts.token.revoke",
        target=token,
        changes={"revoked_at": [None, token.revoked_at.isoformat()]},
    )
    return token


def token_authenticate(plain: str) -> User | None:
    """The user a token acts as, or None when it is malformed, unknown, expired, revoked, or its
    user may no longer hold one (left, or moved to a province-wide role)."""
    token = token_lookup(plain)
    return token.user if token is not None else None


def token_lookup(plain: str) -> ApiToken | None:
    """The valid token `plain` names (its user loaded), as token_authenticate judges it."""
    match = _TOKEN_RE.match(plain or "")
    if match is None:
        return None
    # The user's unit and agency with it: `_may_hold_token` asks for the user's organisation, and
    # an API request should not pay a second round trip for it.
    token = ApiToken.objects.select_related("user__agency", "user__admin_unit").filter(prefix=match.group(1)).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(plain)):
        return None
    now = timezone.now()
    if not token.is_valid_at(now) or not _may_hold_token(token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at >= _LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# ---- passwords -------------------------------------------------------------------------------------


@transaction.atomic
def password_set_by_admin(*, actor: Access, user: User) -> None:
    """Records a password set in the admin; unless the actor set their own, the owner must change
    it at the next log-in (until then the site leads them to the change form)."""
    access = Access.of(actor)
    by_other = access.user is None or access.user.pk != user.pk
    User.objects.filter(pk=user.pk).update(must_change_password=by_other)
    audit.record(
        actor=access,
        action="accounts.password.reset",
        target=user,
        changes={"password": ["…", "(đã đặt mật khẩu mới)"], "must_change_password": [False, by_other]},
        reason="" if not by_other else f"Đặt lại mật khẩu cho {user.username}",
    )


@transaction.atomic
def password_changed(*, actor: Access) -> None:
    """The owner changed their own password: the demand to change it ends."""
    access = Access.of(actor)
    user = access.user
    if user is None:
        raise NotAllowed("Chỉ người dùng đã đăng nhập đổi được mật khẩu của mình.")
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    audit.record(
        actor=access,
        action="accounts.password.change",
        target=user,
        changes={"password": ["…", "(đã đổi)"], "must_change_password": [user.must_change_password, False]},
    )


# ---- log-in lock-outs ------------------------------------------------------------------------------


def lockouts(*, actor: Access):
    """The client addresses locked out now (django-axes' attempts at or past the limit)."""
    from axes.models import AccessAttempt
    from django.conf import settings

    if not Access.of(actor).is_secretariat:
        raise NotAllowed("Chỉ Tổ giúp việc xem và mở khóa đăng nhập.")
    return AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by("-attempt_time")


@transaction.atomic
def lockout_release(*, actor: Access, attempt_id: int) -> int:
    """Lets a locked-out address log in again at once; audited. Returns how many records went."""
    from axes.models import AccessAttempt

    access = Access.of(actor)
    attempt = lockouts(actor=access).filter(pk=attempt_id).first()
    if attempt is None:
        return 0
    audit.record(
        actor=access,
        action="accounts.lockout.release",
        target=attempt,
        changes={"ip_address": [attempt.ip_address, None], "failures": [attempt.failures_since_start, 0]},
    )
    count, _ = AccessAttempt.objects.filter(ip_address=attempt.ip_address).delete()
    return count


@transaction.atomic
def password_reset_by_email(*, user: User) -> None:
    """The owner set a new password through the e-mailed link (who they are is proved by the
    link): the demand to change it ends; audited as the owner."""
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    audit.record(
        actor=Access.for_user(user),
        action="accounts.password.reset_by_email",
        target=user,
        changes={
            "password": ["…", "(đã đặt lại qua e-mail)"],
            "must_change_password": [user.must_change_password, False],
        },
    )


# ---- the secretariat's users of a unit -------------------------------------------------------------


def _may_manage(access: Access, user: User) -> None:
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được quản lý tài khoản.")
    if access.user is not None and access.user.pk == user.pk:
        raise NotAllowed("Không thể tự khóa tài khoản của chính mình.")
    if user.is_superuser and not access.is_superuser and not access.is_system:
        raise NotAllowed("Chỉ quản trị viên cấp cao được khóa tài khoản quản trị viên cấp cao.")


@transaction.atomic
def user_deactivate(*, actor: Access, user: User, reason: str = "") -> User:
    """Locks an account: the person can no longer log in, their sessions end at once and their API
    tokens stop working (an inactive user holds none). Nothing is deleted: their reports and the
    audit log keep their name."""
    from .sessions import sessions_end_all

    access = Access.of(actor)
    _may_manage(access, user)
    reason = clean_text(reason)[:500]
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_end_all(user)
    audit.record(
        actor=access,
        action="accounts.user.deactivate",
        target=user,
        changes={"is_active": [True, False], "sessions": [ended, 0]},
        reason=reason,
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: Access, user: User) -> User:
    access = Access.of(actor)
    _may_manage(access, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record(actor=access, action="accounts.user.reactivate", target=user, changes={"is_active": [False, True]})
    return user
