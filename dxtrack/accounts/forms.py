from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from dxtrack.core.forms import VNDateField

from . import lockout


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["username"].max_length = 150
        self.fields["password"].label = _("Mật khẩu")

    def clean(self):
        # Guessing one name's password from many addresses gets slower with each failure.
        lockout.slow_down(self.data.get("username", ""))
        return super().clean()


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên (hệ thống nào dùng mã này)"),
        max_length=100,
        error_messages={"required": _("Đặt tên cho mã truy cập."), "max_length": _("Tên dài quá 100 ký tự.")},
    )
    expires = VNDateField(
        what="Ngày hết hạn",
        label=_("Hết hạn sau ngày (để trống: không hết hạn)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Địa chỉ e-mail của tài khoản"),
        max_length=254,
        error_messages={"required": _("Nhập địa chỉ e-mail."), "invalid": _("Địa chỉ e-mail không hợp lệ.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class UserCreateForm(forms.Form):
    """A new account of one agency or unit (or, with none, a province-wide one)."""

    username = forms.RegexField(
        label=_("Tên đăng nhập"),
        regex=r"^[a-z0-9._-]{3,150}$",
        max_length=150,
        error_messages={
            "required": _("Nhập tên đăng nhập."),
            "invalid": _("Tên đăng nhập gồm 3–150 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới."),
        },
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, error_messages={"required": _("Nhập họ và tên.")})
    email = forms.EmailField(
        label=_("E-mail (để người dùng tự đặt mật khẩu)"),
        max_length=254,
        error_messages={"required": _("Nhập địa chỉ e-mail."), "invalid": _("Địa chỉ e-mail không hợp lệ.")},
    )
    role = forms.ChoiceField(label=_("Vai trò"), error_messages={"required": _("Chọn vai trò.")})

    def __init__(self, *args, unit_roles: bool, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import PROVINCE_WIDE_ROLES, Role

        self.fields["role"].choices = [
            (value, label)
            for value, label in Role.choices
            # enterprises make their own accounts on the registration page (ADR 0040)
            if (value not in PROVINCE_WIDE_ROLES) == unit_roles and value != Role.ENTERPRISE
        ]
