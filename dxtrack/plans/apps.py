from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "dxtrack.plans"
    label = "plans"
    verbose_name = "Kế hoạch, chỉ tiêu, nhiệm vụ"
