"""Background work of analytics. Tasks take ids and are safe to run twice (they recompute)."""

from django.tasks import task

from .services import recompute, scorecards, targets


@task
def recompute_after_report(report_id: int) -> dict:
    result = recompute.recompute_for_report(report_id=report_id)
    return {"targets": result.targets, "scorecards": result.scorecards, "seconds": result.seconds}


@task
def recompute_all() -> dict:
    result = recompute.recompute_all()
    return {"targets": result.targets, "scorecards": result.scorecards, "seconds": result.seconds}


@task
def recompute_after_revision(indicator_ids: list[int]) -> dict:
    """After a plan revision added, changed or retired targets: the progress of the targets on
    their indicators, and the scorecards (which count the targets in force)."""
    count = targets.target_progress_recompute(indicator_ids=indicator_ids)
    cards = scorecards.scorecards_recompute()
    return {"targets": count, "scorecards": cards}
