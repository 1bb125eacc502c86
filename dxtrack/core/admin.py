"""Django admin for the secretariat. Its writes are audited like any service's."""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist

from . import audit
from .models import AuditEvent

_SECRET_FIELDS = {"password", "password1", "password2"}


def _is_plain_field(obj, name: str) -> bool:
    if name in _SECRET_FIELDS:
        return False
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.concrete and not field.many_to_many


class AuditedAdminMixin:
    """Records every add, change and delete made in the admin as an AuditEvent, inside the
    transaction the admin already opens for the request."""

    def save_model(self, request, obj, form, change):
        plain = [f for f in form.changed_data if _is_plain_field(obj, f)]
        before = {}
        if change and plain:
            before = type(obj).objects.filter(pk=obj.pk).values(*plain).first() or {}
        super().save_model(request, obj, form, change)
        changes = audit.diff(before, {f: getattr(obj, f) for f in plain})
        for name in set(form.changed_data) - set(plain):
            # Passwords and many-to-many sets: say that they changed, not what to.
            changes[name] = ["…", "(đã thay đổi)"]
        audit.record(actor=request.user, action=f"admin.{'change' if change else 'add'}", target=obj, changes=changes)

    def delete_model(self, request, obj):
        audit.record(actor=request.user, action="admin.delete", target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(actor=request.user, action="admin.delete", target=obj)
        super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_repr")
    list_filter = ("action", "target_type")
    search_fields = ("target_repr", "target_id", "actor__username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
