"""Orders as the API shows them, as JSON-ready dicts.

The same shapes go into API responses and outbox events (``{"order": ...}``), so integrators see
one order format everywhere. What a viewer sees depends on their role: a seller sees only their
own seller orders, money summed over them, and a masked buyer email; a buyer sees no commission.
"""

from __future__ import annotations

from typing import Any

from tradepost.core.actors import Actor, Role
from tradepost.core.clock import iso_or_none
from tradepost.orders.models import Order, OrderEvent, SellerOrder, Shipment
from tradepost.orders.selectors import OrderBundle, SellerOrderBundle, amount_due
from tradepost.orders.status import FULFILMENT, PAYMENT, FulfilmentStatus, derive_order_status

MONEY_FIELDS = (
    "subtotal_amount",
    "shipping_amount",
    "tax_amount",
    "discount_amount",
    "total_amount",
)


def mask_email(email: str) -> str:
    """``jane.doe@example.com`` -> ``j***@example.com``: enough to recognise, not to write to."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def is_partially_shipped(seller_order: SellerOrder, shipments: list[Shipment]) -> bool:
    return seller_order.status == FulfilmentStatus.PROCESSING and bool(shipments)


def seller_order_summary(seller_order: SellerOrder, viewer: Actor) -> dict[str, Any]:
    return {
        "reference": seller_order.reference,
        "seller": {"slug": seller_order.seller.slug, "name": seller_order.seller.name},
        "status": seller_order.status,
        "total_amount": seller_order.total_amount,
        # Webhook payloads (viewer: system) carry no caller-specific actions.
        "actions": []
        if viewer.role is Role.SYSTEM
        else FULFILMENT.actions_for(seller_order.status, viewer.role),
    }


def seller_order_actions(part: SellerOrderBundle, viewer: Actor) -> list[str]:
    """What the viewer may do to this seller order now: the table, less what its parcels forbid."""
    actions = FULFILMENT.actions_for(part.seller_order.status, viewer.role)
    if any(line.quantity_shipped for line in part.lines):
        # Parcels already on their way cannot be canceled; the table alone does not know that.
        actions = [action for action in actions if action != "cancel"]
    return actions


def payment_actions(order: Order, viewer: Actor) -> list[str]:
    """Payment steps the viewer may take on the order; refunds are per seller order."""
    if viewer.role is Role.SYSTEM or order.status == FulfilmentStatus.CANCELED:
        return []  # a canceled order takes no payment, nor a retry of one
    actions = PAYMENT.actions_for(order.payment_status, viewer.role)
    return [action for action in actions if action != "refund"]


def seller_order_data(part: SellerOrderBundle, viewer: Actor) -> dict[str, Any]:
    so = part.seller_order
    data = seller_order_summary(so, viewer)
    if viewer.role is not Role.SYSTEM:
        data["actions"] = seller_order_actions(part, viewer)
    data |= {
        "partially_shipped": is_partially_shipped(so, part.shipments),
        **{name: getattr(so, name) for name in MONEY_FIELDS},
        "refunded_amount": so.refunded_amount,
        "acknowledged_at": iso_or_none(so.acknowledged_at),
        "shipped_at": iso_or_none(so.shipped_at),
        "delivered_at": iso_or_none(so.delivered_at),
        "completed_at": iso_or_none(so.completed_at),
        "canceled_at": iso_or_none(so.canceled_at),
        "cancel_reason": so.cancel_reason,
        "acknowledge_due_at": iso_or_none(so.acknowledge_due_at),
        "ship_due_at": iso_or_none(so.ship_due_at),
        "shipping_promise": so.shipping_promise,
        "lines": [
            {
                "sku": line.sku,
                "title": line.title,
                "listing_id": str(line.listing.public_id),
                "unit_price_amount": line.unit_price_amount,
                "quantity": line.quantity,
                "quantity_shipped": line.quantity_shipped,
                "quantity_canceled": line.quantity_canceled,
                "quantity_refunded": line.quantity_refunded,
                "line_total_amount": line.line_total_amount,
            }
            for line in part.lines
        ],
        "shipments": [shipment_data(shipment) for shipment in part.shipments],
    }
    if viewer.role is not Role.BUYER:
        data |= {
            "commission_rate_bps": so.commission_rate_bps,
            "commission_amount": so.commission_amount,
            "commission_reversed_amount": so.commission_reversed_amount,
        }
    return data


def shipment_data(shipment: Shipment) -> dict[str, Any]:
    return {
        "id": shipment.pk,
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "tracking_url": shipment.tracking_url,
        "created_at": iso_or_none(shipment.created_at),
        "lines": [
            {"sku": item.line.sku, "quantity": item.quantity} for item in shipment.lines.all()
        ],
    }


def _money(order: Order, parts: list[SellerOrder], viewer: Actor) -> dict[str, int]:
    if viewer.role is Role.SELLER:
        return {name: sum(getattr(so, name) for so in parts) for name in MONEY_FIELDS}
    return {name: getattr(order, name) for name in MONEY_FIELDS}


def _status(order: Order, parts: list[SellerOrder], viewer: Actor) -> str:
    """A seller sees the status of its own part, not the progress of other sellers."""
    if viewer.role is Role.SELLER:
        return derive_order_status(so.status for so in parts)
    return order.status


def _buyer(order: Order, viewer: Actor) -> dict[str, Any]:
    email = mask_email(order.buyer_email) if viewer.role is Role.SELLER else order.buyer_email
    return {"name": order.buyer_name, "email": email, "phone": order.buyer_phone}


def order_summary(order: Order, viewer: Actor) -> dict[str, Any]:
    """A list row: the order with its visible seller orders prefetched as ``visible_parts``."""
    parts: list[SellerOrder] = order.visible_parts  # type: ignore[attr-defined]
    return {
        "number": order.number,
        "status": _status(order, parts, viewer),
        "payment_status": order.payment_status,
        "currency": order.currency,
        "buyer_name": order.buyer_name,
        "created_at": iso_or_none(order.created_at),
        **_money(order, parts, viewer),
        "seller_orders": [seller_order_summary(so, viewer) for so in parts],
    }


def order_data(bundle: OrderBundle, viewer: Actor) -> dict[str, Any]:
    """The order as ``viewer`` may see it; services hand back every seller order."""
    order = bundle.order
    visible = [
        part
        for part in bundle.seller_orders
        if viewer.role is not Role.SELLER or part.seller_order.seller_id == viewer.seller_id
    ]
    parts = [part.seller_order for part in visible]
    data: dict[str, Any] = {
        "number": order.number,
        "status": _status(order, parts, viewer),
        "payment_status": order.payment_status,
        "currency": order.currency,
        **_money(order, parts, viewer),
        "buyer": _buyer(order, viewer),
        "shipping_address": order.shipping_address,
        "created_at": iso_or_none(order.created_at),
        "paid_at": iso_or_none(order.paid_at),
        "seller_orders": [seller_order_data(part, viewer) for part in visible],
        "payment_actions": payment_actions(order, viewer),
    }
    if viewer.role is not Role.SELLER:
        data |= {
            "amount_due": amount_due(order, parts),
            "captured_amount": order.captured_amount,
            "refunded_amount": order.refunded_amount,
        }
    return data


# What a seller is told of order-wide events: other sellers' parts and the whole-order money are
# not theirs to see.
SELLER_MESSAGES = {
    "order.placed": "Order placed.",
    "payment.succeeded": "Payment captured.",
    "payment.failed": "Payment failed.",
    "payment.retry": "Payment retry requested.",
}


def _actor_label(event: OrderEvent, viewer: Actor) -> str:
    """Who acted, in words the viewer may read: only the owner sees people's own names, so a
    buyer never learns a seller's or the staff's logins, nor a seller the buyer's."""
    role = event.actor_role
    if viewer.role is Role.OWNER or role == Role.SYSTEM:
        return event.actor_label
    if role == Role.OWNER:
        return "Marketplace"
    if viewer.role is Role.BUYER:
        if role == Role.BUYER:
            return "You"
        return event.seller_order.seller.name if event.seller_order else "Seller"
    if role == Role.BUYER:
        return "Buyer"
    return event.actor_label  # a seller reading its own team's steps


