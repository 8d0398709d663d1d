from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "tradepost.dashboard"
    label = "dashboard"
    verbose_name = "Dashboards"
