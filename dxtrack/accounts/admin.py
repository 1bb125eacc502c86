from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from dxtrack.core.admin import AuditedAdminMixin
from dxtrack.core.errors import DomainError

from . import services
from .models import ApiToken, User

# Django names permissions in English when it creates them ("Can add import item") and never
# translates the stored name; the admin shows them from the model's Vietnamese names instead.
_ACTIONS = {"add": _("thêm"), "change": _("sửa"), "delete": _("xóa"), "view": _("xem")}


def permission_label(permission) -> str:
    """'Báo cáo định kỳ | nghĩa vụ báo cáo | xem' for the permission view_obligation."""
    model = permission.content_type.model_class()
    action = permission.codename.partition("_")[0]
    if model is None or action not in _ACTIONS:
        return str(permission)
    app = apps.get_app_config(model._meta.app_label).verbose_name
    return f"{app} | {model._meta.verbose_name} | {_ACTIONS[action]}"


class VietnamesePermissionsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


# Fields that hand out power over the whole system: only a superuser sets them.
SUPERUSER_ONLY = frozenset({"is_superuser", "is_staff", "groups", "user_permissions"})


@admin.register(User)
class UserAdmin(AuditedAdminMixin, VietnamesePermissionsMixin, BaseUserAdmin):
    list_display = ("username", "full_name", "role", "agency", "admin_unit", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("agency", "admin_unit")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Vai trò và đơn vị"), {"fields": ("full_name", "role", "agency", "admin_unit", "phone")}),
    )

    def get_fieldsets(self, request, obj=None):
        """The stock fieldsets carry superuser status, groups and permissions: the secretariat
        (staff, not superuser) does not see them, so a posted value for them is never read."""
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in SUPERUSER_ONLY]})
            for name, options in fieldsets
        ]

    def has_change_permission(self, request, obj=None):
        # A superuser's account (its password, its e-mail) is changed by a superuser only.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        """The admin's password reset, audited; a password set by someone else must be changed
        by its owner at the next log-in."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                services.password_set_by_admin(actor=request.access, user=user)
        return response

    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Vai trò và đơn vị"), {"fields": ("full_name", "role", "agency", "admin_unit")}),
    )


class ApiTokenAddForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("name", "user", "expires_at")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made and revoked only through the services (audited, secret hashed); the admin
    lists them, makes one for a unit's user (showing the secret once) and revokes."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username", "user__full_name")
    autocomplete_fields = ("user",)
    readonly_fields = ("prefix", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by")
    actions = ("revoke",)

    def has_add_permission(self, request):
        # A token acts as its owner: only the owner, or a superuser (audited, the owner told), makes one.
        return request.user.is_superuser

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "name", "user", "expires_at") if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the audit trail names them

    def add_view(self, request, form_url="", extra_context=None):
        if request.method != "POST":
            return super().add_view(request, form_url, extra_context)
        form = self.get_form(request)(request.POST)  # the admin's widgets (a split date and time)
        if form.is_valid():
            try:
                token, plain = services.token_create(
                    actor=request.access,
                    user=form.cleaned_data["user"],
                    name=form.cleaned_data["name"],
                    expires=form.cleaned_data["expires_at"],
                )
            except DomainError as exc:
                for problem in exc.details or [exc.message]:
                    messages.error(request, problem)
                return super().add_view(request, form_url, extra_context)
            # The secret goes into this answer only: not a message (kept in the session), not a redirect.
            return TemplateResponse(
                request,
                "admin/accounts/apitoken/created.html",
                {**self.admin_site.each_context(request), "token": token, "plain": plain, "opts": self.model._meta},
            )
        return super().add_view(request, form_url, extra_context)

    @admin.action(description=_("Thu hồi các mã đã chọn"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.token_revoke(actor=request.access, token=token)
        messages.success(request, _("Đã thu hồi."))


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, VietnamesePermissionsMixin, BaseGroupAdmin):
    """Groups carry permissions: a superuser's business, and audited with old → new like the rest."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
