"""SLA automation leaves alone the seller orders something else still decides: no auto-complete
(which releases the seller's funds) over an undecided return or a refund request waiting for an
answer, no auto-cancel over an open chargeback."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import clock
from tests.builders import ApiClient, World
from tests.notifications.flows import reference
from tests.orders.sla_flows import PAID_AT, acknowledge_and_ship, at, paid
from tests.payments.flows import ask_refund
from tests.returns.flows import request_return
from tradepost.orders import services
from tradepost.orders.models import Order
from tradepost.orders.selectors import OrderBundle

pytestmark = pytest.mark.django_db


def delivered(world: World) -> OrderBundle:
    """Paid at PAID_AT, shipped and delivered a day later: auto-complete is due on day 8."""
    bundle = paid(world)
    clock.travel_to(PAID_AT + timedelta(days=1))
    acknowledge_and_ship(world, reference(bundle, "acme"))
    services.seller_order_deliver(
        actor=world.members["acme"].actor, reference=reference(bundle, "acme")
    )
    return bundle


class TestAutoCompleteWaits:
    def test_an_open_return_blocks_it_until_decided(self, world: World, api: ApiClient) -> None:
        bundle = delivered(world)
        ref, number = reference(bundle, "acme"), bundle.order.number
        clock.travel_to(PAID_AT + timedelta(days=2))
        asked = request_return(api, world, ref, {"MUG": 1})
        assert asked.status == 201, asked
        at(timedelta(days=9))
        assert Order.objects.get(number=number).status == "delivered"
        clock.travel_to(PAID_AT + timedelta(days=9))
        path = f"/returns/{asked.json()['id']}/decline"
        declined = api.post(path, world.members["acme"].key, {"reason": "Used."})
        assert declined.status == 200, declined
        at(timedelta(days=10))
        assert Order.objects.get(number=number).status == "completed"

    def test_a_waiting_refund_request_blocks_it(self, world: World, api: ApiClient) -> None:
        bundle = delivered(world)
        clock.travel_to(PAID_AT + timedelta(days=2))
        asked = ask_refund(api, world, reference(bundle, "acme"), amount=100)
        assert asked.status == 201, asked
        at(timedelta(days=9))
        assert Order.objects.get(number=bundle.order.number).status == "delivered"


def test_auto_cancel_waits_for_an_open_chargeback(world: World, api: ApiClient) -> None:
    api.patch("/marketplace", world.owner.key, {"auto_cancel_unacknowledged_days": 2})
    bundle = paid(world, {"MUG": 2})
    number = bundle.order.number
    clock.travel_to(PAID_AT + timedelta(days=1))
    chargeback = api.post(
        f"/orders/{number}/chargebacks",
        world.owner.key,
        {
            "amount": bundle.order.total_amount,
            "reason": "fraudulent",
            "respond_by": "2026-12-20T17:00:00Z",
        },
    )
    assert chargeback.status == 201, chargeback
    at(timedelta(days=4, minutes=1))
    assert Order.objects.get(number=number).status == "pending"
