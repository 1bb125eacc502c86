"""Background work of plans. Tasks take ids and are safe to run twice."""

from django.tasks import task

from .services import links as review_links


@task
def read_scanned_plan(plan_import_id: int) -> dict:
    """OCR of a scanned plan (Tesseract, Vietnamese), then its extraction into a draft import."""
    return review_links.scan_read(plan_import_id)
