"""`get_FOO_display()` with the choices' labels looked up, not rebuilt, at each call.

Django's own builds a dict of every choice of the field on every call, and builds it by hashing
each (value, label) pair: each lazily translated label is translated to be hashed, for every row
of a list. Measured on the pages' demo world: the task list 67 → 61 ms, the reports list
38 → 34 ms (docs/benchmarks.md). Here each field's labels are kept in a dict by value, built
once; the labels stay lazy, so each call still gives the label in the language active then.
Fields whose choices are a callable (evaluated at each use) keep Django's own method.

Imports no app: the receiver is connected when the core app's module is imported, before Django
imports any model (class_prepared is sent as each model class is made)."""

from functools import partialmethod

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_DJANGO_DISPLAY = models.Model._get_FIELD_display


def labels(field) -> dict | None:
    """The field's labels by (hashable) value, built once per field; None for callable choices."""
    if not isinstance(field.choices, (list, tuple)):
        return None
    found = field.__dict__.get("_dxtrack_labels")
    if found is None:
        found = field.__dict__["_dxtrack_labels"] = {make_hashable(v): label for v, label in field.flatchoices}
    return found


def display(instance, field) -> str:
    """What Django's _get_FIELD_display returns (the value itself when it is no choice's)."""
    by_value = labels(field)
    if by_value is None:
        return _DJANGO_DISPLAY(instance, field)
    value = getattr(instance, field.attname)
    return force_str(by_value.get(make_hashable(value), value), strings_only=True)


def use_looked_up_labels(sender, **kwargs) -> None:
    """class_prepared: replaces each get_FOO_display Django made for the new model (not one the
    model defines itself)."""
    for field in sender._meta.local_fields:
        name = f"get_{field.name}_display"
        method = sender.__dict__.get(name)
        if isinstance(method, partialmethod) and method.func is _DJANGO_DISPLAY:
            setattr(sender, name, partialmethod(display, field=field))
