from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "tradepost.ledger"
    label = "ledger"
