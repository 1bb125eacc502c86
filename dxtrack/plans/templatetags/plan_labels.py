from django import template

from dxtrack.plans import labels

register = template.Library()


@register.filter
def schedule(code):
    """{{ task.recurrence|schedule }} → 'hằng quý'."""
    return labels.schedule_label(code)


@register.filter
def due(items):
    """{{ rule.due|due }} → 'ngày 15 tháng cuối quý, 30/6'."""
    return labels.due_labels(items)
