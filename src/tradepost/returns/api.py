"""Returns API: the buyer's request with proof, the seller's or owner's decision, the parcel
back, and the outcome after inspection (a refund of the lines, or a replacement parcel)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from tradepost.accounts.auth import request_actor
from tradepost.core.schemas import READ_ERRORS, WRITE_ERRORS
from tradepost.payments.refund_lines import LineQuantity
from tradepost.returns import outcomes, services
from tradepost.returns.lifecycle_table import return_lifecycle_table
from tradepost.returns.models import ReturnRequest
from tradepost.returns.representation import return_data
from tradepost.returns.schemas import (
    ReturnAuthorizeIn,
    ReturnCreateIn,
    ReturnDeclineIn,
    ReturnExchangeIn,
    ReturnLifecycleOut,
    ReturnListQuery,
    ReturnNoteIn,
    ReturnOut,
    ReturnPageOut,
    ReturnRefundIn,
    ReturnShipBackIn,
)
from tradepost.returns.selectors import return_get, return_list

router = Router(tags=["returns"])
RESPONSES = {200: ReturnOut, **WRITE_ERRORS}


def _shown(request: HttpRequest, ret: ReturnRequest) -> dict[str, Any]:
    return return_data(ret, request_actor(request))


@router.post("/seller-orders/{reference}/returns", response={201: ReturnOut, **WRITE_ERRORS})
def create_return(
    request: HttpRequest, reference: str, payload: ReturnCreateIn
) -> tuple[int, dict[str, Any]]:
    """Buyer: ask to send back units that reached you, for a damaged, wrong or not-as-described
    item, with proof uploaded to ``POST /attachments``. The refund policy is checked: a 422 names
    every rule missed. The owner may open one for the buyer, outside the policy with
    ``policy_override_note``."""
    created = services.return_request_create(
        actor=request_actor(request),
        reference=reference,
        reason=payload.reason,
        lines=[LineQuantity(line.sku, line.quantity) for line in payload.lines],
        note=payload.note,
        attachment_ids=payload.attachment_ids,
        policy_override_note=payload.policy_override_note,
    )
    return 201, _shown(request, created)


@router.get("/returns", response={200: ReturnPageOut, **READ_ERRORS})
def list_returns(request: HttpRequest, query: Query[ReturnListQuery]) -> dict[str, Any]:
    """Returns you may see, newest first; filter by status (repeatable), order or seller order."""
    actor = request_actor(request)
    page = return_list(
        actor=actor,
        status=query.status,
        order=query.order,
        seller_order=query.seller_order,
        limit=query.limit,
        cursor=query.cursor,
    )
    return {"items": [return_data(r, actor) for r in page.items], "next_cursor": page.next_cursor}


@router.get("/returns/lifecycle", response=ReturnLifecycleOut, auth=None, tags=["lifecycle"])
def return_lifecycle(request: HttpRequest) -> dict[str, Any]:
    """The return table: every status with its meaning, every step and who may take it."""
    return return_lifecycle_table()


@router.get("/returns/{return_id}", response={200: ReturnOut, **READ_ERRORS})
def get_return(request: HttpRequest, return_id: str) -> dict[str, Any]:
    return _shown(request, return_get(actor=request_actor(request), return_id=return_id))


@router.post("/returns/{return_id}/authorize", response=RESPONSES)
def authorize_return(
    request: HttpRequest, return_id: str, payload: ReturnAuthorizeIn
) -> dict[str, Any]:
    """Seller or owner: accept the return, with the address to send it to and instructions; a
    prepaid label's carrier and tracking are optional."""
    authorized = services.return_authorize(
        actor=request_actor(request),
        return_id=return_id,
        return_address=payload.return_address,
        instructions=payload.instructions,
        label=services.ReturnParcel(
            payload.return_carrier, payload.return_tracking_number, payload.return_tracking_url
        ),
    )
    return _shown(request, authorized)


@router.post("/returns/{return_id}/decline", response=RESPONSES)
def decline_return(
    request: HttpRequest, return_id: str, payload: ReturnDeclineIn
) -> dict[str, Any]:
    """Seller or owner: turn the return down, with a reason the buyer sees."""
    declined = services.return_decline(
        actor=request_actor(request), return_id=return_id, reason=payload.reason
    )
    return _shown(request, declined)


@router.post("/returns/{return_id}/ship-back", response=RESPONSES)
def ship_back_return(
    request: HttpRequest, return_id: str, payload: ReturnShipBackIn
) -> dict[str, Any]:
    """Buyer: the items are on their way back, with this carrier and tracking."""
    sent = services.return_ship_back(
        actor=request_actor(request),
        return_id=return_id,
        parcel=services.ReturnParcel(
            payload.carrier, payload.tracking_number, payload.tracking_url
        ),
    )
    return _shown(request, sent)


@router.post("/returns/{return_id}/receive", response=RESPONSES)
def receive_return(request: HttpRequest, return_id: str, payload: ReturnNoteIn) -> dict[str, Any]:
    """Seller or owner: the returned items arrived."""
    received = services.return_receive(
        actor=request_actor(request), return_id=return_id, note=payload.note
    )
    return _shown(request, received)


@router.post("/returns/{return_id}/refund", response=RESPONSES)
def refund_return(request: HttpRequest, return_id: str, payload: ReturnRefundIn) -> dict[str, Any]:
    """Seller or owner: inspected; refund the returned lines (their share of items, shipping and
    tax), optionally putting them back on sale."""
    refunded = outcomes.return_refund(
        actor=request_actor(request),
        return_id=return_id,
        inspection=outcomes.Inspection(payload.inspection_note, restock=payload.restock),
    )
    return _shown(request, refunded)


@router.post("/returns/{return_id}/exchange", response=RESPONSES)
def exchange_return(
    request: HttpRequest, return_id: str, payload: ReturnExchangeIn
) -> dict[str, Any]:
    """Seller or owner: inspected; ship the same units again, with the new parcel's tracking."""
    exchanged = outcomes.return_exchange(
        actor=request_actor(request),
        return_id=return_id,
        inspection=outcomes.Inspection(payload.inspection_note),
        parcel=services.ReturnParcel(
            payload.carrier, payload.tracking_number, payload.tracking_url
        ),
    )
    return _shown(request, exchanged)


@router.post("/returns/{return_id}/withdraw", response=RESPONSES)
def withdraw_return(request: HttpRequest, return_id: str, payload: ReturnNoteIn) -> dict[str, Any]:
    """Buyer: call the return off, before the items are received."""
    withdrawn = services.return_withdraw(
        actor=request_actor(request), return_id=return_id, note=payload.note
    )
    return _shown(request, withdrawn)
