from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dxtrack.reports"
    label = "reports"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from dxtrack.obligations.models import Obligation
        from dxtrack.obligations.signals import obligations_created

        from . import selectors
        from .models import Report

        # A report's status or first submission, or an obligation, decides what is late.
        for model in (Report, Obligation):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    selectors.late_summary_forget, sender=model, dispatch_uid=f"late-{model.__name__}-{name}"
                )
        # The calendar bulk-creates obligations (no post_save); the obligations layer says so.
        obligations_created.connect(selectors.late_summary_forget, dispatch_uid="late-obligations-created")
