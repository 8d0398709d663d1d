from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "tradepost.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
