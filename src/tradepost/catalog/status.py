"""Statuses of catalog entities."""

from django.db import models


class SellerStatus(models.TextChoices):
    ACTIVE = "active", "Active: may sell and fulfil orders"
    SUSPENDED = "suspended", "Suspended: listings hidden, new orders refused"
