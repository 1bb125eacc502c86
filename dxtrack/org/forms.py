from django import forms
from django.utils.translation import gettext_lazy as _

from dxtrack.core.forms import VNDateField

from .models import ContactPoint


class AtDateForm(forms.Form):
    """'?ngay=dd/mm/yyyy': the date at which the registry is shown (empty: today)."""

    ngay = VNDateField(required=False, label=_("Tại ngày"))


class ContactPointForm(forms.ModelForm):
    class Meta:
        model = ContactPoint
        fields = ["person", "position", "phone", "email", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
