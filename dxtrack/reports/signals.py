"""What the reports layer tells the layers above it, without importing them (ADR 0018).

`report_decided` is sent after the commit of a decision that changes which data is approved
(approve, unlock, lock): analytics listens and recomputes. Receivers take `report_id`,
`period_id` and `action` as keyword arguments.
"""

from django.dispatch import Signal

report_decided = Signal()
