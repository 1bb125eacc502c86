from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "dxtrack.org"
    label = "org"
    verbose_name = "Danh mục tổ chức"
