from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "dxtrack.site"
    label = "site"
    verbose_name = "Trang chủ"
