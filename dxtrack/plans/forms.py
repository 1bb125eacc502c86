from django import forms
from django.utils.translation import gettext_lazy as _

from dxtrack.core.widgets import FilePicker

from .extract.readers import MAX_BYTES
from .models import Document, Pillar


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp văn bản (.docx, .pdf, .xlsx, .txt)"), widget=FilePicker(attrs={"accept": ".docx,.pdf,.xlsx,.txt"})
    )
    year_context = forms.IntegerField(
        label=_("Năm của kế hoạch (nếu văn bản không ghi)"), required=False, min_value=1990, max_value=2100
    )
    revises = forms.ModelChoiceField(
        label=_("Là bản cập nhật của văn bản"),
        queryset=Document.objects.order_by("code"),
        required=False,
        empty_label=_("— văn bản mới —"),
        error_messages={
            "invalid_choice": _("Không có văn bản này trong danh mục; hãy chọn lại văn bản được cập nhật.")
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn; tối đa 20 MB."))
        return upload


class RegisterFilterForm(forms.Form):
    van_ban = forms.CharField(required=False, max_length=60)
    tru_cot = forms.ChoiceField(required=False, choices=[("", _("Tất cả trụ cột")), *Pillar.choices])
    linh_vuc = forms.CharField(required=False, max_length=60)
    nam = forms.IntegerField(required=False, min_value=1990, max_value=2100)
    co_quan = forms.CharField(required=False, max_length=40)
