"""A seller's handling times: its own where it set them, else the marketplace's.

Payment snapshots them onto each seller order (its due times and the promise buyers read), and
the seller's page shows them, so both always agree on what "ships within 2-3 days" means.
"""

from __future__ import annotations

from tradepost.catalog.models import Marketplace, Seller
from tradepost.core.errors import ValidationFailed

EN_DASH = "\N{EN DASH}"


def acknowledgement_hours(seller: Seller, marketplace: Marketplace) -> int:
    return seller.acknowledgement_sla_hours or marketplace.acknowledgement_sla_hours


def ship_within_days(seller: Seller, marketplace: Marketplace) -> int:
    return seller.ship_within_days or marketplace.ship_within_days


def shipping_promise(seller: Seller, marketplace: Marketplace) -> str:
    """'Ships within 3 days', or with the seller's lower bound, 'Ships within 2-3 days'."""
    most = ship_within_days(seller, marketplace)
    least = seller.ship_within_min_days
    if least and least < most:
        return f"Ships within {least}{EN_DASH}{most} days"
    return f"Ships within {most} day{'s' if most != 1 else ''}"


def handling_times_check(seller: Seller, marketplace: Marketplace) -> None:
    """The range must read forwards: its low end at most the days the seller ships within."""
    least, most = seller.ship_within_min_days, ship_within_days(seller, marketplace)
    if least is not None and least > most:
        raise ValidationFailed(
            "ship_within_min_days", f"must be at most the ship-within days ({most})"
        )
