"""The database table of the shared cache (settings.CACHES["shared"]): rate limits and log-in
counters that every server process must see alike."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # createcachetable makes every DatabaseCache table the settings name, and skips existing ones.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_channel")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
