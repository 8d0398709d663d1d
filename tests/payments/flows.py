"""After-sale flows as the tests drive them: orders delivered, proof uploaded, time moved on."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests import clock
from tests.builders import ApiClient, Party, World, pay, place_order
from tests.messaging import files
from tests.messaging.flows import upload
from tradepost.orders import services
from tradepost.orders.selectors import OrderBundle


def reference_of(bundle: OrderBundle, seller: str = "acme") -> str:
    return next(
        part.seller_order.reference
        for part in bundle.seller_orders
        if part.seller_order.seller.slug == seller
    )


def delivered_order(
    world: World,
    lines: dict[str, int],
    *,
    shipping: dict[str, int] | None = None,
    tax: int = 0,
    at: datetime | None = None,
    days_ago: int = 0,
) -> OrderBundle:
    """Placed by john, paid, acknowledged, shipped and delivered: at ``at``, where the clock then
    stays (tests.clock.travel_to), or ``days_ago`` days before "now"."""
    if at is not None:
        clock.travel_to(at)
    with clock.earlier(timedelta(days=days_ago)):
        bundle = pay(world, place_order(world, lines, shipping=shipping, tax=tax))
        for part in bundle.seller_orders:
            reference = part.seller_order.reference
            seller = world.members[part.seller_order.seller.slug].actor
            services.seller_order_acknowledge(actor=seller, reference=reference)
            services.shipment_create(
                actor=seller, reference=reference, parcel=services.Parcel("UPS", "1Z1")
            )
            services.seller_order_deliver(actor=seller, reference=reference)
    return bundle


def days_later(days: int) -> datetime:
    return clock.now() + timedelta(days=days)


def photo_ids(api: ApiClient, party: Party, count: int = 1) -> list[str]:
    """Upload ``count`` photos as ``party``; their attachment ids."""
    uploads = [files.upload(f"photo-{n}.png", files.png()) for n in range(count)]
    response = upload(api, party, *uploads)
    assert response.status == 201, response
    return [attachment["id"] for attachment in response.json()]


def ask_refund(api: ApiClient, world: World, reference: str, **body: object) -> Any:
    """John asks for a refund of ``reference`` for a damaged item, with a photo as proof."""
    buyer = world.buyers["john"]
    proof = {"reason": "damaged", "attachment_ids": photo_ids(api, buyer)}
    if not {"amount", "lines", "full"} & set(body):
        proof["full"] = True  # everything left, unless the test says how much
    return api.post(f"/seller-orders/{reference}/refund-requests", buyer.key, proof | body)


def give_code(
    api: ApiClient, world: World, *, by: str = "owner", seller: str = "acme", **value: object
) -> str:
    """A goodwill code for john, given by ``by`` (the owner or a seller's slug) on a paid order
    of his with a part from ``seller``: codes follow a purchase. ``value``: the code's fields."""
    bundle = pay(world, place_order(world, {"CAP": 1} if seller == "bolt" else {"BOWL": 1}))
    party = world.owner if by == "owner" else world.members[by]
    body = {"seller_order": reference_of(bundle, seller), **value}
    response = api.post("/discount-codes", party.key, body)
    assert response.status == 201, response
    return str(response.json()["code"])
