from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "dxtrack.notifications"
    label = "notifications"
    verbose_name = "Thông báo"
