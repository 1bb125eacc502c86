"""Test helpers shared by the apps' tests."""

import datetime
import os

import django.utils.timezone
from django.apps import apps
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import models


class _AnyDatetime(type):
    # A real datetime is an instance of the frozen class too, so that Django's own isinstance
    # checks (template_localtime) keep working while the clock is frozen.
    def __instancecheck__(cls, obj):
        return isinstance(obj, datetime.datetime)


def freeze_clock(monkeypatch, moment: datetime.datetime) -> None:
    """Makes django.utils.timezone.now() (and so every model default, auto_now, localdate())
    return `moment` for the rest of the test."""
    if not django.utils.timezone.is_aware(moment):
        raise ValueError("freeze_clock needs an aware moment")

    class Frozen(datetime.datetime, metaclass=_AnyDatetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz) if tz else moment.astimezone().replace(tzinfo=None)

    monkeypatch.setattr(django.utils.timezone, "datetime", Frozen)


def stamps_after(moment: datetime.datetime) -> list[str]:
    """Every stored moment later than `moment`, in any model's DateTimeField, as
    'app.model.field = value' lines (empty when there is none)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateTimeField):
                continue
            late = model._default_manager.filter(**{f"{field.attname}__gt": moment})
            for value in late.values_list(field.attname, flat=True)[:3]:
                found.append(f"{model._meta.label}.{field.name} = {value.isoformat()}")
    return found


def require_seeds(folder) -> None:
    """Tests that read the seed plans (../shared/seeds) skip when the folder is absent, unless
    DXTRACK_REQUIRE_SEEDS=1 (CI), where its absence fails them: a silent skip there would hide
    that the seeds' tests never ran."""
    import os

    import pytest

    if folder.is_dir():
        return
    if os.environ.get("DXTRACK_REQUIRE_SEEDS") == "1":
        pytest.fail(f"the seed folder {folder} is required (DXTRACK_REQUIRE_SEEDS=1) but absent")
    pytest.skip(f"../shared/seeds is not beside the project ({folder})")


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 as in production (hashes still begin with "argon2$"), at its cheapest cost: the
    production parameters take about 0,2–0,4 s of CPU a hash, paid for every user a test makes.
    The suite puts it first in PASSWORD_HASHERS (conftest.py); production is unchanged."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


# Set in the test process only, for the test process: the browser fixture sets it because
# Playwright's sync API keeps an event loop running in the test's thread (Django's ORM would
# otherwise refuse to run there). A process a test starts is a process of the product, and must
# not inherit it (`check --deploy` refuses it, rightly).
TEST_PROCESS_ONLY = ("DJANGO_ALLOW_ASYNC_UNSAFE",)


def child_environ(*, without: tuple[str, ...] = (), **extra: str) -> dict[str, str]:
    """The environment for a process a test starts: this one's, less what is set for the test
    process only (TEST_PROCESS_ONLY) and the names in `without`, plus `extra`."""
    drop = set(TEST_PROCESS_ONLY) | set(without)
    return {k: v for k, v in os.environ.items() if k not in drop} | extra


# The collector's thresholds in a test process (the conftest sets them once the test modules are
# loaded; ADR 0049). Python's default is (700, 10, 10).
GC_THRESHOLDS = (20_000, 20, 20)


def gc_thresholds() -> tuple[int, ...]:
    """GC_THRESHOLDS, or DXTRACK_TEST_GC_THRESHOLDS ("700,10,10" gives Python's default back, to
    compare)."""
    given = os.environ.get("DXTRACK_TEST_GC_THRESHOLDS")
    return tuple(int(n) for n in given.split(",")) if given else GC_THRESHOLDS
