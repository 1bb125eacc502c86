"""What steering announces, for the layers above it (notifications) to listen to (ADR 0035).

Sent after the transaction commits, so a listener never acts on a write that was rolled back.

- `directive_assigned(sender, task_ids: list[int], session_id: int)`: the directives of a session
  were published (each a plans Task; its lead agency is in `task.parties`).
- `directive_closed(sender, task_id: int, reason: str)`: the secretariat closed a directive.
- `corrective_action_assigned(sender, action_id: int)`: an inspection gave a unit a corrective action.
- `follow_up_due(sender, due_soon: list[dict], overdue: list[dict], today: str)`: see below.
"""

from django.dispatch import Signal

directive_assigned = Signal()
directive_closed = Signal()
corrective_action_assigned = Signal()

# Sent once a day by steering.tasks.follow_up_due: the open directives and corrective actions due
# within `days` days (`due_soon`) and those past their deadline (`overdue`), each a dict with
# kind ("directive" | "action"), pk, title, agency_ids and deadline (ISO).
follow_up_due = Signal()
