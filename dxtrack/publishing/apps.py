from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "dxtrack.publishing"
    label = "publishing"
    verbose_name = "Báo cáo định kỳ của Tổ giúp việc"
