"""Analytics' answers to what the layers below announce: recompute the progress they changed."""

from .tasks import recompute_after_report, recompute_after_revision


def on_report_decided(sender, *, report_id: int, **kwargs) -> None:
    recompute_after_report.enqueue(report_id)


def on_targets_changed(sender, *, indicator_ids: list[int], **kwargs) -> None:
    recompute_after_revision.enqueue(indicator_ids)


def on_decision_issued(sender, *, decision_id: int, **kwargs) -> None:
    """A recognition decision changes the figures of the indicators counted from recognitions."""
    from django.db import transaction

    from dxtrack.assessments import measures
    from dxtrack.plans.models import Indicator

    ids = list(Indicator.objects.filter(code__in=list(measures.MEASURED)).values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: recompute_after_revision.enqueue(ids))


def on_results_changed(sender, *, indicator_codes: list[str], **kwargs) -> None:
    """The province's rank under a national framework (DTI) was entered: its indicators' progress
    changes (sent after the entry commits)."""
    from dxtrack.plans.models import Indicator

    ids = list(Indicator.objects.filter(code__in=indicator_codes).values_list("pk", flat=True))
    if ids:
        recompute_after_revision.enqueue(ids)
