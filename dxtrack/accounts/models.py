from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Quản trị (Tổ giúp việc Ban Chỉ đạo)")
    REPORTER = "reporter", _("Cán bộ đầu mối báo cáo")
    APPROVER = "approver", _("Lãnh đạo đơn vị (ký duyệt)")
    LEADER = "leader", _("Lãnh đạo tỉnh (xem toàn bộ)")
    # Registers itself on the public page and sees only its own enterprise (ADR 0040).
    ENTERPRISE = "enterprise", _("Doanh nghiệp (tự đánh giá chuyển đổi số)")


# Roles whose reach is the whole province; the others are held to their own agency or unit.
PROVINCE_WIDE_ROLES = frozenset({Role.SECRETARIAT, Role.LEADER})


class User(AbstractUser):
    """A person with one role, belonging to one agency or one administrative unit."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.REPORTER)
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    admin_unit = models.ForeignKey(
        "org.AdminUnit",
        verbose_name=_("đơn vị hành chính"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    enterprise = models.ForeignKey(
        "org.Enterprise",
        verbose_name=_("doanh nghiệp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    # Set when someone else sets the password (the admin's reset): the owner changes it at the
    # next log-in, so nobody keeps a password that another person knows.
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~(Q(agency__isnull=False) & Q(admin_unit__isnull=False)),
                name="user_one_organisation",
                violation_error_message=_("Một người dùng chỉ thuộc một cơ quan hoặc một đơn vị hành chính."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=sorted(r.value for r in PROVINCE_WIDE_ROLES))
                | Q(role=Role.ENTERPRISE)
                | Q(agency__isnull=False)
                | Q(admin_unit__isnull=False),
                name="user_unit_role_has_organisation",
                violation_error_message=_("Cán bộ báo cáo và lãnh đạo đơn vị phải thuộc một cơ quan hoặc đơn vị."),
            ),
            # An enterprise's account belongs to its enterprise and to nothing else; only it does.
            models.CheckConstraint(
                condition=(
                    Q(role=Role.ENTERPRISE)
                    & Q(enterprise__isnull=False)
                    & Q(agency__isnull=True)
                    & Q(admin_unit__isnull=True)
                )
                | (~Q(role=Role.ENTERPRISE) & Q(enterprise__isnull=True)),
                name="user_enterprise_account_alone",
                violation_error_message=_("Tài khoản doanh nghiệp chỉ thuộc đúng một doanh nghiệp."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def organisation(self):
        return self.agency or self.admin_unit

    @property
    def is_province_wide(self) -> bool:
        return self.is_superuser or self.role in PROVINCE_WIDE_ROLES


class ApiToken(models.Model):
    """A secret that lets another system call the API as one user of one unit, so it reaches
    exactly what that user may (their unit's obligations). Only a hash of the secret is kept: the
    plain token is shown once, when it is made."""

    name = models.CharField(_("tên"), max_length=100, help_text=_("Hệ thống nào dùng mã này, để nhận ra khi thu hồi."))
    user = models.ForeignKey(
        User, verbose_name=_("hành động với tư cách"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    # The token reads "dxt_<prefix>_<secret>"; the prefix finds the row, the digest proves the rest.
    prefix = models.CharField(_("tiền tố"), max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User, verbose_name=_("người tạo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("người thu hồi"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (dxt_{self.prefix}_…)"

    def is_valid_at(self, at) -> bool:
        return self.revoked_at is None and (self.expires_at is None or at < self.expires_at)


class UserSession(models.Model):
    """A signed-in session of a user, so that they can see where they are signed in and end those
    sessions ("log out everywhere"): Django's session store is not searchable by user. Written on
    log-in, removed on log-out; a row whose session expired is dropped when the list is read."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("đăng nhập lúc"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("địa chỉ"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = _("phiên đăng nhập")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"
