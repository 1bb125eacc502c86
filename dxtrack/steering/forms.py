"""steering's forms: what the secretariat types (sessions, directives, closings, inspections) and
what a unit answers. Dates are dd/mm/yyyy (core.forms.VNDateField)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dxtrack.core.forms import VNDateField, YearField
from dxtrack.org.models import Agency
from dxtrack.plans.models import Document, DocumentType

from .models import CommitteeMember, InspectionTeam, SessionKind

MAX_UPLOAD = 10 * 1024 * 1024


def _agencies():
    return Agency.objects.filter(valid_to__isnull=True).order_by("name")


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại phiên họp"), choices=SessionKind.choices)
    date = VNDateField(label=_("Ngày họp"), what="Ngày họp")
    title = forms.CharField(label=_("Tên phiên họp"), max_length=300, required=False)
    venue = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    chair = forms.ModelChoiceField(
        label=_("Chủ trì"), queryset=CommitteeMember.objects.all(), required=False, empty_label=_("— chưa chọn —")
    )
    plan = forms.ModelChoiceField(
        label=_("Kế hoạch theo dõi (báo cáo định kỳ hỏi các chỉ đạo)"),
        queryset=Document.objects.exclude(doc_type=DocumentType.CONCLUSIONS).order_by("-issued_on", "code"),
        required=False,
        empty_label=_("— không —"),
    )


class RecordForm(forms.Form):
    minutes = forms.CharField(label=_("Biên bản"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)


class PackForm(forms.Form):
    as_of = VNDateField(label=_("Số liệu đến ngày"), what="Ngày lấy số liệu")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp thông báo kết luận (.docx, .pdf, .txt)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Tệp lớn quá 10 MB."))
        return f


class DirectiveForm(forms.Form):
    title = forms.CharField(label=_("Nội dung chỉ đạo"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    lead = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=_agencies())
    coordinating = forms.ModelMultipleChoiceField(label=_("Cơ quan phối hợp"), queryset=_agencies(), required=False)
    deadline = VNDateField(label=_("Thời hạn"), what="Thời hạn")
    clause = forms.CharField(label=_("Mục trong thông báo"), max_length=60, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class FollowUpFilter(forms.Form):
    trang_thai = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("open", _("Chưa đóng")),
            ("closed", _("Đã đóng, đã xong")),
            ("overdue", _("Quá hạn")),
            ("in_progress", _("Đang triển khai")),
            ("not_started", _("Chưa triển khai")),
            ("done", _("Đã hoàn thành")),
        ],
    )
    co_quan = forms.ModelChoiceField(
        label=_("Cơ quan"), queryset=Agency.objects.order_by("name"), required=False, empty_label=_("Mọi cơ quan")
    )
    phien = forms.IntegerField(label=_("Phiên họp"), required=False, widget=forms.Select)
    cham = forms.BooleanField(label=_("Chỉ những việc chậm"), required=False)


class InspectionPlanForm(forms.Form):
    year = YearField(label=_("Năm"))
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    title = forms.CharField(label=_("Tên kế hoạch kiểm tra"), max_length=300)
    team = forms.CharField(label=_("Đoàn kiểm tra"), max_length=150)
    leader = forms.CharField(label=_("Trưởng đoàn"), max_length=150)
    members = forms.CharField(label=_("Thành viên"), max_length=2000, required=False)


class VisitForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Đoàn kiểm tra"), queryset=InspectionTeam.objects.none())
    agency = forms.ModelChoiceField(label=_("Cơ quan được kiểm tra"), queryset=_agencies())
    date = VNDateField(label=_("Ngày kiểm tra"), what="Ngày kiểm tra")

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["team"].queryset = plan.teams.all()


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Nội dung phát hiện"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    task = forms.IntegerField(required=False)
    report = forms.IntegerField(required=False)
    action = forms.CharField(label=_("Biện pháp khắc phục"), max_length=2000)
    deadline = VNDateField(label=_("Thời hạn khắc phục"), what="Thời hạn khắc phục")


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Trả lời"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class DoneForm(forms.Form):
    note = forms.CharField(label=_("Kết quả khắc phục"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
