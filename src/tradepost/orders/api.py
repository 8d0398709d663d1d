"""Orders API: checkout, read, timeline, and the seller-order actions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from tradepost.accounts.auth import request_actor
from tradepost.core.schemas import READ_ERRORS, WRITE_ERRORS
from tradepost.orders import services
from tradepost.orders.cancellations import line_cancellation_data, seller_order_lines_cancel
from tradepost.orders.checkout import Cart, CartLine, Contact, order_create
from tradepost.orders.lifecycle_table import lifecycle_tables
from tradepost.orders.representation import event_data, order_data, order_summary
from tradepost.orders.schemas import (
    CancelIn,
    CancelLinesIn,
    LifecycleOut,
    LinesCanceledOut,
    OrderCreateIn,
    OrderEventOut,
    OrderListQuery,
    OrderOut,
    OrderPageOut,
    RefundIn,
    ShipIn,
)
from tradepost.orders.selectors import (
    OrderFilters,
    order_get,
    order_list,
    order_timeline,
)
from tradepost.payments.refund_lines import LineQuantity
from tradepost.payments.selectors import order_refund_policy

router = Router(tags=["orders"])


@router.get("/lifecycle", response=LifecycleOut, auth=None, tags=["lifecycle"])
def lifecycle(request: HttpRequest) -> dict[str, Any]:
    """The lifecycle tables: every status with its meaning, every transition and who may take it."""
    return lifecycle_tables()


@router.post("/orders", response={201: OrderOut, **WRITE_ERRORS})
def create_order(request: HttpRequest, payload: OrderCreateIn) -> tuple[int, dict[str, Any]]:
    """Checkout: reserve stock and place an order, split into one seller order per seller,
    less the buyer's goodwill code if ``discount_code`` names one."""
    actor = request_actor(request)
    cart = Cart(
        lines=[CartLine(line.listing_id, line.quantity) for line in payload.lines],
        shipping_address=payload.shipping_address.model_dump(),
        shipping_amounts=payload.shipping_amounts,
        tax_amount=payload.tax_amount,
        contact=Contact(**payload.buyer.model_dump()) if payload.buyer else None,
        discount_code=payload.discount_code or "",
    )
    buyer = getattr(request.api_key.user, "buyer_profile", None)  # type: ignore[attr-defined]
    bundle = order_create(actor=actor, cart=cart, buyer=buyer)
    return 201, order_data(bundle, actor)


