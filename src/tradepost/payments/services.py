"""Payments: record a provider's result, let a buyer retry, refund a seller order.

Commission is fixed when the payment succeeds (the seller's rate, else the marketplace default) and
reverses pro rata with refunds, so commission + seller net always equals what was kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tradepost.catalog.handling_times import (
    acknowledgement_hours,
    ship_within_days,
    shipping_promise,
)
from tradepost.catalog.selectors import marketplace_get
from tradepost.core import clock
from tradepost.core.actors import SYSTEM, Actor
from tradepost.core.errors import Conflict, NotFound, ValidationFailed
from tradepost.core.money import commission_for, format_money
from tradepost.core.outbox import publish
from tradepost.core.transactions import unit_of_work
from tradepost.ledger.services import ledger_post_payment
from tradepost.orders.events import order_outbox_event
from tradepost.orders.lifecycle import (
    check_transition,
    move_payment,
    move_seller_order,
    refresh_order_status,
)
from tradepost.orders.models import Order, OrderEvent, SellerOrder
from tradepost.orders.representation import order_data
from tradepost.orders.selectors import OrderBundle, amount_due, order_bundle, orders_visible_to
from tradepost.orders.status import PAYMENT, FulfilmentStatus, PaymentStatus
from tradepost.payments.issuing import RefundDraft, refund_issue_locked
from tradepost.payments.models import PaymentAttempt, PaymentAttemptStatus
from tradepost.payments.providers import PaymentResult, get_provider


@dataclass(frozen=True)
class PaymentReport:
    provider: str
    reference: str
    amount: int
    succeeded: bool
    currency: str | None = None
    failure_reason: str = ""


def payment_record(*, actor: Actor, number: str, report: PaymentReport) -> OrderBundle:
    """Record a payment attempt's result. Success moves every seller order to ``pending``."""
    with unit_of_work():
        order, seller_orders = _lock_order(actor=actor, number=number)
        # Who may record, and whether a result is expected now, before looking at the amounts.
        check_transition(
            PAYMENT, current=order.payment_status, target=PaymentStatus.PAID, actor=actor
        )
        _refuse_if_canceled(order)
        _check_report(order, report, due=amount_due(order, seller_orders))
        provider = get_provider(report.provider)
        result = provider.confirm_payment(
            order_number=order.number,
            amount=report.amount,
            currency=order.currency,
            reported=PaymentResult(report.succeeded, report.reference, report.failure_reason),
        )
        target = PaymentStatus.PAID if result.succeeded else PaymentStatus.FAILED
        attempt = PaymentAttempt.objects.create(
            order=order,
            provider=provider.name,
            provider_reference=result.reference,
            status=PaymentAttemptStatus.SUCCEEDED
            if result.succeeded
            else PaymentAttemptStatus.FAILED,
            amount=report.amount,
            currency=order.currency,
            failure_reason=result.failure_reason,
        )
        details = {
            "provider": provider.name,
            "reference": attempt.provider_reference,
            "amount": attempt.amount,
        }
        if result.succeeded:
            events = [
                move_payment(
                    order=order,
                    target=target,
                    actor=actor,
                    kind="payment.succeeded",
                    message=f"Payment of {format_money(report.amount, order.currency)} captured.",
                    details=details,
                    seller_orders=seller_orders,
                )
            ]
            order.captured_amount, order.paid_at = report.amount, attempt.created_at
            events += _start_fulfilment(order, seller_orders)
            ledger_post_payment(order=order, seller_orders=seller_orders)
        else:
            details["failure_reason"] = attempt.failure_reason
            events = [
                move_payment(
                    order=order,
                    target=target,
                    actor=actor,
                    kind="payment.failed",
                    message=f"Payment failed: {attempt.failure_reason or 'no reason given'}.",
                    details=details,
                    seller_orders=seller_orders,
                )
            ]
        order.save(update_fields=["payment_status", "captured_amount", "paid_at", "updated_at"])
        refresh_order_status(order, seller_orders)
        OrderEvent.objects.bulk_create(events)
        bundle = order_bundle(order=order, actor=SYSTEM)
        publish(
            order_outbox_event(
                type="order.paid" if result.succeeded else "order.payment_failed",
                order_data=order_data(bundle, SYSTEM),
                seller_ids=[so.seller_id for so in seller_orders],
            )
        )
        return bundle


