from django import forms
from django.utils.translation import gettext_lazy as _

from dxtrack.core.widgets import FilePicker
from dxtrack.plans.extract.readers import MAX_BYTES


class DecisionUploadForm(forms.Form):
    """A criteria-set decision: the plan import's file bounds (size here, pages, rows and cells
    in the plan readers the extractor uses)."""

    file = forms.FileField(
        label=_("Tệp quyết định ban hành bộ tiêu chí (.docx, .pdf, .xlsx)"),
        widget=FilePicker(attrs={"accept": ".docx,.pdf,.xlsx"}),
        error_messages={"required": _("Hãy chọn tệp quyết định."), "empty": _("Tệp rỗng.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn; tối đa %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
        if not upload.name.lower().endswith((".docx", ".pdf", ".xlsx")):
            raise forms.ValidationError(_("Chỉ nhận tệp .docx, .pdf hoặc .xlsx."))
        return upload
