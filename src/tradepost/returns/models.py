"""Returns: a buyer sends units of a seller order back; the outcome is a refund or an exchange.

Only ``returns.services`` and ``returns.outcomes`` write these models. Proof photos and videos are
``attachments.Attachment`` rows the return claims; the refund it ends in is a ``payments.Refund``
(issued by payments.issuing, like every refund), and an exchange's replacement parcel is an
``orders.Shipment`` of the same seller order, so it shows with the other parcels.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from tradepost.core.models import TimeStampedModel
from tradepost.orders.models import OrderLine, SellerOrder, Shipment
from tradepost.payments.models import Refund
from tradepost.returns.status import ReturnStatus


class ReturnRequest(TimeStampedModel):
    """Units of one seller order the buyer sends back, and what became of them.

    ``seller_id`` repeats the seller order's so a seller's list and counter use an index.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seller_order = models.ForeignKey(SellerOrder, on_delete=models.PROTECT, related_name="returns")
    seller = models.ForeignKey("catalog.Seller", on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(
        max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    reason = models.CharField(max_length=40, help_text="A returns.status.RETURN_REASONS value.")
    note = models.CharField(max_length=1000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by_role = models.CharField(max_length=10)
    policy_override_note = models.CharField(
        max_length=1000, blank=True, help_text="Why the owner opened it outside the refund policy."
    )
    proofs = models.ManyToManyField("attachments.Attachment", blank=True, related_name="+")
    # The authorisation: where to send the items and how, maybe with a prepaid label.
    return_address = models.TextField(max_length=1000, blank=True)
    instructions = models.TextField(max_length=2000, blank=True)
    # The parcel going back: a label's at authorisation, or the buyer's once sent.
    return_carrier = models.CharField(max_length=80, blank=True)
    return_tracking_number = models.CharField(max_length=120, blank=True)
    return_tracking_url = models.URLField(max_length=500, blank=True)
    decline_reason = models.CharField(max_length=1000, blank=True)
    withdraw_note = models.CharField(max_length=1000, blank=True)
    received_note = models.CharField(max_length=1000, blank=True)
    inspection_note = models.CharField(max_length=2000, blank=True)
    restocked = models.BooleanField(default=False)
    authorized_at = models.DateTimeField(null=True, blank=True)
    shipped_back_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="Refunded, exchanged, declined or withdrawn."
    )
    decided_by_role = models.CharField(max_length=10, blank=True)
    decided_by_label = models.CharField(max_length=200, blank=True)
    refund = models.OneToOneField(
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="return_request"
    )
    replacement = models.OneToOneField(
        Shipment, null=True, blank=True, on_delete=models.PROTECT, related_name="return_request"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ReturnStatus.REFUNDED) | models.Q(refund__isnull=False),
                name="refunded_return_has_refund",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReturnStatus.EXCHANGED)
                | models.Q(replacement__isnull=False),
                name="exchanged_return_has_replacement",
            ),
        ]
        indexes = [
            models.Index(fields=["created_at", "id"], name="return_created_idx"),
            models.Index(
                fields=["seller", "status", "created_at"], name="return_seller_status_idx"
            ),
            models.Index(fields=["status", "created_at"], name="return_status_idx"),
            models.Index(fields=["seller_order", "status"], name="return_seller_order_idx"),
        ]

    def __str__(self) -> str:
        return f"return {self.public_id} ({self.status})"


class ReturnLine(models.Model):
    """Units of one order line in a return."""

    return_request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="lines"
    )
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="return_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="return_line_quantity_positive"
            ),
            models.UniqueConstraint(
                fields=["return_request", "line"], name="one_return_line_per_order_line"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of line {self.line_id}"
