"""Closing a directive: the secretariat ends its follow-up with a reason (done and verified,
overtaken by a later directive, no longer relevant), or reopens it. A directive's own progress is
the lead agency's, reported on its report form like any task; closing is the committee's word on
it. The moves are DIRECTIVE_TRANSITIONS; each is audited."""

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import DomainError, InvalidData, NotFound
from dxtrack.core.text import clean_text
from dxtrack.plans.models import DocumentType, Task

from ..models import DirectiveClosure
from ..signals import directive_closed
from .sessions import require_secretariat

OPEN, CLOSED = "open", "closed"
DIRECTIVE_TRANSITIONS = {
    "close": (OPEN, CLOSED),
    "reopen": (CLOSED, OPEN),
}
MAX_REASON = 2000


def directive_of(task_id: int) -> Task:
    task = Task.objects.filter(pk=task_id, document__doc_type=DocumentType.CONCLUSIONS).first()
    if task is None:
        raise NotFound("Không tìm thấy chỉ đạo này.")
    return task


def _move(task: Task, action: str) -> None:
    source, _target = DIRECTIVE_TRANSITIONS[action]
    state = CLOSED if DirectiveClosure.objects.filter(task=task).exists() else OPEN
    if state != source:
        raise DomainError("Chỉ đạo này đã được đóng." if action == "close" else "Chỉ đạo này chưa được đóng.")


@transaction.atomic
def directive_close(*, actor: Access, task: Task, reason: str) -> DirectiveClosure:
    access = Access.of(actor)
    require_secretariat(access)
    task = Task.objects.select_for_update().get(pk=directive_of(task.pk).pk)
    reason = clean_text(reason)
    if not reason:
        raise InvalidData("Hãy ghi lý do đóng chỉ đạo.")
    if len(reason) > MAX_REASON:
        raise InvalidData(f"Lý do dài quá {MAX_REASON} ký tự.")
    _move(task, "close")
    closure = DirectiveClosure.objects.create(task=task, reason=reason, closed_by=access.user)
    audit.record(
        actor=access,
        action="steering.directive.close",
        target=task,
        changes={"state": [OPEN, CLOSED]},
        reason=reason,
    )
    task_id = task.pk
    transaction.on_commit(lambda: directive_closed.send(sender=DirectiveClosure, task_id=task_id, reason=reason))
    return closure


@transaction.atomic
def directive_reopen(*, actor: Access, task: Task, reason: str) -> Task:
    access = Access.of(actor)
    require_secretariat(access)
    task = Task.objects.select_for_update().get(pk=directive_of(task.pk).pk)
    reason = clean_text(reason)
    if not reason:
        raise InvalidData("Hãy ghi lý do mở lại chỉ đạo.")
    _move(task, "reopen")
    DirectiveClosure.objects.filter(task=task).delete()
    audit.record(
        actor=access,
        action="steering.directive.reopen",
        target=task,
        changes={"state": [CLOSED, OPEN]},
        reason=reason[:MAX_REASON],
    )
    return task
