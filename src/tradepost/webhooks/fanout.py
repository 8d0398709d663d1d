"""Turn published domain events into webhook deliveries, one per subscribed endpoint."""

from __future__ import annotations

from collections.abc import Sequence

from tradepost.core import clock
from tradepost.core.models import OutboxEvent
from tradepost.webhooks.models import WebhookDelivery, WebhookEndpoint
from tradepost.webhooks.tasks import deliver


def endpoint_receives(endpoint: WebhookEndpoint, event: OutboxEvent) -> bool:
    """The owner's endpoints hear everything; a seller's, only events about its seller orders."""
    in_scope = endpoint.seller_id is None or endpoint.seller_id in (event.seller_ids or [])
    return in_scope and endpoint.subscribes_to(event.type)


def queue_deliveries(events: Sequence[OutboxEvent]) -> None:
    """Called by the outbox dispatcher inside its transaction: deliveries and their tasks commit
    with the events' published mark, or not at all."""
    endpoints = list(WebhookEndpoint.objects.filter(enabled=True))
    if not endpoints:
        return
    now = clock.now()
    deliveries = [
        WebhookDelivery(endpoint=endpoint, event=event, event_type=event.type, next_attempt_at=now)
        for event in events
        for endpoint in endpoints
        if endpoint_receives(endpoint, event)
    ]
    WebhookDelivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        deliver.enqueue(str(delivery.pk))
