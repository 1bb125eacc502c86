"""The `dxtrack` console script: Django's management commands with our settings preset."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxtrack.settings")
    from django.core.management import execute_from_command_line

    argv = list(argv or sys.argv)
    # Named as people type it, also when run as `python -m dxtrack.cli` (usage and error lines).
    execute_from_command_line(["dxtrack", *argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
