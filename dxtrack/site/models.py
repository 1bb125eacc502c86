from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LastSeen(models.Model):
    """What a person's start page showed them last time: when, and every target's status then,
    so that the next visit lists the targets whose status changed since (ADR 0028)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="last_seen")
    seen_at = models.DateTimeField(_("xem lúc"), default=timezone.now)
    # target id (as text, JSON keys) → status code
    statuses = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("lần xem trang Việc của tôi")
        verbose_name_plural = _("lần xem trang Việc của tôi")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.seen_at:%Y-%m-%d %H:%M}"
