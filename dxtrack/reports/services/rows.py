"""The one way a batch of rows is applied to a report (values and task updates alike).

Each row is identified against what the report's form asks, checked against the version the
client saw (optimistic versions), parsed and checked, then the batch is checked as a whole (the
rules between values), compared with what is stored, and — only when no row failed and this is
no dry run — written and audited. All or nothing; one answer per row. What differs between
values and task updates is their row type, a `RowKind`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.bulk import INSERT_UP_TO, insert_rows
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.obligations.models import Obligation
from dxtrack.reports import validation as v
from dxtrack.reports.models import Report

from .editing import SOURCES, Conflict, create_once, may_fill, require_open
from .opening import REFUSED_OPEN, report_open, reports_open


@dataclass
class RowResult:
    indicator: str
    result: str  # imported | updated | ignored | error | conflict
    reason: str = ""
    where: str = ""
    findings: list[v.Finding] = field(default_factory=list)


@dataclass
class ImportSummary:
    status: str  # ok | error
    dry_run: bool
    rows: list[RowResult]

    def count(self, result: str) -> int:
        return sum(1 for r in self.rows if r.result == result)

    @property
    def imported(self) -> int:
        return self.count("imported")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def ignored(self) -> int:
        return self.count("ignored")

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.result in ("error", "conflict")]

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "dryRun": self.dry_run,
            "imported": self.imported,
            "updated": self.updated,
            "ignored": self.ignored,
            "rows": [
                {
                    "indicator": r.indicator,
                    "result": r.result,
                    "reason": r.reason,
                    "where": r.where,
                    "findings": [{"level": f.level, "field": f.field, "message": f.message} for f in r.findings],
                }
                for r in self.rows
            ],
        }


@dataclass
class Accepted:
    """A row that passed its own checks: its key, what it says, and its answer (filled on)."""

    key: Any
    data: Any
    result: RowResult


class RowKind:
    """What one kind of row is: how it is found in the form, parsed, compared and written. A kind
    is made for one locked report (it reads the form and the stored rows once)."""

    model: ClassVar[type[models.Model]]
    action: ClassVar[str]  # the audit action of a written row
    stranger: ClassVar[str]  # why someone outside the unit is refused
    stale: ClassVar[str]  # the row changed since the client read it
    gone: ClassVar[str]  # the client saw a version of a row that is not there
    raced: ClassVar[str]  # another writer created the row first
    unchanged: ClassVar[str]  # an ignored row's reason
    duplicate: ClassVar[str]  # the same row twice in one batch

    def __init__(self, report: Report):
        self.report = report
        self.stored: dict[Any, models.Model] = {}

    @classmethod
    def for_reports(cls, reports: list[Report], **options) -> list[RowKind]:
        """The kinds of many locked reports (`apply_many`); a kind that can read what its rows
        are checked against for many reports at once does so here."""
        return [cls(report, **options) for report in reports]

    def identify(self, row) -> tuple[Any, str, str]:
        """(key or None, what the answer calls the row, why it is refused)."""
        raise NotImplementedError

    def parse(self, row, current) -> tuple[Any, str, list[v.Finding]]:
        """(data or None, why it is refused, findings to show beside the row)."""
        raise NotImplementedError

    def check_batch(self, accepted: list[Accepted]) -> None:
        """Checks between the rows of the batch and the report (marks results as errors)."""

    def snapshot(self, stored) -> dict:
        """What the audit compares: a stored row (None: none)."""
        raise NotImplementedError

    def after(self, data) -> dict:
        """What the audit compares: the row as it will be stored."""
        raise NotImplementedError

    def is_empty(self, data) -> bool:
        return False

    def fields(self, data) -> dict:
        """The columns written from `data`."""
        raise NotImplementedError

    def create_key(self, key) -> dict:
        """The unique key of a new row."""
        raise NotImplementedError

    def create_fields(self) -> dict:
        """Columns every new row of this report carries besides `fields`."""
        return {}

    def create_columns(self, key) -> dict:
        """`create_key` and `create_fields` as columns (attnames, keys): what a new row of a bulk
        write carries besides `fields`. A kind may give them directly, without looking up each
        field of each row."""
        return _columns(self.model, {**self.create_key(key), **self.create_fields()})

    def name(self, key) -> str:
        """The row's name in a conflict's details."""
        raise NotImplementedError

    def target_repr(self, row: dict) -> str:
        """What str() of the model instance made of the new row `row` (its columns) says."""
        return str(self.model(**row))

    def current_of(self, key, fresh) -> dict:
        """What a conflict shows as the row now is."""
        return {}

    def audit_reason(self, data, source: str) -> str:
        return SOURCES.get(source, source)


def _check_row(kind: RowKind, row, key, result: RowResult) -> Any:
    """The row's own checks: the version the client saw, then its content. None: refused."""
    current = kind.stored.get(key)
    if row.version is not None and current is not None and current.version != row.version:
        result.result, result.reason = "conflict", kind.stale
        return None
    if row.version not in (None, 0) and current is None:
        result.result, result.reason = "conflict", kind.gone
        return None
    data, problem, findings = kind.parse(row, current)
    result.findings += findings
    if data is None:
        result.reason = problem
        return None
    return data


