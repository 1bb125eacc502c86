"""reporting's models moved to obligations and reports with their tables (ADR 0018): a
database made before the move migrates forward with every row, content type and audit target
kept. The test makes a database of before the move (the migrations of then, from nothing), writes
rows there through the historical models, and migrates forward again."""

import datetime
import decimal

import pytest
from django.apps import apps as live_apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [pytest.mark.flushes, pytest.mark.long, pytest.mark.django_db(transaction=True)]

# The migrations of main before the move: reporting at 0003, the new apps not yet there (their
# dependants, analytics 0005 and publishing 0002 among them, are unapplied with them).
BEFORE = [("reporting", "0003_vietnamese_field_labels"), ("obligations", None), ("reports", None)]
MOVED = {
    "period": "obligations",
    "obligation": "obligations",
    "indicatorreporter": "obligations",
    "reminder": "obligations",
    "report": "reports",
    "datavalue": "reports",
    "taskupdate": "reports",
    "validationrule": "reports",
}


def _migrate(targets):
    """Migrates to `targets`; returns the historical apps of every migration then applied."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    ContentType.objects.clear_cache()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def _a_database_of_before_the_move():
    """The database as `migrate` left it before the move, made the way it was made then: every
    table dropped, then the migrations applied then, from nothing, and the content types and
    permissions post_migrate then made. Unapplying the move from today's schema gives the same
    database, but Django re-renders the whole project state at each migration of the plan on the
    way back (about 21 s of CPU, against 3 s this way). Returns the historical apps of then."""
    executor = MigrationExecutor(connection)
    undone = {(migration.app_label, migration.name) for migration, _ in executor.migration_plan(BEFORE)}
    then = [key for key in executor.loader.applied_migrations if key not in undone]
    tables = connection.introspection.table_names(include_views=False)
    with connection.constraint_checks_disabled(), connection.cursor() as cursor:
        for table in tables:
            cascade = " CASCADE" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}{cascade}")
    old = _migrate(then)
    assert set(MigrationExecutor(connection).loader.applied_migrations) == set(then)
    _post_migrate_of_then(old)
    return old


def _post_migrate_of_then(old) -> None:
    """What post_migrate made after `migrate` then: a content type and the default permissions of
    every model of the schema of then. (The signal goes to the installed apps that have a models
    module: today's reporting app has none, so it would skip the models reporting had then.)"""
    from types import SimpleNamespace

    from django.contrib.auth.management import create_permissions

    for config in old.get_app_configs():
        # (create_permissions makes the app's content types first, as the signal's handlers do)
        create_permissions(
            SimpleNamespace(label=config.label, models_module=True), verbosity=0, using=connection.alias, apps=old
        )
    ContentType.objects.clear_cache()


def _rows(table: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY id")  # noqa: S608 (our table names)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _as_before(rows: list[dict], before: list[dict]) -> list[dict]:
    """`rows` read through the columns the table had before: a later migration may add columns
    (reports 0002 added one to the report), which this test does not judge."""
    columns = set(before[0]) if before else set()
    return [{k: v for k, v in row.items() if k in columns} for row in rows]


def _old_rows(old) -> None:
    """One row of every moved model, and of what they point at, as the reporting app wrote them."""
    now = timezone.now()
    agency = old.get_model("org", "Agency").objects.create(code="SO_CU", name="Sở Cũ", kind="department")
    user = old.get_model("accounts", "User").objects.create(username="cu.baocao", password="!", agency=agency)
    document = old.get_model("plans", "Document").objects.create(
        code="kh-cu", doc_type="plan", title="Kế hoạch cũ", updated_at=now
    )
    rule = old.get_model("plans", "ReportingRule").objects.create(document=document, period_type="quarterly")
    indicator = old.get_model("plans", "Indicator").objects.create(code="chi-tieu-cu", name="Chỉ tiêu cũ")
    task = old.get_model("plans", "Task").objects.create(document=document, title="Nhiệm vụ cũ")
    day = datetime.date(2025, 9, 30)
    period = old.get_model("reporting", "Period").objects.create(
        period_type="quarterly",
        year=2025,
        number=3,
        label="Quý III/2025",
        start=datetime.date(2025, 7, 1),
        end=day,
        data_from=datetime.date(2024, 12, 15),
        data_to=datetime.date(2025, 9, 14),
    )
    obligation = old.get_model("reporting", "Obligation").objects.create(
        rule=rule, period=period, agency=agency, due=day, window_from=period.data_from, window_to=period.data_to
    )
    old.get_model("reporting", "IndicatorReporter").objects.create(indicator=indicator, agency=agency)
    old.get_model("reporting", "Reminder").objects.create(obligation=obligation, kind="overdue", recipients=["a@b.vn"])
    report = old.get_model("reporting", "Report").objects.create(
        obligation=obligation, status="approved", results="Đạt", submitted_by=user, submitted_at=now
    )
    old.get_model("reporting", "DataValue").objects.create(
        report=report, indicator=indicator, period=period, agency=agency, value=decimal.Decimal("12.5"), updated_by=user
    )
    old.get_model("reporting", "TaskUpdate").objects.create(report=report, task=task, state="done", percent=100)
    old.get_model("reporting", "ValidationRule").objects.create(
        name="Quy tắc cũ", message="Sai", left=indicator, operator="<=", right=indicator
    )
    # the audit log names a report by its old label; a group holds a permission on its content type
    old.get_model("core", "AuditEvent").objects.create(
        action="reporting.report.approve", target_type="reporting.report", target_id=str(report.pk), actor=user
    )
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="reporting", model="report"
    )[0]
    permission = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename="view_report", defaults={"name": "Can view báo cáo"}
    )[0]
    old.get_model("auth", "Group").objects.create(name="Nhóm cũ").permissions.add(permission)


