"""Sales driven to completion through the services, and reviews left on them."""

from __future__ import annotations

from dataclasses import dataclass

from tests.builders import World, pay, place_order
from tradepost.core.worker import Worker
from tradepost.orders import services
from tradepost.reviews import services as reviews
from tradepost.reviews.models import Review


@dataclass(frozen=True)
class Sale:
    number: str
    reference: str
    seller: str
    buyer: str


def paid_sale(world: World, sku: str = "MUG", *, buyer: str = "john") -> Sale:
    bundle = pay(world, place_order(world, {sku: 1}, buyer=buyer))
    seller_order = bundle.seller_orders[0].seller_order
    return Sale(bundle.order.number, seller_order.reference, seller_order.seller.slug, buyer)


def shipped_sale(world: World, sku: str = "MUG", *, buyer: str = "john") -> Sale:
    sale = paid_sale(world, sku, buyer=buyer)
    member = world.members[sale.seller].actor
    services.seller_order_acknowledge(actor=member, reference=sale.reference)
    services.shipment_create(
        actor=member, reference=sale.reference, parcel=services.Parcel("UPS", "1Z999")
    )
    return sale


def completed_sale(world: World, sku: str = "MUG", *, buyer: str = "john") -> Sale:
    """A sale the buyer confirmed: acknowledged, shipped, then completed by the buyer."""
    sale = shipped_sale(world, sku, buyer=buyer)
    services.seller_order_complete(actor=world.buyers[buyer].actor, reference=sale.reference)
    return sale


def reviewed_sale(
    world: World, sku: str = "MUG", *, buyer: str = "john", rating: int = 5, comment: str = ""
) -> tuple[Sale, Review]:
    sale = completed_sale(world, sku, buyer=buyer)
    review = reviews.review_create(
        actor=world.buyers[buyer].actor, reference=sale.reference, rating=rating, comment=comment
    )
    return sale, review


def run_worker() -> None:
    """Turn until there is nothing left: publish the outbox, send what is due."""
    worker = Worker(interval=0)
    while worker.turn():
        pass
