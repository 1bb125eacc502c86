from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "dxtrack.obligations"
    label = "obligations"
    verbose_name = "Lịch và nghĩa vụ báo cáo"
