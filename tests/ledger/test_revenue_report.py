"""The revenue report adds up, for any mix of paid, failed, canceled and refunded orders.

Hypothesis places random orders over two weeks and settles each one way or another through the
services, then asks for a random period. Whatever happened, the per-seller figures and the daily
figures sum to the totals, net is sales less refunds, each seller's own report is its row of the
owner's, and the totals agree with the orders and refunds counted directly in the database.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import clock
from tests.builders import World, build_world, place_order
from tradepost.core.actors import Actor
from tradepost.ledger.selectors import RevenueFigures, RevenueReport, revenue_report
from tradepost.orders import services
from tradepost.orders.models import Order
from tradepost.orders.selectors import OrderBundle
from tradepost.orders.status import FulfilmentStatus
from tradepost.payments.models import Refund
from tradepost.payments.services import PaymentReport, payment_record

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2026, 11, 1)
FIGURES = (
    "sales_amount",
    "commission_earned_amount",
    "commission_reversed_amount",
    "commission_amount",
    "refunds_amount",
    "net_amount",
)
OUTCOMES = (
    "unpaid",
    "payment_failed",
    "paid",
    "part_canceled_before_payment",
    "part_canceled_after_payment",
    "part_refunded",
    "all_refunded",
)
_references = itertools.count(1)

order_specs = st.fixed_dictionaries(
    {
        "lines": st.dictionaries(
            st.sampled_from(("MUG", "BOWL", "TEE", "CAP")), st.integers(1, 2), min_size=1
        ),
        "acme_shipping": st.integers(0, 900),
        "tax": st.integers(0, 700),
        "placed_day": st.integers(0, 9),
        "placed_hour": st.integers(0, 23),
        "days_to_pay": st.integers(0, 2),
        "days_to_settle": st.integers(0, 3),
        "outcome": st.sampled_from(OUTCOMES),
    }
)
periods = st.tuples(st.integers(0, 15), st.integers(0, 15)).map(sorted)


def _moment(day: int, hour: int) -> datetime:
    return datetime.combine(FIRST_DAY + timedelta(days=day), time(hour), tzinfo=UTC)


def _pay(world: World, bundle: OrderBundle, *, succeeded: bool = True) -> OrderBundle:
    """Pay what is due: the total less the parts canceled before payment."""
    due = sum(
        part.seller_order.total_amount
        for part in bundle.seller_orders
        if part.seller_order.status != FulfilmentStatus.CANCELED
    )
    return payment_record(
        actor=world.owner.actor,
        number=bundle.order.number,
        report=PaymentReport("manual", f"prop-{next(_references)}", due, succeeded),
    )


def _refund(world: World, reference: str) -> None:
    owner = world.owner.actor
    services.seller_order_acknowledge(actor=owner, reference=reference)
    services.shipment_create(actor=owner, reference=reference, parcel=services.Parcel("DHL", "T1"))
    services.seller_order_refund(actor=owner, reference=reference, reason="damaged")


def _place_and_settle(world: World, spec: dict[str, Any]) -> None:
    placed = _moment(spec["placed_day"], spec["placed_hour"])
    paid = placed + timedelta(days=spec["days_to_pay"])
    settled = paid + timedelta(days=spec["days_to_settle"])
    sells_acme = any(world.listings[sku].seller.slug == "acme" for sku in spec["lines"])
    shipping = {"acme": spec["acme_shipping"]} if sells_acme else {}
    clock.travel_to(placed)
    bundle = place_order(world, spec["lines"], shipping=shipping, tax=spec["tax"])
    references = [part.seller_order.reference for part in bundle.seller_orders]
    outcome = spec["outcome"]
    if outcome == "unpaid":
        return
    if outcome == "part_canceled_before_payment":
        clock.travel_to(placed)
        bundle = services.seller_order_cancel(
            actor=world.buyers["john"].actor, reference=references[0], reason=""
        )
        if bundle.order.status == FulfilmentStatus.CANCELED:
            return
    clock.travel_to(paid)
    bundle = _pay(world, bundle, succeeded=outcome != "payment_failed")
    clock.travel_to(settled)
    if outcome == "part_canceled_after_payment":
        services.seller_order_cancel(
            actor=world.owner.actor, reference=references[-1], reason="Seller unavailable"
        )
    elif outcome == "part_refunded":
        _refund(world, references[0])
    elif outcome == "all_refunded":
        for reference in references:
            _refund(world, reference)


def _money(figures: RevenueFigures) -> dict[str, int]:
    return {name: getattr(figures, name) for name in FIGURES}


def _adds_up(parts: list[Any], totals: RevenueFigures) -> None:
    for name in FIGURES:
        assert sum(getattr(part, name) for part in parts) == getattr(totals, name), name


def _report(actor: Actor, first: date, last: date) -> RevenueReport:
    return revenue_report(actor=actor, date_from=first, date_to=last)


def _check(world: World, first: date, last: date) -> None:
    report = _report(world.owner.actor, first, last)
    totals = report.totals
    # the per-seller and per-day figures add up to the totals, and the derived figures derive
    _adds_up(report.sellers, totals)
    _adds_up(report.daily, totals)
    for figures in [totals, *report.sellers, *report.daily]:
        assert figures.net_amount == figures.sales_amount - figures.refunds_amount
        assert figures.commission_amount == (
            figures.commission_earned_amount - figures.commission_reversed_amount
        )
    # the totals are what the database holds, counted another way
    start = datetime.combine(first, time.min, tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC)
    paid = Order.objects.filter(paid_at__gte=start, paid_at__lt=end)
    refunds = Refund.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        amount=Sum("amount"), reversed=Sum("commission_reversed_amount")
    )
    assert totals.sales_amount == (paid.aggregate(total=Sum("captured_amount"))["total"] or 0)
    assert totals.refunds_amount == (refunds["amount"] or 0)
    assert totals.commission_reversed_amount == (refunds["reversed"] or 0)
    placed = Order.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        orders=Count("pk"), amount=Sum("total_amount")
    )
    assert sum(share.orders for share in report.payment_statuses) == placed["orders"]
    assert sum(share.total_amount for share in report.payment_statuses) == (placed["amount"] or 0)
    # each seller's own report is its row of the owner's
    rows = {row.seller.slug: _money(row) for row in report.sellers}
    for slug, member in world.members.items():
        own = _report(member.actor, first, last)
        assert _money(own.totals) == rows.get(slug, _money(RevenueFigures())), slug
        assert [row.seller.slug for row in own.sellers] == ([slug] if slug in rows else [])


@settings(max_examples=30, deadline=None)
@given(specs=st.lists(order_specs, min_size=1, max_size=6), period=periods)
def test_figures_add_up_for_any_mix_of_orders(
    specs: list[dict[str, Any]], period: list[int]
) -> None:
    # Each example builds its marketplace in a savepoint that is rolled back afterwards.
    with transaction.atomic():
        world = build_world()
        for spec in specs:
            _place_and_settle(world, spec)
        first, last = (FIRST_DAY + timedelta(days=offset) for offset in period)
        _check(world, first, last)
        transaction.set_rollback(True)
