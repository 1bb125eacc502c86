from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Migrations only: the tables of the old `reporting` app now belong to `obligations` and
    `reports` (same tables, moved by SeparateDatabaseAndState). Kept so that databases created
    before the move migrate forward (ADR 0018)."""

    name = "dxtrack.reporting"
    label = "reporting"
    verbose_name = "Báo cáo định kỳ (cũ)"
