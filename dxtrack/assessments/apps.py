from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "dxtrack.assessments"
    label = "assessments"
    verbose_name = "Đánh giá, công nhận chuyển đổi số"