def _judge(kind: RowKind, rows: list) -> tuple[list[RowResult], list[Accepted]]:
    """One answer per row; the rows that would be written."""
    results: list[RowResult] = []
    accepted: list[Accepted] = []
    seen: set = set()
    for row in rows:
        key, shown, problem = kind.identify(row)
        result = RowResult(shown, "error", where=row.where)
        results.append(result)
        if problem:
            result.reason = problem
            continue
        if key in seen:
            result.reason = kind.duplicate
            continue
        seen.add(key)
        data = _check_row(kind, row, key, result)
        if data is not None:
            result.result = "ok"
            accepted.append(Accepted(key, data, result))
    kind.check_batch(accepted)
    writes = []
    for item in accepted:
        if item.result.result != "ok":
            continue
        current = kind.stored.get(item.key)
        if kind.snapshot(current) == kind.after(item.data):
            item.result.result, item.result.reason = "ignored", kind.unchanged
        elif current is None and kind.is_empty(item.data):
            item.result.result, item.result.reason = "ignored", "Để trống."
        else:
            item.result.result = "updated" if current is not None else "imported"
            writes.append(item)
    return results, writes


def _write(kind: RowKind, *, access: Access, item: Accepted, now, source: str) -> None:
    """Writes one row, guarded by its version, and audits it."""
    current = kind.stored.get(item.key)
    before = kind.snapshot(current)
    fields = {**kind.fields(item.data), "updated_at": now, "updated_by": access.audit_actor}
    if current is None:
        current = create_once(
            kind.model,
            kind.create_key(item.key),
            **kind.create_fields(),
            **fields,
            conflict=Conflict(kind.raced, details=[kind.name(item.key)]),
        )
    elif not kind.model.objects.filter(pk=current.pk, version=current.version).update(
        version=current.version + 1, **fields
    ):
        # The version guard makes the second of two concurrent writers fail, not overwrite.
        fresh = kind.model.objects.get(pk=current.pk)
        raise Conflict(kind.stale, current=kind.current_of(item.key, fresh), details=[kind.name(item.key)])
    audit.record(
        actor=access,
        action=kind.action,
        target=current,
        changes=audit.diff(before, kind.after(item.data)),
        reason=kind.audit_reason(item.data, source),
    )


# From this many rows to write, a batch is written set-based: the stored rows locked and their
# versions checked in one query, new rows and changed rows written with one statement per
# thousand, and their audit events likewise (core.audit.record_many); a file or an API call of a
# hundred thousand values then costs a few statements per report, not three per value. One row
# (the form's autosave) is written as it always was.
BULK_FROM = 2
BULK_BATCH = 1000


@functools.cache
def _attname(model, name: str) -> str:
    return model._meta.get_field(name).attname


def _columns(model, values: dict) -> dict:
    """`values` (field names, model instances for relations) as columns (attnames, keys)."""
    # Called for every new row of a bulk import: each field's column name is looked up once.
    return {
        _attname(model, name): value.pk if isinstance(value, models.Model) else value for name, value in values.items()
    }


