"""The event types an endpoint may subscribe to (DESIGN.md's names, those published today)."""

from __future__ import annotations

EVENT_TYPES: tuple[str, ...] = (
    "order.created",
    "order.paid",
    "order.payment_failed",
    "order.processing",
    "order.shipped",
    "order.delivered",
    "order.completed",
    "order.canceled",
    "order.refunded",
    "refund.created",
    "refund_request.created",
    "refund_request.approved",
    "refund_request.declined",
    "order.lines_canceled",
    "discount_code.issued",
    "dispute.opened",
    "dispute.updated",
    "dispute.resolved",
    "message.created",
    "review.created",
)
