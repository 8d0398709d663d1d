"""The seller cancels single lines (out of stock, say) of a paid seller order before shipping them.

The buyer is refunded for what is canceled, worked out by the line rule of payments.refund_lines.
Units canceled as out of stock are **not** put back on the listing: the seller does not have them,
and giving them back would sell the same missing units to the next buyer. Units canceled for any
other reason exist, so they go back on sale. When every unit is canceled the seller order is
canceled; when what is left has all shipped, it is shipped. The seller may offer another of its
listings instead: the offer is kept with the cancellation, on the timeline, and posted to the
buyer in the seller order's message thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from tradepost.catalog.models import Listing
from tradepost.catalog.selectors import listings_visible_to
from tradepost.core.actors import SYSTEM, Actor, Role
from tradepost.core.errors import Conflict, PermissionDenied, ValidationFailed
from tradepost.core.money import format_money
from tradepost.core.outbox import outbox_event, publish
from tradepost.core.transactions import unit_of_work
from tradepost.messaging.services import message_post
from tradepost.orders.events import STATUS_EVENT_TYPES, order_outbox_event, timeline_event
from tradepost.orders.lifecycle import (
    lock_order_for_seller_order,
    move_seller_order,
    refresh_order_status,
)
from tradepost.orders.models import LineCancellation, Order, OrderEvent, OrderLine, SellerOrder
from tradepost.orders.representation import order_data
from tradepost.orders.selectors import OrderBundle, order_bundle
from tradepost.orders.status import FulfilmentStatus, LineCancelReason
from tradepost.payments.issuing import (
    RefundDraft,
    lock_lines,
    mark_lines_refunded,
    refund_issue_locked,
)
from tradepost.payments.models import Refund
from tradepost.payments.refund_lines import (
    LineQuantity,
    LineRefundAmounts,
    line_refund_amounts,
    resolve_quantities,
)
from tradepost.payments.status import RefundReason

CANCELABLE = (FulfilmentStatus.PENDING, FulfilmentStatus.PROCESSING)


@dataclass(frozen=True)
class LinesCanceled:
    bundle: OrderBundle
    cancellation: LineCancellation
    refund: Refund | None


def seller_order_lines_cancel(
    *,
    actor: Actor,
    reference: str,
    lines: Sequence[LineQuantity],
    reason: str = LineCancelReason.OUT_OF_STOCK,
    note: str = "",
    alternative_listing_id: UUID | None = None,
) -> LinesCanceled:
    """Seller or owner: cancel units not yet shipped, refund them, maybe offer an alternative."""
    with unit_of_work():
        order, seller_orders, seller_order = lock_order_for_seller_order(
            actor=actor, reference=reference
        )
        _check_may_cancel_lines(actor, seller_order, reason, note)
        alternative = _alternative(actor, seller_order, alternative_listing_id, order.currency)
        locked = lock_lines(seller_order)
        chosen = resolve_quantities(locked, lines, available="quantity_to_ship")
        amounts = line_refund_amounts(seller_order, locked, chosen)
        for line, quantity in chosen:
            line.quantity_canceled += quantity
        OrderLine.objects.bulk_update([line for line, _ in chosen], ["quantity_canceled"])
        refund, refund_events = _refund(order, seller_orders, seller_order, amounts, reason, note)
        cancellation = LineCancellation.objects.create(
            seller_order=seller_order,
            reason=reason,
            note=note.strip(),
            lines=[{"sku": line.sku, "quantity": qty} for line, qty in chosen],
            refunded_amount=refund.amount if refund else 0,
            alternative_listing=alternative,
            actor_role=actor.role.value,
            actor_label=actor.label,
        )
        events = [_canceled_event(order, seller_order, actor, cancellation), *refund_events]
        events += _follow_on_move(order, seller_order, actor, locked, cancellation)
        previous = order.status
        if refresh_order_status(order, seller_orders):
            events[-1].details = {
                **events[-1].details,
                "order_status": {"from": previous, "to": order.status},
            }
        OrderEvent.objects.bulk_create(events)
        bundle = order_bundle(order=order, actor=SYSTEM)
        _publish(bundle, seller_order, cancellation, refund)
        if alternative is not None:
            message_post(actor=actor, reference=seller_order.reference, body=_offer(cancellation))
        return LinesCanceled(bundle, cancellation, refund)


def line_cancellation_data(cancellation: LineCancellation) -> dict[str, Any]:
    listing = cancellation.alternative_listing
    return {
        "seller_order": cancellation.seller_order.reference,
        "reason": cancellation.reason,
        "note": cancellation.note,
        "lines": cancellation.lines,
        "refunded_amount": cancellation.refunded_amount,
        "alternative": None
        if listing is None
        else {
            "listing_id": str(listing.public_id),
            "sku": listing.sku,
            "title": listing.title,
            "unit_price_amount": listing.unit_price_amount,
            "currency": listing.currency,
        },
        "created_at": cancellation.created_at.isoformat(),
    }


def _check_may_cancel_lines(
    actor: Actor, seller_order: SellerOrder, reason: str, note: str
) -> None:
    if actor.role not in (Role.SELLER, Role.OWNER):
        raise PermissionDenied(
            "Lines are canceled by the seller or the owner; a buyer cancels the whole seller "
            "order before it is processed."
        )
    if seller_order.status not in CANCELABLE:
        raise Conflict(
            f"{seller_order.reference} is {seller_order.status}: lines are canceled once it is "
            "paid and before they ship.",
            current_status=seller_order.status,
        )
    if reason not in LineCancelReason.values:
        raise ValidationFailed("reason", f"must be one of {', '.join(LineCancelReason.values)}")
    if reason == LineCancelReason.OTHER and not note.strip():
        raise ValidationFailed("note", "is required when the reason is other")


def _alternative(
    actor: Actor, seller_order: SellerOrder, listing_id: UUID | None, currency: str
) -> Listing | None:
    """Another listing of the same seller, on sale, in stock and in the order's currency."""
    if listing_id is None:
        return None
    listing = (
        listings_visible_to(actor)
        .filter(public_id=listing_id, seller_id=seller_order.seller_id)
        .first()
    )
    field = "alternative_listing_id"
    if listing is None:
        raise ValidationFailed(field, "is not a listing of this seller")
    if not listing.is_active or listing.stock_quantity < 1:
        raise ValidationFailed(field, f"{listing.sku} is not for sale or has no stock")
    if listing.currency != currency:
        raise ValidationFailed(field, f"{listing.sku} is priced in {listing.currency}")
    return listing


