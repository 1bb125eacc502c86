
from django.db import migrations


# (model, the app it moved to)
MOVED = [
    ("period", "obligations"),
    ("obligation", "obligations"),
    ("indicatorreporter", "obligations"),
    ("reminder", "obligations"),
    ("report", "reports"),
    ("datavalue", "reports"),
    ("taskupdate", "reports"),
    ("validationrule", "reports"),
]


def _relabel(apps, schema_editor, moves):
    """Renames each (model, from app, to app): its content type keeps its id, so the permissions
    granted on it and the admin's history follow; the audit log's target types are renamed, since
    the log names its targets by model label and reads them back with apps.get_model."""
    from django.contrib.contenttypes.models import ContentType as LiveContentType

    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    db = schema_editor.connection.alias
    for model, old_app, new_app in moves:
        old = ContentType.objects.using(db).filter(app_label=old_app, model=model).first()
        if old is not None:
            # A content type already made for the new label (post_migrate of a database that went
            # back and forth) is an empty duplicate: the old one, with its grants, wins.
            ContentType.objects.using(db).filter(app_label=new_app, model=model).delete()
            old.app_label = new_app
            old.save(update_fields=["app_label"])
        AuditEvent.objects.using(db).filter(target_type=f"{old_app}.{model}").update(
            target_type=f"{new_app}.{model}"
        )
    LiveContentType.objects.clear_cache()


def forward(apps, schema_editor):
    _relabel(apps, schema_editor, [(model, "reporting", app) for model, app in MOVED])


def backward(apps, schema_editor):
    _relabel(apps, schema_editor, [(model, app, "reporting") for model, app in MOVED])


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0003_vietnamese_field_labels'),
        ('obligations', '0001_initial'),
        ('reports', '0001_initial'),
        ('analytics', '0005_period_in_obligations'),
        ('publishing', '0002_period_in_obligations'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
    ]

    # The models moved to obligations and reports with their tables: removed from this app's state
    # only, no table dropped. Then the rows that name the old app (content types, so permissions and
    # admin history follow, and the audit log's target types) are renamed.
    state_operations = [
        migrations.RemoveIndex(
            model_name='datavalue',
            name='reporting_d_indicat_50c3af_idx',
        ),
        migrations.RemoveConstraint(
            model_name='datavalue',
            name='datavalue_once_per_report',
        ),
        migrations.RemoveConstraint(
            model_name='indicatorreporter',
            name='indicator_reporter_once',
        ),
        migrations.RemoveConstraint(
            model_name='obligation',
            name='obligation_one_reporter',
        ),
        migrations.RemoveConstraint(
            model_name='obligation',
            name='obligation_once_per_agency',
        ),
        migrations.RemoveConstraint(
            model_name='obligation',
            name='obligation_once_per_unit',
        ),
        migrations.RemoveConstraint(
            model_name='period',
            name='period_once',
        ),
        migrations.RemoveConstraint(
            model_name='period',
            name='period_window_ordered',
        ),
        migrations.RemoveConstraint(
            model_name='reminder',
            name='reminder_once_per_reason',
        ),
        migrations.RemoveIndex(
            model_name='report',
            name='reporting_r_status_b3f463_idx',
        ),
        migrations.RemoveConstraint(
            model_name='taskupdate',
            name='taskupdate_once_per_report',
        ),
        migrations.RemoveConstraint(
            model_name='taskupdate',
            name='taskupdate_percent_max_100',
        ),
        migrations.RemoveField(
            model_name='datavalue',
            name='admin_unit',
        ),
        migrations.RemoveField(
            model_name='datavalue',
            name='agency',
        ),
        migrations.RemoveField(
            model_name='datavalue',
            name='indicator',
        ),
        migrations.RemoveField(
            model_name='datavalue',
            name='period',
        ),
        migrations.RemoveField(
            model_name='datavalue',
            name='report',
        ),
        migrations.RemoveField(
            model_name='datavalue',
            name='updated_by',
        ),
        migrations.RemoveField(
            model_name='indicatorreporter',
            name='agency',
        ),
        migrations.RemoveField(
            model_name='indicatorreporter',
            name='indicator',
        ),
        migrations.RemoveField(
            model_name='obligation',
            name='admin_unit',
        ),
        migrations.RemoveField(
            model_name='obligation',
            name='agency',
        ),
        migrations.RemoveField(
            model_name='obligation',
            name='period',
        ),
        migrations.RemoveField(
            model_name='obligation',
            name='rule',
        ),
        migrations.RemoveField(
            model_name='reminder',
            name='obligation',
        ),
        migrations.RemoveField(
            model_name='report',
            name='decided_by',
        ),
        migrations.RemoveField(
            model_name='report',
            name='obligation',
        ),
        migrations.RemoveField(
            model_name='report',
            name='submitted_by',
        ),
        migrations.RemoveField(
            model_name='taskupdate',
            name='report',
        ),
        migrations.RemoveField(
            model_name='taskupdate',
            name='task',
        ),
        migrations.RemoveField(
            model_name='taskupdate',
            name='updated_by',
        ),
        migrations.DeleteModel(
            name='ValidationRule',
        ),
        migrations.DeleteModel(
            name='DataValue',
        ),
        migrations.DeleteModel(
            name='IndicatorReporter',
        ),
        migrations.DeleteModel(
            name='Period',
        ),
        migrations.DeleteModel(
            name='Reminder',
        ),
        migrations.DeleteModel(
            name='Obligation',
        ),
        migrations.DeleteModel(
            name='Report',
        ),
        migrations.DeleteModel(
            name='TaskUpdate',
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
        migrations.RunPython(forward, backward),
    ]
