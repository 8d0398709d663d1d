"""Timeline rows and outbox events for refunds, refund requests and goodwill codes.

Rows come back unsaved, for the service to write with the rest of its change (orders.events has
the order-wide factories these build on).
"""

from __future__ import annotations

from typing import Any

from tradepost.core.actors import Actor
from tradepost.core.models import OutboxEvent
from tradepost.core.money import format_money
from tradepost.core.outbox import outbox_event
from tradepost.orders.events import timeline_event
from tradepost.orders.models import Order, OrderEvent, SellerOrder
from tradepost.payments.models import DiscountCode, Refund, RefundRequest
from tradepost.payments.status import REFUND_REQUEST


def _money(amount: int, order: Order) -> str:
    return format_money(amount, order.currency)


def policy_overridden_event(
    *, order: Order, seller_order: SellerOrder, actor: Actor, note: str, rules: list[str]
) -> OrderEvent:
    return timeline_event(
        order=order,
        seller_order=seller_order,
        actor=actor,
        kind="refund_policy.overridden",
        message=f"{seller_order.reference}: refund outside the refund policy. Note: {note}",
        details={"note": note, "policy_rules": rules},
    )


def refund_requested_event(
    *, order: Order, seller_order: SellerOrder, actor: Actor, request: RefundRequest, what: str
) -> OrderEvent:
    return timeline_event(
        order=order,
        seller_order=seller_order,
        actor=actor,
        kind="refund.requested",
        message=f"{seller_order.reference}: refund requested for {what} ({request.reason}).",
        details={
            "refund_request_id": str(request.public_id),
            "reason": request.reason,
            "note": request.note,
            "amount": request.amount,
            "proofs": request.proofs.count(),
        },
    )


def refund_request_decided_event(
    *, order: Order, seller_order: SellerOrder, actor: Actor, request: RefundRequest, previous: str
) -> OrderEvent:
    verb = "approved" if request.status == "approved" else "declined"
    message = f"{seller_order.reference}: refund request {verb}."
    if request.decision_note:
        message += f" {'Reason' if verb == 'declined' else 'Note'}: {request.decision_note}"
    return timeline_event(
        order=order,
        seller_order=seller_order,
        actor=actor,
        kind=f"refund_request.{verb}",
        field=REFUND_REQUEST.field,
        from_status=previous,
        to_status=request.status,
        message=message[:500],
        details={"refund_request_id": str(request.public_id), "note": request.decision_note},
    )


def discount_code_issued_event(
    *, order: Order, seller_order: SellerOrder, actor: Actor, code: DiscountCode
) -> OrderEvent:
    return timeline_event(
        order=order,
        seller_order=seller_order,
        actor=actor,
        kind="discount_code.issued",
        message=(
            f"{seller_order.reference}: goodwill code {code.code} for the buyer's next order "
            f"({discount_text(code)}, until {code.expires_at:%Y-%m-%d})."
        ),
        details={
            "code": code.code,
            "kind": code.kind,
            "amount_off": code.amount_off,
            "percent_off": code.percent_off,
            "seller": code.seller.slug if code.seller else None,
            "expires_at": code.expires_at.isoformat(),
        },
    )


def discount_text(code: DiscountCode) -> str:
    """``10% off`` or ``$5.00 off``, and whose items it covers."""
    off = (
        f"{code.percent_off}% off"
        if code.percent_off is not None
        else f"{format_money(code.amount_off or 0, code.currency)} off"
    )
    return f"{off} {code.seller.name}'s items" if code.seller else f"{off} any order"


def refund_outbox_event(*, order: Order, refund: Refund, data: dict[str, Any]) -> OutboxEvent:
    return outbox_event(
        type="refund.created",
        order_number=order.number,
        seller_ids=[refund.seller_order.seller_id],
        data={"refund": data},
    )


def refund_request_outbox_event(
    *, type: str, order: Order, request: RefundRequest, data: dict[str, Any]
) -> OutboxEvent:
    return outbox_event(
        type=type,
        order_number=order.number,
        seller_ids=[request.seller_order.seller_id],
        data={"refund_request": data},
    )


def discount_code_outbox_event(
    *, order: Order, code: DiscountCode, data: dict[str, Any]
) -> OutboxEvent:
    # A seller hears of the codes that cost it; the marketplace's own codes are the owner's.
    return outbox_event(
        type="discount_code.issued",
        order_number=order.number,
        seller_ids=[code.seller_id] if code.seller_id else [],
        data={"discount_code": data},
    )
