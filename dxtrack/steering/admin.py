"""The committee's membership is kept in the admin (a seat per person and period, audited); the
sessions, directives and inspections have their own pages and services, so the admin only shows
them."""

from django.contrib import admin

from dxtrack.core.admin import AuditedAdminMixin

from .models import CommitteeMember, InspectionPlan, Session


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("person", "committee_role", "position", "agency", "valid_from", "valid_to")
    list_filter = ("committee_role",)
    search_fields = ("person", "position")
    autocomplete_fields = ("agency",)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Session)
class SessionAdmin(_ReadOnly):
    list_display = ("title", "date", "kind", "status")
    list_filter = ("kind", "status")


@admin.register(InspectionPlan)
class InspectionPlanAdmin(_ReadOnly):
    list_display = ("title", "year", "number")
