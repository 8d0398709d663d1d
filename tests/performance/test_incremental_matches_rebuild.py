"""The worker's incremental figures always equal figures rebuilt from scratch.

A hypothesis state machine pays orders on different days and then, in any order and at any time
(the clock moves forward by random steps), acknowledges, ships in parcels, cancels (seller, buyer,
lines), refunds, opens cases, completes, reviews and hides reviews, many of the steps refused.
The worker's refresh runs now and then; whenever it has run, the day rows must be exactly those a
rebuild from every order gives.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    multiple,
    rule,
    run_state_machine_as_test,
)

from tests import clock
from tests.builders import build_world, pay, place_order
from tests.performance.flows import march, part_reference, rebuilt, refreshed
from tradepost.core.errors import DomainError
from tradepost.disputes.services import case_open
from tradepost.orders import services as fulfilment
from tradepost.orders.cancellations import seller_order_lines_cancel
from tradepost.payments.refund_lines import LineQuantity
from tradepost.payments.refunds import refund_create
from tradepost.reviews.models import Review
from tradepost.reviews.services import review_create, review_hide

pytestmark = pytest.mark.django_db

CARTS = ({"MUG": 1}, {"MUG": 1, "BOWL": 1}, {"TEE": 2}, {"MUG": 1, "TEE": 1})


class FiguresMachine(RuleBasedStateMachine):
    """One savepoint per run, rolled back at its end (as tests/test_invariants.py)."""

    parts = Bundle("parts")

    def __init__(self) -> None:
        super().__init__()
        self._run = transaction.atomic()
        self._run.__enter__()
        self.now = clock.travel_to(march(1, 8))
        self.world = build_world()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._run.__exit__(None, None, None)

    def attempt(self, action: Any) -> None:
        # Refused steps are part of the mix: they must change no figure either.
        clock.travel_to(self.now)
        with contextlib.suppress(DomainError):
            action()

    def party(self, who: str) -> Any:
        if who == "owner":
            return self.world.owner.actor
        if who == "buyer":
            return self.world.buyers["john"].actor
        return self.world.members[who].actor

    @rule(hours=st.integers(1, 80))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule(target=parts, cart=st.sampled_from(CARTS), paid=st.booleans())
    def place(self, cart: dict[str, int], paid: bool) -> Any:
        clock.travel_to(self.now)
        bundle = place_order(self.world, cart)
        if paid:
            bundle = pay(self.world, bundle)
        return multiple(
            *((part.seller_order.seller.slug, part.seller_order.reference)
              for part in bundle.seller_orders)
        )  # fmt: skip

    @rule(part=parts)
    def acknowledge(self, part: tuple[str, str]) -> None:
        seller, reference = part
        self.attempt(
            lambda: fulfilment.seller_order_acknowledge(
                actor=self.party(seller), reference=reference
            )
        )

    @rule(part=parts, everything=st.booleans())
    def ship(self, part: tuple[str, str], everything: bool) -> None:
        seller, reference = part
        sku = "MUG" if seller == "acme" else "TEE"
        lines = None if everything else [fulfilment.ParcelLine(sku, 1)]
        parcel = fulfilment.Parcel("UPS", "1Z9", lines=lines)
        self.attempt(
            lambda: fulfilment.shipment_create(
                actor=self.party(seller), reference=reference, parcel=parcel
            )
        )

    @rule(part=parts, by_seller=st.booleans())
    def cancel(self, part: tuple[str, str], by_seller: bool) -> None:
        seller, reference = part
        actor = self.party(seller if by_seller else "buyer")
        self.attempt(
            lambda: fulfilment.seller_order_cancel(actor=actor, reference=reference, reason="No")
        )

    @rule(part=parts)
    def cancel_a_line(self, part: tuple[str, str]) -> None:
        seller, reference = part
        sku = "BOWL" if seller == "acme" else "TEE"
        self.attempt(
            lambda: seller_order_lines_cancel(
                actor=self.party(seller), reference=reference, lines=[LineQuantity(sku, 1)]
            )
        )

    @rule(part=parts, amount=st.integers(1, 1500))
    def refund(self, part: tuple[str, str], amount: int) -> None:
        _, reference = part
        self.attempt(
            lambda: refund_create(
                actor=self.party("owner"), reference=reference, reason="damaged", amount=amount
            )
        )

    @rule(part=parts, kind=st.sampled_from(["late_shipment", "damaged"]))
    def dispute(self, part: tuple[str, str], kind: str) -> None:
        _, reference = part
        self.attempt(
            lambda: case_open(
                actor=self.party("buyer"), reference=reference, kind=kind, description="Hm."
            )
        )

    @rule(part=parts, rating=st.integers(1, 5))
    def complete_and_review(self, part: tuple[str, str], rating: int) -> None:
        _, reference = part
        buyer = self.party("buyer")
        self.attempt(lambda: fulfilment.seller_order_complete(actor=buyer, reference=reference))
        self.attempt(lambda: review_create(actor=buyer, reference=reference, rating=rating))

    @rule()
    def hide_a_review(self) -> None:
        review = Review.objects.filter(hidden_at__isnull=True).order_by("pk").first()
        if review is not None:
            self.attempt(
                lambda: review_hide(
                    actor=self.party("owner"), review_id=review.public_id, reason="Rude"
                )
            )

    @rule()
    def worker_refreshes_and_equals_a_rebuild(self) -> None:
        assert refreshed() == rebuilt()


def test_incremental_figures_equal_rebuilt_figures(db: None):
    run_state_machine_as_test(
        FiguresMachine,
        settings=settings(max_examples=15, stateful_step_count=30, deadline=None),
    )


def test_a_rebuild_keeps_what_the_queue_still_holds(world: Any):
    # given: an order paid, and its queue row not yet taken by the worker
    clock.travel_to(march(3, 9))
    reference = part_reference(pay(world, place_order(world, {"MUG": 1})))
    # when: a rebuild runs, then the seller acknowledges, then the worker refreshes
    rebuilt()
    clock.travel_to(march(3, 10))
    fulfilment.seller_order_acknowledge(actor=world.members["acme"].actor, reference=reference)
    # then
    assert refreshed() == rebuilt()
