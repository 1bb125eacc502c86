from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "dxtrack.publishing"
    label = "publishing"
    verbose_name = "Báo cáo định kỳ của Tổ giúp việc"

    def ready(self) -> None:
        # Register the PDF conversions run on the task queue: the periodic reports', a unit's own.
        from . import jobs, unit_report  # noqa: F401
