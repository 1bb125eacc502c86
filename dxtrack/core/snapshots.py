"""Rows built once and put back fast, for the test suite.

The suite's shared data (reference data, the register of the five seed plans, the 2025 calendar,
the demo world) is built by its real loaders once per session (per xdist worker), in a
transaction that is rolled back; the rows the loaders added are kept in memory. Each test that
needs the data gets the same rows back by bulk insert: tens of milliseconds instead of seconds.

A snapshot is put back only onto the state it was captured from (every table it fills, except the
ones nothing points to, holds as many rows as then); otherwise the caller runs the real loaders, so
a test that made its own rows first still sees what the loaders would have made.
Imports no app: it works on whatever models are installed.
"""

import copy
import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone


@functools.cache
def _tables() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.concrete_model is m
    ]


@functools.cache
def _referenced() -> set[type[models.Model]]:
    """Models some foreign key points to: their rows must keep their ids."""
    found = set()
    for model in _tables():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is not None:
                found.add(f.related_model._meta.concrete_model)
    return found


@dataclass
class _Ref:
    """A model instance returned by a builder, fetched again after each restore."""

    model: type[models.Model]
    pk: Any


@dataclass
class Snapshot:
    name: str
    # model → (attnames, rows): the rows the builder added, in table order
    rows: dict[type[models.Model], tuple[list[str], list[tuple]]]
    # row counts of the tables whose rows keep their ids, as they were before the builder ran
    guard: dict[type[models.Model], int]
    value: Any = None
    restored: int = 0
    rebuilt: int = 0
    seconds_built: float = 0.0
    read_from_file: bool = False  # kept between runs (capture_kept): not built by this process
    depends: list["Snapshot"] = field(default_factory=list)
    # content types and permissions (a flush deletes them and migrate's signal makes them again
    # under new ids): their ids at capture, by natural key, for the rows that point to them
    natural: dict[type[models.Model], dict[int, tuple]] = field(default_factory=dict)
    # tables whose existing rows the builder deleted: then the snapshot never fits
    changed: list[str] = field(default_factory=list)
    # model → (attnames, rows as the builder left them, the same rows as they were before it ran)
    updates: dict[type[models.Model], tuple[list[str], list[tuple], list[tuple]]] = field(default_factory=dict)
    _prepared_rows: dict = field(default_factory=dict, repr=False)
    _prepared_for: tuple | None = None
    # SQLite: the rows copied into the attached shadow database (see `materialize_shadows`), by
    # model: the INSERT ... SELECT that puts them back; valid on the DB-API connection named.
    _shadow: dict = field(default_factory=dict, repr=False)
    _shadow_raw: Any = field(default=None, repr=False)
    _inserts: int = 0  # times put back row by row: from SHADOW_AFTER on, a shadow is asked for

    @property
    def size(self) -> int:
        return sum(len(rows) for _, rows in self.rows.values())

    def fits(self) -> bool:
        """Whether the database is in the state the rows were captured from."""
        if self.changed or not all(model._base_manager.count() == count for model, count in self.guard.items()):
            return False
        for model, (_names, _after, before) in self.updates.items():
            pk_index = [f.attname for f in model._meta.concrete_fields].index(model._meta.pk.attname)
            now = _rows_by_pk(model, among={row[pk_index]: row for row in before})
            if _without_stamps(model, [now.get(row[pk_index], ()) for row in before]) != _without_stamps(model, before):
                return False
        return True

    def put_back(self) -> None:
        """Inserts the captured rows as they were (ids kept where anything may point to them)."""
        with transaction.atomic():
            self._put_back()

    def _put_back(self) -> None:
        # Plain INSERTs of values converted for the database once per snapshot: what bulk_create
        # would send, without building a model instance and compiling its SQL for every row
        # (about 0,27 s of CPU for the register and a calendar through bulk_create, a few
        # hundredths this way).
        prepared = self._prepared()
        needed = {target for _, _, remap_columns, _ in prepared.values() for _, target in remap_columns}
        moved = {}
        for target, keys in _natural_keys(needed).items():
            by_key = {key: pk for pk, key in keys.items()}
            moved[target] = {
                old: by_key.get(key) for old, key in self.natural.get(target, {}).items() if by_key.get(key) != old
            }
        referenced = []
        shadow = self._shadow if self._shadow and self._shadow_raw is connection.connection else None
        if shadow is None and connection.vendor == "sqlite":
            self._inserts += 1
            if self._inserts >= SHADOW_AFTER and not any(s is self for s in _PENDING):
                _PENDING.append(self)
        now = timezone.now()  # the auto_now columns' value, one moment for the whole put back
        with connection.cursor() as cursor:
            for model, (sql, rows, remap_columns, stamp_columns) in prepared.items():
                if model._meta.concrete_model in _referenced():
                    referenced.append(model)
                remap = [(i, moved[target]) for i, target in remap_columns if moved.get(target)]
                stamps = self._stamps(stamp_columns, now)
                if shadow is not None and not remap:
                    cursor.execute(shadow[model], stamps)
                    continue
                if remap or stamp_columns:
                    rows = [self._adjusted(row, remap, stamp_columns, stamps) for row in rows]
                cursor.executemany(sql, rows)
            for sql, rows, stamp_columns in self._prepared_updates():
                if stamp_columns:
                    stamps = self._stamps(stamp_columns, now)
                    rows = [self._adjusted(row, [], stamp_columns, stamps) for row in rows]
                cursor.executemany(sql, rows)
        if connection.vendor != "sqlite":  # SQLite's AUTOINCREMENT follows explicit ids by itself
            sql = connection.ops.sequence_reset_sql(no_style(), referenced)
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)

    @staticmethod
    def _stamps(stamp_columns, now) -> list:
        """The auto_now / auto_now_add columns' values for `now`, the moment of the put back, as
        bulk_create's pre_save gave."""
        return [stamped.get_db_prep_save(now, connection) for _, stamped in stamp_columns]

    def _materialize(self, cursor) -> None:
        """Copies the rows into tables of the shadow database (no declared types: each value is
        kept as it was bound, and the INSERT ... SELECT converts it as a bound value would be)
        and writes the statements that put them back from there."""
        quote = connection.ops.quote_name
        shadow = {}
        for model, (sql, rows, _remap_columns, stamp_columns) in self._prepared().items():
            table = f"{SHADOW_DATABASE}.{quote(f'rows_{next(_SHADOW_NAMES)}')}"
            width = sql.count("%s")
            names = [f"c{i}" for i in range(width)]
            cursor.execute(f"CREATE TABLE {table} ({', '.join(names)})")
            cursor.executemany(f"INSERT INTO {table} VALUES ({', '.join(['%s'] * width)})", rows)  # noqa: S608
            stamped = {i for i, _ in stamp_columns}
            # (auto_now fields are stamped at each put back, as the row-by-row path does)
            select = ", ".join("%s" if i in stamped else name for i, name in enumerate(names))
            shadow[model] = sql[: sql.index(" VALUES (")] + f" SELECT {select} FROM {table}"  # noqa: S608
        self._shadow, self._shadow_raw = shadow, connection.connection

    @staticmethod
    def _adjusted(row, remap, stamp_columns, stamps) -> list:
        row = list(row)
        for i, moved in remap:
            row[i] = moved.get(row[i], row[i])
        for (i, _field), value in zip(stamp_columns, stamps, strict=True):
            row[i] = value
        return row

    def _prepared_updates(self) -> list:
        """Per model the builder changed rows of: the UPDATE statement and its rows' values."""
        quote = connection.ops.quote_name
        out = []
        for model, (names, rows, _before) in self.updates.items():
            fields = list(model._meta.concrete_fields)
            pk = model._meta.pk
            others = [f for f in fields if f is not pk]
            sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 (the models' own names)
                quote(model._meta.db_table),
                ", ".join(f"{quote(f.column)} = %s" for f in others),
                quote(pk.column),
            )
            values = [
                [f.get_db_prep_save(row[names.index(f.attname)], connection) for f in [*others, pk]] for row in rows
            ]
            stamp_columns = [(i, f) for i, f in enumerate(others) if getattr(f, "auto_now", False)]
            out.append((sql, values, stamp_columns))
        return out

    def _prepared(self) -> dict:
        """Per model: the INSERT statement and the rows' values as the database takes them (ids
        left out where nothing points to the rows), with the positions of content-type columns
        (remapped after a flush) and of auto_now fields (set at each put back)."""
        naturals = _natural_models()
        key = (connection.vendor, connection.alias)
        if self._prepared_for == key:
            return self._prepared_rows
        referenced = _referenced()
        quote = connection.ops.quote_name
        prepared = {}
        for model, (names, rows) in self.rows.items():
            fields = model._meta.concrete_fields
            by_attname = {f.attname: f for f in fields}
            columns = [by_attname[name] for name in names]
            if model not in referenced:
                columns = [f for f in columns if f is not model._meta.pk]
            positions = [names.index(f.attname) for f in columns]
            # (names are the models' own, quoted; values go as parameters)
            sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
                quote(model._meta.db_table),
                ", ".join(quote(f.column) for f in columns),
                ", ".join(["%s"] * len(columns)),
            )
            values = [
                [f.get_db_prep_save(row[i], connection) for f, i in zip(columns, positions, strict=True)]
                for row in rows
            ]
            remap_columns = [(i, f.related_model) for i, f in enumerate(columns) if f.related_model in naturals]
            stamp_columns = [
                (i, f)
                for i, f in enumerate(columns)
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            ]
            prepared[model] = (sql, values, remap_columns, stamp_columns)
        self._prepared_rows, self._prepared_for = prepared, key
        return prepared

    def result(self) -> Any:
        value = self.value
        if isinstance(value, _Ref):
            return value.model._base_manager.get(pk=value.pk)
        return copy.deepcopy(value)


