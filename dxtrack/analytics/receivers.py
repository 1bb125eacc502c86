"""Analytics' answers to what the layers below announce: recompute the progress they changed."""

from .tasks import recompute_after_report, recompute_after_revision


def on_report_decided(sender, *, report_id: int, **kwargs) -> None:
    recompute_after_report.enqueue(report_id)


def on_targets_changed(sender, *, indicator_ids: list[int], **kwargs) -> None:
    recompute_after_revision.enqueue(indicator_ids)
