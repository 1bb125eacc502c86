from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dxtrack.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from dxtrack.core import actors

        from . import (
            lockout,  # noqa: F401 — connects the log-in failure counters
            sessions,  # noqa: F401 — records each log-in's session (ADR 0029)
        )
        from .access import SYSTEM, Access

        # core and org (below accounts) reach Access.of through this hook, not by importing it.
        actors.provide(Access.of, SYSTEM)