# SQLite: a snapshot put back a third time is copied, between two tests, into an in-memory
# database attached to the test connection; from then on it is put back with one INSERT ... SELECT
# per table, inside SQLite, instead of a row of Python values bound per INSERT (the 2025
# calendar's 814 obligations: 7,1 ms of CPU against 18,5 ms, on a slow machine). The copy is made
# outside any transaction, as a test's rollback would take it away. A new connection (one closed
# and opened again) has no copy: its snapshots are put back row by row until copied again.
SHADOW_DATABASE = "dxtrack_snapshots"
# (the copy costs about one put back: a snapshot put back once or twice a run, as the pages' demo
# world is, is not worth it; the register and the calendar are put back hundreds of times)
SHADOW_AFTER = 3
_SHADOW_NAMES = itertools.count()
_PENDING: list[Snapshot] = []
_ATTACHED: list = []  # the DB-API connection the shadow database is attached to


def materialize_shadows() -> None:
    """Copies the snapshots waiting for it into the shadow database: between tests, outside any
    transaction (a no-op elsewhere, and on other databases than SQLite)."""
    if not _PENDING or connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    connection.ensure_connection()
    raw = connection.connection
    if not (_ATTACHED and _ATTACHED[0] is raw):
        with connection.cursor() as cursor:
            cursor.execute(f"ATTACH DATABASE ':memory:' AS {SHADOW_DATABASE}")
        _ATTACHED[:] = [raw]
    pending, _PENDING[:] = list(_PENDING), []
    with transaction.atomic(), connection.cursor() as cursor:
        for snapshot in pending:
            snapshot._materialize(cursor)


