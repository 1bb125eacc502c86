from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "dxtrack.devtools"
    label = "devtools"
    verbose_name = "Công cụ phát triển (dữ liệu trình diễn)"
