"""Progress kept ready to read: recomputed from approved data when a report is approved or unlocked
(for the indicators it carries), never edited by hand."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TargetProgress(models.Model):
    target = models.OneToOneField("plans.Target", on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(_("tình trạng"), max_length=24)
    score = models.FloatField(_("điểm"), null=True, blank=True)
    ratio = models.FloatField(null=True, blank=True)
    projected = models.FloatField(_("dự báo năm mục tiêu"), null=True, blank=True)
    # The year the status is assessed as of (PROGRESS.md): every page shows the stored status, so
    # all rows are recomputed together when the year changes (services.recompute.recompute_for_report).
    as_of = models.PositiveSmallIntegerField(_("năm đánh giá"), null=True, blank=True)
    # A past milestone's outcome (met / met_late / missed), blank for one still ahead; `status`
    # is then what it gives the target (target_achieved or missed).
    outcome = models.CharField(_("kết quả mốc đã qua"), max_length=24, blank=True)
    met_year = models.PositiveSmallIntegerField(_("năm đạt"), null=True, blank=True)
    latest_year = models.PositiveSmallIntegerField(null=True, blank=True)
    latest_value = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=10, blank=True)  # direct | rollup
    reason = models.CharField(max_length=255, blank=True)
    detail = models.JSONField(default=dict)  # milestones and the observations used
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tiến độ chỉ tiêu")
        verbose_name_plural = _("tiến độ chỉ tiêu")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.target_id}: {self.status}"


class Scorecard(models.Model):
    KINDS = [
        ("province", _("Toàn tỉnh")),
        ("pillar", _("Trụ cột")),
        ("sector", _("Ngành, lĩnh vực")),
        ("agency", _("Cơ quan")),
        ("commune", _("Xã, phường")),
    ]

    kind = models.CharField(max_length=10, choices=KINDS)
    key = models.CharField(max_length=80)  # pillar/sector code, agency code, unit id
    label = models.CharField(max_length=255)
    counts = models.JSONField(default=dict)  # status → number of targets
    score = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=24)
    tasks = models.JSONField(default=dict)  # task state → number
    overdue_tasks = models.PositiveIntegerField(default=0)
    expected_reports = models.PositiveIntegerField(default=0)
    reported = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    rank = models.PositiveIntegerField(null=True, blank=True)
    reasons = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bảng điểm")
        verbose_name_plural = _("bảng điểm")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="scorecard_once")]
        ordering = ["kind", "rank", "label"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}"

    @property
    def reporting_rate(self) -> float | None:
        return round(100 * self.reported / self.expected_reports, 1) if self.expected_reports else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.expected_reports, 1) if self.expected_reports else None


class PeriodAggregate(models.Model):
    """The approved values of one indicator in one period, summed: per source (an agency's own
    figure, or the units'). Kept so that an approval refreshes only its own indicators and
    period, and every series and scorecard reads a table of thousands of rows, not millions."""

    indicator = models.ForeignKey("plans.Indicator", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey("obligations.Period", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)  # direct | rollup
    n = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=24, decimal_places=4, null=True)
    num = models.DecimalField(max_digits=24, decimal_places=4, null=True)
    den = models.DecimalField(max_digits=24, decimal_places=4, null=True)
    mean = models.DecimalField(max_digits=24, decimal_places=4, null=True)

    class Meta:
        verbose_name = _("tổng hợp số liệu theo kỳ")
        verbose_name_plural = _("tổng hợp số liệu theo kỳ")
        constraints = [models.UniqueConstraint(fields=["indicator", "period", "kind"], name="periodaggregate_once")]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.period_id}/{self.kind}"
