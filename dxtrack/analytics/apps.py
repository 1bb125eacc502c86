from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "dxtrack.analytics"
    label = "analytics"
    verbose_name = "Phân tích tiến độ"

    def ready(self) -> None:
        # The layers below tell analytics what changed through their signals; they never import it
        # (ADR 0018).
        from dxtrack.assessments.signals import decision_issued, results_changed
        from dxtrack.plans.signals import targets_changed
        from dxtrack.reports.signals import report_decided

        from . import receivers

        report_decided.connect(receivers.on_report_decided, dispatch_uid="analytics.report_decided")
        targets_changed.connect(receivers.on_targets_changed, dispatch_uid="analytics.targets_changed")
        decision_issued.connect(receivers.on_decision_issued, dispatch_uid="analytics.decision_issued")
        results_changed.connect(receivers.on_results_changed, dispatch_uid="analytics.results_changed")
