"""Form fields for what users type the Vietnamese way: dates (dd/mm/yyyy) and years."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .audit import action_label
from .dates import read_date, read_year
from .models import Via


class _TypedField(forms.CharField):
    """Text the user types, read by one of core.dates' readers; its ValueError is the Vietnamese
    message shown beside the field."""

    reader = staticmethod(read_date)
    default_what = ""

    def __init__(self, *, what: str | None = None, **kwargs):
        self.what = what or self.default_what
        kwargs.pop("max_length", None)  # the cleaned value is no text; the reader bounds the input
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return self.reader(text, what=self.what)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class VNDateField(_TypedField):
    """A date typed as dd/mm/yyyy (or sent as ISO by a browser's date picker); wrong, yearless,
    two-digit-year and month-first entries are refused with core.dates' Vietnamese messages."""

    reader = staticmethod(read_date)
    default_what = "Ngày"


class YearField(_TypedField):
    """A year of four digits in 2000–2100, refused in Vietnamese otherwise."""

    reader = staticmethod(read_year)
    default_what = "Năm"


class AuditFilterForm(forms.Form):
    nguoi = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150)
    thao_tac = forms.ChoiceField(label=_("Thao tác"), required=False)
    doi_tuong = forms.ChoiceField(label=_("Loại đối tượng"), required=False)
    qua = forms.ChoiceField(label=_("Xác thực qua"), required=False, choices=[("", _("Mọi cách")), *Via.choices])
    tu_ngay = VNDateField(label=_("Từ ngày"), required=False, what="Từ ngày")
    den_ngay = VNDateField(label=_("Đến ngày"), required=False, what="Đến ngày")

    def __init__(self, data, *, actions: list[str], types: list[str]):
        super().__init__(data)
        self.fields["thao_tac"].choices = [("", _("Mọi thao tác")), *((a, action_label(a)) for a in actions)]
        self.fields["doi_tuong"].choices = [("", _("Mọi loại")), *((t, _model_name(t)) for t in types)]


def _model_name(label: str) -> str:
    """'reporting.report' as people read it: the model's own name ("báo cáo")."""
    from django.apps import apps

    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label
