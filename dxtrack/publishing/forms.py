"""The form to start a report: a period of the calendar and a scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dxtrack.obligations.calendar import spans
from dxtrack.org.models import Agency
from dxtrack.plans.models import Document, Pillar

from . import selectors
from .models import ScopeKind


class _PeriodChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        # Both spans, so that the secretariat sees which figures a report of the period covers.
        calendar_span, data_span = spans(obj)
        return f"{obj.label} ({calendar_span.dates}; {data_span.name.lower()} {data_span.dates})"


class ComposeForm(forms.Form):
    period = _PeriodChoice(
        label=_("Kỳ báo cáo"),
        queryset=selectors.periods(),
        error_messages={
            "required": _("Hãy chọn kỳ báo cáo."),
            "invalid_choice": _("Kỳ báo cáo không có trong lịch báo cáo."),
        },
    )
    scope_kind = forms.ChoiceField(
        label=_("Phạm vi"),
        choices=ScopeKind.choices,
        initial=ScopeKind.PROGRAMME,
        error_messages={"required": _("Hãy chọn phạm vi báo cáo."), "invalid_choice": _("Phạm vi không hợp lệ.")},
    )
    plan = forms.ModelChoiceField(
        label=_("Kế hoạch"),
        queryset=Document.objects.order_by("-issued_on", "code"),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": _("Kế hoạch không có trong danh mục.")},
    )
    pillar = forms.ChoiceField(
        label=_("Trụ cột"),
        choices=[("", "—"), *Pillar.choices],
        required=False,
        error_messages={"invalid_choice": _("Trụ cột không hợp lệ.")},
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.filter(valid_to__isnull=True).order_by("name"),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": _("Cơ quan không có trong danh mục.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluated per request: "periods that have started" moves with the date.
        self.fields["period"].queryset = selectors.periods()
        if not self.is_bound:
            self.fields["period"].initial = selectors.default_period()
        self.fields["plan"].label_from_instance = lambda d: f"{d.reference} — {d.title[:90]}"

    def clean(self):
        data = super().clean()
        kind = data.get("scope_kind")
        needed = {ScopeKind.PLAN: "plan", ScopeKind.PILLAR: "pillar", ScopeKind.AGENCY: "agency"}.get(kind)
        if needed and not data.get(needed) and needed not in self.errors:
            self.add_error(
                needed, _("Hãy chọn %(what)s cho phạm vi này.") % {"what": self.fields[needed].label.lower()}
            )
        return data

    @property
    def scope_key(self) -> str:
        data = self.cleaned_data
        kind = data.get("scope_kind")
        if kind == ScopeKind.PLAN:
            return data["plan"].code
        if kind == ScopeKind.AGENCY:
            return data["agency"].code
        if kind == ScopeKind.PILLAR:
            return data["pillar"]
        return ""