def test_a_database_of_before_the_move_migrates_forward_with_every_row_kept():
    # Given a database at the migrations of before the move, with a row of every moved model
    old = _a_database_of_before_the_move()
    _old_rows(old)
    old_types = {
        model: old.get_model("contenttypes", "ContentType").objects.get(app_label="reporting", model=model).pk
        for model in MOVED
        if old.get_model("contenttypes", "ContentType").objects.filter(app_label="reporting", model=model).exists()
    }
    tables = [f"reporting_{model}" for model in MOVED]
    before = {table: _rows(table) for table in tables}
    group_perms = list(old.get_model("auth", "Group").objects.get(name="Nhóm cũ").permissions.values_list("pk"))

    # When it migrates forward
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    # Then every table keeps every row as it was, now read by the new apps' models
    assert {table: _as_before(_rows(table), before[table]) for table in tables} == before
    assert all(len(rows) == 1 for rows in before.values())
    for model, app in MOVED.items():
        assert live_apps.get_model(app, model)._meta.db_table == f"reporting_{model}"
        assert live_apps.get_model(app, model).objects.count() == 1
    # the content types keep their ids (so grants and admin history follow) under the new labels
    assert old_types["report"]
    for model, pk in old_types.items():
        assert (ContentType.objects.get(pk=pk).app_label, ContentType.objects.get(pk=pk).model) == (MOVED[model], model)
    assert not ContentType.objects.filter(app_label="reporting").exists()
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Nhóm cũ")
    assert list(group.permissions.values_list("pk")) == group_perms
    assert [(p.content_type.app_label, p.codename) for p in group.permissions.all()] == [("reports", "view_report")]
    # the audit log names the report by its new label, which the log's pages can look up
    from dxtrack.core.models import AuditEvent

    event = AuditEvent.objects.get(action="reporting.report.approve")  # event names are kept
    assert event.target_type == "reports.report"
    assert live_apps.get_model(event.target_type).objects.filter(pk=event.target_id).exists()
    assert not AuditEvent.objects.filter(target_type__startswith="reporting.").exists()
