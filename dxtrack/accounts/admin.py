from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from dxtrack.core.admin import AuditedAdminMixin

from .models import User


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ("username", "full_name", "role", "agency", "admin_unit", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("agency", "admin_unit")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Vai trò và đơn vị"), {"fields": ("full_name", "role", "agency", "admin_unit", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Vai trò và đơn vị"), {"fields": ("full_name", "role", "agency", "admin_unit")}),
    )
