"""Vietnamese for the codes a plan's schedules are stored as: a task's recurrence and a reporting
rule's period ("quarterly", "once"…), and the due rules the extractor writes in English
("15 of last month of quarter"). Pages show these, never the codes."""

import re

from django.utils.translation import gettext_lazy as _

from .models import PeriodType, Recurrence

_DUE_RULES = (
    (re.compile(r"^\s*(\d{1,2}) of last month of quarter\s*$"), _("ngày {d} tháng cuối quý")),
    (re.compile(r"^\s*(\d{1,2}) of first month of next quarter\s*$"), _("ngày {d} tháng đầu quý sau")),
    (re.compile(r"^\s*(\d{1,2}) of each month\s*$"), _("ngày {d} hằng tháng")),
)


def schedule_label(code: str | None) -> str:
    """'hằng quý' for "quarterly": a recurrence or a reporting period, as a reader says it."""
    if not code:
        return ""
    labels = {**dict(Recurrence.choices), **dict(PeriodType.choices), "monthly": _("hằng tháng")}
    # An unknown code is shown as it is rather than failing the page; the tests pin every code
    # the register and the extractor use.
    return str(labels.get(code, code))


def due_label(item: str) -> str:
    """'ngày 15 tháng cuối quý' for "15 of last month of quarter"; '30/6' stays '30/6'."""
    for rx, text in _DUE_RULES:
        if m := rx.match(item):
            return str(text).format(d=int(m.group(1)))
    return item.strip()  # a date ("30/6", "15/12/2025"), or an unknown rule shown as it is


def due_labels(items) -> str:
    return ", ".join(due_label(item) for item in items or ())
