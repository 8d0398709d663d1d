"""A lost chargeback in the order's money: the buyer's bank took back what the seller order held.

The money has already left through the bank, so no provider refund is asked for. Otherwise it
counts like a refund, so every money invariant keeps holding with no special case: the seller
order's and the order's ``refunded_amount`` grow (never past the total, nor past what was
captured), commission reverses pro rata on the same cumulative rule as refunds, the payment status
becomes partially_refunded or refunded, and a ``Refund`` row with reason ``chargeback`` keeps the
revenue report's refunds equal to the money that went back. No ``refund.created`` is published:
the marketplace did not issue it; the dispute's own events say what happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradepost.core.actors import SYSTEM
from tradepost.core.money import format_money
from tradepost.ledger.services import ledger_post_chargeback
from tradepost.orders.lifecycle import move_payment, move_seller_order
from tradepost.orders.models import Order, OrderEvent, SellerOrder
from tradepost.orders.status import FULFILMENT, FulfilmentStatus, PaymentStatus
from tradepost.payments.models import PaymentAttempt, PaymentAttemptStatus, Refund

CHARGEBACK_REASON = "chargeback"
# Where the money went when no captured attempt names a provider (it always should).
BANK = "bank"


@dataclass(frozen=True)
class TakenBack:
    amount: int
    refund: Refund | None
    events: list[OrderEvent]


def chargeback_take_back_locked(
    *,
    order: Order,
    seller_orders: list[SellerOrder],
    seller_order: SellerOrder,
    amount: int,
    reference: str,
) -> TakenBack:
    """Take ``amount`` back from ``seller_order``, one of the ``seller_orders`` of an order the
    caller has locked.

    Takes at most what the seller order still holds: a part refunded in the meantime was already
    given back, and the bank is shown that refund in the evidence (credit processed).
    """
    held = min(
        seller_order.total_amount - seller_order.refunded_amount,
        order.captured_amount - order.refunded_amount,
    )
    taken = min(amount, held)
    if taken <= 0:
        return TakenBack(0, None, [])
    reversed_before = seller_order.commission_reversed_amount
    seller_order.refunded_amount += taken
    seller_order.commission_reversed_amount = (
        (seller_order.commission_amount or 0)
        * seller_order.refunded_amount
        // seller_order.total_amount
    )
    seller_order.save(update_fields=["refunded_amount", "commission_reversed_amount", "updated_at"])
    refund = Refund.objects.create(
        seller_order=seller_order,
        amount=taken,
        currency=order.currency,
        commission_reversed_amount=seller_order.commission_reversed_amount - reversed_before,
        reason=CHARGEBACK_REASON,
        note=f"Chargeback {reference} lost.",
        provider=_provider(order),
        provider_reference=f"chargeback-{reference}",
    )
    ledger_post_chargeback(refund=refund)
    order.refunded_amount += taken
    target = (
        PaymentStatus.REFUNDED
        if order.refunded_amount == order.captured_amount
        else PaymentStatus.PARTIALLY_REFUNDED
    )
    event = move_payment(
        order=order,
        target=target,
        actor=SYSTEM,
        kind="chargeback.taken_back",
        message=(
            f"{seller_order.reference}: {format_money(taken, order.currency)} taken back by the "
            "buyer's bank (chargeback lost)."
        ),
        details={
            "refund_id": refund.pk,
            "amount": taken,
            "seller_order": seller_order.reference,
            "chargeback": reference,
            "commission_reversed_amount": refund.commission_reversed_amount,
        },
        seller_orders=seller_orders,
    )
    event.seller_order = seller_order
    order.save(update_fields=["refunded_amount", "payment_status", "updated_at"])
    events = [event]
    if seller_order.refunded_amount == seller_order.total_amount and FULFILMENT.rule(
        seller_order.status, FulfilmentStatus.REFUNDED
    ):
        events.append(
            move_seller_order(
                order=order,
                seller_order=seller_order,
                target=FulfilmentStatus.REFUNDED,
                actor=SYSTEM,
                note="Taken back in full by a chargeback.",
            )
        )
    return TakenBack(taken, refund, events)


def _provider(order: Order) -> str:
    attempt = (
        PaymentAttempt.objects.filter(order=order, status=PaymentAttemptStatus.SUCCEEDED)
        .order_by("-id")
        .values_list("provider", flat=True)
        .first()
    )
    return attempt or BANK
