from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "tradepost.returns"
    label = "returns"
    verbose_name = "Returns and exchanges"
