"""How a seller performs, as figures other reports read (the dispute view, seller pages).

**Cancellation rate**: of the seller's seller orders paid in a period, the share the seller could
not fulfil in full: canceled whole by the seller, or with any line canceled (line cancellations
are the seller's, out of stock or otherwise, whoever records them). Cancellations by the buyer,
by the owner on a whole seller order, and of orders never paid are not the seller's doing and do
not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from tradepost.catalog.models import Seller
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound, ValidationFailed
from tradepost.core.money import BASIS_POINTS
from tradepost.orders.models import LineCancellation, SellerOrder


@dataclass(frozen=True)
class Period:
    """``[start, end)``, aware datetimes."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class CancellationRate:
    seller_orders: int
    canceled: int

    @property
    def rate_bps(self) -> int:
        """Basis points, rounded down: 250 = 2.5 %; 0 with no orders."""
        return self.canceled * BASIS_POINTS // self.seller_orders if self.seller_orders else 0


def seller_cancellation_rate(*, actor: Actor, seller: Seller, period: Period) -> CancellationRate:
    """One query. The owner reads any seller's rate; a seller, its own; nobody else."""
    if actor.role is Role.BUYER or (actor.role is Role.SELLER and actor.seller_id != seller.pk):
        raise NotFound(f"No seller {seller.slug}.")
    if period.end <= period.start:
        raise ValidationFailed("period", "must end after it starts")
    counts = with_seller_cancellation(
        SellerOrder.objects.filter(
            seller=seller, order__paid_at__gte=period.start, order__paid_at__lt=period.end
        )
    ).aggregate(seller_orders=Count("pk"), canceled=Count("pk", filter=SELLER_CANCELED))
    return CancellationRate(**counts)


# With ``with_seller_cancellation``: the seller orders that count as the seller's cancellation.
SELLER_CANCELED = Q(canceled_by_role=Role.SELLER.value) | Q(lines_canceled=True)


def with_seller_cancellation(seller_orders: QuerySet[SellerOrder]) -> QuerySet[SellerOrder]:
    """Annotated for ``SELLER_CANCELED``, the rule above, for every report that counts it."""
    lines = LineCancellation.objects.filter(seller_order=OuterRef("pk"))
    return seller_orders.annotate(lines_canceled=Exists(lines))
