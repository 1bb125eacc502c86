"""The base of every dxtrack command: one place that knows whether a command needs the database.

On a fresh checkout (`make setup` alone) the database has no tables; a command that reads or
writes it would end in a traceback ("no such table: org_agency"). Instead, before any work, a
command that needs the database checks that every migration is applied and otherwise says in
one Vietnamese line what to run first, and exits with status 1. Commands that only read files
(`plan extract`, `progress`) or set the database up themselves (`demo`) say so by overriding
`needs_database`.
"""

import argparse
import re
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
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


# argparse's own messages, in English, as Python writes them; each said again in Vietnamese.
ARGPARSE_MESSAGES = (
    (
        re.compile(r"argument (?P<arg>\S+?): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)$"),
        "tham số {arg}: “{value}” không phải lựa chọn hợp lệ (chọn một trong: {choices}).",
    ),
    (
        re.compile(r"argument (?P<arg>\S+?): invalid (?P<type>\w+) value: (?P<value>.+)$"),
        "tham số {arg}: “{value}” không phải giá trị hợp lệ ({type}).",
    ),
    (re.compile(r"argument (?P<arg>\S+?): expected one argument$"), "tham số {arg} cần một giá trị."),
    (re.compile(r"argument (?P<arg>\S+?): expected at least one argument$"), "tham số {arg} cần ít nhất một giá trị."),
    (
        re.compile(r"argument (?P<arg>\S+?): not allowed with argument (?P<other>\S+)$"),
        "tham số {arg} không dùng cùng với {other}.",
    ),
    (re.compile(r"the following arguments are required: (?P<args>.+)$"), "thiếu tham số bắt buộc: {args}."),
    (re.compile(r"one of the arguments (?P<args>.+) is required$"), "cần một trong các tham số: {args}."),
    (re.compile(r"unrecognized arguments: (?P<args>.+)$"), "tham số không được hỗ trợ: {args}."),
)
TYPE_NAMES = {"int": "cần số nguyên", "float": "cần số", "date": "cần ngày dd/mm/yyyy"}


def vietnamese_argparse_message(message: str) -> str:
    """argparse's message in Vietnamese; a message not known here is kept as it is."""
    for pattern, text in ARGPARSE_MESSAGES:
        if match := pattern.match(message):
            found = {k: v.strip("'") for k, v in match.groupdict().items()}
            if "type" in found:
                found["type"] = TYPE_NAMES.get(found["type"], found["type"])
            if "choices" in found:
                found["choices"] = ", ".join(c.strip(" '") for c in found["choices"].split(","))
            return text.format(**found)
    return message


class VietnameseCommandParser(CommandParser):
    """Django's parser, with argparse's errors said in Vietnamese (the rest of the program speaks
    Vietnamese; "invalid int value" was the one English line a user met)."""

    def error(self, message):
        message = vietnamese_argparse_message(message)
        if self.called_from_command_line:
            self.print_usage(sys.stderr)
            self.exit(2, f"{self.prog}: lỗi: {message}\n")
        raise CommandError(message)


def _speak_vietnamese(parser: argparse.ArgumentParser) -> None:
    # The parser and any sub-command parsers add_arguments made: Django builds them as its own class.
    if type(parser) is CommandParser:
        parser.__class__ = VietnameseCommandParser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _speak_vietnamese(sub)


class ProjectCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _speak_vietnamese(parser)
        return parser

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
