"""Fulfilment: acknowledge, ship (in one or more parcels), deliver, complete and cancel.

Each service is one unit of work: lock the order and its seller orders, check the lifecycle table
and the actor, write the change, its timeline events and its outbox event together.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradepost.catalog.selectors import marketplace_get
from tradepost.core.actors import SYSTEM, Actor, Role
from tradepost.core.errors import Conflict, ValidationFailed
from tradepost.core.outbox import publish
from tradepost.core.transactions import unit_of_work
from tradepost.orders.events import STATUS_EVENT_TYPES, order_outbox_event, timeline_event
from tradepost.orders.lifecycle import (
    check_transition,
    lock_order_for_seller_order,
    move_seller_order,
    refresh_order_status,
    release_stock,
)
from tradepost.orders.models import (
    Order,
    OrderEvent,
    OrderLine,
    SellerOrder,
    Shipment,
    ShipmentLine,
)
from tradepost.orders.representation import order_data
from tradepost.orders.selectors import OrderBundle, order_bundle
from tradepost.orders.status import FULFILMENT, FulfilmentStatus
from tradepost.payments.refunds import refund_create
from tradepost.payments.services import refund_locked_seller_order


@dataclass(frozen=True)
class ParcelLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class Parcel:
    carrier: str
    tracking_number: str = ""
    tracking_url: str = ""
    lines: list[ParcelLine] | None = None  # None ships everything not yet shipped


def seller_order_acknowledge(*, actor: Actor, reference: str) -> OrderBundle:
    """The seller accepts a paid order and starts preparing it."""
    with unit_of_work():
        order, seller_orders, seller_order = lock_order_for_seller_order(
            actor=actor, reference=reference
        )
        event = move_seller_order(
            order=order, seller_order=seller_order, target=FulfilmentStatus.PROCESSING, actor=actor
        )
        return _commit_change(order, seller_orders, seller_order, [event])


def shipment_create(*, actor: Actor, reference: str, parcel: Parcel) -> OrderBundle:
    """Hand a parcel to a carrier; the seller order is shipped once every line is in a parcel."""
    with unit_of_work():
        order, seller_orders, seller_order = lock_order_for_seller_order(
            actor=actor, reference=reference
        )
        check_transition(
            FULFILMENT, current=seller_order.status, target=FulfilmentStatus.SHIPPED, actor=actor
        )
        if marketplace_get().tracking_required and not parcel.tracking_number.strip():
            raise ValidationFailed("tracking_number", "is required by this marketplace")
        lines = list(
            OrderLine.objects.select_for_update(no_key=True)
            .filter(seller_order=seller_order)
            .order_by("id")
        )
        quantities = _parcel_quantities(lines, parcel)
        shipment = Shipment.objects.create(
            seller_order=seller_order,
            carrier=parcel.carrier.strip(),
            tracking_number=parcel.tracking_number.strip(),
            tracking_url=parcel.tracking_url.strip(),
        )
        ShipmentLine.objects.bulk_create(
            [ShipmentLine(shipment=shipment, line=line, quantity=qty) for line, qty in quantities]
        )
        for line, qty in quantities:
            line.quantity_shipped += qty
        OrderLine.objects.bulk_update([line for line, _ in quantities], ["quantity_shipped"])
        events = [_shipment_event(order, seller_order, actor, shipment, quantities)]
        if all(line.quantity_to_ship == 0 for line in lines):
            events.append(
                move_seller_order(
                    order=order,
                    seller_order=seller_order,
                    target=FulfilmentStatus.SHIPPED,
                    actor=actor,
                    note=f"Last parcel: {shipment}.",
                )
            )
            return _commit_change(order, seller_orders, seller_order, events)
        return _commit_change(order, seller_orders, seller_order, events, publish_event=False)


def seller_order_deliver(*, actor: Actor, reference: str) -> OrderBundle:
    """The seller, the owner or a carrier update reports the parcels delivered."""
    with unit_of_work():
        order, seller_orders, seller_order = lock_order_for_seller_order(
            actor=actor, reference=reference
        )
        event = move_seller_order(
            order=order, seller_order=seller_order, target=FulfilmentStatus.DELIVERED, actor=actor
        )
        return _commit_change(order, seller_orders, seller_order, [event])


def seller_order_complete(*, actor: Actor, reference: str, note: str = "") -> OrderBundle:
    """The buyer confirms delivery; the sale is complete and the payout becomes due. ``note``
    says why on the timeline when the system completes it."""
    with unit_of_work():
        order, seller_orders, seller_order = lock_order_for_seller_order(
            actor=actor, reference=reference
        )
        event = move_seller_order(
            order=order,
            seller_order=seller_order,
            target=FulfilmentStatus.COMPLETED,
            actor=actor,
            note="Delivery confirmed." if actor.role is Role.BUYER else note,
        )
        return _commit_change(order, seller_orders, seller_order, [event])


def seller_order_cancel(*, actor: Actor, reference: str, reason: str) -> OrderBundle:
    """Cancel before shipment: stock goes back, and a paid amount is refunded in full."""
    with unit_of_work():
        order, seller_orders, seller_order = lock_order_for_seller_order(
            actor=actor, reference=reference
        )
        reason = reason.strip()
        check_transition(
            FULFILMENT, current=seller_order.status, target=FulfilmentStatus.CANCELED, actor=actor
        )
        if actor.role in (Role.SELLER, Role.OWNER) and not reason:
            raise ValidationFailed("reason", "is required when a seller or the owner cancels")
        lines = list(
            OrderLine.objects.select_for_update(no_key=True)
            .filter(seller_order=seller_order)
            .order_by("id")
        )
        if any(line.quantity_shipped for line in lines):
            raise Conflict(
                f"{seller_order.reference} has parcels on their way; it can no longer be canceled.",
                current_status=seller_order.status,
            )
        release_stock(lines)
        seller_order.cancel_reason = reason or f"Canceled by the {actor.role.value}."
        seller_order.canceled_by_role = actor.role.value
        events = [
            move_seller_order(
                order=order,
                seller_order=seller_order,
                target=FulfilmentStatus.CANCELED,
                actor=actor,
                note=f"Reason: {seller_order.cancel_reason}",
                extra_fields=("cancel_reason", "canceled_by_role"),
                details={"reason": seller_order.cancel_reason},
            )
        ]
        owed = seller_order.total_amount - seller_order.refunded_amount
        if order.captured_amount and owed:
            # The refund follows from the cancellation; Tradepost issues it, whoever canceled.
            events += refund_locked_seller_order(
                actor=SYSTEM,
                order=order,
                seller_orders=seller_orders,
                seller_order=seller_order,
                amount=owed,
                reason="canceled",
                note=seller_order.cancel_reason,
            )
        return _commit_change(order, seller_orders, seller_order, events)


def seller_order_refund(
    *, actor: Actor, reference: str, reason: str, note: str = "", policy_override_note: str = ""
) -> OrderBundle:
    """Owner: refund what is left of a shipped, delivered or completed seller order in full.

    The lifecycle table speaks first (this is the ``refund`` transition); then payments.refunds
    refunds the rest and moves the seller order to ``refunded``.
    """
    with unit_of_work():
        order, _, seller_order = lock_order_for_seller_order(actor=actor, reference=reference)
        check_transition(
            FULFILMENT, current=seller_order.status, target=FulfilmentStatus.REFUNDED, actor=actor
        )
        if not reason.strip():
            raise ValidationFailed("reason", "is required")
        refund_create(
            actor=actor,
            reference=reference,
            reason=reason.strip(),
            note=note,
            policy_override_note=policy_override_note,
        )
        return order_bundle(order=Order.objects.get(pk=order.pk), actor=SYSTEM)


def _parcel_quantities(lines: list[OrderLine], parcel: Parcel) -> list[tuple[OrderLine, int]]:
    if parcel.lines is None:
        chosen = [(line, line.quantity_to_ship) for line in lines if line.quantity_to_ship]
    else:
        by_sku = {line.sku: line for line in lines}
        wanted: dict[str, int] = {}
        for index, item in enumerate(parcel.lines):
            line = by_sku.get(item.sku)
            if line is None:
                raise ValidationFailed(
                    f"lines[{index}].sku", f"{item.sku} is not in this seller order"
                )
            wanted[item.sku] = wanted.get(item.sku, 0) + item.quantity
            if wanted[item.sku] > line.quantity_to_ship:
                raise ValidationFailed(
                    f"lines[{index}].quantity",
                    f"only {line.quantity_to_ship} of {item.sku} left to ship",
                )
        chosen = [(by_sku[sku], qty) for sku, qty in wanted.items()]
    if not chosen:
        raise Conflict("Every line of this seller order is already shipped.")
    return chosen


def _shipment_event(
    order: Order,
    seller_order: SellerOrder,
    actor: Actor,
    shipment: Shipment,
    quantities: list[tuple[OrderLine, int]],
) -> OrderEvent:
    items = ", ".join(f"{qty} x {line.sku}" for line, qty in quantities)
    return timeline_event(
        order=order,
        seller_order=seller_order,
        actor=actor,
        kind="shipment.created",
        message=f"{seller_order.reference}: parcel with {shipment} ({items}).",
        details={
            "shipment_id": shipment.pk,
            "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number,
            "tracking_url": shipment.tracking_url,
            "lines": [{"sku": line.sku, "quantity": qty} for line, qty in quantities],
        },
    )


def _commit_change(
    order: Order,
    seller_orders: list[SellerOrder],
    seller_order: SellerOrder,
    events: list[OrderEvent],
    *,
    publish_event: bool = True,
) -> OrderBundle:
    """Re-derive the order status, write the events, publish, and return the whole order."""
    previous = order.status
    if refresh_order_status(order, seller_orders):
        events[-1].details = {
            **events[-1].details,
            "order_status": {"from": previous, "to": order.status},
        }
    OrderEvent.objects.bulk_create(events)
    bundle = order_bundle(order=order, actor=SYSTEM)
    if publish_event:
        publish(
            order_outbox_event(
                type=STATUS_EVENT_TYPES[seller_order.status],
                order_data=order_data(bundle, SYSTEM),
                seller_order=seller_order,
                seller_ids=[seller_order.seller_id],
            )
        )
    return bundle
