"""Reports: what a body reports for an obligation (values, task updates, narrative), its status,
and the checks between values. The one definition of approved data lives here."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")
    LOCKED = "locked", _("Đã khóa")


# States in which the unit may still change what it reports.
EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
# States that count as "reported" in the rates (as DHIS2 counts completed data sets).
REPORTED_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.LOCKED})
# States whose data is the province's: approved (and locked after the period closed). The one
# definition of "approved data" (ADR 0018): progress, publication, open data and exchange read
# only these, through `approved()` below.
APPROVED = frozenset({ReportStatus.APPROVED, ReportStatus.LOCKED})


class ReportQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status__in=sorted(APPROVED))


class ReportedDataQuerySet(models.QuerySet):
    """Rows that belong to a report (values, task updates)."""

    def approved(self):
        return self.filter(report__status__in=sorted(APPROVED))


class Report(models.Model):
    """What one body reports for one obligation: values, task updates and the narrative."""

    obligation = models.OneToOneField(
        "obligations.Obligation", verbose_name=_("nghĩa vụ báo cáo"), on_delete=models.PROTECT, related_name="report"
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # optimistic lock of the narrative and the status
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    results = models.TextField(_("kết quả đạt được"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    created_at = models.DateTimeField(_("lập lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("duyệt / trả lại lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt / trả lại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    # Set when the secretariat unlocks a report of a closed period for a correction: this report
    # alone may then be changed, sent and approved again (and locks once approved).
    correction_open = models.BooleanField(_("mở để điều chỉnh sau khóa sổ"), default=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        db_table = "reporting_report"  # kept from the reporting app (ADR 0018)
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["obligation__period", "obligation__due"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return str(self.obligation)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def period_allows_changes(self) -> bool:
        """Its period is open, or the secretariat unlocked this report of a closed period for a
        correction. The one rule every edit, sending and decision reads."""
        return self.obligation.period.closed_at is None or self.correction_open

    @property
    def on_time(self) -> bool | None:
        if self.first_submitted_at is None:
            return None
        return timezone.localdate(self.first_submitted_at) <= self.obligation.due


class DataValue(models.Model):
    """One indicator's value in one report. Ratios keep numerator and denominator so they roll
    up correctly; `value` is then derived. Period and reporter are copied from the obligation so
    aggregates need no join."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey("plans.Indicator", on_delete=models.PROTECT, related_name="values")
    period = models.ForeignKey("obligations.Period", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    admin_unit = models.ForeignKey("org.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("tử số"), max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("mẫu số"), max_digits=20, decimal_places=4, null=True, blank=True)
    comment = models.TextField(_("giải trình"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReportedDataQuerySet.as_manager()

    class Meta:
        db_table = "reporting_datavalue"  # kept from the reporting app (ADR 0018)
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="datavalue_once_per_report")]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator_id}={self.value}"


class TaskState(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang triển khai")
    DONE = "done", _("Đã hoàn thành")


class TaskUpdate(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="task_updates")
    task = models.ForeignKey("plans.Task", on_delete=models.PROTECT, related_name="updates")
    state = models.CharField(_("tình trạng"), max_length=12, choices=TaskState.choices, default=TaskState.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    output = models.TextField(_("sản phẩm đã có"), blank=True)
    evidence_url = models.URLField(_("đường dẫn minh chứng"), max_length=500, blank=True)
    evidence_file = models.FileField(_("tệp minh chứng"), upload_to="evidence/%Y/%m/", max_length=300, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReportedDataQuerySet.as_manager()

    class Meta:
        db_table = "reporting_taskupdate"  # kept from the reporting app (ADR 0018)
        verbose_name = _("cập nhật nhiệm vụ")
        verbose_name_plural = _("cập nhật nhiệm vụ")
        constraints = [
            models.UniqueConstraint(fields=["report", "task"], name="taskupdate_once_per_report"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="taskupdate_percent_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.state}"


class Importance(models.TextChoices):
    HIGH = "high", _("Cao — là lỗi, không gửi được")
    MEDIUM = "medium", _("Trung bình — cảnh báo")
    LOW = "low", _("Thấp — cảnh báo")


class ValidationRule(models.Model):
    """A rule between two values of the same report: left (operator) right."""

    OPERATORS = [("<=", "≤"), ("<", "<"), ("==", "="), (">=", "≥"), (">", ">")]
    PARTS = [("value", _("giá trị")), ("numerator", _("tử số")), ("denominator", _("mẫu số"))]

    name = models.CharField(_("tên quy tắc"), max_length=255)
    message = models.CharField(_("thông báo"), max_length=500)
    left = models.ForeignKey(
        "plans.Indicator", verbose_name=_("chỉ tiêu vế trái"), on_delete=models.CASCADE, related_name="+"
    )
    left_part = models.CharField(_("phần của vế trái"), max_length=12, choices=PARTS, default="value")
    operator = models.CharField(_("phép so sánh"), max_length=2, choices=OPERATORS)
    right = models.ForeignKey(
        "plans.Indicator", verbose_name=_("chỉ tiêu vế phải"), on_delete=models.CASCADE, related_name="+"
    )
    right_part = models.CharField(_("phần của vế phải"), max_length=12, choices=PARTS, default="value")
    importance = models.CharField(_("mức độ"), max_length=6, choices=Importance.choices, default=Importance.MEDIUM)

    class Meta:
        db_table = "reporting_validationrule"  # kept from the reporting app (ADR 0018)
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")

    def __str__(self) -> str:
        return self.name
