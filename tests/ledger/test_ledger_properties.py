"""Under any sequence of payments, refunds (by amount and by lines), cancellations, chargebacks
won or lost, completions and payouts paid or failed, the ledger balances, nothing that must not
go below zero does, and the ledger says what the orders say (ledger.checks, the same check
``tradepost ledger_check`` runs). Every figure of the revenue report, in total, by day and by
seller, is the ledger's own sum, however much of it the day totals hold (rollups and rebuilds
are steps of the machine too); its payment statuses are a live count of the orders, however
many of the tallies are merged (merges and rebuilds are steps too).

A hypothesis state machine throws the steps at a small marketplace, many of them refused (wrong
amounts, wrong states); a refused step must post nothing.
"""

from __future__ import annotations

import itertools
from datetime import UTC, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
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
from tradepost.disputes import chargebacks
from tradepost.disputes.status import OPEN_CHARGEBACK
from tradepost.ledger.balances import balances_get
from tradepost.ledger.checks import ledger_check
from tradepost.ledger.models import Entry, Journal, Payout
from tradepost.ledger.payouts import payout_create, payout_mark_failed, payout_mark_paid
from tradepost.ledger.rollup import ledger_rollup_rebuild, ledger_rollup_refresh
from tradepost.ledger.selectors import (
    FIGURE_OF_KIND,
    MONEY_FIELDS,
    RevenueFigures,
    revenue_report,
)
from tradepost.orders import services as fulfilment
from tradepost.orders.models import Order, OrderLine, SellerOrder
from tradepost.orders.payment_tallies import payment_tallies_merge, payment_tallies_rebuild
from tradepost.orders.selectors import order_bundle
from tradepost.orders.status import PaymentStatus
from tradepost.payments.refund_lines import LineQuantity
from tradepost.payments.refunds import refund_create
from tradepost.payments.services import payment_retry

AMOUNTS = st.integers(1, 2000) | st.integers(-5, 20_000)
# The steps that take a seller order one status further along the happy path.
ADVANCE = ("acknowledge", "ship", "deliver", "complete")


