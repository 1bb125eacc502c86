from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dxtrack.core"
    label = "core"
    verbose_name = "Lõi hệ thống"
