from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "dxtrack.reporting"
    label = "reporting"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import selectors
        from .models import Obligation, Report

        # A report's status or first submission, or an obligation, decides what is late.
        for model in (Report, Obligation):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    selectors.late_summary_forget, sender=model, dispatch_uid=f"late-{model.__name__}-{name}"
                )