class LedgerMachine(RuleBasedStateMachine):
    """One database savepoint per run, rolled back at its end (as tests/test_invariants.py)."""

    parts = Bundle("parts")

    def __init__(self) -> None:
        super().__init__()
        self._run = transaction.atomic()
        self._run.__enter__()
        self.world = build_world()
        self.references = itertools.count(1)
        self.unpaid: list[str] = []  # orders placed and not paid (yet), by number

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._run.__exit__(None, None, None)

    @property
    def owner(self) -> Any:
        return self.world.owner.actor

    def attempt(self, action: Any) -> None:
        """Run a step; a refused step posts nothing."""
        before = (Journal.objects.count(), Entry.objects.count(), Payout.objects.count())
        try:
            action()
        except DomainError:
            after = (Journal.objects.count(), Entry.objects.count(), Payout.objects.count())
            assert after == before, "a refused step posted to the ledger"

    # --- sales -----------------------------------------------------------------------------------

    @rule(
        target=parts,
        lines=st.dictionaries(
            st.sampled_from(("MUG", "BOWL", "TEE")), st.integers(1, 3), min_size=1
        ),
        shipping=st.integers(0, 700),
        tax=st.integers(0, 300),
        payment=st.sampled_from(("succeeded", "succeeded", "failed", "none")),
    )
    def order(self, lines: dict[str, int], shipping: int, tax: int, payment: str) -> Any:
        sellers = {self.world.listings[sku].seller.slug for sku in lines}
        try:
            placed = place_order(
                self.world, lines, shipping=dict.fromkeys(sellers, shipping), tax=tax
            )
        except OutOfStock:
            return multiple()
        if payment == "none":
            self.unpaid.append(placed.order.number)
        else:
            pay(self.world, placed, succeeded=payment == "succeeded")
            if payment == "failed":
                self.unpaid.append(placed.order.number)
        return multiple(*(part.seller_order.reference for part in placed.seller_orders))

    @precondition(lambda self: self.unpaid)
    @rule(choice=st.integers(0, 100), succeeded=st.booleans())
    def pay_later(self, choice: int, succeeded: bool) -> None:
        """An unpaid order's payment result; after a failure the buyer retries first."""
        number = self.unpaid[choice % len(self.unpaid)]
        order = Order.objects.get(number=number)
        if order.payment_status == PaymentStatus.FAILED:
            self.attempt(
                lambda: payment_retry(actor=self.world.buyers["john"].actor, number=number)
            )
        bundle = order_bundle(order=order, actor=SYSTEM)
        self.attempt(lambda: pay(self.world, bundle, succeeded=succeeded))
        if Order.objects.get(number=number).payment_status != PaymentStatus.FAILED:
            # Paid, or still pending because the order was canceled before it was paid.
            self.unpaid.remove(number)

    @rule(reference=parts, steps=st.integers(1, 4))
    def advance(self, reference: str, steps: int) -> None:
        """Acknowledge, ship, deliver, complete: as far as ``steps`` goes from where it is."""
        for _ in range(steps):
            status = SellerOrder.objects.get(reference=reference).status
            self.attempt(lambda s=status: self._next(reference, s))

    def _next(self, reference: str, status: str) -> None:
        owner = self.owner
        if status == "pending":
            fulfilment.seller_order_acknowledge(actor=owner, reference=reference)
        elif status == "processing":
            fulfilment.shipment_create(
                actor=owner, reference=reference, parcel=fulfilment.Parcel("UPS", "1Z")
            )
        elif status == "shipped":
            fulfilment.seller_order_deliver(actor=owner, reference=reference)
        elif status == "delivered":
            fulfilment.seller_order_complete(actor=owner, reference=reference)

    # --- money going back ------------------------------------------------------------------------

    @rule(reference=parts, amount=AMOUNTS)
    def refund_amount(self, reference: str, amount: int) -> None:
        self.attempt(
            lambda: refund_create(
                actor=self.owner, reference=reference, reason="other", amount=amount
            )
        )

    @rule(reference=parts, quantity=st.integers(1, 3), restock=st.booleans())
    def refund_lines(self, reference: str, quantity: int, restock: bool) -> None:
        line = OrderLine.objects.filter(seller_order__reference=reference).first()
        assert line is not None
        wanted = [LineQuantity(line.sku, quantity)]
        self.attempt(
            lambda: refund_create(
                actor=self.owner,
                reference=reference,
                reason="damaged",
                lines=wanted,
                restock=restock,
            )
        )

    @rule(reference=parts)
    def cancel(self, reference: str) -> None:
        self.attempt(
            lambda: fulfilment.seller_order_cancel(
                actor=self.owner, reference=reference, reason="Out of stock"
            )
        )

    @rule(reference=parts, amount=AMOUNTS)
    def chargeback(self, reference: str, amount: int) -> None:
        number = SellerOrder.objects.get(reference=reference).order.number
        notice = chargebacks.ChargebackNotice(
            amount=amount,
            reason="fraudulent",
            respond_by=clock.ahead(30),
            seller_order=reference,
            provider_reference=f"lp_{next(self.references)}",
        )
        self.attempt(
            lambda: chargebacks.chargeback_record(actor=self.owner, number=number, notice=notice)
        )

    @precondition(
        lambda self: chargebacks.Chargeback.objects.filter(status__in=OPEN_CHARGEBACK).exists()
    )
    @rule(choice=st.integers(0, 100), lost=st.booleans())
    def bank_rules(self, choice: int, lost: bool) -> None:
        open_ones = list(
            chargebacks.Chargeback.objects.filter(status__in=OPEN_CHARGEBACK)
            .order_by("id")
            .values_list("public_id", flat=True)
        )
        chargeback_id = open_ones[choice % len(open_ones)]
        self.attempt(
            lambda: chargebacks.chargeback_decide(
                actor=SYSTEM, chargeback_id=chargeback_id, outcome="lost" if lost else "won"
            )
        )

    # --- payouts ---------------------------------------------------------------------------------

    @rule(seller=st.sampled_from(("", "acme", "bolt")), amount=st.none() | AMOUNTS)
    def payout(self, seller: str, amount: int | None) -> None:
        self.attempt(
            lambda: payout_create(
                actor=self.owner, seller_slug=seller, amount=amount if seller else None
            )
        )

    @precondition(lambda self: Payout.objects.filter(status="pending").exists())
    @rule(choice=st.integers(0, 100), paid=st.booleans())
    def settle_payout(self, choice: int, paid: bool) -> None:
        pending = list(Payout.objects.filter(status="pending").order_by("id"))
        payout = pending[choice % len(pending)]
        if paid:
            self.attempt(
                lambda: payout_mark_paid(
                    actor=self.owner, payout_id=payout.public_id, reference="R"
                )
            )
        else:
            self.attempt(
                lambda: payout_mark_failed(
                    actor=self.owner, payout_id=payout.public_id, reason="bounced"
                )
            )

    # --- invariants ------------------------------------------------------------------------------

    @invariant()
    def the_ledger_balances_and_matches_the_orders(self) -> None:
        report = ledger_check()
        assert report.ok, "\n".join(report.problems)

    # --- the day totals the revenue report reads ------------------------------------------------

    @rule(batch=st.integers(1, 20))
    def roll_up(self, batch: int) -> None:
        ledger_rollup_refresh(batch=batch, max_batches=1)

    @rule()
    def rebuild_rollup(self) -> None:
        ledger_rollup_rebuild()

    @rule(batch=st.integers(1, 20))
    def merge_tallies(self, batch: int) -> None:
        payment_tallies_merge(batch=batch, max_batches=1)

    @rule()
    def rebuild_tallies(self) -> None:
        payment_tallies_rebuild()

    @invariant()
    def payment_statuses_are_a_count_of_the_orders(self) -> None:
        today = clock.now().astimezone(UTC).date()
        first, last = today - timedelta(days=1), today + timedelta(days=1)

        def shown(actor: Any) -> dict[str, tuple[int, int]]:
            report = revenue_report(actor=actor, date_from=first, date_to=last)
            return {
                share.payment_status: (share.orders, share.total_amount)
                for share in report.payment_statuses
            }

        assert shown(self.owner) == payment_statuses_counted(Order.objects.all())
        for slug, member in self.world.members.items():
            parts = SellerOrder.objects.filter(seller__slug=slug)
            assert shown(member.actor) == payment_statuses_counted(
                parts, status="order__payment_status"
            ), slug

    @invariant()
    def every_revenue_figure_is_the_ledgers_sum(self) -> None:
        today = clock.now().astimezone(UTC).date()
        first, last = today - timedelta(days=1), today + timedelta(days=1)
        report = revenue_report(actor=self.owner, date_from=first, date_to=last)
        sums = journal_sums_by_seller()
        assert _figures(report.totals) == _added(sums.values())
        assert {row.seller.slug: _figures(row) for row in report.sellers} == sums
        assert _added(_figures(point) for point in report.daily) == _figures(report.totals)
        for slug, member in self.world.members.items():
            own = revenue_report(actor=member.actor, date_from=first, date_to=last)
            assert _figures(own.totals) == sums.get(slug, _figures(RevenueFigures())), slug

    @invariant()
    def seller_money_adds_up_to_what_the_marketplace_holds(self) -> None:
        books = balances_get(actor=self.owner)
        assert books.marketplace is not None
        held = books.marketplace
        for seller in books.sellers:
            assert seller.available_amount >= 0, seller
            assert seller.owed_amount >= 0, seller
            # Owing and having money available never go together: credits repay debts first.
            assert not (seller.available_amount and seller.owed_amount), seller
        assert held.provider_clearing_amount == (
            held.commission_amount
            + held.sellers_pending_amount
            + held.sellers_available_amount
            + held.payouts_in_transit_amount
            - held.sellers_owed_amount
        )


