"""Reads of webhook endpoints and their delivery log, scoped to the actor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound
from tradepost.core.pagination import Page, paginate
from tradepost.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoints_visible_to(actor: Actor) -> QuerySet[WebhookEndpoint]:
    """The owner sees every endpoint; a seller its own; a buyer none."""
    endpoints = WebhookEndpoint.objects.select_related("seller")
    if actor.role is Role.SELLER:
        return endpoints.filter(seller_id=actor.seller_pk)
    if actor.role in (Role.OWNER, Role.SYSTEM):
        return endpoints
    return endpoints.none()


def _uuid(value: UUID | str, what: str) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        raise NotFound(f"No {what} {value}.") from None


def endpoint_get(*, actor: Actor, endpoint_id: UUID | str) -> WebhookEndpoint:
    public_id = _uuid(endpoint_id, "webhook endpoint")
    endpoint = endpoints_visible_to(actor).filter(public_id=public_id).first()
    if endpoint is None:
        raise NotFound(f"No webhook endpoint {endpoint_id}.")
    return endpoint


def endpoint_list(*, actor: Actor) -> list[WebhookEndpoint]:
    return list(endpoints_visible_to(actor).order_by("-created_at", "-id"))


@dataclass(frozen=True)
class DeliveryFilters:
    endpoint: UUID | None = None
    status: str = ""
    event_type: str = ""
    created_from: datetime | None = None
    created_to: datetime | None = None


def deliveries_visible_to(actor: Actor) -> QuerySet[WebhookDelivery]:
    # The log shows the event's order number, never its payload: leave the JSON in the table.
    deliveries = WebhookDelivery.objects.defer("event__data")
    if actor.role in (Role.OWNER, Role.SYSTEM):
        return deliveries
    return deliveries.filter(endpoint__in=endpoints_visible_to(actor))


def delivery_list(
    *, actor: Actor, filters: DeliveryFilters, limit: int, cursor: str | None
) -> Page[WebhookDelivery]:
    """The delivery log, newest first, with each delivery's attempts (three queries)."""
    deliveries = deliveries_visible_to(actor).select_related("endpoint", "event")
    if filters.endpoint:
        deliveries = deliveries.filter(endpoint__public_id=filters.endpoint)
    if filters.status:
        deliveries = deliveries.filter(status=filters.status)
    if filters.event_type:
        deliveries = deliveries.filter(event_type=filters.event_type)
    if filters.created_from:
        deliveries = deliveries.filter(created_at__gte=filters.created_from)
    if filters.created_to:
        deliveries = deliveries.filter(created_at__lt=filters.created_to)
    attempts = WebhookAttempt.objects.order_by("attempted_at", "id")
    deliveries = deliveries.prefetch_related(Prefetch("attempts", queryset=attempts))
    return paginate(deliveries, sort="-created_at", limit=limit, cursor=cursor)


def delivery_get(*, actor: Actor, delivery_id: UUID | str) -> WebhookDelivery:
    public_id = _uuid(delivery_id, "webhook delivery")
    delivery = (
        deliveries_visible_to(actor)
        .select_related("endpoint", "event")
        .prefetch_related(
            Prefetch("attempts", queryset=WebhookAttempt.objects.order_by("attempted_at", "id"))
        )
        .filter(public_id=public_id)
        .first()
    )
    if delivery is None:
        raise NotFound(f"No webhook delivery {delivery_id}.")
    return delivery
