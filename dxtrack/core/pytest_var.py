"""The test run's own var/ folder, set before anything reads the settings.

pytest loads this module first (`-p dxtrack.core.pytest_var` in pyproject's addopts): before
pytest-django imports the settings, and so before the project's conftest runs. Set any later, the
first process of a run (xdist's controller, or the only process of `pytest -n 0`) would read the
developer's var/ (its database path, secret key, media and backups folders) while the workers
read the test one. Imports no app."""

import os
import sys
from pathlib import Path

# Whether the settings were read before this module ran (then they name the developer's var/):
# a test holds it false.
SETTINGS_READ_BEFORE = "dxtrack.settings" in sys.modules

# (DXTRACK_VAR_DIR set by the caller, as CI sets one per suite, is kept)
os.environ.setdefault("DXTRACK_VAR_DIR", str(Path(__file__).resolve().parents[2] / "var" / "test"))