def event_data(event: OrderEvent, viewer: Actor) -> dict[str, Any]:
    """A timeline row as the viewer may see it: buyers never see commission."""
    message, details = event.message, event.details
    if viewer.role is Role.SELLER and event.seller_order_id is None:
        message, details = SELLER_MESSAGES.get(event.kind, message), {}
    elif viewer.role is Role.SELLER:
        # The whole order's status moves with other sellers' progress, which is not theirs to see.
        details = {key: value for key, value in details.items() if key != "order_status"}
    elif viewer.role is Role.BUYER:
        details = {key: value for key, value in details.items() if "commission" not in key}
    return {
        "kind": event.kind,
        "seller_order": event.seller_order.reference if event.seller_order else None,
        "field": event.field,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "actor_role": event.actor_role,
        "actor_label": _actor_label(event, viewer),
        "message": message,
        "details": details,
        "created_at": iso_or_none(event.created_at),
    }


# Figures about the whole order that a seller's view leaves out (see ``order_data``).
WHOLE_ORDER_ONLY = frozenset({"amount_due", "captured_amount", "refunded_amount"})


def order_data_as_seller_sees(data: dict[str, Any], seller_slug: str) -> dict[str, Any]:
    """An order rendered for the system (as outbox events hold it), cut down to one seller's view:
    its own seller orders, money summed over them, the masked email, no whole-order payment sums.

    The same view ``order_data`` gives a seller, so a seller's webhooks carry what its API shows.
    """
    parts = [part for part in data["seller_orders"] if part["seller"]["slug"] == seller_slug]
    seen = {key: value for key, value in data.items() if key not in WHOLE_ORDER_ONLY}
    seen["seller_orders"] = parts
    seen["status"] = derive_order_status(part["status"] for part in parts)
    seen["buyer"] = {**data["buyer"], "email": mask_email(data["buyer"]["email"])}
    for name in MONEY_FIELDS:
        seen[name] = sum(part[name] for part in parts)
    return seen
