"""Rules the layers above reports add to a report form, without reports importing them (ADR 0018).

An app registers, in its AppConfig.ready, a rule `rule(task_ids, day) -> set[int]`: the tasks
among `task_ids` that a form whose window opens on `day` does not ask about. Steering registers
one for the directives the secretariat closed before that day (ADR 0035). The task stays in the
register: only the form stops asking.
"""

import datetime
from collections.abc import Callable, Collection

FormTaskExclusion = Callable[[Collection[int], datetime.date], set[int]]

_form_task_exclusions: list[FormTaskExclusion] = []


def form_task_exclusion(rule: FormTaskExclusion) -> None:
    """Registers `rule` (once, however often called)."""
    if rule not in _form_task_exclusions:
        _form_task_exclusions.append(rule)


def excluded_form_tasks(task_ids: Collection[int], day: datetime.date) -> set[int]:
    excluded: set[int] = set()
    for rule in _form_task_exclusions:
        excluded |= rule(task_ids, day)
    return excluded