def _counts(tables) -> dict[type[models.Model], int]:
    return {m: m._base_manager.count() for m in tables}


def capture(name: str, build: Callable[[], Any], *, keep: bool = False, on: list[Snapshot] = ()) -> Snapshot:
    """Runs `build` (after putting back the snapshots `on`) and records the rows it added. The
    transaction is rolled back unless `keep`. `build`'s return value is kept too (a model
    instance by its id, anything else copied)."""
    import time

    tables = _tables()
    referenced = _referenced()
    with transaction.atomic():
        for base in on:
            base.put_back()
        before = _counts(tables)
        pks_before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in tables}
        existing = {m: _rows_by_pk(m) for m in tables if before[m]}
        started = time.perf_counter()
        value = build()
        elapsed = time.perf_counter() - started
        after = _counts(tables)
        # Rows the builder changed are put back by UPDATE (onto rows as they were before it ran);
        # a builder that deleted rows is not captured: that snapshot is never put back (its
        # loaders run each time instead), so no test sees a world the loaders would not have made.
        changed, updates = [], {}
        for model, old in existing.items():
            now = _rows_by_pk(model, among=old)
            if len(now) < len(old):
                changed.append(model._meta.db_table)
            elif moved := [pk for pk, row in old.items() if now[pk] != row]:
                names = [f.attname for f in model._meta.concrete_fields]
                updates[model] = (names, [now[pk] for pk in moved], [old[pk] for pk in moved])
        rows = {}
        for model in tables:
            if after[model] == before[model]:
                continue
            names = [f.attname for f in model._meta.concrete_fields]
            pk_index = names.index(model._meta.pk.attname)
            added = [
                row
                for row in model._base_manager.order_by("pk").values_list(*names)
                if row[pk_index] not in pks_before[model]
            ]
            rows[model] = (names, added)
        if isinstance(value, models.Model):
            value = _Ref(type(value), value.pk)
        if not keep:
            transaction.set_rollback(True)
    guard = {m: before[m] for m in rows if m in referenced}
    snapshot = Snapshot(
        name, rows, guard, value=value, seconds_built=elapsed, depends=list(on), changed=changed, updates=updates
    )
    snapshot.natural = _natural_keys()
    return snapshot


