"""Sellers as the API shows them: buyers see the storefront face, not contracts or contacts."""

from __future__ import annotations

from typing import Any

from tradepost.catalog.handling_times import shipping_promise
from tradepost.catalog.models import Marketplace, Seller
from tradepost.core.actors import Actor, Role


def seller_data(seller: Seller, viewer: Actor, marketplace: Marketplace) -> dict[str, Any]:
    """``marketplace`` gives the times a seller has not set itself: buyers read the promise."""
    data: dict[str, Any] = {
        "slug": seller.slug,
        "name": seller.name,
        "status": seller.status,
        "ship_within_days": seller.ship_within_days,
        "ship_within_min_days": seller.ship_within_min_days,
        "acknowledgement_sla_hours": seller.acknowledgement_sla_hours,
        "shipping_promise": shipping_promise(seller, marketplace),
    }
    if viewer.role is Role.OWNER or viewer.seller_id == seller.pk:
        data |= {"email": seller.email, "commission_rate_bps": seller.commission_rate_bps}
    return data
