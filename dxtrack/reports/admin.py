"""The secretariat's settings of reports: the checks between values. Reports and values change
only through the services (the pages, the Excel upload, the API): here they are read-only."""

from django.contrib import admin

from dxtrack.core.admin import AuditedAdminMixin
from dxtrack.obligations.admin import ReadOnlyAdmin

from .models import Report, ValidationRule


@admin.register(ValidationRule)
class ValidationRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "left", "left_part", "operator", "right", "right_part", "importance")
    list_filter = ("importance",)
    search_fields = ("name", "message")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "first_submitted_at", "decided_at")
    list_filter = ("status", "obligation__period__year")
    search_fields = ("obligation__agency__name", "obligation__admin_unit__name")
    list_select_related = ("obligation__period", "obligation__agency", "obligation__admin_unit")
