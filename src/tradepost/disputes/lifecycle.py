"""The one way a case's status changes, and the locks every dispute service takes first.

Locks follow the house order: the order, then its seller orders by id (``orders.lifecycle``), then
lines and refunds where a service touches them, then the case, then its chargeback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from tradepost.catalog.selectors import marketplace_get
from tradepost.core import clock
from tradepost.core.actors import SYSTEM, Actor
from tradepost.core.errors import NotFound
from tradepost.core.outbox import publish
from tradepost.disputes.events import case_status_event, dispute_outbox_event
from tradepost.disputes.models import Case, Chargeback
from tradepost.disputes.representation import case_summary, chargeback_data
from tradepost.disputes.selectors import cases_visible_to, chargebacks_visible_to
from tradepost.disputes.status import CASE, CaseStatus
from tradepost.orders.events import STATUS_EVENT_TYPES, order_outbox_event
from tradepost.orders.lifecycle import (
    check_transition,
    lock_order_for_seller_order,
    refresh_order_status,
)
from tradepost.orders.models import Order, OrderEvent, SellerOrder
from tradepost.orders.representation import order_data
from tradepost.orders.selectors import order_bundle
from tradepost.orders.status import FulfilmentStatus


@dataclass
class LockedCase:
    order: Order
    seller_orders: list[SellerOrder]
    seller_order: SellerOrder
    case: Case


def due_after(status: str, *, now: datetime | None = None) -> datetime | None:
    """When the step that starts now is due: every step but the last gets the response hours."""
    if status == CaseStatus.CLOSED:
        return None
    hours = marketplace_get().dispute_response_hours
    return (now or clock.now()) + timedelta(hours=hours)


def lock_case(*, actor: Actor, case_id: UUID | str) -> LockedCase:
    """Lock the case's order and seller orders, then the case; 404 outside the actor's scope."""
    reference = (
        cases_visible_to(actor)
        .filter(public_id=case_id)
        .values_list("seller_order__reference", flat=True)
        .first()
    )
    if reference is None:
        raise NotFound(f"No dispute {case_id}.")
    order, seller_orders, seller_order = lock_order_for_seller_order(
        actor=actor, reference=reference
    )
    case = Case.objects.select_for_update(no_key=True).get(public_id=case_id)
    # The locked rows, so reading them costs no query and shows what this transaction wrote.
    case.order, case.seller_order, case.seller = order, seller_order, seller_order.seller
    return LockedCase(order, seller_orders, seller_order, case)


def lock_chargeback(*, actor: Actor, chargeback_id: UUID | str) -> tuple[LockedCase, Chargeback]:
    """Lock as ``lock_case`` does for the chargeback's case, then the chargeback itself."""
    case_id = (
        chargebacks_visible_to(actor)
        .filter(public_id=chargeback_id)
        .values_list("case__public_id", flat=True)
        .first()
    )
    if case_id is None:
        raise NotFound(f"No chargeback {chargeback_id}.")
    locked = lock_case(actor=actor, case_id=case_id)
    chargeback = Chargeback.objects.select_for_update(no_key=True).get(public_id=chargeback_id)
    return locked, chargeback


def move_case(
    *,
    locked: LockedCase,
    target: str,
    actor: Actor,
    note: str = "",
    details: dict[str, Any] | None = None,
) -> OrderEvent:
    """Change the case's status and due time; returns the (unsaved) timeline event."""
    case = locked.case
    rule = check_transition(CASE, current=case.status, target=target, actor=actor)
    previous = case.status
    now = clock.now()
    case.status = target
    case.due_at = due_after(target, now=now)
    fields = ["status", "due_at", "updated_at"]
    if target == CaseStatus.RESOLVED:
        case.resolved_at = now
        fields += ["resolved_at", "outcome"]
    elif target == CaseStatus.CLOSED:
        case.closed_at = now
        fields.append("closed_at")
    case.save(update_fields=fields)
    return case_status_event(
        order=locked.order,
        case=case,
        actor=actor,
        action=rule.action,
        from_status=previous,
        note=note,
        details=details,
    )


def commit_case_change(
    *,
    locked: LockedCase,
    events: list[OrderEvent],
    type: str,
    change: str,
    chargeback: Chargeback | None = None,
    fulfilment_from: str = "",
    context: dict[str, Any] | None = None,
) -> Case:
    """Write the change's timeline rows and publish it, in the caller's transaction.

    Re-derives the order status first (a refund may have ended a seller order); when the seller
    order became refunded since ``fulfilment_from``, its ``order.refunded`` goes out too.
    ``context`` goes into the event for subscribers (who missed an overdue step, say).
    """
    order, seller_order = locked.order, locked.seller_order
    previous = order.status
    if refresh_order_status(order, locked.seller_orders) and events:
        events[-1].details = {
            **events[-1].details,
            "order_status": {"from": previous, "to": order.status},
        }
    OrderEvent.objects.bulk_create(events)
    order_view = order_data(order_bundle(order=order, actor=SYSTEM), SYSTEM)
    case_view = case_summary(locked.case, SYSTEM)
    if chargeback is not None:
        case_view["chargeback"] = chargeback_data(chargeback, SYSTEM)
    outgoing = [
        dispute_outbox_event(
            type=type,
            case=locked.case,
            case_data=case_view,
            order_data=order_view,
            change=change,
            context=context,
        )
    ]
    # A cancellation publishes its own event; a refund that ended the seller order here did not.
    moved = fulfilment_from and seller_order.status != fulfilment_from
    if moved and seller_order.status == FulfilmentStatus.REFUNDED:
        outgoing.append(
            order_outbox_event(
                type=STATUS_EVENT_TYPES[seller_order.status],
                order_data=order_view,
                seller_order=seller_order,
                seller_ids=[seller_order.seller_id],
            )
        )
    publish(*outgoing)
    return locked.case
