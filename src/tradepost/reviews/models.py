"""Buyers' reviews of completed seller orders, and each seller's running rating.

Only ``reviews.services`` writes these models.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from tradepost.accounts.models import Buyer
from tradepost.catalog.models import Seller
from tradepost.core.models import TimeStampedModel
from tradepost.orders.models import SellerOrder

LOWEST_RATING, HIGHEST_RATING = 1, 5
COMMENT_MAX_LENGTH = 2000
REPLY_MAX_LENGTH = 2000
HIDE_REASON_MAX_LENGTH = 500


class Review(TimeStampedModel):
    """The buyer's rating (1 to 5) of one completed seller order, and the seller's one reply.

    One review per seller order, which the database enforces, so two submits at the same moment
    cannot both land. A review the owner hides stays on record, shown as hidden, and no longer
    counts in the seller's rating.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by the one-review constraint below; a second index would be the same one again.
    seller_order = models.ForeignKey(
        SellerOrder, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # Copied from the seller order, so a seller's reviews list from one index without a join.
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="+")
    # The name the public reads, fixed when the review is written: "John D.", never more.
    buyer_name = models.CharField(max_length=80)
    rating = models.PositiveSmallIntegerField()
    comment = models.CharField(max_length=COMMENT_MAX_LENGTH, blank=True)
    reply = models.CharField(max_length=REPLY_MAX_LENGTH, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=HIDE_REASON_MAX_LENGTH, blank=True)
    # Staff actions keep who took them.
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller_order"], name="one_review_per_seller_order"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=LOWEST_RATING, rating__lte=HIGHEST_RATING),
                name="review_rating_one_to_five",
            ),
            models.CheckConstraint(
                condition=models.Q(replied_at__isnull=True, reply="")
                | (models.Q(replied_at__isnull=False) & ~models.Q(reply="")),
                name="review_reply_has_text_and_time",
            ),
            models.CheckConstraint(
                condition=models.Q(hidden_at__isnull=True)
                | (models.Q(hidden_at__isnull=False) & ~models.Q(hidden_reason="")),
                name="review_hidden_with_reason",
            ),
        ]
        # The public lists, newest first: visible reviews of one seller, and of every seller.
        indexes = [
            models.Index(
                fields=["seller", "created_at", "id"],
                name="review_seller_visible_idx",
                condition=models.Q(hidden_at__isnull=True),
            ),
            models.Index(
                fields=["created_at", "id"],
                name="review_visible_idx",
                condition=models.Q(hidden_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for seller order {self.seller_order_id}"


class SellerRating(models.Model):
    """How many visible reviews a seller has and the sum of their ratings, kept up to date in the
    transaction that creates or hides a review.

    Stored rather than aggregated on read: a list of sellers then shows every rating through one
    join, however many reviews each seller has collected.
    """

    seller = models.OneToOneField(
        Seller, primary_key=True, on_delete=models.CASCADE, related_name="rating"
    )
    review_count = models.PositiveIntegerField(default=0)
    rating_total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    rating_total__gte=models.F("review_count") * LOWEST_RATING,
                    rating_total__lte=models.F("review_count") * HIGHEST_RATING,
                ),
                name="seller_rating_total_within_count",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating_total}/{self.review_count} for seller {self.seller_id}"