def payment_retry(*, actor: Actor, number: str) -> OrderBundle:
    """After a failed payment the buyer may try again: the order waits for a new result."""
    with unit_of_work():
        order, seller_orders = _lock_order(actor=actor, number=number)
        # As in payment_record: the table and the actor's role first, then the order's own state.
        check_transition(
            PAYMENT, current=order.payment_status, target=PaymentStatus.PENDING, actor=actor
        )
        _refuse_if_canceled(order)
        event = move_payment(
            order=order,
            target=PaymentStatus.PENDING,
            actor=actor,
            kind="payment.retry",
            message="Payment retry requested.",
            details={},
            seller_orders=seller_orders,
        )
        order.save(update_fields=["payment_status", "updated_at"])
        event.save()
        return order_bundle(order=order, actor=SYSTEM)


def refund_locked_seller_order(
    *,
    actor: Actor,
    order: Order,
    seller_orders: list[SellerOrder],
    seller_order: SellerOrder,
    amount: int,
    reason: str,
    note: str,
) -> list[OrderEvent]:
    """Refund ``amount`` of a seller order whose order the caller has locked (a cancellation's
    refund, say). Returns the timeline events for the caller to write with its own; publishes
    ``refund.created``. payments.refunds has the whole story."""
    draft = RefundDraft(reason=reason, note=note, amount=amount)
    return refund_issue_locked(
        actor=actor,
        order=order,
        seller_orders=seller_orders,
        seller_order=seller_order,
        draft=draft,
    ).events


def _lock_order(*, actor: Actor, number: str) -> tuple[Order, list[SellerOrder]]:
    order = (
        orders_visible_to(actor)
        .select_for_update(no_key=True)
        .filter(number=number.upper())
        .first()
    )
    if order is None:
        raise NotFound(f"No order {number}.")
    seller_orders = list(
        SellerOrder.objects.select_for_update(no_key=True)
        .filter(order=order)
        .select_related("seller")
        .order_by("id")
    )
    return order, seller_orders


def _refuse_if_canceled(order: Order) -> None:
    # A canceled order has released its stock; a payment (or a retry) would revive nothing.
    if order.status == FulfilmentStatus.CANCELED:
        raise Conflict(
            f"{order.number} is canceled; it takes no payment.", current_status=order.status
        )


def _check_report(order: Order, report: PaymentReport, *, due: int) -> None:
    if report.currency and report.currency != order.currency:
        raise ValidationFailed("currency", f"must be the order's currency, {order.currency}")
    if report.amount != due:
        raise ValidationFailed(
            "amount", f"must equal the amount due, {due} (the order total less canceled parts)"
        )
    if PaymentAttempt.objects.filter(
        provider=report.provider, provider_reference=report.reference
    ).exists():
        raise ValidationFailed("reference", "this provider reference is already recorded")


def _start_fulfilment(order: Order, seller_orders: list[SellerOrder]) -> list[OrderEvent]:
    marketplace = marketplace_get()
    paid_at = order.paid_at or clock.now()
    events = []
    for seller_order in seller_orders:
        if seller_order.status != FulfilmentStatus.AWAITING_PAYMENT:
            continue
        seller = seller_order.seller
        rate = seller.commission_rate_bps
        seller_order.commission_rate_bps = (
            marketplace.default_commission_rate_bps if rate is None else rate
        )
        # Commission is on what the buyer pays the seller for items (after any goodwill discount)
        # and shipping; tax belongs to the tax authority.
        seller_order.commission_amount = commission_for(
            seller_order.subtotal_amount
            - seller_order.discount_amount
            + seller_order.shipping_amount,
            seller_order.commission_rate_bps,
        )
        # The seller's own handling times where it set them, else the marketplace's.
        seller_order.acknowledge_due_at = paid_at + timedelta(
            hours=acknowledgement_hours(seller, marketplace)
        )
        seller_order.ship_due_at = paid_at + timedelta(days=ship_within_days(seller, marketplace))
        seller_order.shipping_promise = shipping_promise(seller, marketplace)
        events.append(
            move_seller_order(
                order=order,
                seller_order=seller_order,
                target=FulfilmentStatus.PENDING,
                actor=SYSTEM,
                details={
                    "commission_rate_bps": seller_order.commission_rate_bps,
                    "commission_amount": seller_order.commission_amount,
                },
                extra_fields=(
                    "commission_rate_bps",
                    "commission_amount",
                    "acknowledge_due_at",
                    "ship_due_at",
                    "shipping_promise",
                ),
            )
        )
    return events
