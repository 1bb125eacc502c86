from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "dxtrack.analytics"
    label = "analytics"
    verbose_name = "Phân tích tiến độ"
