from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "tradepost.attachments"
    label = "attachments"
