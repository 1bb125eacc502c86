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
        if "password" in form.changed_data:
            changes["password"] = ["…", "(đã đặt mật khẩu mới)"]  # never the hash itself
        # Many-to-many sets (groups, permissions) are saved after this, in save_related: their
        # old → new goes into the same event there.
        # Kept on the request: one ModelAdmin instance serves every thread.
        request._dx_pending_audit = (change, changes, self._m2m_state(obj, form) if change else {})

    def _m2m_names(self, form) -> list[str]:
        return [
            name
            for name in form.changed_data
            if name in {f.name for f in form.instance._meta.many_to_many} and name not in _SECRET_FIELDS
        ]

    def _m2m_state(self, obj, form) -> dict[str, list[str]]:
        return {name: sorted(str(x) for x in getattr(obj, name).all()) for name in self._m2m_names(form)}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        was_change, changes, before = getattr(request, "_dx_pending_audit", None) or (change, {}, {})
        request._dx_pending_audit = None
        after = self._m2m_state(form.instance, form)
        for name, names in after.items():
            if before.get(name, []) != names:
                changes[name] = [before.get(name, []), names]
        audit.record(
            actor=request.user,
            action=f"admin.{'change' if was_change else 'add'}",
            target=form.instance,
            changes=changes,
        )

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
