"""The secretariat's settings of the reporting cycle. Reports and values change only through the
services (the pages, the Excel upload, the API): here they are read-only."""

from django.contrib import admin

from dxtrack.core.admin import AuditedAdminMixin

from .models import IndicatorReporter, Obligation, Period, Report, ValidationRule


@admin.register(IndicatorReporter)
class IndicatorReporterAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("indicator", "agency")
    list_filter = ("agency",)
    search_fields = ("indicator__name", "indicator__code", "agency__name")
    autocomplete_fields = ("agency",)


@admin.register(ValidationRule)
class ValidationRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "left", "left_part", "operator", "right", "right_part", "importance")
    list_filter = ("importance",)
    search_fields = ("name", "message")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("label", "period_type", "start", "end", "data_from", "data_to", "closed_at")
    list_filter = ("period_type", "year")


@admin.register(Obligation)
class ObligationAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "period", "due", "window_from", "window_to")
    list_filter = ("period__period_type", "period__year")
    search_fields = ("agency__name", "admin_unit__name")
    list_select_related = ("period", "agency", "admin_unit")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "first_submitted_at", "decided_at")
    list_filter = ("status", "obligation__period__year")
    search_fields = ("obligation__agency__name", "obligation__admin_unit__name")
    list_select_related = ("obligation__period", "obligation__agency", "obligation__admin_unit")
