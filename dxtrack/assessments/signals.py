"""What the assessments layer tells the layers above it, without importing them (ADR 0018).

`decision_issued` is sent inside the transaction that records a recognition decision, with
`decision_id`: publishing renders the decision's official DOCX and keeps it on the decision, so
that a decision that cannot be rendered is not recorded either."""

from django.dispatch import Signal

decision_issued = Signal()

# `results_changed` is sent (after commit) when the province's rank or score under a national
# framework is entered or computed, with `indicator_codes`: the register indicators measured by
# those results (measures.RESULT_MEASURED), whose progress analytics recomputes.
results_changed = Signal()
