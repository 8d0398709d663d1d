"""Webhooks API: endpoints (owner: all; sellers: their own), the delivery log, resend, replay."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router

from tradepost.accounts.auth import request_actor
from tradepost.core.schemas import READ_ERRORS, WRITE_ERRORS
from tradepost.webhooks import selectors, services
from tradepost.webhooks.representation import delivery_data, endpoint_data
from tradepost.webhooks.schemas import (
    DeliveryListQuery,
    DeliveryOut,
    DeliveryPageOut,
    EndpointCreateIn,
    EndpointOut,
    EndpointUpdateIn,
    EndpointWithSecretOut,
    ReplayIn,
    ReplayOut,
)

router = Router(tags=["webhooks"])


@router.post("/webhook-endpoints", response={201: EndpointWithSecretOut, **WRITE_ERRORS})
def create_endpoint(request: HttpRequest, payload: EndpointCreateIn) -> tuple[int, dict[str, Any]]:
    """Register an endpoint. The response carries its signing secret, shown this once."""
    made = services.endpoint_create(
        actor=request_actor(request),
        url=payload.url,
        description=payload.description,
        event_types=list(payload.event_types),
    )
    return 201, endpoint_data(made.endpoint, made.secret)


@router.get("/webhook-endpoints", response={200: list[EndpointOut], **READ_ERRORS})
def list_endpoints(request: HttpRequest) -> list[dict[str, Any]]:
    return [endpoint_data(e) for e in selectors.endpoint_list(actor=request_actor(request))]


@router.get("/webhook-endpoints/{endpoint_id}", response={200: EndpointOut, **READ_ERRORS})
def get_endpoint(request: HttpRequest, endpoint_id: UUID) -> dict[str, Any]:
    actor = request_actor(request)
    return endpoint_data(selectors.endpoint_get(actor=actor, endpoint_id=endpoint_id))


@router.patch("/webhook-endpoints/{endpoint_id}", response={200: EndpointOut, **WRITE_ERRORS})
def update_endpoint(
    request: HttpRequest, endpoint_id: UUID, payload: EndpointUpdateIn
) -> dict[str, Any]:
    """Change the URL, description, event types, or enable / disable the endpoint."""
    endpoint = services.endpoint_update(
        actor=request_actor(request),
        endpoint_id=endpoint_id,
        changes=payload.model_dump(exclude_unset=True, exclude_none=True),
    )
    return endpoint_data(endpoint)


@router.delete("/webhook-endpoints/{endpoint_id}", response={204: None, **WRITE_ERRORS})
def delete_endpoint(request: HttpRequest, endpoint_id: UUID) -> tuple[int, None]:
    services.endpoint_delete(actor=request_actor(request), endpoint_id=endpoint_id)
    return 204, None


@router.post(
    "/webhook-endpoints/{endpoint_id}/rotate-secret",
    response={200: EndpointWithSecretOut, **WRITE_ERRORS},
)
def rotate_secret(request: HttpRequest, endpoint_id: UUID) -> dict[str, Any]:
    """A new secret, shown this once; the previous one keeps signing beside it for 24 hours."""
    made = services.endpoint_rotate_secret(actor=request_actor(request), endpoint_id=endpoint_id)
    return endpoint_data(made.endpoint, made.secret)


@router.post("/webhook-endpoints/{endpoint_id}/replay", response={202: ReplayOut, **WRITE_ERRORS})
def replay(
    request: HttpRequest, endpoint_id: UUID, payload: ReplayIn
) -> tuple[int, dict[str, int]]:
    """Send again every event since a time that this endpoint subscribes to."""
    queued = services.endpoint_replay(
        actor=request_actor(request), endpoint_id=endpoint_id, since=payload.since
    )
    return 202, {"queued": len(queued)}


@router.get("/webhook-deliveries", response={200: DeliveryPageOut, **READ_ERRORS})
def list_deliveries(request: HttpRequest, query: Query[DeliveryListQuery]) -> dict[str, Any]:
    """The delivery log, newest first, with every attempt: status code, latency, response."""
    filters = selectors.DeliveryFilters(
        endpoint=query.endpoint,
        status=query.status or "",
        event_type=query.event_type or "",
        created_from=query.created_from,
        created_to=query.created_to,
    )
    page = selectors.delivery_list(
        actor=request_actor(request), filters=filters, limit=query.limit, cursor=query.cursor
    )
    return {"items": [delivery_data(d) for d in page.items], "next_cursor": page.next_cursor}


@router.get("/webhook-deliveries/{delivery_id}", response={200: DeliveryOut, **READ_ERRORS})
def get_delivery(request: HttpRequest, delivery_id: UUID) -> dict[str, Any]:
    actor = request_actor(request)
    return delivery_data(selectors.delivery_get(actor=actor, delivery_id=delivery_id))


@router.post(
    "/webhook-deliveries/{delivery_id}/resend", response={202: DeliveryOut, **WRITE_ERRORS}
)
def resend(request: HttpRequest, delivery_id: UUID) -> tuple[int, dict[str, Any]]:
    """Send the event once more, as a new delivery with the same webhook-id."""
    actor = request_actor(request)
    delivery = services.delivery_resend(actor=actor, delivery_id=delivery_id)
    return 202, delivery_data(selectors.delivery_get(actor=actor, delivery_id=delivery.public_id))
