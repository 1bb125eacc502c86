from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Quản trị (Tổ giúp việc Ban Chỉ đạo)")
    REPORTER = "reporter", _("Cán bộ đầu mối báo cáo")
    APPROVER = "approver", _("Lãnh đạo đơn vị (ký duyệt)")
    LEADER = "leader", _("Lãnh đạo tỉnh (xem toàn bộ)")


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
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)

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
                | Q(agency__isnull=False)
                | Q(admin_unit__isnull=False),
                name="user_unit_role_has_organisation",
                violation_error_message=_("Cán bộ báo cáo và lãnh đạo đơn vị phải thuộc một cơ quan hoặc đơn vị."),
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
