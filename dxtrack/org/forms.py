import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from dxtrack.core.dates import parse_vn_date

from .models import ContactPoint


class AtDateForm(forms.Form):
    """'?ngay=dd/mm/yyyy': the date at which the registry is shown."""

    ngay = forms.CharField(required=False, label=_("Tại ngày"))

    def clean_ngay(self) -> datetime.date | None:
        raw = self.cleaned_data["ngay"].strip()
        if not raw:
            return None
        parsed = parse_vn_date(raw)
        if parsed is None:
            raise forms.ValidationError(
                _("Ngày '%(v)s' không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025."),
                params={"v": raw[:20]},
            )
        return parsed


class ContactPointForm(forms.ModelForm):
    class Meta:
        model = ContactPoint
        fields = ["person", "position", "phone", "email", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