def _insert(model, fresh: list[tuple[RowKind, Accepted, dict]]) -> dict[int, Any]:
    """Inserts the new rows (each a dict of columns) and returns each one's key by id() of its
    dict (the audit names it). No model instance per row: for a hundred thousand values making
    them cost more than the insert. A report's few dozen rows (an API request) go in one INSERT
    that returns their keys (core.bulk); more go by COPY on PostgreSQL, then one query reads the
    keys back by each row's unique key in its report (the reports are locked: no other writer
    adds rows to them meanwhile)."""
    if not fresh:
        return {}
    rows = [row for _kind, _item, row in fresh]
    if connection.vendor != "postgresql" or len(rows) <= INSERT_UP_TO:
        return dict(zip(map(id, rows), insert_rows(model, rows, returning=True), strict=True))
    insert_rows(model, rows)
    kind, item, _row = fresh[0]
    names = [model._meta.get_field(name).attname for name in kind.create_key(item.key)]
    keys = {
        tuple(values[1:]): values[0]
        for values in model.objects.filter(report_id__in={kind.report.pk for kind, _i, _r in fresh}).values_list(
            "pk", *names
        )
    }
    return {id(row): keys[tuple(row[name] for name in names)] for row in rows}


def _raced(exc: IntegrityError, model, fresh) -> list[str] | None:
    """The names of the new rows another writer inserted first, read from PostgreSQL's own report
    of the unique key it refused ("Key (report_id, indicator_id)=(7, 12) already exists."): the
    transaction is aborted and cannot be asked. None: not a unique key of `model` (another error)."""
    diag = getattr(exc.__cause__, "diag", None)
    unique = {c.name for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)}
    if diag is None or diag.constraint_name not in unique:
        return None
    found = re.match(r"Key \((.*)\)=\((.*)\) already exists", diag.message_detail or "")
    if found is None:
        return []
    names, values = found.group(1).split(", "), found.group(2).split(", ")
    return [
        kind.name(item.key)
        for kind, item, row in fresh
        if all(str(row.get(name)) == value for name, value in zip(names, values, strict=False))
    ]


def _write_many(groups: list[tuple[RowKind, list[Accepted]]], *, access: Access, now, source: str) -> None:
    """Writes many rows at once — of one report or of many, each group a report's kind and rows
    — as `_write` would one by one: same columns, versions, audit."""
    who = access.audit_actor
    who_pk = who.pk if who is not None else None
    model = groups[0][0].model
    fresh, changed = [], []
    for kind, items in groups:
        for item in items:
            current = kind.stored.get(item.key)
            if current is None:
                # Columns as they are (the fields' names are their columns but for updated_by).
                row = {**kind.create_columns(item.key), **kind.fields(item.data)}
                row["updated_at"], row["updated_by_id"] = now, who_pk
                fresh.append((kind, item, row))
            else:
                changed.append((kind, item, current, {**kind.fields(item.data), "updated_at": now, "updated_by": who}))
    if changed:
        # Locked and checked in one query: a row another writer changed since it was read fails
        # the whole batch, as the row-by-row version guard would.
        seen = {current.pk: current.version for _kind, _item, current, _fields in changed}
        now_there = dict(model.objects.select_for_update().filter(pk__in=list(seen)).values_list("pk", "version"))
        for kind, item, current, _fields in changed:
            if now_there.get(current.pk) != current.version:
                fresh_row = model.objects.get(pk=current.pk)
                raise Conflict(kind.stale, current=kind.current_of(item.key, fresh_row), details=[kind.name(item.key)])
    entries = [(kind, item, kind.snapshot(kind.stored.get(item.key))) for kind, items in groups for item in items]
    if connection.vendor == "postgresql":
        # No savepoint (two round trips a request): a refused row aborts the transaction, and
        # PostgreSQL's error says which key was taken.
        try:
            keys = _insert(model, fresh)
        except IntegrityError as exc:
            raced = _raced(exc, model, fresh)
            if raced is None:
                raise
            raise Conflict(fresh[0][0].raced, details=raced) from None
    else:
        try:
            with transaction.atomic():
                keys = _insert(model, fresh)
        except IntegrityError:
            raced = [
                kind.name(item.key)
                for kind, item, _row in fresh
                if model.objects.filter(**kind.create_key(item.key)).exists()
            ]
            if raced:
                raise Conflict(fresh[0][0].raced, details=raced) from None
            raise
    updated = []
    for _kind, _item, current, fields in changed:
        for name, value in fields.items():
            setattr(current, name, value)
        current.version += 1
        updated.append(current)
    if updated:
        kind, item = changed[0][0], changed[0][1]
        names = [*kind.fields(item.data), "updated_at", "updated_by", "version"]
        model.objects.bulk_update(updated, names, batch_size=BULK_BATCH)
    label = model._meta.label_lower
    targets = {
        # As str() of the instance would name it (`kind.target_repr`), without making one.
        id(item): audit.Target(label, keys[id(row)], kind.target_repr(row))
        for kind, item, row in fresh
    } | {id(item): cur for _k, item, cur, _f in changed}
    audit.record_many(
        actor=access,
        action=groups[0][0].action,
        entries=[
            (targets[id(item)], audit.diff(before, kind.after(item.data)), kind.audit_reason(item.data, source))
            for kind, item, before in entries
        ],
    )


