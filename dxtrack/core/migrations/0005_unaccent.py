"""PostgreSQL's `unaccent` extension, for searching Vietnamese with or without diacritics
(ADR 0030). SQLite has no extensions: core.apps registers the same folding as a function on each
connection, so this migration does nothing there."""

from django.db import migrations


def create_unaccent(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_job")]

    # Dropping it on the way back could break another user of the database's extension: kept.
    operations = [migrations.RunPython(create_unaccent, migrations.RunPython.noop, elidable=False)]
