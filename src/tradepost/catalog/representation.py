"""Sellers as the API shows them: buyers see the storefront face, not contracts or contacts."""

from __future__ import annotations

from typing import Any

from tradepost.catalog.models import Seller
from tradepost.core.actors import Actor, Role


def seller_data(seller: Seller, viewer: Actor) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": seller.slug,
        "name": seller.name,
        "status": seller.status,
        "ship_within_days": seller.ship_within_days,
    }
    if viewer.role is Role.OWNER or viewer.seller_id == seller.pk:
        data |= {"email": seller.email, "commission_rate_bps": seller.commission_rate_bps}
    return data
