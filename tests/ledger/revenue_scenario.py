"""A November of orders, built through the services with the clock pinned, and its figures.

Sellers: acme at the 10 % default, bolt at 5 %. Commission is on subtotal + shipping, not tax.

- ORD A, Oct 30: 2 x MUG (acme 2500), paid Oct 30; shipped, delivered and refunded on Nov 5.
- ORD B, Nov 3: BOWL + TEE, acme shipping 500, tax 300 (acme 3691, bolt 2109), paid Nov 3;
  bolt cancels its part on Nov 10, which refunds 2109.
- ORD C, Nov 10: 2 x CAP (bolt 3000), the payment fails.
- ORD D, Nov 12: MUG (acme 1250), never paid.
- ORD E, Nov 15 23:59:59: TEE (bolt 2000), paid in the last second of the day.
- ORD F, Dec 1 00:00:00: MUG (acme 1250), paid the first moment after the period.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tests import clock
from tests.builders import World, pay, place_order
from tradepost.orders import services

PERIOD = {"from": "2026-11-01", "to": "2026-11-30"}
FIRST_DAY, LAST_DAY = date(2026, 11, 1), date(2026, 11, 30)


def _at(month: int, day: int, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


def _reference(bundle: Any, seller: str) -> str:
    return next(
        part.seller_order.reference
        for part in bundle.seller_orders
        if part.seller_order.seller.slug == seller
    )


def build_november(world: World) -> None:
    owner, acme, bolt = world.owner.actor, world.members["acme"].actor, world.members["bolt"].actor
    clock.travel_to(_at(10, 30))
    order_a = pay(world, place_order(world, {"MUG": 2}))
    clock.travel_to(_at(11, 5))
    reference = _reference(order_a, "acme")
    services.seller_order_acknowledge(actor=acme, reference=reference)
    services.shipment_create(
        actor=acme, reference=reference, parcel=services.Parcel("UPS", "1Z001")
    )
    services.seller_order_deliver(actor=acme, reference=reference)
    services.seller_order_refund(actor=owner, reference=reference, reason="damaged")
    clock.travel_to(_at(11, 3))
    order_b = pay(world, place_order(world, {"BOWL": 1, "TEE": 1}, shipping={"acme": 500}, tax=300))
    clock.travel_to(_at(11, 10))
    services.seller_order_cancel(
        actor=bolt, reference=_reference(order_b, "bolt"), reason="Out of stock"
    )
    pay(world, place_order(world, {"CAP": 2}, buyer="jane"), succeeded=False)
    clock.travel_to(_at(11, 12))
    place_order(world, {"MUG": 1})
    clock.travel_to(_at(11, 15, 23, 59, 59))
    pay(world, place_order(world, {"TEE": 1}, buyer="jane"))
    clock.travel_to(_at(12, 1, 0))
    pay(world, place_order(world, {"MUG": 1}))


def figures(
    sales: int, earned: int, reversed_: int, refunds: int, chargebacks: int = 0, payouts: int = 0
) -> dict[str, int]:
    return {
        "sales_amount": sales,
        "commission_earned_amount": earned,
        "commission_reversed_amount": reversed_,
        "commission_amount": earned - reversed_,
        "refunds_amount": refunds,
        "chargebacks_amount": chargebacks,
        "net_amount": sales - refunds - chargebacks,
        "payouts_paid_amount": payouts,
    }


TOTALS = figures(sales=5800 + 2000, earned=350 + 100 + 100, reversed_=250 + 100, refunds=4609)
ACME = figures(sales=3691, earned=350, reversed_=250, refunds=2500)
BOLT = figures(sales=2109 + 2000, earned=100 + 100, reversed_=100, refunds=2109)
# The days on which money moved; every other day of November is all zeros.
DAYS = {
    date(2026, 11, 3): figures(sales=5800, earned=450, reversed_=0, refunds=0),
    date(2026, 11, 5): figures(sales=0, earned=0, reversed_=250, refunds=2500),
    date(2026, 11, 10): figures(sales=0, earned=0, reversed_=100, refunds=2109),
    date(2026, 11, 15): figures(sales=2000, earned=100, reversed_=0, refunds=0),
}
# Orders placed in November (B, C, D, E) by the payment status they have now.
PAYMENT_STATUSES = {
    "pending": (1, 1250),
    "paid": (1, 2000),
    "failed": (1, 3000),
    "partially_refunded": (1, 5800),
    "refunded": (0, 0),
}
# What acme sees of them: its parts of B and D.
ACME_PAYMENT_STATUSES = {
    "pending": (1, 1250),
    "paid": (0, 0),
    "failed": (0, 0),
    "partially_refunded": (1, 3691),
    "refunded": (0, 0),
}
