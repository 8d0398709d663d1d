from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "tradepost.performance"
    label = "performance"
    verbose_name = "Seller performance"
