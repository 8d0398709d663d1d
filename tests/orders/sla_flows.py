"""SLA flows on a pinned clock: an order paid at ``PAID_AT``, then the real worker run at an offset
from it. The clock stays where the last step left it, so the API calls that follow read the same
time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests import clock
from tests.builders import World, pay, place_order
from tests.notifications.flows import run_worker
from tradepost.orders import services
from tradepost.orders.selectors import OrderBundle

PAID_AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # acknowledge by +48 h, ship by +3 days


def at(offset: timedelta) -> None:
    """Move the clock to PAID_AT + offset and run the worker (periodic jobs included) there."""
    clock.travel_to(PAID_AT + offset)
    run_worker()


def paid(world: World, lines: dict[str, int] | None = None) -> OrderBundle:
    clock.travel_to(PAID_AT)
    bundle = pay(world, place_order(world, lines or {"MUG": 2}))
    run_worker()
    return bundle


def acknowledge_and_ship(world: World, ref: str) -> None:
    member = world.members["acme"].actor
    services.seller_order_acknowledge(actor=member, reference=ref)
    services.shipment_create(actor=member, reference=ref, parcel=services.Parcel("UPS", "1Z9"))
