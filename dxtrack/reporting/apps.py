from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "dxtrack.reporting"
    label = "reporting"
    verbose_name = "Báo cáo định kỳ"
