from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Via(models.TextChoices):
    SESSION = "session", _("phiên đăng nhập")
    ADMIN = "admin", _("trang quản trị")
    TOKEN = "token", _("mã truy cập API")
    SYSTEM = "system", _("hệ thống, dòng lệnh")


class AuditEvent(models.Model):
    """One change made through a service: who, when, what, old → new, why. Never updated."""

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("thao tác"), max_length=64, db_index=True)
    target_type = models.CharField(_("loại đối tượng"), max_length=64)
    target_id = models.CharField(_("mã đối tượng"), max_length=64)
    target_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    # How the actor authenticated, and who was really behind the act where that is someone else
    # (a token minted by another person for the actor).
    via = models.CharField(_("xác thực qua"), max_length=12, choices=Via.choices, default=Via.SYSTEM)
    token_id = models.PositiveBigIntegerField(_("mã truy cập API"), null=True, blank=True)
    real_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực sự thao tác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.target_repr}"

    def action_label(self) -> str:
        from .audit import action_label

        return action_label(self.action)

    def change_rows(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for display. Read through this, not `changes.items` in a template: a
        change of a field named "items" would be looked up first."""
        from .audit import change_label, shown  # audit writes this model: imported here, not at the top

        fields = self._target_fields()
        rows = []
        for name, pair in (self.changes or {}).items():
            old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
            field = fields.get(name)
            # Named as the model names the field, and a choice's code shown as its label.
            choices = dict(field.flatchoices) if field is not None and field.choices else {}
            label = str(field.verbose_name) if field is not None else change_label(name)
            rows.append((label, shown(_choice(choices, old)), shown(_choice(choices, new))))
        return rows

    def unnamed_change_keys(self) -> list[str]:
        """The change keys that would be shown as stored: neither a field of the target nor labelled."""
        from .audit import CHANGE_LABELS

        fields = self._target_fields()
        return [name for name in (self.changes or {}) if name not in fields and name not in CHANGE_LABELS]

    def _target_fields(self) -> dict:
        from django.apps import apps

        try:
            model = apps.get_model(self.target_type)
        except (LookupError, ValueError):
            return {}
        return {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")}


def _choice(choices: dict, value):
    """A choice's label for its code; any other value (a list or dict of a bulk change, too) as is."""
    try:
        return choices.get(value, value)
    except TypeError:  # unhashable: a change's value may be a list or a dict (the round's dues)
        return value


class JobState(models.TextChoices):
    QUEUED = "queued", _("đang chờ")
    RUNNING = "running", _("đang chạy")
    DONE = "done", _("đã xong")
    FAILED = "failed", _("không thành công")


class Job(models.Model):
    """A long piece of work one person started from a page (a PDF conversion, a large download),
    run on the task queue; the page polls it for its state and, at the end, its file or error.

    Generic and in core so that any layer can start one without importing the queue's app
    (ADR "long work on the queue"); the work itself is a handler its own app registers
    (core.jobs.register). The file is kept in the row, like the issued reports' files: written
    in the transaction that marks the job done, and carried by a database backup."""

    kind = models.CharField(_("loại việc"), max_length=64)
    label = models.CharField(_("việc"), max_length=200)
    subject = models.CharField(_("đối tượng"), max_length=100, blank=True, db_index=True)
    params = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(_("trạng thái"), max_length=8, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    file = models.BinaryField(null=True, blank=True, editable=False)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("việc chạy nền")
        verbose_name_plural = _("việc chạy nền")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
