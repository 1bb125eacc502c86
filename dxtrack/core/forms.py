"""Form fields for what users type the Vietnamese way: dates (dd/mm/yyyy) and years."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .dates import read_date, read_year
from .models import Via


class VNDateField(forms.CharField):
    """A date typed as dd/mm/yyyy (or sent as ISO by a browser's date picker); wrong, yearless,
    two-digit-year and month-first entries are refused with core.dates' Vietnamese messages."""

    def __init__(self, *, what: str = "Ngày", **kwargs):
        self.what = what
        kwargs.pop("max_length", None)  # the cleaned value is no text; read_date bounds the input
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return read_date(text, what=self.what)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class YearField(forms.CharField):
    """A year of four digits in 2000–2100, refused in Vietnamese otherwise."""

    def __init__(self, *, what: str = "Năm", **kwargs):
        self.what = what
        kwargs.pop("max_length", None)  # the cleaned value is no text; read_date bounds the input
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return read_year(text, what=self.what)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class AuditFilterForm(forms.Form):
    nguoi = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150)
    thao_tac = forms.ChoiceField(label=_("Thao tác"), required=False)
    doi_tuong = forms.ChoiceField(label=_("Loại đối tượng"), required=False)
    qua = forms.ChoiceField(label=_("Xác thực qua"), required=False, choices=[("", _("Mọi cách")), *Via.choices])
    tu_ngay = VNDateField(label=_("Từ ngày"), required=False, what="Từ ngày")
    den_ngay = VNDateField(label=_("Đến ngày"), required=False, what="Đến ngày")

    def __init__(self, data, *, actions: list[str], types: list[str]):
        super().__init__(data)
        self.fields["thao_tac"].choices = [("", _("Mọi thao tác")), *((a, a) for a in actions)]
        self.fields["doi_tuong"].choices = [("", _("Mọi loại")), *((t, t) for t in types)]
