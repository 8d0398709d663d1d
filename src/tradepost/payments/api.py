"""Payments API: record a provider's result, retry after a failure; refunds, buyers' refund
requests and goodwill discount codes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router

from tradepost.accounts.auth import request_actor
from tradepost.core.actors import Actor
from tradepost.core.errors import ValidationFailed
from tradepost.core.schemas import READ_ERRORS, WRITE_ERRORS
from tradepost.orders.representation import order_data
from tradepost.orders.schemas import OrderOut
from tradepost.payments import discounts, refund_requests, refunds, selectors, services
from tradepost.payments.discounts import GoodwillCode
from tradepost.payments.refund_lines import LineQuantity
from tradepost.payments.representation import (
    discount_code_data,
    refund_data,
    refund_request_data,
)
from tradepost.payments.schemas import (
    DiscountCodeCreateIn,
    DiscountCodeListQuery,
    DiscountCodeOut,
    DiscountCodePageOut,
    GoodwillCodeIn,
    LineQuantityIn,
    PaymentIn,
    RefundCreateIn,
    RefundListQuery,
    RefundOut,
    RefundPageOut,
    RefundRequestApproveIn,
    RefundRequestCreateIn,
    RefundRequestDeclineIn,
    RefundRequestListQuery,
    RefundRequestOut,
    RefundRequestPageOut,
)

router = Router(tags=["payments"])


@router.post("/orders/{number}/payments", response={200: OrderOut, **WRITE_ERRORS})
def record_payment(request: HttpRequest, number: str, payload: PaymentIn) -> dict[str, Any]:
    """Owner: record a payment attempt's result. Success starts fulfilment for every seller."""
    actor = request_actor(request)
    report = services.PaymentReport(
        provider=payload.provider,
        reference=payload.reference,
        amount=payload.amount,
        succeeded=payload.status == "succeeded",
        currency=payload.currency,
        failure_reason=payload.failure_reason,
    )
    return order_data(services.payment_record(actor=actor, number=number, report=report), actor)


@router.post("/orders/{number}/payments/retry", response={200: OrderOut, **WRITE_ERRORS})
def retry_payment(request: HttpRequest, number: str) -> dict[str, Any]:
    """Buyer or owner: after a failed payment, wait for a new attempt."""
    actor = request_actor(request)
    return order_data(services.payment_retry(actor=actor, number=number), actor)


def _key(request: HttpRequest, actor: Actor) -> str:
    """The caller's Idempotency-Key, scoped to the caller, for the service's own replay check."""
    key = request.headers.get("Idempotency-Key", "")
    return f"api:{actor.user_id}:{key}" if key else ""


def _lines(lines: list[LineQuantityIn] | None) -> list[LineQuantity] | None:
    return None if lines is None else [LineQuantity(line.sku, line.quantity) for line in lines]


def _goodwill(code: GoodwillCodeIn | None) -> GoodwillCode | None:
    return None if code is None else GoodwillCode(**code.model_dump())


@router.post(
    "/seller-orders/{reference}/refunds",
    response={201: RefundOut, **WRITE_ERRORS},
    tags=["refunds"],
)
def create_refund(
    request: HttpRequest, reference: str, payload: RefundCreateIn
) -> tuple[int, dict[str, Any]]:
    """Owner: refund a shipped, delivered or completed seller order, in full or in part: by
    ``amount``, or by ``lines`` (their share of items, shipping and tax; ``restock`` puts them
    back on sale). Outside the refund window, say why in ``policy_override_note``. A
    ``discount_code`` gives the buyer a goodwill code with it."""
    _one_size(payload)
    actor = request_actor(request)
    refund = refunds.refund_create(
        actor=actor,
        reference=reference,
        reason=payload.reason,
        amount=payload.amount,
        lines=_lines(payload.lines),
        note=payload.note,
        restock=payload.restock,
        attachment_ids=payload.attachment_ids,
        policy_override_note=payload.policy_override_note,
        goodwill=_goodwill(payload.discount_code),
        idempotency_key=_key(request, actor),
    )
    return 201, refund_data(refund, actor)


@router.get("/refunds", response={200: RefundPageOut, **READ_ERRORS}, tags=["refunds"])
def list_refunds(request: HttpRequest, query: Query[RefundListQuery]) -> dict[str, Any]:
    """Refunds you may see, newest first; filter by order, seller order or reason."""
    actor = request_actor(request)
    page = selectors.refund_list(
        actor=actor,
        order=query.order,
        seller_order=query.seller_order,
        reason=query.reason,
        limit=query.limit,
        cursor=query.cursor,
    )
    return {"items": [refund_data(r, actor) for r in page.items], "next_cursor": page.next_cursor}


@router.get("/refunds/{refund_id}", response={200: RefundOut, **READ_ERRORS}, tags=["refunds"])
def get_refund(request: HttpRequest, refund_id: UUID) -> dict[str, Any]:
    actor = request_actor(request)
    return refund_data(selectors.refund_get(actor=actor, refund_id=refund_id), actor)


