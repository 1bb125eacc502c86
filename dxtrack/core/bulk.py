"""Writing many rows of derived data at once (kept aggregates, progress, scorecards).

On PostgreSQL the rows go through COPY: at national scale a recomputation writes tens of
thousands of rows, and building one INSERT's parameters for them in Python cost more than the
database's own work. On SQLite they go by one prepared INSERT run for every row (executemany):
bulk_create's model instance and compiled SQL per row cost four times as much (20.000
scorecards: 0,93 against 0,22 s of CPU); only a caller that needs the keys back gets
bulk_create there. Either way the rows join the caller's transaction, get no primary keys back
(unless asked) and send no signals: for derived rows that are rebuilt whole, and for rows whose
service writes their audit itself and reads back the keys it needs (a bulk import of values and
its audit events, reports.services.rows). A database error (a unique row already there) comes
out as Django's own (IntegrityError), as from bulk_create.
"""

import datetime
import json
from collections.abc import Iterable
from decimal import Decimal

from django.db import connections, models, router

# Up to this many rows, PostgreSQL gets one INSERT … VALUES statement (one round trip, the keys
# returned) rather than COPY (two round trips, keys read back by another query): an API request
# writes a report's few dozen values, and on a busy server each round trip waits for a core.
INSERT_UP_TO = 300


_DEFAULT = object()


