"""get_FOO_display() with looked-up labels (dxtrack/core/choices.py) says what Django's own says."""

from functools import partialmethod

from django.apps import apps
from django.db import models
from django.utils.functional import Promise

from dxtrack.core import choices
from dxtrack.plans.models import Pillar, Target
from dxtrack.reports.models import Report, ReportStatus


def _fields_with_choices():
    for model in apps.get_models():
        for field in model._meta.local_fields:
            if isinstance(model.__dict__.get(f"get_{field.name}_display"), partialmethod):
                yield model, field


def test_every_model_field_with_choices_uses_the_looked_up_labels():
    # Given every installed model (the project's, Django's and the libraries')
    found = list(_fields_with_choices())
    # Then each get_FOO_display Django would have made is the looked-up one
    assert len(found) > 30
    assert [
        f"{model.__name__}.{field.name}"
        for model, field in found
        if model.__dict__[f"get_{field.name}_display"].func is not choices.display
    ] == []


def test_each_choice_and_a_value_of_no_choice_read_as_django_reads_them():
    # Given every field with choices, each of its values, a value no choice has, and none
    checked = 0
    for model, field in _fields_with_choices():
        values = [value for value, _label in field.flatchoices] + ["khong-co-lua-chon-nay", None]
        for value in values:
            instance = model()
            setattr(instance, field.attname, value)
            # When it is shown
            shown = getattr(instance, f"get_{field.name}_display")()
            # Then it is what Django's own method gives
            assert shown == models.Model._get_FIELD_display(instance, field), (model, field.name, value)
            checked += 1
    assert checked > 200


def test_the_labels_are_kept_untranslated_so_each_call_reads_the_active_language():
    # Given a report's status shown once (its field's labels are kept from then on)
    report = Report(status=ReportStatus.SUBMITTED)
    assert report.get_status_display() == str(ReportStatus.SUBMITTED.label)
    # Then what is kept is each lazily translated label, not the text it had at that first call
    kept = choices.labels(Report._meta.get_field("status"))
    assert all(isinstance(label, Promise) for label in kept.values())
    assert kept[ReportStatus.SUBMITTED] is ReportStatus.SUBMITTED.label


def test_a_field_whose_choices_are_a_callable_keeps_djangos_method():
    # Given a field whose choices are computed at each use
    field = models.CharField(choices=lambda: [("a", "Một")])
    # Then no labels are kept for it
    assert choices.labels(field) is None
    assert choices.labels(Target._meta.get_field("pillar")) == {str(v): label for v, label in Pillar.choices}
