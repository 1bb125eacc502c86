from django import forms
from django.contrib.auth.forms import AuthenticationForm
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
