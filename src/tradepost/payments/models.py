"""Payment attempts and refunds. No card data is ever stored: only the provider's reference."""

from __future__ import annotations

from django.db import models

from tradepost.core.models import TimeStampedModel
from tradepost.orders.models import Order, SellerOrder


class PaymentAttemptStatus(models.TextChoices):
    SUCCEEDED = "succeeded", "The provider captured the amount."
    FAILED = "failed", "The provider refused or could not capture the amount."


class PaymentAttempt(TimeStampedModel):
    """One try to pay an order, as the provider reported it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payment_attempts")
    provider = models.CharField(max_length=40)
    provider_reference = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=PaymentAttemptStatus.choices)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    failure_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_reference"], name="payment_attempt_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="payment_attempt_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.provider_reference} {self.status}"


class Refund(TimeStampedModel):
    """Money returned to the buyer for (part of) one seller order, with the commission reversed."""

    seller_order = models.ForeignKey(SellerOrder, on_delete=models.PROTECT, related_name="refunds")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    commission_reversed_amount = models.BigIntegerField(default=0)
    reason = models.CharField(max_length=40)
    note = models.CharField(max_length=1000, blank=True)
    provider = models.CharField(max_length=40)
    provider_reference = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive"),
            models.UniqueConstraint(
                fields=["provider", "provider_reference"], name="refund_reference_unique"
            ),
        ]
        # Revenue reports group refunds by the day they were issued.
        indexes = [models.Index(fields=["created_at"], name="refund_created_idx")]

    def __str__(self) -> str:
        return f"refund {self.amount} {self.currency} of {self.seller_order_id}"
