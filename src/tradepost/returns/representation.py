"""Returns as the API shows them, as JSON-ready dicts; outbox events carry the same shape.

Nothing here names the buyer beyond the order number, so a seller reading a return learns no
contact detail. ``actions`` lists what the viewer may do now, from the lifecycle table.
"""

from __future__ import annotations

from typing import Any

from tradepost.attachments.representation import attachment_data
from tradepost.core.actors import Actor, Role
from tradepost.core.clock import iso_or_none
from tradepost.orders.representation import shipment_data
from tradepost.payments.representation import refund_data
from tradepost.returns.models import ReturnRequest
from tradepost.returns.status import RETURN


def return_actions(ret: ReturnRequest, viewer: Actor) -> list[str]:
    if viewer.role is Role.SYSTEM:
        return []  # webhook payloads carry no caller-specific actions
    return RETURN.actions_for(ret.status, viewer.role)


def return_data(ret: ReturnRequest, viewer: Actor) -> dict[str, Any]:
    """Reads what ``returns.selectors.returns_with_details`` prefetches."""
    seller_order = ret.seller_order
    refund = ret.refund
    replacement = ret.replacement
    return {
        "id": str(ret.public_id),
        "order": seller_order.order.number,
        "seller_order": seller_order.reference,
        "seller": {"slug": ret.seller.slug, "name": ret.seller.name},
        "status": ret.status,
        "reason": ret.reason,
        "note": ret.note,
        "lines": [
            {
                "sku": item.line.sku,
                "title": item.line.title,
                "quantity": item.quantity,
                "unit_price_amount": item.line.unit_price_amount,
            }
            for item in ret.lines.all()
        ],
        "proofs": [attachment_data(proof) for proof in ret.proofs.all()],
        "requested_by_role": ret.requested_by_role,
        "policy_override_note": ret.policy_override_note,
        "return_address": ret.return_address,
        "instructions": ret.instructions,
        "return_carrier": ret.return_carrier,
        "return_tracking_number": ret.return_tracking_number,
        "return_tracking_url": ret.return_tracking_url,
        "decline_reason": ret.decline_reason,
        "withdraw_note": ret.withdraw_note,
        "received_note": ret.received_note,
        "inspection_note": ret.inspection_note,
        "restocked": ret.restocked,
        "requested_at": iso_or_none(ret.created_at),
        "authorized_at": iso_or_none(ret.authorized_at),
        "shipped_back_at": iso_or_none(ret.shipped_back_at),
        "received_at": iso_or_none(ret.received_at),
        "closed_at": iso_or_none(ret.closed_at),
        "decided_by_role": ret.decided_by_role or None,
        "refund": refund_data(refund, viewer) if refund is not None else None,
        "replacement": shipment_data(replacement) if replacement is not None else None,
        "actions": return_actions(ret, viewer),
    }
