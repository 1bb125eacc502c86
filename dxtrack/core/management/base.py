"""The base of every dxtrack command: one place that knows whether a command needs the database.

On a fresh checkout (`make setup` alone) the database has no tables; a command that reads or
writes it would end in a traceback ("no such table: org_agency"). Instead, before any work, a
command that needs the database checks that every migration is applied and otherwise says in
one Vietnamese line what to run first, and exits with status 1. Commands that only read files
(`plan extract`, `progress`) or set the database up themselves (`demo`) say so by overriding
`needs_database`.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

NOT_MIGRATED = "Cơ sở dữ liệu chưa được khởi tạo: chạy `make demo` hoặc `dxtrack migrate` trước."
BEHIND = "Cơ sở dữ liệu chưa được cập nhật ({count} bước chuyển đổi chưa chạy): chạy `dxtrack migrate` trước."
UNREACHABLE = "Không kết nối được cơ sở dữ liệu ({error}): kiểm tra DATABASE_URL."

# Databases found ready in this process; a ready database does not become unready while it runs.
_ready: set[str] = set()


def database_problem(alias: str = DEFAULT_DB_ALIAS) -> str | None:
    """None when the database is reachable and fully migrated, else the line that says what to do."""
    if alias in _ready:
        return None
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[alias]
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        return UNREACHABLE.format(error=first)
    if plan:
        return NOT_MIGRATED if not executor.loader.applied_migrations else BEHIND.format(count=len(plan))
    _ready.add(alias)
    return None


class DatabaseNotReady(CommandError):
    pass


class ProjectCommand(BaseCommand):
    def needs_database(self, options: dict) -> bool:
        """Whether this invocation reads or writes the database (default: yes)."""
        return True

    def execute(self, *args, **options):
        if self.needs_database(options) and (problem := database_problem()):
            if getattr(self, "_called_from_command_line", False):
                # The line alone, without Django's "CommandError:" prefix or a traceback.
                self.stderr.write(problem)
                sys.exit(1)
            raise DatabaseNotReady(problem)
        return super().execute(*args, **options)
