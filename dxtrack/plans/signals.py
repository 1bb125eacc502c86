"""What the plans layer tells the layers above it, without importing them (ADR 0018).

`targets_changed` is sent after the commit of a publication that added, changed or retired
targets, with `indicator_ids` (sorted ids): analytics listens and recomputes their progress.
"""

from django.dispatch import Signal

targets_changed = Signal()
