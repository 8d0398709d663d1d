"""Payouts under real concurrency (PostgreSQL row locks): the same money is never paid twice,
and a refund racing a payout never takes available below zero."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction

from tests.builders import build_world, pay, place_order
from tests.concurrency import outcome, run_together
from tests.ledger.flows import assert_books_agree, completed_order, reference_of
from tradepost.catalog import services as catalog
from tradepost.catalog.models import Seller
from tradepost.core.actors import SYSTEM
from tradepost.ledger.balances import balances_get
from tradepost.ledger.models import Payout
from tradepost.ledger.payouts import payout_create
from tradepost.orders.lifecycle import lock_order_for_seller_order
from tradepost.orders.models import SellerOrder
from tradepost.payments.refunds import refund_create

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _acme(owner):
    return next(row for row in balances_get(actor=owner).sellers if row.slug == "acme")


class TestPayoutsPayOnce:
    def test_owners_paying_everything_at_once_pay_each_seller_once(self):
        # given: acme 54.00 and bolt 19.00 available
        world = build_world()
        completed_order(world, {"BOWL": 2, "TEE": 1})
        owner = world.owner.actor

        # when: six payout runs start at the same instant
        results = run_together(6, lambda _: payout_create(actor=owner))

        # then: one run paid both sellers; the others found nothing due
        assert Counter(outcome(r) for r in results) == {"ok": 1, "conflict": 5}, results
        assert sorted(Payout.objects.values_list("amount", flat=True)) == [1900, 5400]
        assert _acme(owner).available_amount == 0
        assert_books_agree()

    def test_partial_payouts_at_once_stop_at_the_available_balance(self):
        world = build_world()
        completed_order(world, {"BOWL": 2})  # 54.00 available
        owner = world.owner.actor

        results = run_together(
            5, lambda _: payout_create(actor=owner, seller_slug="acme", amount=2000)
        )

        assert Counter(outcome(r) for r in results) == {"ok": 2, "validation_error": 3}
        assert _acme(owner).available_amount == 1400
        assert_books_agree()

    def test_a_refund_racing_a_payout_leaves_nothing_negative(self):
        # given: two completed sales, 27.00 each available
        world = build_world()
        first = completed_order(world, {"BOWL": 1})
        completed_order(world, {"BOWL": 1})
        owner = world.owner.actor

        def step(index: int) -> object:
            if index % 2:
                return refund_create(
                    actor=owner, reference=reference_of(first), reason="damaged", amount=3000
                )
            return payout_create(actor=owner, seller_slug="acme")

        # when
        results = run_together(2, step)

        # then: whichever went first, the seller owes what available could not cover
        assert all(outcome(r) == "ok" for r in results), results
        acme = _acme(owner)
        assert acme.available_amount >= 0
        assert acme.available_amount - acme.owed_amount + acme.in_transit_amount == 5400 - 2700
        assert_books_agree()


class TestLockOrder:
    def test_an_order_action_and_a_payout_take_the_sellers_in_the_same_order(self):
        # given an order whose first seller order belongs to the newer seller (slugs sort the
        # seller orders; ids sort the sellers), so the two orders of locking differ
        world = build_world()
        catalog.seller_create(actor=SYSTEM, slug="aardvark", name="Aardvark", email="z@z.test")
        world.listings["ZED"] = catalog.listing_create(
            actor=SYSTEM,
            seller_slug="aardvark",
            sku="ZED",
            title="Zed",
            unit_price_amount=100,
            stock_quantity=5,
        )
        bundle = pay(world, place_order(world, {"ZED": 1, "MUG": 1}))
        parts = list(
            SellerOrder.objects.filter(order=bundle.order)
            .order_by("id")
            .values_list("seller_id", "reference")
        )
        low, high = sorted(seller_id for seller_id, _ in parts)
        assert parts[0][0] == high
        failures: list[str] = []
        holding_low = threading.Event()

        def payout_locks() -> None:
            # what lock_available_accounts does: the sellers in id order, here with a pause
            try:
                with transaction.atomic():
                    list(Seller.objects.filter(pk=low).select_for_update().values_list("id"))
                    holding_low.set()
                    time.sleep(1)
                    list(Seller.objects.filter(pk=high).select_for_update().values_list("id"))
            except Exception as error:
                failures.append(f"payout: {error}")
            finally:
                connection.close()

        def order_action() -> None:
            holding_low.wait(10)
            try:
                with transaction.atomic():
                    lock_order_for_seller_order(actor=SYSTEM, reference=parts[0][1])
            except Exception as error:
                failures.append(f"order: {error}")
            finally:
                connection.close()

        # when both run at once
        threads = [threading.Thread(target=payout_locks), threading.Thread(target=order_action)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

        # then neither is chosen as a deadlock victim: the order action waits its turn
        assert failures == []
