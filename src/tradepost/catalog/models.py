"""The marketplace's settings, its sellers and their listings (with stock)."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from tradepost.catalog.status import SellerStatus
from tradepost.core.models import TimeStampedModel

currency_code = RegexValidator(r"^[A-Z]{3}$", "must be a 3-letter ISO 4217 code, e.g. USD")


def default_refund_reasons() -> list[str]:
    """Every reason a buyer may give (payments.status.BUYER_REASONS, which a test pins)."""
    return ["damaged", "wrong_item", "not_as_described", "lost_in_transit", "other"]


class Marketplace(TimeStampedModel):
    """The single marketplace this installation runs (row id 1), and its order policies."""

    name = models.CharField(max_length=120, default="Tradepost Marketplace")
    default_currency = models.CharField(max_length=3, default="USD", validators=[currency_code])
    # Basis points: 1000 = 10 %. Integers keep commission exact.
    default_commission_rate_bps = models.PositiveIntegerField(
        default=1000, validators=[MaxValueValidator(10_000)]
    )
    acknowledgement_sla_hours = models.PositiveIntegerField(
        default=48, validators=[MinValueValidator(1)]
    )
    ship_within_days = models.PositiveIntegerField(default=3, validators=[MinValueValidator(1)])
    auto_complete_days = models.PositiveIntegerField(default=7, validators=[MinValueValidator(1)])
    tracking_required = models.BooleanField(default=True)
    # The "delivery in X days" of the buyer's shipment email: carriers give Tradepost no estimate,
    # so the owner states what is typical for the marketplace's sellers and carriers.
    delivery_estimate_days = models.PositiveIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    # Each step of a dispute is due this many hours after it starts ("respond within 24 hours").
    dispute_response_hours = models.PositiveIntegerField(
        default=24, validators=[MinValueValidator(1), MaxValueValidator(24 * 30)]
    )
    # The refund policy (payments.policy applies it): buyers request refunds within this many days
    # of delivery, for these reasons, with photos or videos where they can show the problem.
    refund_window_days = models.PositiveIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    refund_reasons_accepted = models.JSONField(default=default_refund_reasons)
    refund_proof_required = models.BooleanField(default=True)
    # SLA automation (orders.automation): the seller is reminded this many hours before a due
    # time (0: at the due time itself), and, when set, a seller order still not acknowledged
    # this many days after its acknowledgement was due is canceled and refunded in full.
    sla_reminder_hours = models.PositiveIntegerField(
        default=12, validators=[MaxValueValidator(24 * 7)]
    )
    auto_cancel_unacknowledged_days = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(default_commission_rate_bps__lte=10_000),
                name="marketplace_commission_rate_max",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Seller(TimeStampedModel):
    """A business selling on the marketplace; it fulfils its own part of each order."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    email = models.EmailField()
    status = models.CharField(
        max_length=16, choices=SellerStatus.choices, default=SellerStatus.ACTIVE
    )
    # None means the marketplace default applies; snapshotted onto each seller order at payment.
    commission_rate_bps = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10_000)]
    )
    ship_within_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Overrides the marketplace's ship-within days."
    )
    # The seller's own handling times, snapshotted onto each seller order's due times at payment:
    # buyers read "ships within 2-3 days" from the lower bound and ship_within_days.
    ship_within_min_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="The earliest day it usually ships; shown to buyers as a range.",
    )
    acknowledgement_sla_hours = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        help_text="Overrides the marketplace's acknowledgement SLA.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commission_rate_bps__isnull=True)
                | models.Q(commission_rate_bps__lte=10_000),
                name="seller_commission_rate_max",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Listing(TimeStampedModel):
    """Something a seller sells, with its price and the stock left to reserve."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="listings")
    sku = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    unit_price_amount = models.BigIntegerField()
    currency = models.CharField(max_length=3, validators=[currency_code])
    stock_quantity = models.IntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "sku"], name="listing_seller_sku_unique"),
            # The database itself refuses to oversell, whatever the code path.
            models.CheckConstraint(
                condition=models.Q(stock_quantity__gte=0), name="listing_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price_amount__gte=0), name="listing_price_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["seller", "created_at"])]

    def __str__(self) -> str:
        return f"{self.sku} {self.title}"
