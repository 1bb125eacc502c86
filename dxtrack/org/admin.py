from django.contrib import admin

from dxtrack.core.admin import AuditedAdminMixin

from .models import AdminUnit, AdminUnitChange, Agency, AgencyChange, AgencyGroup, ContactPoint


@admin.register(AdminUnit)
class AdminUnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level", "valid_to")
    search_fields = ("name", "code", "search_name")
    autocomplete_fields = ("parent",)


@admin.register(AdminUnitChange)
class AdminUnitChangeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("old", "new", "kind", "share", "date", "legal_basis")
    list_filter = ("kind", "share", "date")
    search_fields = ("old__name", "new__name", "old__code", "new__code")
    autocomplete_fields = ("old", "new")


@admin.register(Agency)
class AgencyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "kind", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "code", "search_name")


@admin.register(AgencyChange)
class AgencyChangeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("old", "new", "share", "date")
    autocomplete_fields = ("old", "new")


@admin.register(AgencyGroup)
class AgencyGroupAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "member_level", "valid_to", "successor")
    search_fields = ("name", "code", "search_name")
    filter_horizontal = ("members",)


@admin.register(ContactPoint)
class ContactPointAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("person", "agency", "admin_unit", "phone", "email", "updated_at")
    search_fields = ("person", "email", "agency__name", "admin_unit__name")
    autocomplete_fields = ("agency", "admin_unit")
