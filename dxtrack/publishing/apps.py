from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "dxtrack.publishing"
    label = "publishing"
    verbose_name = "Báo cáo định kỳ của Tổ giúp việc"

    def ready(self) -> None:
        from dxtrack.assessments.signals import decision_issued

        from . import jobs  # noqa: F401 - registers the PDF conversions run on the task queue
        from .recognition import keep_decision_document

        # The recognition decision of an assessment round is rendered here, above assessments.
        decision_issued.connect(keep_decision_document, dispatch_uid="publishing-recognition-docx")