def _judge_all(kinds: list[RowKind], batches: list[tuple[Report, list]], dry_run: bool):
    """Every report's answers, and the rows to write (none when a row of any report failed)."""
    summaries, groups = [], []
    for kind, (_report, rows) in zip(kinds, batches, strict=True):
        results, writes = _judge(kind, rows)
        failed = any(r.result in ("error", "conflict") for r in results)
        summaries.append(ImportSummary("error" if failed else "ok", dry_run, results))
        groups.append((kind, writes))
    if dry_run or any(summary.status == "error" for summary in summaries):
        return summaries, None
    return summaries, groups


def _write_all(groups: list[tuple[RowKind, list[Accepted]]], *, access: Access, source: str) -> None:
    """Writes what the reports' rows change and marks every report of the batch as just edited
    (as one by one: even a report whose rows were all unchanged)."""
    now = timezone.now()
    touched = [kind.report.pk for kind, _items in groups]
    groups = [(kind, items) for kind, items in groups if items]
    if sum(len(items) for _kind, items in groups) >= BULK_FROM:
        _write_many(groups, access=access, now=now, source=source)
    else:
        for kind, items in groups:
            for item in items:
                _write(kind, access=access, item=item, now=now, source=source)
    Report.objects.filter(pk__in=touched).update(updated_at=now)


def _locked(reports):
    """`reports` read under a row lock, with what their checks read of the obligation."""
    return reports.select_for_update(of=("self",)).select_related("obligation__period", "obligation__rule")


def _apply_locked(kind_class, access: Access, report: Report, rows: list, dry_run: bool, source: str, options):
    require_open(report)
    kind = kind_class(report, **options)
    (summary,), groups = _judge_all([kind], [(report, rows)], dry_run)
    if groups is not None:
        _write_all(groups, access=access, source=source)
    return summary


def apply_rows(
    kind_class: type[RowKind],
    *,
    actor: Access,
    report: Report,
    rows: list,
    dry_run: bool = False,
    source: str = "web",
    **options,
) -> ImportSummary:
    """Applies `rows` to `report`; `kind_class(report, **options)` is their kind, made once the
    report is locked. A stranger is refused before anything is read."""
    access = Access.of(actor)
    if not may_fill(access, report.obligation):
        raise NotAllowed(kind_class.stranger)
    with transaction.atomic():
        report = _locked(Report.objects.filter(pk=report.pk)).get()
        return _apply_locked(kind_class, access, report, rows, dry_run, source, options)