class Same:
    """A column's one value for every row (`insert_columns`): the actor, the moment, the action of
    a batch of audit events."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def insert_rows(
    model: type[models.Model], rows: Iterable[models.Model | dict], *, batch_size: int = 2000, returning: bool = False
) -> int | list:
    """Inserts `rows` (model instances, or dicts of field attnames to values) into `model`'s table.
    Returns how many; with `returning`, the new rows' keys in their order instead (PostgreSQL:
    only up to INSERT_UP_TO rows; elsewhere as bulk_create gives them)."""
    fields = _fields(model)
    # The connection itself, not the `django.db.connection` proxy: every field of every row asks
    # it for its operations, and through the proxy each ask is a context-local lookup.
    connection = connections[router.db_for_write(model)]
    rows = list(rows)
    if not rows:
        return 0
    if _by_bulk_create(connection, returning):
        objs = [row if isinstance(row, models.Model) else model(**row) for row in rows]
        model.objects.bulk_create(objs, batch_size=batch_size)
        return [obj.pk for obj in objs] if returning else len(objs)
    if all(type(row) is dict for row in rows):
        raw = [[row[f.attname] if f.attname in row else f.get_default() for row in rows] for f in fields]
        by_column = [_prepared(f, column, connection) for f, column in zip(fields, raw, strict=True)]
    else:
        by_column = [
            list(column) for column in zip(*(_values_of(fields, row, connection) for row in rows), strict=True)
        ]
    return _write(model, fields, by_column, len(rows), connection, returning)


def insert_columns(model: type[models.Model], columns: dict[str, list | Same], count: int, *, returning: bool = False):
    """As `insert_rows`, for `count` rows given a column at a time: field attname → its values in
    row order, or `Same(value)` for every row; a field not named takes its default. For a writer
    that has its rows' values as columns already (a bulk import's audit events), without making
    a dict per row only to take it apart again."""
    fields = _fields(model)
    connection = connections[router.db_for_write(model)]
    if not count:
        return 0
    names = {f.attname for f in fields}
    if set(columns) - names:
        raise ValueError(f"insert_columns: no such columns of {model.__name__}: {sorted(set(columns) - names)}")
    raw = []
    for f in fields:
        given = columns.get(f.attname, _DEFAULT)
        if given is _DEFAULT:
            raw.append([f.get_default() for _ in range(count)])
        elif type(given) is Same:
            raw.append([given.value] * count)
        elif len(given) != count:
            raise ValueError(f"insert_columns: {f.attname} has {len(given)} values, not {count}")
        else:
            raw.append(list(given))
    if _by_bulk_create(connection, returning):
        names_in_order = [f.attname for f in fields]
        rows = [dict(zip(names_in_order, values, strict=True)) for values in zip(*raw, strict=True)]
        return insert_rows(model, rows, returning=returning)
    by_column = [_prepared(f, column, connection) for f, column in zip(fields, raw, strict=True)]
    return _write(model, fields, by_column, count, connection, returning)


def _by_bulk_create(connection, returning: bool) -> bool:
    """Whether Django's bulk_create writes the rows: on databases other than these two, and on
    SQLite when the keys are asked back (it reads them with RETURNING)."""
    return connection.vendor != "postgresql" and (connection.vendor != "sqlite" or returning)


def _fields(model) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _prep(f, value, connection):
    # A value the field would hand to the driver unchanged goes as it is (the preparation costs
    # more than the COPY itself for a hundred thousand rows); anything else is prepared.
    plain_types = _PLAIN.get(type(f), ())
    if type(value) in plain_types and (type(value) is not Decimal or value.is_finite()):
        return value
    return f.get_db_prep_save(value, connection)


def _values_of(fields, row, connection) -> list:
    if isinstance(row, models.Model):
        # Fields of the plain kinds take their value as it is on the instance (their pre_save is
        # the attribute read); any other (dates kept up to date, files) goes through its pre_save.
        return [
            _prep(f, getattr(row, f.attname) if type(f) in _PLAIN else f.pre_save(row, True), connection)
            for f in fields
        ]
    return [_prep(f, row[f.attname] if f.attname in row else f.get_default(), connection) for f in fields]


def _prepared(f, column: list, connection) -> list:
    """One column, prepared as `_prep` would each value, with one call for the whole column where
    it can: a bulk import's hundred thousand rows otherwise pay a Python call per value of every
    column."""
    kinds = set(map(type, column))
    if kinds <= set(_PLAIN.get(type(f), ())) and (
        Decimal not in kinds or all(v.is_finite() for v in column if type(v) is Decimal)
    ):
        return column
    if type(f) is models.JSONField and kinds <= _JSON_AS_IS:
        # COPY reads a jsonb column from its text: the JSON itself, not the driver's wrapper.
        return [_json_text(f, v) for v in column]
    if kinds <= _SAME_WHEN_EQUAL:
        # One moment stamped on every row of a batch (updated_at, the audit's `at`) is prepared
        # once: equal dates and moments prepare to the same stored value.
        prepared = {v: f.get_db_prep_save(v, connection) for v in set(column)}
        return [prepared[v] for v in column]
    return [_prep(f, v, connection) for v in column]


def _write(model, fields, by_column: list[list], count: int, connection, returning: bool) -> int | list:
    """PostgreSQL: the prepared columns written by one INSERT (up to INSERT_UP_TO rows) or COPY.
    SQLite: by one prepared INSERT run for every row (executemany), what bulk_create sends without
    its model instance and compiled SQL per row."""
    if connection.vendor == "sqlite":
        return _write_sqlite(model, fields, by_column, count, connection)
    if returning and count > INSERT_UP_TO:
        raise ValueError(f"insert_rows(returning=True) takes at most {INSERT_UP_TO} rows on PostgreSQL")
    qn = connection.ops.quote_name
    table, columns = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    if count <= INSERT_UP_TO:
        # One array per column (UNNEST, as Django's own bulk_create on PostgreSQL): the statement's
        # text is the same whatever the number of rows, so the driver parses it once, not a
        # placeholder per value each time; the arrays go in binary (%b), not quoted as text. Only
        # quoted names, types and placeholders in the text.
        arrays = ", ".join(f"%b::{f.db_type(connection)}[]" for f in fields)
        sql = f"INSERT INTO {table} ({columns}) SELECT * FROM UNNEST({arrays})"  # noqa: S608
        if returning:
            sql += f" RETURNING {qn(model._meta.pk.column)}"
        params = [
            [_json_text(f, v) if not isinstance(v, str) else v for v in column]
            if isinstance(f, models.JSONField)
            else column
            for f, column in zip(fields, by_column, strict=True)
        ]
        import psycopg  # PostgreSQL only

        # A cursor that binds on the server (Django's binds in the client, quoting every element of
        # every array into the text in Python), wrapped as Django wraps its own: the statement is
        # logged and counted like any other, its errors are Django's.
        connection.ensure_connection()
        raw = psycopg.Cursor(connection.connection)
        with connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw) as cursor:
            cursor.execute(sql, params)
            return [key for (key,) in cursor.fetchall()] if returning else count
    statement = f"COPY {table} ({columns}) FROM STDIN"
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in zip(*by_column, strict=True):
            copy.write_row(row)
    return count


def _write_sqlite(model, fields, by_column: list[list], count: int, connection) -> int:
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (the model's own quoted names)
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    # (JSON goes as its text, which is what SQLite stores; the other columns as prepared)
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(zip(*by_column, strict=True)))
    return count


def _json_text(field, value):
    """A JSON field's prepared value as JSON text (an element of a jsonb[] array)."""
    if value is None:
        return None
    obj = getattr(value, "obj", value)  # the driver's Jsonb wrapper holds the Python value
    return json.dumps(obj, cls=field.encoder)


# What a plain JSONField takes as JSON as it is (not an expression such as Value(None)).
_JSON_AS_IS = frozenset({dict, list, str, int, float, bool, type(None)})

# Values that prepare to the same stored value whenever they are equal (not Decimal: 1.0 and 1
# are equal but keep their own scale).
_SAME_WHEN_EQUAL = frozenset({datetime.datetime, datetime.date})

# Python types a field of each kind gives PostgreSQL's driver unchanged (get_db_prep_save returns
# the same value, or an equal one): sent as they are. A datetime is not among them (naive ones
# are made aware and warned about), nor JSON (wrapped for the driver).
# Exactly these classes (a subclass may prepare its values otherwise).
_INTEGER = (type(None), int)
_PLAIN = {
    models.IntegerField: _INTEGER,
    models.BigIntegerField: _INTEGER,
    models.SmallIntegerField: _INTEGER,
    models.PositiveIntegerField: _INTEGER,
    models.PositiveBigIntegerField: _INTEGER,
    models.PositiveSmallIntegerField: _INTEGER,
    models.ForeignKey: _INTEGER,
    models.CharField: (type(None), str),
    models.TextField: (type(None), str),
    models.DecimalField: (type(None), Decimal),
    models.BooleanField: (type(None), bool),
}
