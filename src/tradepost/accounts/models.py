"""Who people are to Tradepost: buyers and the members of sellers.

Staff users (``is_staff``) act as the marketplace owner; a user with a seller membership acts for
that seller; a user with a buyer profile acts as that buyer.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from tradepost.catalog.models import Seller
from tradepost.core.models import TimeStampedModel


class Buyer(TimeStampedModel):
    """A customer. Orders snapshot the contact details, so edits here never rewrite history."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buyer_profile",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    phone = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class SellerMembership(TimeStampedModel):
    """Makes a user a member of one seller's team."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_membership"
    )
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller}"
