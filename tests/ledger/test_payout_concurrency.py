"""Payouts under real concurrency (PostgreSQL row locks): the same money is never paid twice,
and a refund racing a payout never takes available below zero."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.builders import build_world
from tests.ledger.flows import assert_books_agree, completed_order, reference_of
from tests.orders.test_concurrency import _outcome, run_together
from tradepost.ledger.balances import balances_get
from tradepost.ledger.models import Payout
from tradepost.ledger.payouts import payout_create
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
        assert Counter(_outcome(r) for r in results) == {"ok": 1, "conflict": 5}, results
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

        assert Counter(_outcome(r) for r in results) == {"ok": 2, "validation_error": 3}
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
        assert all(_outcome(r) == "ok" for r in results), results
        acme = _acme(owner)
        assert acme.available_amount >= 0
        assert acme.available_amount - acme.owed_amount + acme.in_transit_amount == 5400 - 2700
        assert_books_agree()
