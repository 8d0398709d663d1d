"""Seller orders taken through their life at chosen moments, for the performance figures."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests import clock
from tests.builders import World, pay, place_order
from tradepost.orders.selectors import OrderBundle
from tradepost.performance.aggregation import seller_stats_rebuild, seller_stats_refresh
from tradepost.performance.models import SellerDayDuration, SellerDayStats


def march(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=UTC)


def paid_at(world: World, when: datetime, lines: dict[str, int], buyer: str = "john") -> str:
    """A paid order placed and paid at ``when`` (the clock stays there); returns the reference of
    its (one) part."""
    clock.travel_to(when)
    bundle = pay(world, place_order(world, lines, buyer=buyer))
    return part_reference(bundle)


def part_reference(bundle: OrderBundle, seller: str | None = None) -> str:
    return next(
        part.seller_order.reference
        for part in bundle.seller_orders
        if seller is None or part.seller_order.seller.slug == seller
    )


def stored_figures() -> dict[str, list[tuple[Any, ...]]]:
    """Every day row and bucket row, without their ids, in a stable order."""
    stats = SellerDayStats.objects.order_by("seller_id", "day").values_list()
    buckets = SellerDayDuration.objects.order_by("seller_id", "day", "measure", "bucket")
    return {
        "stats": [row[1:] for row in stats],
        "durations": [row[1:] for row in buckets.values_list()],
    }


def refreshed() -> dict[str, list[tuple[Any, ...]]]:
    """The figures as the worker's refresh leaves them."""
    seller_stats_refresh()
    return stored_figures()


def rebuilt() -> dict[str, list[tuple[Any, ...]]]:
    seller_stats_rebuild()
    return stored_figures()
