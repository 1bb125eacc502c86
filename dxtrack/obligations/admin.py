"""The secretariat's settings of the calendar: who reports which indicator. Periods and
obligations are made by the calendar service only: here they are read-only."""

from django.contrib import admin

from dxtrack.core.admin import AuditedAdminMixin

from .models import IndicatorReporter, Obligation, Period


@admin.register(IndicatorReporter)
class IndicatorReporterAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("indicator", "agency")
    list_filter = ("agency",)
    search_fields = ("indicator__name", "indicator__code", "agency__name")
    autocomplete_fields = ("agency",)


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
