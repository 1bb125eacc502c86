from django.apps import AppConfig


class AssistantConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dxtrack.assistant"
    verbose_name = "Trợ lý ảo"
