from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dxtrack.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from . import lockout  # noqa: F401 — connects the log-in failure counters
