"""Autumn: a November of sales with a payout, a refund and chargebacks lost and won, built
through the services with the clock pinned, for the revenue report's weeks and months (the API's
tests in tests.ledger.test_revenue_ledger, the dashboard's in tests.dashboard.test_revenue_page).

Figures: acme pays 10 % commission (tests.builders); a BOWL is 30.00, so a sale of one is 3000
with 300 commission; a TEE (bolt, 5 %) is 20.00 with 100.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests import clock
from tests.builders import World
from tests.ledger.flows import completed_order, delivered_order, reference_of
from tradepost.core.actors import SYSTEM
from tradepost.disputes.chargebacks import ChargebackNotice, chargeback_decide, chargeback_record
from tradepost.ledger.payouts import payout_create, payout_mark_paid
from tradepost.payments.refunds import refund_create


def noon(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 12, 0, tzinfo=UTC)


def chargeback(world: World, bundle: Any, amount: int, outcome: str, seller: str = "acme") -> None:
    notice = ChargebackNotice(
        amount=amount,
        reason="fraudulent",
        respond_by=clock.ahead(30),
        seller_order=reference_of(bundle, seller),
    )
    case = chargeback_record(actor=world.owner.actor, number=bundle.order.number, notice=notice)
    chargeback_decide(actor=SYSTEM, chargeback_id=str(case.public_id), outcome=outcome)


def autumn(world: World) -> None:
    """Nov 2 (Mon): a BOWL sold, completed, paid out on Nov 9; Nov 4: a BOWL sold, refunded
    10.00 on Nov 10, charged back 5.00 (lost) on Nov 17; Nov 5: a TEE sold, its chargeback won;
    Dec 1: a BOWL sold."""
    owner = world.owner.actor
    first = completed_order(world, {"BOWL": 1}, at=noon(2))
    second = delivered_order(world, {"BOWL": 1}, at=noon(4))
    tee = delivered_order(world, {"TEE": 1}, at=noon(5))
    clock.travel_to(noon(9))
    (payout,) = payout_create(actor=owner, seller_slug="acme")
    payout_mark_paid(actor=owner, payout_id=payout.public_id, reference="TR-1")
    clock.travel_to(noon(10))
    refund_create(actor=owner, reference=reference_of(second), reason="other", amount=1000)
    clock.travel_to(noon(17))
    chargeback(world, second, 500, "lost")
    chargeback(world, tee, 2000, "won", seller="bolt")
    delivered_order(world, {"BOWL": 1}, at=noon(1, 12))
    assert reference_of(first)
