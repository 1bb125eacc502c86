from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "dxtrack.exchange"
    label = "exchange"
    verbose_name = "Trao đổi dữ liệu (API, DHIS2, Excel)"
