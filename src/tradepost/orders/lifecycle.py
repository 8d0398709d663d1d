"""The one way a status changes: check the table and the actor, write the change and its event.

Callers hold the locks (order first, then its seller orders by id) and save nothing themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F

from tradepost.catalog.models import Listing
from tradepost.core import clock
from tradepost.core.actors import Actor
from tradepost.core.errors import InvalidTransition, NotFound, PermissionDenied
from tradepost.ledger.services import ledger_post_completion
from tradepost.orders.events import payment_status_event, status_changed_event
from tradepost.orders.models import Order, OrderEvent, OrderLine, SellerOrder
from tradepost.orders.payment_tallies import tally_payment_moved
from tradepost.orders.selectors import seller_order_reference_scope
from tradepost.orders.status import (
    FULFILMENT,
    PAYMENT,
    FulfilmentStatus,
    Lifecycle,
    Transition,
    derive_order_status,
)

# The moment each status is reached is kept on the seller order, for SLAs and reports.
REACHED_AT: dict[str, str] = {
    FulfilmentStatus.PROCESSING: "acknowledged_at",
    FulfilmentStatus.SHIPPED: "shipped_at",
    FulfilmentStatus.DELIVERED: "delivered_at",
    FulfilmentStatus.COMPLETED: "completed_at",
    FulfilmentStatus.CANCELED: "canceled_at",
}


def check_transition(
    lifecycle: Lifecycle, *, current: str, target: str, actor: Actor
) -> Transition:
    rule = lifecycle.rule(current, target)
    if rule is None:
        raise InvalidTransition(
            field=lifecycle.field,
            current=current,
            requested=target,
            allowed=lifecycle.allowed_targets(current, actor.role),
        )
    if actor.role not in rule.roles:
        who = ", ".join(sorted(role.value for role in rule.roles))
        raise PermissionDenied(
            f"A {actor.role.value} may not {rule.action} here; this step is for: {who}.",
            current_status=current,
            allowed_next_statuses=lifecycle.allowed_targets(current, actor.role),
        )
    return rule


def lock_order_for_seller_order(
    *, actor: Actor, reference: str
) -> tuple[Order, list[SellerOrder], SellerOrder]:
    """Lock the order, then all its seller orders by id (the house lock order), and pick one.

    Not the sellers: a seller's row is not what its orders' actions must serialise on (and every
    order's insert key-shares it). What does need serialising, the seller's available balance, is
    locked by the ledger when money moves (``ledger.services``, docs/architecture.md).

    The seller order must be visible to the actor, else it does not exist for them.
    """
    visible = SellerOrder.objects.filter(
        seller_order_reference_scope(actor=actor, reference=reference)
    )
    order = (
        Order.objects.select_for_update(no_key=True)
        .filter(pk__in=visible.values("order_id"))
        .first()
    )
    if order is None:
        raise NotFound(f"No seller order {reference}.")
    seller_orders = list(
        SellerOrder.objects.select_for_update(no_key=True, of=("self",))
        .filter(order=order)
        .select_related("seller")
        .order_by("id")
    )
    target = next(so for so in seller_orders if so.reference == reference.upper())
    return order, seller_orders, target


def move_seller_order(
    *,
    order: Order,
    seller_order: SellerOrder,
    target: str,
    actor: Actor,
    note: str = "",
    details: dict[str, Any] | None = None,
    extra_fields: tuple[str, ...] = (),
) -> OrderEvent:
    """Change a seller order's fulfilment status; returns the (unsaved) timeline event."""
    check_transition(FULFILMENT, current=seller_order.status, target=target, actor=actor)
    previous = seller_order.status
    seller_order.status = target
    fields = ["status", "updated_at", *extra_fields]
    if target in REACHED_AT:
        setattr(seller_order, REACHED_AT[target], clock.now())
        fields.append(REACHED_AT[target])
    seller_order.save(update_fields=fields)
    if target == FulfilmentStatus.COMPLETED:
        # Every way a sale completes (buyer, owner, the auto-complete job) makes its money
        # available to the seller in the same transaction.
        ledger_post_completion(order=order, seller_order=seller_order)
    return status_changed_event(
        order=order,
        seller_order=seller_order,
        actor=actor,
        from_status=previous,
        to_status=target,
        note=note,
        details=details,
    )


def refresh_order_status(order: Order, seller_orders: list[SellerOrder]) -> bool:
    """Re-derive the order's status from its (locked) seller orders; True if it changed."""
    derived = derive_order_status(so.status for so in seller_orders)
    if derived == order.status:
        return False
    order.status = derived
    order.save(update_fields=["status", "updated_at"])
    return True


def move_payment(
    *,
    order: Order,
    target: str,
    actor: Actor,
    kind: str,
    message: str,
    details: dict[str, Any],
    seller_orders: list[SellerOrder],
) -> OrderEvent:
    """Change an order's payment status (the caller saves the order); returns the unsaved
    timeline event. The only way a payment status moves, so the report's counts of the order
    and of its parts (``seller_orders``, which every caller holds locked) move here too."""
    check_transition(PAYMENT, current=order.payment_status, target=target, actor=actor)
    previous = order.payment_status
    order.payment_status = target
    tally_payment_moved(order=order, previous=previous, target=target, seller_orders=seller_orders)
    return payment_status_event(
        order=order,
        actor=actor,
        kind=kind,
        from_status=previous,
        to_status=target,
        message=message,
        details=details,
    )


def release_stock(lines: list[OrderLine]) -> None:
    """Give the quantities still to ship back to their listings, locking listings in id order.

    Units already canceled by line are left out: a line cancellation put back what it could.
    """
    for line in sorted(lines, key=lambda line: line.listing_id):
        quantity = line.quantity_to_ship
        if quantity:
            Listing.objects.filter(pk=line.listing_id).update(
                stock_quantity=F("stock_quantity") + quantity
            )