@router.get("/orders", response={200: OrderPageOut, **READ_ERRORS})
def list_orders(request: HttpRequest, query: Query[OrderListQuery]) -> dict[str, Any]:
    """Orders you may see: search, filter, sort, and follow ``next_cursor`` for the next page."""
    actor = request_actor(request)
    filters = OrderFilters(
        q=query.q,
        status=list(query.status),
        payment_status=list(query.payment_status),
        seller=query.seller,
        created_from=query.created_from,
        created_to=query.created_to,
        total_min=query.total_min,
        total_max=query.total_max,
        late=query.late,
        part_status=list(query.part_status),
    )
    page = order_list(
        actor=actor, filters=filters, sort=query.sort, limit=query.limit, cursor=query.cursor
    )
    return {
        "items": [order_summary(order, actor) for order in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/orders/{number}", response={200: OrderOut, **READ_ERRORS})
def get_order(request: HttpRequest, number: str) -> dict[str, Any]:
    """The order as you may see it, with the refund policy and each seller order's deadline."""
    actor = request_actor(request)
    bundle = order_get(actor=actor, number=number)
    policy = order_refund_policy(seller_orders=[part.seller_order for part in bundle.seller_orders])
    return order_data(bundle, actor) | {"refund_policy": policy}


@router.get("/orders/{number}/events", response={200: list[OrderEventOut], **READ_ERRORS})
def order_events(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    """The order's timeline, oldest first: who changed what, from which status to which."""
    actor = request_actor(request)
    return [event_data(event, actor) for event in order_timeline(actor=actor, number=number)]


def _seller_order_action(request: HttpRequest, action: Any, **kwargs: Any) -> dict[str, Any]:
    actor = request_actor(request)
    return order_data(action(actor=actor, **kwargs), actor)


@router.post("/seller-orders/{reference}/acknowledge", response={200: OrderOut, **WRITE_ERRORS})
def acknowledge(request: HttpRequest, reference: str) -> dict[str, Any]:
    """Seller or owner: accept a paid (pending) seller order and start processing it."""
    return _seller_order_action(request, services.seller_order_acknowledge, reference=reference)


@router.post("/seller-orders/{reference}/ship", response={200: OrderOut, **WRITE_ERRORS})
def ship(request: HttpRequest, reference: str, payload: ShipIn) -> dict[str, Any]:
    """Seller or owner: record a parcel. The seller order is shipped when nothing is left."""
    parcel = services.Parcel(
        carrier=payload.carrier,
        tracking_number=payload.tracking_number,
        tracking_url=payload.tracking_url,
        lines=None
        if payload.lines is None
        else [services.ParcelLine(line.sku, line.quantity) for line in payload.lines],
    )
    return _seller_order_action(
        request, services.shipment_create, reference=reference, parcel=parcel
    )


@router.post("/seller-orders/{reference}/deliver", response={200: OrderOut, **WRITE_ERRORS})
def deliver(request: HttpRequest, reference: str) -> dict[str, Any]:
    """Seller or owner: the parcels arrived."""
    return _seller_order_action(request, services.seller_order_deliver, reference=reference)


@router.post("/seller-orders/{reference}/complete", response={200: OrderOut, **WRITE_ERRORS})
def complete(request: HttpRequest, reference: str) -> dict[str, Any]:
    """Buyer (or owner): confirm delivery and complete the seller order."""
    return _seller_order_action(request, services.seller_order_complete, reference=reference)


@router.post(
    "/seller-orders/{reference}/confirm-delivery", response={200: OrderOut, **WRITE_ERRORS}
)
def confirm_delivery(request: HttpRequest, reference: str) -> dict[str, Any]:
    """The buyer's name for ``complete``: confirm the parcels arrived."""
    return _seller_order_action(request, services.seller_order_complete, reference=reference)


@router.post("/seller-orders/{reference}/cancel", response={200: OrderOut, **WRITE_ERRORS})
def cancel(request: HttpRequest, reference: str, payload: CancelIn) -> dict[str, Any]:
    """Cancel before shipment with a reason; stock is released and a payment refunded."""
    return _seller_order_action(
        request, services.seller_order_cancel, reference=reference, reason=payload.reason
    )


@router.post("/seller-orders/{reference}/refund", response={200: OrderOut, **WRITE_ERRORS})
def refund(request: HttpRequest, reference: str, payload: RefundIn) -> dict[str, Any]:
    """Owner: refund the rest of a shipped, delivered or completed seller order in full.
    ``POST /seller-orders/{reference}/refunds`` refunds in part."""
    return _seller_order_action(
        request,
        services.seller_order_refund,
        reference=reference,
        reason=payload.reason,
        note=payload.note,
        policy_override_note=payload.policy_override_note,
    )


@router.post(
    "/seller-orders/{reference}/cancel-lines", response={200: LinesCanceledOut, **WRITE_ERRORS}
)
def cancel_lines(request: HttpRequest, reference: str, payload: CancelLinesIn) -> dict[str, Any]:
    """Seller or owner: cancel units not yet shipped (out of stock, say); the buyer is refunded
    for them, and may be offered another listing (also posted in the message thread)."""
    actor = request_actor(request)
    done = seller_order_lines_cancel(
        actor=actor,
        reference=reference,
        lines=[LineQuantity(line.sku, line.quantity) for line in payload.lines],
        reason=payload.reason,
        note=payload.note,
        alternative_listing_id=payload.alternative_listing_id,
    )
    return {
        "cancellation": line_cancellation_data(done.cancellation),
        "refund_id": str(done.refund.public_id) if done.refund else None,
        "order": order_data(done.bundle, actor),
    }
