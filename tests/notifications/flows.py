"""Driving real orders through the services, and running the worker in-process."""

from __future__ import annotations

from tests.builders import World
from tradepost.core.worker import Worker
from tradepost.orders import services
from tradepost.orders.selectors import OrderBundle


def run_worker() -> None:
    """Turn until there is nothing left: publish the outbox, send what is due."""
    worker = Worker(interval=0)
    while worker.turn():
        pass


def reference(bundle: OrderBundle, seller: str) -> str:
    return next(
        part.seller_order.reference
        for part in bundle.seller_orders
        if part.seller_order.seller.slug == seller
    )


def ship(
    world: World,
    bundle: OrderBundle,
    seller: str,
    *,
    carrier: str = "UPS",
    tracking_number: str = "1Z999AA10123456784",
    tracking_url: str = "https://www.ups.com/track?tracknum=1Z999AA10123456784",
) -> str:
    """Acknowledge and ship everything of the seller's part; returns its reference."""
    ref = reference(bundle, seller)
    member = world.members[seller].actor
    services.seller_order_acknowledge(actor=member, reference=ref)
    services.shipment_create(
        actor=member,
        reference=ref,
        parcel=services.Parcel(carrier, tracking_number, tracking_url),
    )
    return ref
