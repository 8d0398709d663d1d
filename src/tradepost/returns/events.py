"""Timeline rows and outbox events for returns.

Rows go on the order's timeline (``orders.events.timeline_event``), tied to the seller order, and
come back unsaved so a service writes all of a change's rows in one statement. Every step
publishes ``return.<status>`` with the return as the API shows it.
"""

from __future__ import annotations

from typing import Any

from tradepost.core.actors import Actor
from tradepost.core.models import OutboxEvent
from tradepost.core.outbox import outbox_event
from tradepost.orders.events import timeline_event
from tradepost.orders.models import Order, OrderEvent
from tradepost.returns.models import ReturnRequest
from tradepost.returns.status import RETURN, ReturnStatus

# The outbox event type for a return reaching each status.
EVENT_TYPES: dict[str, str] = {status: f"return.{status}" for status in ReturnStatus.values}


def _words(value: str) -> str:
    return value.replace("_", " ")


def units_text(items: list[tuple[str, int]]) -> str:
    """``2 x MUG, 1 x BOWL``."""
    return ", ".join(f"{quantity} x {sku}" for sku, quantity in items)


def return_requested_event(
    *, order: Order, ret: ReturnRequest, actor: Actor, items: list[tuple[str, int]]
) -> OrderEvent:
    return timeline_event(
        order=order,
        seller_order=ret.seller_order,
        actor=actor,
        kind="return.requested",
        field=RETURN.field,
        to_status=ret.status,
        message=(
            f"{ret.seller_order.reference}: return requested for {units_text(items)} "
            f"({_words(ret.reason)})."
        )[:500],
        details={
            "return_id": str(ret.public_id),
            "reason": ret.reason,
            "note": ret.note,
            "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in items],
            "proofs": ret.proofs.count(),
        },
    )


def return_policy_overridden_event(
    *, order: Order, ret: ReturnRequest, actor: Actor, rules: list[str]
) -> OrderEvent:
    return timeline_event(
        order=order,
        seller_order=ret.seller_order,
        actor=actor,
        kind="return_policy.overridden",
        message=(
            f"{ret.seller_order.reference}: return opened outside the refund policy. "
            f"Note: {ret.policy_override_note}"
        )[:500],
        details={
            "return_id": str(ret.public_id),
            "note": ret.policy_override_note,
            "policy_rules": rules,
        },
    )


def return_moved_event(
    *,
    order: Order,
    ret: ReturnRequest,
    actor: Actor,
    previous: str,
    note: str = "",
    details: dict[str, Any] | None = None,
) -> OrderEvent:
    """A return's step from ``previous`` to its status now, with what the step said."""
    message = f"{ret.seller_order.reference}: return {_words(ret.status)}."
    return timeline_event(
        order=order,
        seller_order=ret.seller_order,
        actor=actor,
        kind=EVENT_TYPES[ret.status],
        field=RETURN.field,
        from_status=previous,
        to_status=ret.status,
        message=f"{message} {note}".strip()[:500],
        details={"return_id": str(ret.public_id), **(details or {})},
    )


def return_outbox_event(*, order: Order, ret: ReturnRequest, data: dict[str, Any]) -> OutboxEvent:
    return outbox_event(
        type=EVENT_TYPES[ret.status],
        order_number=order.number,
        seller_ids=[ret.seller_id],
        data={"return": data},
    )