def _refund(
    order: Order,
    seller_orders: list[SellerOrder],
    seller_order: SellerOrder,
    amounts: LineRefundAmounts,
    reason: str,
    note: str,
) -> tuple[Refund | None, list[OrderEvent]]:
    """Pay back what the canceled units are worth, as Tradepost does for any cancellation."""
    restock = reason != LineCancelReason.OUT_OF_STOCK
    if amounts.amount <= 0 or not order.captured_amount:
        mark_lines_refunded(amounts.shares, restock=restock)  # worth nothing: no money moves
        return None, []
    issued = refund_issue_locked(
        actor=SYSTEM,
        order=order,
        seller_orders=seller_orders,
        seller_order=seller_order,
        draft=RefundDraft(
            reason=RefundReason.CANCELED,
            note=note.strip() or LineCancelReason(reason).label,
            lines=amounts,
            restock=restock,
        ),
    )
    return issued.refund, issued.events


def _follow_on_move(
    order: Order,
    seller_order: SellerOrder,
    actor: Actor,
    lines: list[OrderLine],
    cancellation: LineCancellation,
) -> list[OrderEvent]:
    """Nothing left at all: the seller order is canceled. Nothing left to ship: it is shipped."""
    if all(line.quantity_canceled == line.quantity for line in lines):
        seller_order.cancel_reason = (
            cancellation.note or LineCancelReason(cancellation.reason).label
        )
        seller_order.canceled_by_role = actor.role.value
        return [
            move_seller_order(
                order=order,
                seller_order=seller_order,
                target=FulfilmentStatus.CANCELED,
                actor=actor,
                note=f"Every line canceled. Reason: {seller_order.cancel_reason}",
                details={"reason": seller_order.cancel_reason},
                extra_fields=("cancel_reason", "canceled_by_role"),
            )
        ]
    if all(line.quantity_to_ship == 0 for line in lines):
        return [
            move_seller_order(
                order=order,
                seller_order=seller_order,
                target=FulfilmentStatus.SHIPPED,
                actor=actor,
                note="Everything not canceled has shipped.",
            )
        ]
    return []


def _canceled_event(
    order: Order, seller_order: SellerOrder, actor: Actor, cancellation: LineCancellation
) -> OrderEvent:
    items = ", ".join(f"{item['quantity']} x {item['sku']}" for item in cancellation.lines)
    message = f"{seller_order.reference}: canceled {items} ({cancellation.get_reason_display()})"
    listing = cancellation.alternative_listing
    if listing is not None:
        price = format_money(listing.unit_price_amount, listing.currency)
        message += f"; offered instead: {listing.title} ({listing.sku}, {price})"
    return timeline_event(
        order=order,
        seller_order=seller_order,
        actor=actor,
        kind="lines.canceled",
        message=f"{message}."[:500],
        details=line_cancellation_data(cancellation),
    )


def _publish(
    bundle: OrderBundle,
    seller_order: SellerOrder,
    cancellation: LineCancellation,
    refund: Refund | None,
) -> None:
    data = order_data(bundle, SYSTEM)
    publish(
        outbox_event(
            type="order.lines_canceled",
            order_number=bundle.order.number,
            seller_ids=[seller_order.seller_id],
            data={
                "order": data,
                "seller_order": seller_order.reference,
                "line_cancellation": line_cancellation_data(cancellation),
                "refund_id": str(refund.public_id) if refund else None,
            },
        )
    )
    if seller_order.status in (FulfilmentStatus.CANCELED, FulfilmentStatus.SHIPPED):
        publish(
            order_outbox_event(
                type=STATUS_EVENT_TYPES[seller_order.status],
                order_data=data,
                seller_order=seller_order,
                seller_ids=[seller_order.seller_id],
            )
        )


def _offer(cancellation: LineCancellation) -> str:
    listing = cancellation.alternative_listing
    assert listing is not None
    items = ", ".join(f"{item['quantity']} x {item['sku']}" for item in cancellation.lines)
    refunded = format_money(cancellation.refunded_amount, listing.currency)
    price = format_money(listing.unit_price_amount, listing.currency)
    return (
        f"Sorry: we had to cancel {items} ({cancellation.get_reason_display().lower()}), and "
        f"you have been refunded {refunded} for it. We can offer you {listing.title} "
        f"({listing.sku}) at {price} instead. Reply here if you would like it."
    )
