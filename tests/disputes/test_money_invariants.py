"""No sequence of refunds, cancellations and chargebacks breaks the money.

A hypothesis state machine pays orders, ships some, and then throws at them, in any order and
with any amounts (many of them wrong): partial and full refunds through case resolutions, the
owner's full refund, cancellations, chargebacks of any size, and the bank's rulings. A refused
step must change nothing; after every step the money must add up (DESIGN.md rule 5), with what
lost chargebacks took back counted as money returned to the buyer.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests import clock
from tests.builders import build_world, pay, place_order
from tradepost.core.actors import SYSTEM
from tradepost.core.errors import DomainError, OutOfStock
from tradepost.disputes import chargebacks, resolutions, services
from tradepost.disputes.models import Case, Chargeback, Resolution
from tradepost.disputes.status import OPEN_CHARGEBACK, ChargebackStatus
from tradepost.orders import services as fulfilment
from tradepost.orders.models import Order, OrderEvent, SellerOrder
from tradepost.orders.status import FulfilmentStatus, PaymentStatus
from tradepost.payments.chargebacks import CHARGEBACK_REASON
from tradepost.payments.models import Refund

F, P = FulfilmentStatus, PaymentStatus
WATCHED = (Order, SellerOrder, OrderEvent, Refund, Case, Resolution, Chargeback)
# Mostly amounts an order can hold, some that no order can, and some that are no amount at all.
AMOUNTS = st.integers(1, 1500) | st.integers(1, 6000) | st.integers(-5, 90_000)


def rows() -> dict[str, list[tuple[Any, ...]]]:
    return {m.__name__: list(m.objects.order_by("pk").values_list()) for m in WATCHED}


class MoneyMachine(RuleBasedStateMachine):
    """One database savepoint per run, rolled back at its end (as tests/test_invariants.py)."""

    parts = Bundle("parts")

    def __init__(self) -> None:
        super().__init__()
        self._run = transaction.atomic()
        self._run.__enter__()
        self.world = build_world()
        self.references = itertools.count(1)

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._run.__exit__(None, None, None)

    def attempt(self, action: Any) -> None:
        """Run a step; if a service refuses it, nothing at all may have changed."""
        before = rows()
        try:
            action()
        except DomainError:
            assert rows() == before, "a refused step changed data"

    # --- building orders -------------------------------------------------------------------------

    @rule(
        target=parts,
        lines=st.dictionaries(
            st.sampled_from(("MUG", "BOWL", "TEE")), st.integers(1, 3), min_size=1
        ),
        shipping=st.integers(0, 700),
        ship=st.booleans(),
    )
    def paid_order(self, lines: dict[str, int], shipping: int, ship: bool) -> Any:
        sellers = {self.world.listings[sku].seller.slug for sku in lines}
        try:
            bundle = place_order(self.world, lines, shipping=dict.fromkeys(sellers, shipping))
        except OutOfStock:
            return multiple()  # the stock ran out over a long run: nothing to dispute
        bundle = pay(self.world, bundle)
        part = bundle.seller_orders[0].seller_order
        if ship:
            seller = self.world.members[part.seller.slug].actor
            fulfilment.seller_order_acknowledge(actor=seller, reference=part.reference)
            fulfilment.shipment_create(
                actor=seller, reference=part.reference, parcel=fulfilment.Parcel("UPS", "1Z")
            )
        return part.reference

    # --- what goes wrong -------------------------------------------------------------------------

    def _case(self, reference: str) -> str | None:
        """A live case to resolve, opened as a step of its own (it may be refused too)."""
        existing = Case.objects.filter(seller_order__reference=reference, kind="other").exclude(
            status__in=("resolved", "closed")
        )
        case = existing.first()
        if case is not None:
            return str(case.public_id)
        try:
            opened = services.case_open(
                actor=self.world.owner.actor, reference=reference, kind="other", description="x"
            )
        except DomainError:
            return None
        return str(opened.public_id)

    @rule(reference=parts, amount=AMOUNTS, full=st.booleans())
    def refund_by_resolution(self, reference: str, amount: int, full: bool) -> None:
        case_id = self._case(reference)
        if case_id is None:
            return
        remedy = resolutions.Remedy(
            outcome="full_refund" if full else "partial_refund", amount=amount or None
        )
        self.attempt(
            lambda: resolutions.case_resolve(
                actor=self.world.owner.actor, case_id=case_id, remedy=remedy
            )
        )

    @rule(reference=parts)
    def owner_refunds_the_rest(self, reference: str) -> None:
        self.attempt(
            lambda: fulfilment.seller_order_refund(
                actor=self.world.owner.actor, reference=reference, reason="damaged"
            )
        )

    @rule(reference=parts)
    def cancel(self, reference: str) -> None:
        self.attempt(
            lambda: fulfilment.seller_order_cancel(
                actor=self.world.owner.actor, reference=reference, reason="Out of stock"
            )
        )

    @rule(reference=parts, amount=AMOUNTS, by_provider=st.booleans())
    def chargeback(self, reference: str, amount: int, by_provider: bool) -> None:
        seller_order = SellerOrder.objects.select_related("order").get(reference=reference)
        notice = chargebacks.ChargebackNotice(
            amount=amount,
            reason="fraudulent",
            respond_by=clock.ahead(30),
            seller_order=reference,
            provider_reference=f"dp_{next(self.references)}",
        )
        actor = SYSTEM if by_provider else self.world.owner.actor
        self.attempt(
            lambda: chargebacks.chargeback_record(
                actor=actor, number=seller_order.order.number, notice=notice
            )
        )

    @precondition(lambda self: Chargeback.objects.filter(status__in=OPEN_CHARGEBACK).exists())
    @rule(choice=st.integers(0, 100), lost=st.booleans())
    def bank_rules(self, choice: int, lost: bool) -> None:
        open_ones = list(
            Chargeback.objects.filter(status__in=OPEN_CHARGEBACK)
            .order_by("id")
            .values_list("public_id", flat=True)
        )
        chargeback_id = open_ones[choice % len(open_ones)]
        outcome = ChargebackStatus.LOST if lost else ChargebackStatus.WON
        self.attempt(
            lambda: chargebacks.chargeback_decide(
                actor=SYSTEM, chargeback_id=chargeback_id, outcome=outcome
            )
        )

    # --- invariants ------------------------------------------------------------------------------

    @invariant()
    def orders_keep_what_their_live_parts_hold(self) -> None:
        for order in Order.objects.prefetch_related("seller_orders"):
            parts = list(order.seller_orders.all())
            assert 0 <= order.refunded_amount <= order.captured_amount <= order.total_amount
            assert order.refunded_amount == sum(so.refunded_amount for so in parts)
            kept = order.captured_amount - order.refunded_amount
            live = [so for so in parts if so.status not in (F.CANCELED, F.REFUNDED)]
            assert kept == sum(so.total_amount - so.refunded_amount for so in live), order.number
            expected = {
                P.PAID: order.refunded_amount == 0,
                P.PARTIALLY_REFUNDED: 0 < order.refunded_amount < order.captured_amount,
                P.REFUNDED: order.refunded_amount == order.captured_amount > 0,
            }
            assert expected[P(order.payment_status)], (order.number, order.payment_status)

    @invariant()
    def seller_orders_account_for_every_refund_and_chargeback(self) -> None:
        for so in SellerOrder.objects.all():
            assert 0 <= so.refunded_amount <= so.total_amount, so.reference
            refunds = Refund.objects.filter(seller_order=so)
            assert so.refunded_amount == (refunds.aggregate(t=Sum("amount"))["t"] or 0)
            taken = Chargeback.objects.filter(seller_order=so).aggregate(t=Sum("taken_back_amount"))
            charged = refunds.filter(reason=CHARGEBACK_REASON).aggregate(t=Sum("amount"))
            assert (taken["t"] or 0) == (charged["t"] or 0), so.reference
            commission = so.commission_amount or 0
            assert (
                so.commission_reversed_amount == commission * so.refunded_amount // so.total_amount
            )
            if so.refunded_amount == so.total_amount and so.status not in (F.PENDING, F.PROCESSING):
                assert so.status in (F.REFUNDED, F.CANCELED), so.reference

    @invariant()
    def chargebacks_take_back_only_when_lost_and_never_more_than_asked(self) -> None:
        for chargeback in Chargeback.objects.all():
            assert chargeback.amount > 0
            assert 0 <= chargeback.taken_back_amount <= chargeback.amount
            if chargeback.status != ChargebackStatus.LOST:
                assert chargeback.taken_back_amount == 0
            else:
                assert chargeback.case.status == "resolved"
                assert chargeback.case.outcome == "charged_back"


@pytest.mark.django_db
class TestMoneyInvariantsWithDisputes:
    def test_hold_under_random_refunds_cancellations_and_chargebacks(self) -> None:
        run_state_machine_as_test(
            MoneyMachine,
            settings=settings(max_examples=20, stateful_step_count=30, deadline=None),
        )
