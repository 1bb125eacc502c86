"""The test run's var/ folder (dxtrack.core.pytest_var): every process of a run reads it, none the
developer's."""

import os
from pathlib import Path

from django.conf import settings

from dxtrack.core import pytest_var


def test_the_settings_of_a_test_process_name_the_runs_var_folder_not_the_developers():
    # (read before the folder was set, the settings would name the developer's var/ in the run's
    # first process: its database path, secret key, media and backups)
    var = Path(os.environ["DXTRACK_VAR_DIR"])
    assert pytest_var.SETTINGS_READ_BEFORE is False
    read = [settings.VAR_DIR, settings.MEDIA_ROOT]
    assert read == [var, var / "media"]
    assert var.resolve() != (Path(settings.BASE_DIR) / "var").resolve()