def journal_sums_by_seller() -> dict[str, dict[str, int]]:
    """Each seller's report figures counted straight from the entries: a journal's size is the
    sum of its debits."""
    rows = (
        Entry.objects.filter(amount__gt=0, journal__kind__in=FIGURE_OF_KIND)
        .values(
            "journal__kind",
            slug=Coalesce("journal__seller_order__seller__slug", "journal__payout__seller__slug"),
        )
        .annotate(total=Sum("amount"))
        .order_by()
    )
    sums: dict[str, dict[str, int]] = {}
    for row in rows:
        figures = sums.setdefault(row["slug"], _figures(RevenueFigures()))
        figures[FIGURE_OF_KIND[row["journal__kind"]]] += int(row["total"])
    return sums


def payment_statuses_counted(
    rows: Any, *, status: str = "payment_status"
) -> dict[str, tuple[int, int]]:
    """Every payment status -> (how many, their totals) of ``rows``, counted one by one."""
    counted = dict.fromkeys(PaymentStatus.values, (0, 0))
    for row in rows.values(status, "total_amount"):
        orders, amount = counted[row[status]]
        counted[row[status]] = (orders + 1, amount + row["total_amount"])
    return counted


def _figures(figures: RevenueFigures) -> dict[str, int]:
    return {name: getattr(figures, name) for name in MONEY_FIELDS}


def _added(parts: Any) -> dict[str, int]:
    added = _figures(RevenueFigures())
    for part in parts:
        for name, value in part.items():
            added[name] += value
    return added


@pytest.mark.django_db
class TestLedgerInvariants:
    def test_hold_under_random_sales_refunds_chargebacks_and_payouts(self) -> None:
        run_state_machine_as_test(
            LedgerMachine,
            settings=settings(max_examples=20, stateful_step_count=30, deadline=None),
        )
