"""Issuing a refund: the one way money goes back to a buyer, whoever asked for it.

The owner's refunds (payments.refunds), approved requests (payments.refund_requests) and
cancellations (orders.services, orders.cancellations) all come here with their order locked. This
asks the provider, with a key of its own per refund, so a retry never pays out twice; moves the
money (refunded amounts, commission reversed pro rata, payment status); records the units and the
restock of a refund by lines; and returns the timeline events for the caller to write.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch

from tradepost.attachments.models import Attachment
from tradepost.catalog.models import Listing
from tradepost.core.actors import SYSTEM, Actor, Role
from tradepost.core.errors import Conflict, RefundExceedsCaptured, ValidationFailed
from tradepost.core.money import format_money
from tradepost.core.outbox import publish
from tradepost.ledger.services import ledger_post_refund
from tradepost.orders.events import order_outbox_event
from tradepost.orders.lifecycle import move_payment, move_seller_order, refresh_order_status
from tradepost.orders.models import Order, OrderEvent, OrderLine, SellerOrder
from tradepost.orders.representation import order_data
from tradepost.orders.selectors import order_bundle
from tradepost.orders.status import FulfilmentStatus, PaymentStatus
from tradepost.payments.events import refund_outbox_event
from tradepost.payments.models import (
    DiscountCode,
    PaymentAttempt,
    PaymentAttemptStatus,
    Refund,
    RefundLine,
    RefundRequest,
)
from tradepost.payments.policy import is_refundable_status
from tradepost.payments.providers import get_provider
from tradepost.payments.refund_lines import LineRefundAmounts, LineShare
from tradepost.payments.representation import refund_data


@dataclass(frozen=True)
class RefundDraft:
    """One refund to issue: ``amount`` alone, or the worth of ``lines`` (then ``amount`` is
    ignored); ``restock`` puts refunded line units back on their listings."""

    reason: str
    note: str = ""
    amount: int = 0
    lines: LineRefundAmounts | None = None
    restock: bool = False
    idempotency_key: str = ""
    request: RefundRequest | None = None
    proofs: Sequence[Attachment] = ()
    policy_override_note: str = ""

    @property
    def total(self) -> int:
        return self.lines.amount if self.lines is not None else self.amount


@dataclass(frozen=True)
class IssuedRefund:
    refund: Refund
    events: list[OrderEvent]
    fully_refunded: bool  # the seller order moved to ``refunded`` with it


def refund_issue_locked(
    *,
    actor: Actor,
    order: Order,
    seller_orders: list[SellerOrder],
    seller_order: SellerOrder,
    draft: RefundDraft,
) -> IssuedRefund:
    """Refund ``seller_order``, one of the ``seller_orders`` of an order the caller has locked
    (and, for lines, whose lines it has locked).

    Asks the provider, writes the refund and the money it moves, publishes ``refund.created``, and
    returns the (unsaved) timeline events. A shipped, delivered or completed seller order that is
    now refunded in full moves to ``refunded``.
    """
    amount = draft.total
    refundable = seller_order.total_amount - seller_order.refunded_amount
    if not 0 < amount <= refundable:
        field = "lines" if draft.lines is not None else "amount"
        raise ValidationFailed(field, f"must come to between 1 and {refundable}, not {amount}")
    if order.refunded_amount + amount > order.captured_amount:
        raise RefundExceedsCaptured(
            f"Refunding {amount} would take {order.number} past the "
            f"{order.captured_amount} {order.currency} captured."
        )
    attempt = (
        PaymentAttempt.objects.filter(order=order, status=PaymentAttemptStatus.SUCCEEDED)
        .order_by("-id")
        .first()
    )
    if attempt is None:
        raise Conflict(f"{order.number} has no captured payment to refund.")
    key = draft.idempotency_key or f"refund-{uuid.uuid4().hex}"
    result = get_provider(attempt.provider).refund(
        payment_reference=attempt.provider_reference,
        amount=amount,
        currency=order.currency,
        idempotency_key=key,
    )
    # The payment table lets the owner or Tradepost refund; a seller's approval is carried out by
    # Tradepost, as a cancellation's refund is.
    mover = actor if actor.role in (Role.OWNER, Role.SYSTEM) else SYSTEM
    reversed_before = seller_order.commission_reversed_amount
    seller_order.refunded_amount += amount
    # Cumulative pro rata: after a full refund exactly all of the commission is reversed.
    seller_order.commission_reversed_amount = (
        (seller_order.commission_amount or 0)
        * seller_order.refunded_amount
        // seller_order.total_amount
    )
    seller_order.save(update_fields=["refunded_amount", "commission_reversed_amount", "updated_at"])
    refund = Refund.objects.create(
        seller_order=seller_order,
        amount=amount,
        currency=order.currency,
        commission_reversed_amount=seller_order.commission_reversed_amount - reversed_before,
        reason=draft.reason,
        note=draft.note,
        provider=attempt.provider,
        provider_reference=result.reference,
        idempotency_key=key,
        shipping_share_amount=draft.lines.shipping_amount if draft.lines else 0,
        tax_share_amount=draft.lines.tax_amount if draft.lines else 0,
        policy_override_note=draft.policy_override_note,
        request=draft.request,
        actor_role=actor.role.value,
    )
    ledger_post_refund(refund=refund)
    if draft.proofs:
        refund.proofs.add(*draft.proofs)
    restocked = _record_lines(refund, draft.lines, restock=draft.restock) if draft.lines else []
    events = [_refund_event(mover, order, seller_orders, seller_order, refund, draft, restocked)]
    order.save(update_fields=["refunded_amount", "payment_status", "updated_at"])
    fully = seller_order.refunded_amount == seller_order.total_amount
    if fully and is_refundable_status(seller_order.status):
        events.append(
            move_seller_order(
                order=order,
                seller_order=seller_order,
                target=FulfilmentStatus.REFUNDED,
                actor=mover,
                note=f"Reason: {draft.reason}",
            )
        )
    else:
        fully = False
    publish(
        refund_outbox_event(
            order=order, refund=refund, data=refund_data(refund_get_for_response(refund.pk), SYSTEM)
        )
    )
    return IssuedRefund(refund, events, fully)


def commit_refund_change(
    order: Order,
    seller_orders: list[SellerOrder],
    seller_order: SellerOrder,
    events: list[OrderEvent],
    fully_refunded: bool,
) -> None:
    """Re-derive the order's status, write the events, and publish ``order.refunded`` when the
    seller order is now refunded in full (a partial refund changes no fulfilment status)."""
    previous = order.status
    if refresh_order_status(order, seller_orders):
        events[-1].details = {
            **events[-1].details,
            "order_status": {"from": previous, "to": order.status},
        }
    OrderEvent.objects.bulk_create(events)
    if fully_refunded:
        publish(
            order_outbox_event(
                type="order.refunded",
                order_data=order_data(order_bundle(order=order, actor=SYSTEM), SYSTEM),
                seller_order=seller_order,
                seller_ids=[seller_order.seller_id],
            )
        )


def refund_get_for_response(pk: int) -> Refund:
    """A refund with everything its representation reads, in a fixed number of queries."""
    return refunds_with_details(Refund.objects.filter(pk=pk)).get()


def refunds_with_details(refunds: Any) -> Any:
    return refunds.select_related("seller_order__order", "request").prefetch_related(
        Prefetch("lines", queryset=RefundLine.objects.select_related("line").order_by("id")),
        "proofs",
        Prefetch("discount_codes", queryset=_codes()),
    )


def _codes() -> Any:
    return DiscountCode.objects.select_related("seller", "seller_order").order_by("id")


def lock_lines(seller_order: SellerOrder) -> list[OrderLine]:
    return list(
        OrderLine.objects.select_for_update(no_key=True)
        .filter(seller_order=seller_order)
        .order_by("id")
    )


def _record_lines(
    refund: Refund, amounts: LineRefundAmounts, *, restock: bool
) -> list[tuple[OrderLine, int]]:
    """Write which units the refund paid back; put them back on sale if asked. Returns what was
    restocked."""
    RefundLine.objects.bulk_create(
        [
            RefundLine(
                refund=refund,
                line=share.line,
                quantity=share.quantity,
                amount=share.amount,
                quantity_restocked=share.quantity if restock else 0,
            )
            for share in amounts.shares
        ]
    )
    return mark_lines_refunded(amounts.shares, restock=restock)


def mark_lines_refunded(
    shares: Sequence[LineShare], *, restock: bool
) -> list[tuple[OrderLine, int]]:
    """Count the units as refunded on their lines and, if asked, put them back on sale."""
    for share in shares:
        share.line.quantity_refunded += share.quantity
        if restock:
            share.line.quantity_restocked += share.quantity
    OrderLine.objects.bulk_update(
        [share.line for share in shares], ["quantity_refunded", "quantity_restocked"]
    )
    restocked = [(share.line, share.quantity) for share in shares] if restock else []
    restock_listings(restocked)
    return restocked


def restock_listings(units: list[tuple[OrderLine, int]]) -> None:
    """Put units back on their listings, in listing id order (the order stock is always locked)."""
    for line, quantity in sorted(units, key=lambda item: item[0].listing_id):
        Listing.objects.filter(pk=line.listing_id).update(
            stock_quantity=F("stock_quantity") + quantity
        )


def _refund_event(
    actor: Actor,
    order: Order,
    seller_orders: list[SellerOrder],
    seller_order: SellerOrder,
    refund: Refund,
    draft: RefundDraft,
    restocked: list[tuple[OrderLine, int]],
) -> OrderEvent:
    order.refunded_amount += refund.amount
    target = (
        PaymentStatus.REFUNDED
        if order.refunded_amount == order.captured_amount
        else PaymentStatus.PARTIALLY_REFUNDED
    )
    what = ""
    if draft.lines is not None:
        what = " for " + ", ".join(f"{s.quantity} x {s.line.sku}" for s in draft.lines.shares)
    details: dict[str, Any] = {
        "refund_id": str(refund.public_id),
        "amount": refund.amount,
        "reason": refund.reason,
        "seller_order": seller_order.reference,
        "commission_reversed_amount": refund.commission_reversed_amount,
    }
    if draft.lines is not None:
        details |= {
            "lines": [
                {"sku": s.line.sku, "quantity": s.quantity, "amount": s.amount}
                for s in draft.lines.shares
            ],
            "shipping_share_amount": draft.lines.shipping_amount,
            "tax_share_amount": draft.lines.tax_amount,
            "capped_by_earlier_refunds": draft.lines.capped_by,
            "restocked": [{"sku": line.sku, "quantity": qty} for line, qty in restocked],
        }
    if draft.request is not None:
        details["refund_request_id"] = str(draft.request.public_id)
    if draft.proofs:
        details["proofs"] = len(draft.proofs)
    money = format_money(refund.amount, order.currency)
    event = move_payment(
        order=order,
        target=target,
        actor=actor,
        kind="refund.issued",
        message=f"{seller_order.reference}: refunded {money}{what} ({refund.reason}).",
        details=details,
        seller_orders=seller_orders,
    )
    event.seller_order = seller_order
    return event
