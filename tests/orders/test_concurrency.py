"""What PostgreSQL's row locks guarantee under real concurrency: no oversell, no double step.

Each thread has its own database connection, so these run with committed transactions.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.builders import ADDRESS, ApiClient, build_world, listing_id, pay, place_order
from tests.concurrency import outcome, run_together
from tradepost.catalog import services as catalog
from tradepost.catalog.models import Listing
from tradepost.core.actors import SYSTEM
from tradepost.core.errors import DomainError
from tradepost.orders import services
from tradepost.orders.models import Order, OrderEvent, OrderLine

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


class TestStock:
    def test_many_buyers_never_oversell(self):
        # given: 25 units, 12 buyers each trying to buy 3 units, 4 times
        world = build_world()
        catalog.listing_update(
            actor=SYSTEM, listing_id=world.listings["RARE"].public_id, stock_quantity=25
        )

        def buy(_: int) -> Counter[str]:
            outcomes: Counter[str] = Counter()
            for _ in range(4):
                try:
                    place_order(world, {"RARE": 3, "MUG": 1})
                    outcomes["ok"] += 1
                except DomainError as error:
                    outcomes[error.code] += 1
            return outcomes

        # when
        results = run_together(12, buy)
        # then
        total: Counter[str] = Counter()
        for result in results:
            assert isinstance(result, Counter), result
            total += result
        assert set(total) <= {"ok", "out_of_stock"}
        assert total["ok"] == 8  # 8 x 3 = 24 of 25 units
        assert Listing.objects.get(sku="RARE").stock_quantity == 1
        sold = sum(OrderLine.objects.filter(sku="RARE").values_list("quantity", flat=True))
        assert sold == 24
        assert Listing.objects.get(sku="MUG").stock_quantity == 50 - 8

    def test_buyers_crossing_skus_in_opposite_orders_do_not_deadlock(self):
        world = build_world()

        def buy(index: int) -> str:
            lines = (
                {"MUG": 1, "TEE": 1, "BOWL": 1} if index % 2 else {"BOWL": 1, "TEE": 1, "MUG": 1}
            )
            for _ in range(5):
                place_order(world, lines)
            return "ok"

        results = run_together(8, buy)
        assert [outcome(r) for r in results] == ["ok"] * 8
        assert Listing.objects.get(sku="MUG").stock_quantity == 10


class TestDoubleTransitions:
    def test_two_acknowledgements_at_once_move_the_status_once(self):
        world = build_world()
        bundle = pay(world, place_order(world, {"MUG": 1}))
        reference = bundle.seller_orders[0].seller_order.reference
        seller = world.members["acme"].actor

        results = run_together(
            6, lambda _: services.seller_order_acknowledge(actor=seller, reference=reference)
        )

        assert sorted(outcome(r) for r in results) == ["invalid_transition"] * 5 + ["ok"]
        assert (
            OrderEvent.objects.filter(
                seller_order__reference=reference, to_status="processing"
            ).count()
            == 1
        )

    def test_cancel_racing_payment_leaves_a_consistent_order(self):
        world = build_world()
        bundle = place_order(world, {"MUG": 2})
        reference = bundle.seller_orders[0].seller_order.reference

        def act(index: int) -> Any:
            if index == 0:
                return pay(world, bundle)
            return services.seller_order_cancel(
                actor=world.buyers["john"].actor, reference=reference, reason=""
            )

        run_together(2, act)
        order = Order.objects.get(pk=bundle.order.pk)
        stock = Listing.objects.get(sku="MUG").stock_quantity
        if order.status == "canceled":
            assert stock == 50
            assert order.refunded_amount == order.captured_amount
        else:
            assert (order.status, order.payment_status, stock) == ("pending", "paid", 48)


class TestIdempotencyUnderConcurrency:
    def test_the_same_key_sent_at_once_creates_one_order(self):
        world = build_world()
        body = {
            "lines": [{"listing_id": listing_id(world, "MUG"), "quantity": 1}],
            "shipping_address": ADDRESS,
        }
        key = world.buyers["john"].key

        results = run_together(
            4, lambda _: ApiClient().post("/orders", key, body, idempotency_key="once")
        )

        assert all(r.status == 201 for r in results), results
        assert len({r.json()["number"] for r in results}) == 1
        assert Order.objects.count() == 1
        assert Listing.objects.get(sku="MUG").stock_quantity == 49

    def test_the_same_action_sent_at_once_is_replayed_not_refused(self):
        world = build_world()
        bundle = pay(world, place_order(world, {"MUG": 1}))
        reference = bundle.seller_orders[0].seller_order.reference
        key = world.members["acme"].key

        results = run_together(
            4,
            lambda _: ApiClient().post(
                f"/seller-orders/{reference}/acknowledge", key, idempotency_key="ack-once"
            ),
        )

        assert [r.status for r in results] == [200] * 4, results
        assert OrderEvent.objects.filter(to_status="processing").count() == 1
