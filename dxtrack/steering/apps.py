from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "dxtrack.steering"
    label = "steering"
    verbose_name = "Ban Chỉ đạo: phiên họp, chỉ đạo, kiểm tra"

    def ready(self) -> None:
        from dxtrack.plans import hooks
        from dxtrack.plans.models import DocumentType
        from dxtrack.reports import hooks as report_hooks

        from . import (
            jobs,  # noqa: F401 - registers the pack's PDF conversion on the task queue
            receivers,  # noqa: F401 - tells people of directives and corrective actions
            selectors,
        )
        from .services import conclusions

        # A conclusions notice's directives are checked against their session whichever page
        # publishes it (the session's or the plan review's): plans calls this, not knowing steering.
        hooks.publication_check(DocumentType.CONCLUSIONS, conclusions.check_publication)
        hooks.after_publication(DocumentType.CONCLUSIONS, conclusions.after_publication)
        # A closed directive is not asked in the report forms of periods opening after its closing.
        report_hooks.form_task_exclusion(selectors.closed_before)
