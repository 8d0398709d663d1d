from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "tradepost.disputes"
    label = "disputes"
    verbose_name = "Disputes and chargebacks"
