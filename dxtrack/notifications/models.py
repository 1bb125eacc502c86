"""Notifications: one row per recipient and event, shown in the app (the bell) and/or e-mailed,
as the recipient chose for that kind (Preference; no row: the kind's default)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPORT_SUBMITTED = "report_submitted", _("Báo cáo được gửi lên Tổ giúp việc")
    REPORT_RETURNED = "report_returned", _("Báo cáo bị trả lại")
    REPORT_APPROVED = "report_approved", _("Báo cáo được duyệt")
    SIGNATURE_REQUESTED = "signature_requested", _("Báo cáo chờ lãnh đạo ký gửi")
    DUE_SOON = "due_soon", _("Báo cáo sắp đến hạn")
    OVERDUE = "overdue", _("Báo cáo quá hạn")
    ASSIGNED = "assigned", _("Được giao chỉ đạo, nhiệm vụ")


class Delivery(models.TextChoices):
    APP = "app", _("Trong ứng dụng")
    EMAIL = "email", _("Qua e-mail")
    BOTH = "both", _("Cả hai")


# Every kind is worth both by default: each one asks the person to act, and the e-mail reaches
# those who do not open the site every day (the reminders were e-mail only before).
DEFAULT_DELIVERY = {kind: Delivery.BOTH for kind in Kind.values}


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    # The event and the recipient: a second notify() of the same event (a retried task, a
    # re-run) finds the row and sends nothing. Unique, so two concurrent runs cannot both insert.
    key = models.CharField(max_length=200, unique=True)
    in_app = models.BooleanField(_("hiện trong ứng dụng"), default=True)
    by_email = models.BooleanField(_("gửi e-mail"), default=False)
    # Claimed by the delivery task before the mail leaves (at most once, ADR 0028).
    emailed_at = models.DateTimeField(_("đã gửi e-mail lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recipient", "in_app", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    delivery = models.CharField(_("cách nhận"), max_length=8, choices=Delivery.choices, default=Delivery.BOTH)

    class Meta:
        verbose_name = _("cách nhận thông báo")
        verbose_name_plural = _("cách nhận thông báo")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} → {self.delivery}"