def _rows_by_pk(model, among: dict | None = None) -> dict:
    """The table's rows (of the ids `among` only, if given) by id, as value tuples."""
    names = [f.attname for f in model._meta.concrete_fields]
    pk_index = names.index(model._meta.pk.attname)
    query = model._base_manager.order_by("pk")
    if among is not None and len(among) < 5000:
        query = query.filter(pk__in=list(among))
    found = {row[pk_index]: row for row in query.values_list(*names)}
    return found if among is None else {pk: row for pk, row in found.items() if pk in among}


def _without_stamps(model, rows) -> list:
    """Rows without their auto_now fields (set to the moment of each put back, so never equal)."""
    fields = model._meta.concrete_fields
    keep = [i for i, f in enumerate(fields) if not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))]
    return [tuple(row[i] for i in keep) for row in rows]


def _natural_models() -> set[type[models.Model]]:
    from django.contrib.contenttypes.models import ContentType

    found = {ContentType}
    if apps.is_installed("django.contrib.auth"):
        from django.contrib.auth.models import Permission

        found.add(Permission)
    return found


def _natural_keys(only: set | None = None) -> dict[type[models.Model], dict[int, tuple]]:
    """Content types and permissions by id, as their natural keys. A flush deletes them and
    migrate's signal makes them again under new ids: rows pointing to one are put back by its
    natural key."""
    from django.contrib.contenttypes.models import ContentType

    out = {}
    if only is None or ContentType in only:
        out[ContentType] = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}
    if apps.is_installed("django.contrib.auth") and (
        only is None or any(m._meta.label == "auth.Permission" for m in only)
    ):
        from django.contrib.auth.models import Permission

        out[Permission] = {
            p.pk: (p.content_type.app_label, p.content_type.model, p.codename)
            for p in Permission.objects.select_related("content_type")
        }
    return out


# Every snapshot of the session by name, for the summary at the end of the run.
REGISTRY: dict[str, Snapshot] = {}


def shared(name: str, build: Callable[[], Any], *, on: list[Snapshot] = ()) -> Snapshot:
    """A snapshot captured once (from the database as django_db_setup left it, with `on` put back
    first): the body of a session-scoped fixture, inside django_db_blocker.unblock(). On SQLite it
    is kept between runs as `capture_kept` keeps one (its builders read the seeds and the shared
    data, so those are in its digest): the demo's reports and worlds cost 10–20 s to build."""
    snapshot = capture_kept(name, build, on=on, sources=_shared_sources())
    REGISTRY[name] = snapshot
    return snapshot


def _shared_sources() -> list:
    """The seed plans and the shared data (../shared beside the project), which the register's and
    the demo's builders read."""
    from pathlib import Path

    from dxtrack.core import migrated_template

    shared_dir = Path(migrated_template.__file__).resolve().parents[3] / "shared"
    return [p for p in (shared_dir / "seeds", shared_dir / "data") if p.exists()]


def put_back_or_build(request, snapshot: Snapshot, build: Callable[[], Any]) -> Any:
    """For one test (`request`): puts the snapshot's rows back if the database is where they were
    captured and the snapshots it stands on were put back in this test; else runs `build`, the
    real loaders. Returns the builder's value."""
    import pytest

    key = _put_back_key(pytest)
    done = request.node.stash.setdefault(key, set())
    if all(base.name in done for base in snapshot.depends) and snapshot.fits():
        snapshot.put_back()
        snapshot.restored += 1
        done.add(snapshot.name)
        return snapshot.result()
    snapshot.rebuilt += 1
    return build()


