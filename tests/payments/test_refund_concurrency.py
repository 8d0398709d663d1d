"""Refunds and codes under real concurrency (PostgreSQL row locks): never more than captured,
a request approved once, a code used once."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.builders import build_world
from tests.concurrency import outcome, run_together
from tests.payments.flows import delivered_order, reference_of
from tradepost.orders.models import Order, SellerOrder
from tradepost.payments.discounts import GoodwillCode, discount_code_issue, discount_code_redeem
from tradepost.payments.models import DiscountCode, Refund
from tradepost.payments.refund_requests import refund_request_approve, refund_request_create
from tradepost.payments.refunds import refund_create

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


class TestRefundsNeverExceedCaptured:
    def test_many_partial_refunds_at_once_stop_at_the_total(self):
        # given: a 100.00 seller order; 8 people refund 30.00 each, at the same instant
        world = build_world()
        bundle = delivered_order(world, {"BOWL": 3}, shipping={"acme": 1000})
        reference = reference_of(bundle)
        owner = world.owner.actor

        def refund(_: int) -> object:
            return refund_create(actor=owner, reference=reference, reason="other", amount=3000)

        # when
        results = run_together(8, refund)
        # then: three fit (90.00), the rest are refused; the books agree to the cent
        outcomes = Counter(outcome(result) for result in results)
        assert outcomes == {"ok": 3, "validation_error": 5}, outcomes
        order = Order.objects.get(pk=bundle.order.pk)
        assert order.refunded_amount == 9000 <= order.captured_amount == 10000
        assert sum(Refund.objects.values_list("amount", flat=True)) == 9000
        assert order.payment_status == "partially_refunded"

    def test_full_refunds_of_every_part_at_once_refund_the_order_exactly(self):
        world = build_world()
        bundle = delivered_order(world, {"MUG": 2, "TEE": 1}, shipping={"acme": 300}, tax=150)
        references = [reference_of(bundle, "acme"), reference_of(bundle, "bolt")] * 3
        owner = world.owner.actor

        def refund(index: int) -> object:
            return refund_create(actor=owner, reference=references[index], reason="damaged")

        results = run_together(6, refund)
        assert Counter(outcome(r) for r in results)["ok"] == 2, results
        order = Order.objects.get(pk=bundle.order.pk)
        assert (order.refunded_amount, order.payment_status, order.status) == (
            order.captured_amount,
            "refunded",
            "refunded",
        )
        assert set(SellerOrder.objects.values_list("status", flat=True)) == {"refunded"}


class TestOnceOnly:
    def test_a_request_approved_by_seller_and_owner_at_once_refunds_once(self):
        world = build_world()
        bundle = delivered_order(world, {"MUG": 1})
        request = refund_request_create(
            actor=world.buyers["john"].actor,
            reference=reference_of(bundle),
            reason="other",
            note="Not what I hoped.",
        )
        deciders = [world.members["acme"].actor, world.owner.actor] * 2

        results = run_together(
            4,
            lambda i: refund_request_approve(actor=deciders[i], request_id=request.public_id),
        )

        assert sorted(outcome(r) for r in results) == ["invalid_transition"] * 3 + ["ok"]
        assert Refund.objects.count() == 1

    def test_a_code_is_redeemed_once_however_many_checkouts_race(self):
        world = build_world()
        bundle = delivered_order(world, {"MUG": 1})
        code = discount_code_issue(
            actor=world.owner.actor,
            reference=reference_of(bundle),
            goodwill=GoodwillCode(kind="fixed", amount_off=500),
        )
        john, profile = world.buyers["john"].actor, world.buyer_profiles["john"]
        acme = world.sellers["acme"].pk

        results = run_together(
            6,
            lambda _: discount_code_redeem(
                actor=john, code=code.code, buyer=profile, currency="USD", subtotals={acme: 4000}
            ),
        )

        assert sorted(outcome(r) for r in results) == ["ok"] + ["validation_error"] * 5
        assert DiscountCode.objects.get(pk=code.pk).redeemed_at is not None
