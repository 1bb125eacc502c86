from django import template

from dxtrack.plans import labels
from dxtrack.plans.models import Pillar

register = template.Library()


@register.filter
def schedule(code):
    """{{ task.recurrence|schedule }} → 'hằng quý'."""
    return labels.schedule_label(code)


@register.filter
def due(items):
    """{{ rule.due|due }} → 'ngày 15 tháng cuối quý, 30/6'."""
    return labels.due_labels(items)


@register.filter
def pillar_label(code):
    """{{ target.pillar|pillar_label }} → the pillar's Vietnamese name ('' for none, the code for
    an unknown one)."""
    return Pillar(code).label if code in Pillar.values else (code or "")
