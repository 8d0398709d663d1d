"""Payment attempts, refunds, buyers' refund requests and goodwill discount codes.

No card data is ever stored: only the provider's reference. Proof photos and videos are
``attachments.Attachment`` rows, claimed by the refund or request they prove.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from tradepost.accounts.models import Buyer
from tradepost.catalog.models import Seller
from tradepost.core.models import TimeStampedModel
from tradepost.orders.models import Order, OrderLine, SellerOrder
from tradepost.payments.status import RefundRequestStatus


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
    """Money returned to the buyer for (part of) one seller order, with the commission reversed.

    A refund by lines also says which units it paid back (``RefundLine``) and what part of the
    seller order's shipping and tax went with them (docs/refunds.md has the rule).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seller_order = models.ForeignKey(SellerOrder, on_delete=models.PROTECT, related_name="refunds")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    commission_reversed_amount = models.BigIntegerField(default=0)
    reason = models.CharField(max_length=40, help_text="A payments.status.RefundReason value.")
    note = models.CharField(max_length=1000, blank=True)
    provider = models.CharField(max_length=40)
    provider_reference = models.CharField(max_length=200)
    # Sent to the provider with the refund, so a retry after a crash never pays out twice; also
    # how the service recognises a repeated call (see payments.refunds).
    idempotency_key = models.CharField(max_length=255, blank=True, default="")
    # Of ``amount``, what a refund by lines gave back of shipping and of tax.
    shipping_share_amount = models.BigIntegerField(default=0)
    tax_share_amount = models.BigIntegerField(default=0)
    policy_override_note = models.CharField(
        max_length=1000, blank=True, help_text="Why the owner refunded outside the refund policy."
    )
    request = models.OneToOneField(
        "RefundRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="refund"
    )
    proofs = models.ManyToManyField("attachments.Attachment", blank=True, related_name="+")
    actor_role = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive"),
            models.UniqueConstraint(
                fields=["provider", "provider_reference"], name="refund_reference_unique"
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="refund_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(shipping_share_amount__gte=0, tax_share_amount__gte=0),
                name="refund_shares_not_negative",
            ),
        ]
        # Revenue reports group refunds by the day they were issued.
        indexes = [models.Index(fields=["created_at"], name="refund_created_idx")]

    def __str__(self) -> str:
        return f"refund {self.amount} {self.currency} of {self.seller_order_id}"


class RefundLine(models.Model):
    """Units of one order line a refund paid back, and the part of the items' money they took."""

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="refund_lines")
    quantity = models.PositiveIntegerField()
    amount = models.BigIntegerField()
    quantity_restocked = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="refund_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="refund_line_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity_restocked__lte=models.F("quantity")),
                name="refund_line_restocks_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of line {self.line_id}"


class RefundRequest(TimeStampedModel):
    """A buyer asks for money back on a seller order, with a reason and proof; the seller or the
    owner approves it (the refund is issued) or declines it with a reason.

    No amount and no lines means everything still refundable. One request is open at a time.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seller_order = models.ForeignKey(
        SellerOrder, on_delete=models.PROTECT, related_name="refund_requests"
    )
    status = models.CharField(
        max_length=12, choices=RefundRequestStatus.choices, default=RefundRequestStatus.REQUESTED
    )
    reason = models.CharField(max_length=40)
    note = models.CharField(max_length=1000, blank=True)
    amount = models.BigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proofs = models.ManyToManyField("attachments.Attachment", blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_role = models.CharField(max_length=10, blank=True)
    decided_by_label = models.CharField(max_length=200, blank=True)
    decision_note = models.CharField(
        max_length=1000, blank=True, help_text="The decline reason, or a note with the approval."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="refund_request_amount_positive",
            ),
            models.UniqueConstraint(
                fields=["seller_order"],
                condition=models.Q(status=RefundRequestStatus.REQUESTED),
                name="one_open_refund_request_per_seller_order",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="refund_request_status_idx"),
        ]

    def __str__(self) -> str:
        return f"refund request {self.public_id} ({self.status})"


class RefundRequestLine(models.Model):
    request = models.ForeignKey(RefundRequest, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="refund_request_line_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of line {self.line_id}"


class DiscountKind(models.TextChoices):
    FIXED = "fixed", "A fixed amount off, in the code's currency."
    PERCENT = "percent", "A whole percentage off the items it covers."


class DiscountCode(TimeStampedModel):
    """A goodwill code for one buyer's next order: one use, until it expires.

    A seller's code covers that seller's items only; the owner's covers every item of the order.
    The discount comes off items, never shipping or tax. ``redeemed_at`` is set once, atomically.
    """

    code = models.CharField(max_length=32, unique=True)
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="discount_codes")
    seller = models.ForeignKey(
        Seller, null=True, blank=True, on_delete=models.PROTECT, related_name="discount_codes"
    )
    kind = models.CharField(max_length=10, choices=DiscountKind.choices)
    amount_off = models.BigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    percent_off = models.PositiveSmallIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField()
    # Given for this seller order, often with this refund: the apology it goes with.
    seller_order = models.ForeignKey(
        SellerOrder, on_delete=models.PROTECT, related_name="discount_codes"
    )
    refund = models.ForeignKey(
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="discount_codes"
    )
    note = models.CharField(max_length=500, blank=True)
    issued_by_role = models.CharField(max_length=10)
    issued_by_label = models.CharField(max_length=200)
    redeemed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    (
                        models.Q(kind=DiscountKind.FIXED, amount_off__gt=0)
                        & models.Q(percent_off__isnull=True)
                        & ~models.Q(currency="")
                    )
                    | models.Q(
                        kind=DiscountKind.PERCENT,
                        amount_off__isnull=True,
                        percent_off__gte=1,
                        percent_off__lte=100,
                    )
                ),
                name="discount_code_value_matches_kind",
            )
        ]
        indexes = [
            models.Index(fields=["buyer", "created_at"], name="discount_code_buyer_idx"),
            models.Index(fields=["seller", "created_at"], name="discount_code_seller_idx"),
        ]

    def __str__(self) -> str:
        return self.code
