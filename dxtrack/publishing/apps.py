from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "dxtrack.publishing"
    label = "publishing"
    verbose_name = "Báo cáo định kỳ của Tổ giúp việc"

    def ready(self) -> None:
        from dxtrack.assessments.signals import decision_issued

        # Register the PDF conversions run on the task queue: the periodic reports', a unit's own.
        from . import jobs, unit_report  # noqa: F401
        from .recognition import keep_decision_document

        # The recognition decision of an assessment round is rendered here, above assessments.
        decision_issued.connect(keep_decision_document, dispatch_uid="publishing-recognition-docx")
