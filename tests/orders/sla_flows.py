"""SLA flows on a controlled clock: an order paid at ``PAID_AT``, then the real worker run at
an offset from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.builders import World, pay, place_order
from tests.notifications.flows import run_worker
from tradepost.core import clock
from tradepost.orders import services
from tradepost.orders.selectors import OrderBundle

PAID_AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # acknowledge by +48 h, ship by +3 days


def at(offset: timedelta) -> None:
    """Run the worker (periodic jobs included) with the clock at PAID_AT + offset."""
    with clock.frozen_at(PAID_AT + offset):
        run_worker()


def paid(world: World, lines: dict[str, int] | None = None) -> OrderBundle:
    with clock.frozen_at(PAID_AT):
        bundle = pay(world, place_order(world, lines or {"MUG": 2}))
        run_worker()
    return bundle


def acknowledge_and_ship(world: World, ref: str) -> None:
    member = world.members["acme"].actor
    services.seller_order_acknowledge(actor=member, reference=ref)
    services.shipment_create(actor=member, reference=ref, parcel=services.Parcel("UPS", "1Z9"))
