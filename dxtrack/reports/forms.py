from django import forms
from django.utils.translation import gettext_lazy as _

from dxtrack.core.forms import YearField
from dxtrack.core.widgets import FilePicker
from dxtrack.obligations.models import PeriodType

EXCEL_MAX_BYTES = 5 * 1024 * 1024


class ReportFilterForm(forms.Form):
    nam = YearField(label=_("Năm"), required=False)
    loai = forms.ChoiceField(
        label=_("Loại kỳ"), required=False, choices=[("", _("Tất cả loại kỳ")), *PeriodType.choices]
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp minh chứng (PDF, DOCX, XLSX, PNG, JPEG; tối đa 10 MB)"),
        widget=FilePicker(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}),
    )


class ExcelUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"), widget=FilePicker(attrs={"accept": ".xlsx"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > EXCEL_MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn; tối đa 5 MB."))
        return upload
