"""The secretariat's periodic reports: drafts it edits, and issued reports kept with their number
and the exact files sent.

The files are kept in the row (BinaryField), not under MEDIA: they are written in the same
transaction as the number and the status, so an issue that fails leaves no stray file and an
issued report can never lose its file to a cleanup of the media directory; a database backup
carries them; and they are small (a DOCX of ~70 kB and a PDF of ~200 kB, a few dozen a year).
Lists defer them (selectors.reports)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    PERIODIC = "periodic", _("Báo cáo định kỳ")


class ScopeKind(models.TextChoices):
    PROGRAMME = "programme", _("Toàn bộ chương trình")
    PLAN = "plan", _("Một kế hoạch")
    PILLAR = "pillar", _("Một trụ cột")
    AGENCY = "agency", _("Một cơ quan")


class IssuedStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    ISSUED = "issued", _("Đã ban hành")


class IssuedReport(models.Model):
    kind = models.CharField(_("loại báo cáo"), max_length=12, choices=ReportKind.choices, default=ReportKind.PERIODIC)
    period = models.ForeignKey(
        "obligations.Period", verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="+"
    )
    scope_kind = models.CharField(_("phạm vi"), max_length=10, choices=ScopeKind.choices)
    scope_key = models.CharField(_("mã phạm vi"), max_length=80, blank=True)
    scope_label = models.CharField(_("tên phạm vi"), max_length=500)
    status = models.CharField(_("trạng thái"), max_length=8, choices=IssuedStatus.choices, default=IssuedStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)  # optimistic lock of the editable text
    title = models.CharField(_("trích yếu"), max_length=500)
    summary = models.CharField(_("tóm tắt"), max_length=500, blank=True)
    sections = models.JSONField(_("nội dung các phần"), default=dict)
    facts = models.JSONField(_("số liệu"), default=dict)
    # The number: a sequence per issuing body (its symbol, "TGV") and calendar year of issue.
    issuer_symbol = models.CharField(_("ký hiệu cơ quan ban hành"), max_length=20)
    year = models.PositiveSmallIntegerField(_("năm ban hành"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    docx = models.BinaryField(null=True, blank=True, editable=False)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("báo cáo định kỳ của Tổ giúp việc")
        verbose_name_plural = _("báo cáo định kỳ của Tổ giúp việc")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_symbol", "year", "number"],
                condition=Q(number__isnull=False),
                name="issuedreport_number_once",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(number__isnull=False) & Q(issued_on__isnull=False) & Q(docx__isnull=False)),
                name="issuedreport_issued_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title[:80]}"

    @property
    def reference(self) -> str:
        """'05/BC-TGV', or 'Bản nháp' before issue."""
        return f"{self.number:02d}/BC-{self.issuer_symbol}" if self.number else "Bản nháp"

    @property
    def is_draft(self) -> bool:
        return self.status == IssuedStatus.DRAFT
