"""Reporting periods and the obligations they create: who must report what, by when, and the
reminders sent for them."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodType(models.TextChoices):
    QUARTERLY = "quarterly", _("Quý")
    SEMIANNUAL = "semiannual", _("6 tháng")
    YEARLY = "yearly", _("Năm")


class Period(models.Model):
    period_type = models.CharField(_("loại kỳ"), max_length=12, choices=PeriodType.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(_("số thứ tự trong năm"))
    label = models.CharField(_("kỳ"), max_length=40)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    data_from = models.DateField(_("số liệu từ ngày"))
    data_to = models.DateField(_("số liệu đến ngày"))
    closed_at = models.DateTimeField(_("khóa sổ lúc"), null=True, blank=True)

    class Meta:
        db_table = "reporting_period"  # kept from the reporting app (ADR 0018)
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["year", "period_type", "number"]
        constraints = [
            models.UniqueConstraint(fields=["period_type", "year", "number"], name="period_once"),
            models.CheckConstraint(condition=Q(data_to__gte=models.F("data_from")), name="period_window_ordered"),
        ]

    def __str__(self) -> str:
        return self.label


class Obligation(models.Model):
    """One reporting body's duty to report under one rule for one period, over the part of the
    period in which it existed."""

    rule = models.ForeignKey(
        "plans.ReportingRule", verbose_name=_("quy định báo cáo"), on_delete=models.CASCADE, related_name="obligations"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="obligations"
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obligations",
    )
    admin_unit = models.ForeignKey(
        "org.AdminUnit",
        verbose_name=_("đơn vị hành chính"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obligations",
    )
    due = models.DateField(_("hạn gửi"))
    window_from = models.DateField(_("số liệu từ ngày"))
    window_to = models.DateField(_("số liệu đến ngày"))

    class Meta:
        db_table = "reporting_obligation"  # kept from the reporting app (ADR 0018)
        verbose_name = _("nghĩa vụ báo cáo")
        verbose_name_plural = _("nghĩa vụ báo cáo")
        ordering = ["period", "due"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(agency__isnull=False) & Q(admin_unit__isnull=True))
                | (Q(agency__isnull=True) & Q(admin_unit__isnull=False)),
                name="obligation_one_reporter",
            ),
            models.UniqueConstraint(
                fields=["rule", "period", "agency"],
                condition=Q(agency__isnull=False),
                name="obligation_once_per_agency",
            ),
            models.UniqueConstraint(
                fields=["rule", "period", "admin_unit"],
                condition=Q(admin_unit__isnull=False),
                name="obligation_once_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency or self.admin_unit} — {self.period}"


class IndicatorReporter(models.Model):
    """An agency that reports the province's own figure of an indicator. Communes and districts
    report every indicator that rolls up over units; agencies report what is assigned here."""

    indicator = models.ForeignKey(
        "plans.Indicator", verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="reporters"
    )
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("cơ quan báo cáo"), on_delete=models.CASCADE, related_name="indicators_reported"
    )

    class Meta:
        db_table = "reporting_indicatorreporter"  # kept from the reporting app (ADR 0018)
        verbose_name = _("đơn vị báo cáo chỉ tiêu")
        verbose_name_plural = _("đơn vị báo cáo chỉ tiêu")
        constraints = [models.UniqueConstraint(fields=["indicator", "agency"], name="indicator_reporter_once")]

    def __str__(self) -> str:
        return f"{self.agency} — {self.indicator}"


class Reminder(models.Model):
    """A reminder sent for an obligation; one per reason, so nobody is told twice."""

    KINDS = [("due_soon", _("sắp đến hạn")), ("overdue", _("quá hạn"))]

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("nghĩa vụ báo cáo"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("lý do nhắc"), max_length=10, choices=KINDS)
    sent_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    recipients = models.JSONField(_("người nhận"), default=list)

    class Meta:
        db_table = "reporting_reminder"  # kept from the reporting app (ADR 0018)
        verbose_name = _("lời nhắc hạn báo cáo")
        verbose_name_plural = _("lời nhắc hạn báo cáo")
        constraints = [models.UniqueConstraint(fields=["obligation", "kind"], name="reminder_once_per_reason")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.obligation}"
