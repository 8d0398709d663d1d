"""Refunds, refund requests and goodwill codes as the API shows them, as JSON-ready dicts.

The same shapes go into outbox events (viewer: system). Buyers never see commission or the
provider's references; actions list what the viewer may do now, from the lifecycle table.
"""

from __future__ import annotations

from typing import Any

from tradepost.attachments.representation import attachment_data
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.clock import iso_or_none
from tradepost.payments.events import discount_text
from tradepost.payments.models import DiscountCode, Refund, RefundRequest
from tradepost.payments.status import REFUND_REQUEST


def refund_data(refund: Refund, viewer: Actor) -> dict[str, Any]:
    """Reads ``seller_order__order``, ``lines__line``, ``proofs``, ``discount_codes``, ``request``
    (prefetch them for lists: payments.selectors does)."""
    seller_order = refund.seller_order
    data: dict[str, Any] = {
        "id": str(refund.public_id),
        "order": seller_order.order.number,
        "seller_order": seller_order.reference,
        "amount": refund.amount,
        "currency": refund.currency,
        "reason": refund.reason,
        "note": refund.note,
        "lines": [
            {
                "sku": item.line.sku,
                "title": item.line.title,
                "quantity": item.quantity,
                "amount": item.amount,
                "quantity_restocked": item.quantity_restocked,
            }
            for item in refund.lines.all()
        ],
        "shipping_share_amount": refund.shipping_share_amount,
        "tax_share_amount": refund.tax_share_amount,
        "policy_override_note": refund.policy_override_note,
        "refund_request_id": str(refund.request.public_id) if refund.request else None,
        "proofs": [attachment_data(proof) for proof in refund.proofs.all()],
        "discount_codes": [
            discount_code_data(code, viewer) for code in refund.discount_codes.all()
        ],
        "created_at": iso_or_none(refund.created_at),
    }
    if viewer.role is not Role.BUYER:
        data |= {
            "commission_reversed_amount": refund.commission_reversed_amount,
            "provider": refund.provider,
            "provider_reference": refund.provider_reference,
        }
    return data


def refund_request_data(request: RefundRequest, viewer: Actor) -> dict[str, Any]:
    """Reads ``seller_order__order``, ``lines__line``, ``proofs`` and the refund it led to."""
    seller_order = request.seller_order
    refund = getattr(request, "refund", None)
    return {
        "id": str(request.public_id),
        "order": seller_order.order.number,
        "seller_order": seller_order.reference,
        "status": request.status,
        "reason": request.reason,
        "note": request.note,
        "amount": request.amount,
        "lines": [
            {"sku": item.line.sku, "title": item.line.title, "quantity": item.quantity}
            for item in request.lines.all()
        ],
        "proofs": [attachment_data(proof) for proof in request.proofs.all()],
        "requested_at": iso_or_none(request.created_at),
        "decided_at": iso_or_none(request.decided_at),
        "decided_by_role": request.decided_by_role or None,
        "decision_note": request.decision_note,
        "refund": refund_data(refund, viewer) if refund is not None else None,
        "actions": []
        if viewer.role is Role.SYSTEM
        else REFUND_REQUEST.actions_for(request.status, viewer.role),
    }


def discount_code_status(code: DiscountCode) -> str:
    if code.redeemed_at is not None:
        return "redeemed"
    return "expired" if code.expires_at <= clock.now() else "active"


def discount_code_data(code: DiscountCode, viewer: Actor) -> dict[str, Any]:
    """Reads ``seller`` and ``seller_order``."""
    return {
        "code": code.code,
        "status": discount_code_status(code),
        "kind": code.kind,
        "amount_off": code.amount_off,
        "currency": code.currency or None,
        "percent_off": code.percent_off,
        "seller": code.seller.slug if code.seller else None,
        "applies_to": discount_text(code),
        "expires_at": iso_or_none(code.expires_at),
        "redeemed_at": iso_or_none(code.redeemed_at),
        "seller_order": code.seller_order.reference,
        "note": code.note,
        "issued_by_role": code.issued_by_role,
        "created_at": iso_or_none(code.created_at),
    }
