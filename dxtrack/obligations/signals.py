"""What the obligations layer tells the layers above it, without importing them (ADR 0018).

`obligations_created` is sent when the calendar bulk-creates obligations (bulk_create sends no
post_save): the reports layer forgets its cached late-report summary. Receivers take
`period_id` as a keyword argument.
"""

from django.dispatch import Signal

obligations_created = Signal()
