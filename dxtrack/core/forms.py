from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Via

DAY = ["%d/%m/%Y", "%Y-%m-%d"]


class AuditFilterForm(forms.Form):
    nguoi = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150)
    thao_tac = forms.ChoiceField(label=_("Thao tác"), required=False)
    doi_tuong = forms.ChoiceField(label=_("Loại đối tượng"), required=False)
    qua = forms.ChoiceField(label=_("Xác thực qua"), required=False, choices=[("", _("Mọi cách")), *Via.choices])
    tu_ngay = forms.DateField(label=_("Từ ngày"), required=False, input_formats=DAY)
    den_ngay = forms.DateField(label=_("Đến ngày"), required=False, input_formats=DAY)

    def __init__(self, data, *, actions: list[str], types: list[str]):
        super().__init__(data)
        self.fields["thao_tac"].choices = [("", _("Mọi thao tác")), *((a, a) for a in actions)]
        self.fields["doi_tuong"].choices = [("", _("Mọi loại")), *((t, t) for t in types)]
        for name in ("tu_ngay", "den_ngay"):
            self.fields[name].widget.attrs["placeholder"] = "dd/mm/yyyy"
            self.fields[name].error_messages["invalid"] = _("Ngày viết theo dạng dd/mm/yyyy, ví dụ 05/12/2026.")