@router.post(
    "/seller-orders/{reference}/refund-requests",
    response={201: RefundRequestOut, **WRITE_ERRORS},
    tags=["refunds"],
)
def create_refund_request(
    request: HttpRequest, reference: str, payload: RefundRequestCreateIn
) -> tuple[int, dict[str, Any]]:
    """Buyer: ask for a refund of a shipped, delivered or completed seller order, with photos or
    videos uploaded to ``POST /attachments``. The refund policy is checked: a 422 names every
    rule the request misses (``reason``, ``attachment_ids``, ``refund_window``)."""
    _one_size(payload)
    actor = request_actor(request)
    created = refund_requests.refund_request_create(
        actor=actor,
        reference=reference,
        reason=payload.reason,
        note=payload.note,
        amount=payload.amount,
        lines=_lines(payload.lines),
        attachment_ids=payload.attachment_ids,
    )
    return 201, refund_request_data(created, actor)


@router.get(
    "/refund-requests", response={200: RefundRequestPageOut, **READ_ERRORS}, tags=["refunds"]
)
def list_refund_requests(
    request: HttpRequest, query: Query[RefundRequestListQuery]
) -> dict[str, Any]:
    """Refund requests you may see, newest first; ``status=requested`` is the seller's to-do."""
    actor = request_actor(request)
    page = selectors.refund_request_list(
        actor=actor,
        status=query.status,
        seller_order=query.seller_order,
        limit=query.limit,
        cursor=query.cursor,
    )
    items = [refund_request_data(item, actor) for item in page.items]
    return {"items": items, "next_cursor": page.next_cursor}


@router.get(
    "/refund-requests/{request_id}",
    response={200: RefundRequestOut, **READ_ERRORS},
    tags=["refunds"],
)
def get_refund_request(request: HttpRequest, request_id: str) -> dict[str, Any]:
    actor = request_actor(request)
    return refund_request_data(
        selectors.refund_request_get(actor=actor, request_id=request_id), actor
    )


@router.post(
    "/refund-requests/{request_id}/approve",
    response={200: RefundRequestOut, **WRITE_ERRORS},
    tags=["refunds"],
)
def approve_refund_request(
    request: HttpRequest, request_id: str, payload: RefundRequestApproveIn
) -> dict[str, Any]:
    """Seller or owner: grant the request; the refund is issued as asked."""
    actor = request_actor(request)
    approved = refund_requests.refund_request_approve(
        actor=actor,
        request_id=request_id,
        note=payload.note,
        restock=payload.restock,
        goodwill=_goodwill(payload.discount_code),
    )
    return refund_request_data(approved, actor)


@router.post(
    "/refund-requests/{request_id}/decline",
    response={200: RefundRequestOut, **WRITE_ERRORS},
    tags=["refunds"],
)
def decline_refund_request(
    request: HttpRequest, request_id: str, payload: RefundRequestDeclineIn
) -> dict[str, Any]:
    """Seller or owner: turn the request down, with a reason the buyer sees."""
    actor = request_actor(request)
    declined = refund_requests.refund_request_decline(
        actor=actor, request_id=request_id, reason=payload.reason
    )
    return refund_request_data(declined, actor)


@router.post(
    "/discount-codes", response={201: DiscountCodeOut, **WRITE_ERRORS}, tags=["discount codes"]
)
def create_discount_code(
    request: HttpRequest, payload: DiscountCodeCreateIn
) -> tuple[int, dict[str, Any]]:
    """Owner or seller: give the buyer of a seller order a one-use code for a next order."""
    actor = request_actor(request)
    goodwill = GoodwillCode(**payload.model_dump(exclude={"seller_order", "refund_id"}))
    code = discounts.discount_code_issue(
        actor=actor, reference=payload.seller_order, goodwill=goodwill, refund_id=payload.refund_id
    )
    return 201, discount_code_data(code, actor)


@router.get(
    "/discount-codes", response={200: DiscountCodePageOut, **READ_ERRORS}, tags=["discount codes"]
)
def list_discount_codes(
    request: HttpRequest, query: Query[DiscountCodeListQuery]
) -> dict[str, Any]:
    """Codes you may see: a buyer's own, those a seller gave, every code for the owner."""
    actor = request_actor(request)
    page = selectors.discount_code_list(
        actor=actor, seller_order=query.seller_order, limit=query.limit, cursor=query.cursor
    )
    items = [discount_code_data(code, actor) for code in page.items]
    return {"items": items, "next_cursor": page.next_cursor}


def _one_size(payload: RefundCreateIn | RefundRequestCreateIn) -> None:
    """Exactly one of ``amount``, ``lines`` or ``full: true``: leaving both out no longer means
    "everything", so a misspelt ``ammount`` (refused anyway) or a dropped field cannot refund it."""
    given = [
        name
        for name, value in (("amount", payload.amount), ("lines", payload.lines))
        if value is not None
    ] + (["full"] if payload.full else [])
    if not given:
        raise ValidationFailed(
            "amount", 'is required: give an amount, lines, or "full": true for everything left'
        )
    if len(given) > 1:
        raise ValidationFailed(given[1], f"goes alone: {given[0]} is given too")
