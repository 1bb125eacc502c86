"""Writing many rows of derived data at once (kept aggregates, progress, scorecards).

On PostgreSQL the rows go through COPY: at national scale a recomputation writes tens of
thousands of rows, and building one INSERT's parameters for them in Python cost more than the
database's own work. Elsewhere (SQLite) it is Django's bulk_create. Either way the rows join the
caller's transaction, get no primary keys back and send no signals: for derived rows that are
rebuilt whole, and for rows whose service writes their audit itself and reads back the keys it
needs (a bulk import of values and its audit events, reports.services.rows). A database error
(a unique row already there) comes out as Django's own (IntegrityError), as from bulk_create.
"""

from collections.abc import Iterable

from django.db import connections, models, router


def insert_rows(model: type[models.Model], rows: Iterable[models.Model | dict], *, batch_size: int = 2000) -> int:
    """Inserts `rows` (model instances, or dicts of field attnames to values) into `model`'s table."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    # The connection itself, not the `django.db.connection` proxy: every field of every row asks
    # it for its operations, and through the proxy each ask is a context-local lookup.
    connection = connections[router.db_for_write(model)]
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        objs = [row if isinstance(row, models.Model) else model(**row) for row in rows]
        model.objects.bulk_create(objs, batch_size=batch_size)
        return len(objs)
    qn = connection.ops.quote_name
    statement = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) FROM STDIN"
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            if isinstance(row, models.Model):
                values = [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]
            else:
                values = [
                    f.get_db_prep_save(row[f.attname] if f.attname in row else f.get_default(), connection)
                    for f in fields
                ]
            copy.write_row(values)
    return len(rows)