_KEY = []


def _put_back_key(pytest):
    if not _KEY:
        _KEY.append(pytest.StashKey[set]())
    return _KEY[0]


# Kept between runs (SQLite only): a snapshot whose builder costs tens of seconds is written to a
# file named by a digest of everything that can change what the builder makes, and read back by
# the next process instead of building it again (ADR 0045, "snapshots kept between runs").
_KEPT_VERSION = 1


def kept_digest(*sources) -> str:
    """The migrated database's digest (the project's non-test source, the migrations, the
    versions), plus every file of the dxtrack package (its tests and data files included: the
    builders are test helpers), of `sources` (files or folders the builders read) and today's date
    (builders date their rows from it)."""
    # The files do not change during a run: each process hashes them once per set of sources.
    return _kept_digest(tuple(str(s) for s in sources))


@functools.cache
def _kept_digest(sources: tuple[str, ...]) -> str:
    import hashlib
    from pathlib import Path

    from dxtrack.core import migrated_template

    h = hashlib.sha256(f"{_KEPT_VERSION} {migrated_template.digest()} {timezone.localdate()}".encode())
    package = Path(migrated_template.__file__).resolve().parents[1]
    for root in (package, *(Path(s) for s in sources)):
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in [root] if root.is_file() else files:
            h.update(str(path).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _kept_enabled() -> bool:
    import os

    return connection.vendor == "sqlite" and os.environ.get("DXTRACK_TEST_DB_TEMPLATE") != "0"


def capture_kept(
    name: str, build: Callable[[], Any], *, sources=(), on: list[Snapshot] = (), keep: bool = False
) -> Snapshot:
    """capture(name, build, on=on, keep=keep), kept in a file between runs on SQLite: read back
    when the file of the same digest (kept_digest) exists, else captured and written. The file
    holds the models by label, so that it reads back in another process. (The snapshots `on` come
    from the same code, data and day, so the digest covers them too.) Read back, nothing is
    written to the database: `read_from_file` tells the caller that its rows are still to be put
    back, even with `keep`."""
    import os
    import pickle
    import re
    from pathlib import Path

    from django.conf import settings

    if not _kept_enabled():
        return capture(name, build, on=on, keep=keep)
    folder = Path(settings.VAR_DIR) / "test-databases"
    folder.mkdir(parents=True, exist_ok=True)
    stem = "snapshot-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    path = folder / f"{stem}-{kept_digest(*sources)}.pickle"
    if path.exists():
        try:
            snapshot = _from_kept(name, pickle.loads(path.read_bytes()))  # noqa: S301 (our own file)
        except Exception:  # (a file this code cannot read is built again, not trusted)
            snapshot = None
        if snapshot is not None:
            snapshot.depends = list(on)
            return snapshot
    snapshot = capture(name, build, on=on, keep=keep)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(pickle.dumps(_to_kept(snapshot), protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(path)
    for old in folder.glob(f"{stem}-*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
    return snapshot


def _to_kept(s: Snapshot) -> dict:
    def labelled(by_model: dict) -> dict:
        return {m._meta.label: v for m, v in by_model.items()}

    value = ("ref", s.value.model._meta.label, s.value.pk) if isinstance(s.value, _Ref) else ("value", s.value)
    return {
        "rows": labelled(s.rows),
        "guard": labelled(s.guard),
        "natural": labelled(s.natural),
        "changed": s.changed,
        "updates": labelled(s.updates),
        "value": value,
        "seconds_built": s.seconds_built,
    }


def _from_kept(name: str, kept: dict) -> Snapshot:
    def by_model(labelled: dict) -> dict:
        return {apps.get_model(label): v for label, v in labelled.items()}

    kind, *value = kept["value"]
    snapshot = Snapshot(
        name,
        by_model(kept["rows"]),
        by_model(kept["guard"]),
        value=_Ref(apps.get_model(value[0]), value[1]) if kind == "ref" else value[0],
        seconds_built=kept["seconds_built"],
        changed=kept["changed"],
        updates=by_model(kept["updates"]),
        read_from_file=True,
    )
    snapshot.natural = by_model(kept["natural"])
    return snapshot
