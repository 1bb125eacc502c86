from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the site as a province runs it: the task worker, the schedule, health, backups.
    The top layer: it may import any app, and no app imports it."""

    name = "dxtrack.operations"
    label = "operations"
    verbose_name = _("Vận hành")

    def ready(self) -> None:
        from . import jobs  # noqa: F401 - registers the queued download's handler
        from .services import recompute  # noqa: F401 - registers the recomputation run from the commands page
