"""The secretariat's view of the criteria sets. A framework under which a round was opened is a
version with results: its criteria, tiers and bands are read-only here (a new decision is a new
framework that replaces it). Rounds and their results change only through the services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from dxtrack.core.admin import AuditedAdminMixin
from dxtrack.obligations.admin import ReadOnlyAdmin

from . import scoring as engine
from .models import Criterion, CriterionGroup, Framework, RecognitionTier, Round, ScoreBand, Submission


class _LockedWhenInUse:
    """Inline rows of a framework that has results cannot change."""

    def _locked(self, obj) -> bool:
        return obj is not None and obj.pk is not None and obj.in_use

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = (
            "group",
            "code",
            "name",
            "requirement",
            "kind",
            "comparator",
            "value",
            "value_max",
            "unit",
            "steps",
            "level_max",
            "points",
            "mandatory",
            "evidence_required",
            "data_source",
            "indicator",
            "position",
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        rule = engine.CriterionRule(
            code=data.get("code") or "?",
            kind=data.get("kind") or "",
            points=float(data.get("points") or 0),
            comparator=data.get("comparator") or "",
            value=data.get("value"),
            value_max=data.get("value_max"),
            steps=tuple(tuple(s) for s in data.get("steps") or ()),
            level_max=data.get("level_max"),
        )
        problems = engine.rule_problems(rule)
        if problems:
            raise ValidationError(problems)
        return data


class GroupInline(_LockedWhenInUse, admin.TabularInline):
    model = CriterionGroup
    extra = 0


class CriterionInline(_LockedWhenInUse, admin.StackedInline):
    model = Criterion
    form = CriterionForm
    extra = 0
    raw_id_fields = ("indicator",)


class TierInline(_LockedWhenInUse, admin.TabularInline):
    model = RecognitionTier
    extra = 0


class BandInline(_LockedWhenInUse, admin.TabularInline):
    model = ScoreBand
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "number", "issued_on", "subject_kind", "scoring", "completeness", "max_points")
    list_filter = ("subject_kind", "completeness", "scoring")
    search_fields = ("name", "number", "code")
    inlines = [GroupInline, TierInline, BandInline, CriterionInline]

    def get_inlines(self, request, obj):
        # Criteria need their groups first: shown once the framework exists.
        return self.inlines if obj is not None else [GroupInline, TierInline, BandInline]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "year", "status", "opened_at", "demonstration")
    list_filter = ("year", "status")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "late", "self_total", "council_total", "final_total", "tier")
    list_filter = ("round", "status", "late")
