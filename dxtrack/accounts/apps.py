from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dxtrack.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