def apply_to_obligation(
    kind_class: type[RowKind],
    *,
    actor: Access,
    obligation: Obligation,
    rows: list,
    dry_run: bool = False,
    source: str = "web",
    **options,
) -> ImportSummary:
    """`apply_rows` to the report of `obligation`, opened first (a draft, audited) when its unit
    has none yet: what an API request does, with the report found and locked in one query rather
    than read, read again for its obligation and then locked. Refused as `report_open` refuses
    when there is no report yet, else as `apply_rows`; before anything is written either way.
    When nothing is written (a dry run, a refused row), nothing is kept: not even the draft
    report opened for this call."""
    access = Access.of(actor)
    if not may_fill(access, obligation):
        if not access.is_system and not Report.objects.filter(obligation=obligation).exists():
            raise NotAllowed(REFUSED_OPEN)
        raise NotAllowed(kind_class.stranger)
    with transaction.atomic():
        report = _locked(Report.objects.filter(obligation=obligation)).first()
        if report is None:
            report_open(actor=access, obligation=obligation)
            report = _locked(Report.objects.filter(obligation=obligation)).get()
        summary = _apply_locked(kind_class, access, report, rows, dry_run, source, options)
        if summary.dry_run or summary.errors:
            transaction.set_rollback(True)
        return summary


def apply_to_obligations(
    kind_class: type[RowKind],
    *,
    actor: Access,
    batches: list[tuple[Obligation, list]],
    dry_run: bool = False,
    source: str = "web",
    **options,
) -> list[ImportSummary]:
    """`apply_to_obligation` for many obligations at once, all or nothing across them (a batch
    of the reporting API): each obligation's report opened when it has none yet (drafts,
    audited), then `apply_many`. Refused as `reports_open` and `apply_many` refuse, before
    anything is written. When nothing is written (a dry run, a refused row of any report),
    nothing is kept, not even the drafts opened for this call."""
    access = Access.of(actor)
    if not batches:
        return []
    seen: set[int] = set()
    twice = [o.pk for o, _rows in batches if o.pk in seen or seen.add(o.pk)]
    if twice:
        # One report's rows in two places would be judged apart and written twice.
        raise InvalidData(
            "Mỗi nghĩa vụ báo cáo chỉ được gửi một lần trong một lần nhập; gửi lại nhiều lần: "
            + ", ".join(str(pk) for pk in sorted(set(twice)))
            + "."
        )
    with transaction.atomic():
        reports = reports_open(actor=access, obligations=[obligation for obligation, _rows in batches])
        summaries = apply_many(
            kind_class,
            actor=access,
            batches=[(reports[obligation.pk], rows) for obligation, rows in batches],
            dry_run=dry_run,
            source=source,
            **options,
        )
        if dry_run or any(summary.errors for summary in summaries):
            transaction.set_rollback(True)
        return summaries


def apply_many(
    kind_class: type[RowKind],
    *,
    actor: Access,
    batches: list[tuple[Report, list]],
    dry_run: bool = False,
    source: str = "web",
    **options,
) -> list[ImportSummary]:
    """`apply_rows` for many reports at once, all or nothing across them: each (report, rows)
    gets the answers `apply_rows` would give it, but nothing is written when any row of any
    report fails. The reports are locked in one query (in the order of their keys, as one by one)
    and `kind_class.for_reports` reads what their rows are checked against together; the rows of
    every report are written set-based, with their audit events. Inside a caller's transaction it
    joins it without a savepoint (two round trips): a failure undoes the caller's whole
    transaction, as an all-or-nothing import across many reports wants."""
    access = Access.of(actor)
    for report, _rows in batches:
        if not may_fill(access, report.obligation):
            raise NotAllowed(kind_class.stranger)
    if not batches:
        return []
    with transaction.atomic(savepoint=False):
        pks = [report.pk for report, _rows in batches]
        locked = {r.pk: r for r in _locked(Report.objects.filter(pk__in=pks)).order_by("pk")}
        reports = [locked[pk] for pk in pks]
        for report in sorted(reports, key=lambda r: r.pk):
            require_open(report)
        kinds = kind_class.for_reports(reports, **options)
        summaries, groups = _judge_all(kinds, batches, dry_run)
        if groups is not None:
            _write_all(groups, access=access, source=source)
        return summaries
