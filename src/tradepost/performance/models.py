"""Seller performance, pre-aggregated: one row of counts per seller and UTC day.

Every figure of a scorecard is a sum of these rows' columns (or of bucket counts, for medians),
so a scorecard or the ranking costs a read of days x sellers rows, never of the orders. A row
covers the seller orders **paid** that day, whatever happened to them later: the day a figure
belongs to never moves, and a refund months later updates the figures of the day it was paid.
Only ``performance.aggregation`` writes these models (docs/performance.md).
"""

from __future__ import annotations

from django.db import models

from tradepost.catalog.models import Seller

COUNT_FIELDS = (
    "seller_orders",
    "acknowledged",
    "shipped",
    "late",
    "canceled",
    "disputed",
    "refunded",
    "reviews",
)
SUM_FIELDS = ("acknowledge_seconds", "ship_seconds", "rating_total")


class SellerDayStats(models.Model):
    """What one seller's orders paid on ``day`` (UTC) came to, as counts and sums."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    seller_orders = models.PositiveIntegerField(default=0)
    # Acknowledged (processing or beyond) and the seconds from payment to it, summed.
    acknowledged = models.PositiveIntegerField(default=0)
    acknowledge_seconds = models.BigIntegerField(default=0)
    # With a first parcel, and the seconds from payment to that parcel, summed.
    shipped = models.PositiveIntegerField(default=0)
    ship_seconds = models.BigIntegerField(default=0)
    # Of the acknowledged: acknowledged after acknowledge_due_at, or first parcel after
    # ship_due_at (the due times fixed at payment).
    late = models.PositiveIntegerField(default=0)
    # The seller's own cancellations, as orders.seller_rates counts them.
    canceled = models.PositiveIntegerField(default=0)
    # With at least one dispute case, of any kind (chargebacks too).
    disputed = models.PositiveIntegerField(default=0)
    # With at least one refund for a reason other than a cancellation.
    refunded = models.PositiveIntegerField(default=0)
    # Visible reviews of these seller orders, and their ratings summed.
    reviews = models.PositiveIntegerField(default=0)
    rating_total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "day"], name="one_stats_row_per_seller_day"),
            models.CheckConstraint(
                condition=models.Q(acknowledged__lte=models.F("seller_orders"))
                & models.Q(shipped__lte=models.F("seller_orders"))
                & models.Q(late__lte=models.F("acknowledged"))
                & models.Q(canceled__lte=models.F("seller_orders"))
                & models.Q(disputed__lte=models.F("seller_orders"))
                & models.Q(refunded__lte=models.F("seller_orders"))
                & models.Q(reviews__lte=models.F("seller_orders")),
                name="stats_counts_within_seller_orders",
            ),
        ]
        # The ranking reads every seller's rows of a period; a scorecard uses the unique index.
        indexes = [models.Index(fields=["day", "seller"], name="stats_day_seller_idx")]

    def __str__(self) -> str:
        return f"seller {self.seller_id} on {self.day}"


class Measure(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", "From payment to acknowledgement"
    SHIP = "ship", "From payment to the first parcel"


class SellerDayDuration(models.Model):
    """How many of a seller's orders paid on ``day`` took a duration in one bucket
    (``performance.durations``); only buckets with a count have a row."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    measure = models.CharField(max_length=12, choices=Measure.choices)
    bucket = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "day", "measure", "bucket"], name="one_duration_bucket_row"
            ),
            models.CheckConstraint(condition=models.Q(count__gt=0), name="duration_count_positive"),
        ]
        indexes = [models.Index(fields=["day", "seller"], name="duration_day_seller_idx")]

    def __str__(self) -> str:
        return f"{self.count} x {self.measure} bucket {self.bucket}"


class PendingOrder(models.Model):
    """An order whose timeline grew since the figures were last worked out.

    A database trigger on the timeline table (migration 0002) adds a row in the same transaction
    as every timeline event, and every change to an order writes one (DESIGN.md), so nothing a
    service does can be missed, nor counted before it commits. Rows are only ever inserted by the
    trigger and deleted, by id, once the figures they point at were worked out again: no updates,
    so no row locks for writers to wait on.
    """

    order_id = models.BigIntegerField()

    class Meta:
        db_table = "performance_pending_order"

    def __str__(self) -> str:
        return f"order {self.order_id}"
