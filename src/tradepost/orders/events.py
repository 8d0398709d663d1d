"""Factories for timeline rows and outbox events; the only place either is built for orders.

Rows are returned unsaved so a service can write all of a change's events in one statement.
"""

from __future__ import annotations

from typing import Any

from tradepost.core import clock
from tradepost.core.actors import SYSTEM, Actor
from tradepost.core.models import OutboxEvent
from tradepost.core.money import format_money
from tradepost.core.outbox import outbox_event
from tradepost.orders.models import Order, OrderEvent, SellerOrder

# Outbox event type for a seller order reaching each status (DESIGN.md's names).
STATUS_EVENT_TYPES = {
    "processing": "order.processing",
    "shipped": "order.shipped",
    "delivered": "order.delivered",
    "completed": "order.completed",
    "canceled": "order.canceled",
    "refunded": "order.refunded",
}


def timeline_event(
    *,
    order: Order,
    actor: Actor,
    kind: str,
    message: str,
    seller_order: SellerOrder | None = None,
    field: str = "",
    from_status: str = "",
    to_status: str = "",
    details: dict[str, Any] | None = None,
) -> OrderEvent:
    return OrderEvent(
        order=order,
        seller_order=seller_order,
        kind=kind,
        field=field,
        from_status=from_status,
        to_status=to_status,
        actor_role=actor.role.value,
        actor_user_id=actor.user_id,
        actor_label=actor.label,
        message=message,
        details=details or {},
        created_at=clock.now(),
    )


def _label(status: str) -> str:
    """``awaiting_payment`` -> ``Awaiting payment``: timeline messages are read by people."""
    return status.replace("_", " ").capitalize()


def order_placed_event(
    *, order: Order, actor: Actor, references: list[str], discount_code: str = ""
) -> OrderEvent:
    count = len(references)
    sellers = f"{count} seller{'s' if count != 1 else ''}"
    message = f"Order placed with {sellers}."
    details: dict[str, Any] = {"seller_orders": references, "total_amount": order.total_amount}
    if discount_code:
        off = format_money(order.discount_amount, order.currency)
        message = f"Order placed with {sellers}, {off} off with goodwill code {discount_code}."
        details |= {"discount_code": discount_code, "discount_amount": order.discount_amount}
    return timeline_event(
        order=order,
        actor=actor,
        kind="order.placed",
        message=message,
        to_status=order.status,
        field="status",
        details=details,
    )


def status_changed_event(
    *,
    order: Order,
    seller_order: SellerOrder,
    actor: Actor,
    from_status: str,
    to_status: str,
    note: str = "",
    details: dict[str, Any] | None = None,
) -> OrderEvent:
    message = f"{seller_order.reference}: {_label(from_status)} → {_label(to_status)}"
    return timeline_event(
        order=order,
        seller_order=seller_order,
        actor=actor,
        kind="seller_order.status_changed",
        field="fulfilment_status",
        from_status=from_status,
        to_status=to_status,
        message=f"{message}. {note}".strip() if note else message,
        details=details,
    )


def payment_status_event(
    *,
    order: Order,
    actor: Actor,
    kind: str,
    from_status: str,
    to_status: str,
    message: str,
    details: dict[str, Any],
) -> OrderEvent:
    return timeline_event(
        order=order,
        actor=actor,
        kind=kind,
        field="payment_status",
        from_status=from_status,
        to_status=to_status,
        message=message,
        details=details,
    )


def order_outbox_event(
    *,
    type: str,
    order_data: dict[str, Any],
    seller_order: SellerOrder | None = None,
    seller_ids: list[int],
) -> OutboxEvent:
    data: dict[str, Any] = {"order": order_data}
    if seller_order is not None:
        data["seller_order"] = seller_order.reference
    return outbox_event(
        type=type, data=data, order_number=order_data["number"], seller_ids=seller_ids
    )


def sla_notice_event(
    *, order: Order, seller_order: SellerOrder, kind: str, message: str, details: dict[str, Any]
) -> OrderEvent:
    """A notice the SLA automation sent or a deadline it saw pass, told by the system."""
    return timeline_event(
        order=order,
        seller_order=seller_order,
        actor=SYSTEM,
        kind=kind,
        message=f"{seller_order.reference}: {message}"[:500],
        details=details,
    )


def sla_outbox_event(
    *, type: str, order_data: dict[str, Any], seller_order: SellerOrder, details: dict[str, Any]
) -> OutboxEvent:
    """``{order, seller_order, sla}``: ``sla`` says which deadline (``acknowledge``, ``ship``,
    ``delivery``) and when it was due, so subscribers word the notice."""
    return outbox_event(
        type=type,
        data={"order": order_data, "seller_order": seller_order.reference, "sla": details},
        order_number=order_data["number"],
        seller_ids=[seller_order.seller_id],
    )
