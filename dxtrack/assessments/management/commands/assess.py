"""`dxtrack assess extract FILE [--format json]`: a criteria-set decision read into data.

Needs no database. On a file it cannot read, or a criteria set that does not add up, it prints
one Vietnamese message on stderr and exits with status 2, printing nothing on stdout; the JSON is
built whole before a byte of it is written. Warnings (flags left unsaid) go to stderr too.
"""

import json
import sys

from django.core.management.base import CommandError

from dxtrack.core.management.base import ProjectCommand

EXIT_BAD_INPUT = 2


class Command(ProjectCommand):
    help = "Bộ tiêu chí đánh giá chuyển đổi số: đọc quyết định ban hành bộ tiêu chí."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ext = sub.add_parser(
            "extract", help="In ra JSON bộ tiêu chí, mức công nhận và lịch đánh giá đọc được từ quyết định."
        )
        ext.add_argument("file")
        ext.add_argument("--format", choices=["json"], default="json")

    def needs_database(self, options: dict) -> bool:
        return options.get("action") != "extract"

    def handle(self, *args, action: str, **options):
        if action == "extract":
            self._extract(options["file"])

    def _extract(self, path: str) -> None:
        from dxtrack.assessments.extract import ExtractError, extract_with_warnings

        try:
            result = extract_with_warnings(path)
        except ExtractError as exc:
            self._fail(exc.message)
            return
        text = json.dumps(result.data, ensure_ascii=False, indent=2)
        for warning in result.warnings:
            self.stderr.write(f"Lưu ý: {warning}")
        self.stdout.write(text)

    def _fail(self, message: str) -> None:
        if getattr(self, "_called_from_command_line", False):
            # The message alone, without Django's "CommandError:" prefix or a traceback.
            self.stderr.write(message)
            sys.exit(EXIT_BAD_INPUT)
        raise CommandError(message, returncode=EXIT_BAD_INPUT)
