from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "dxtrack.publishing"
    label = "publishing"
    verbose_name = "Báo cáo định kỳ của Tổ giúp việc"

    def ready(self) -> None:
        from . import jobs  # noqa: F401 - registers the PDF conversions run on the task queue
