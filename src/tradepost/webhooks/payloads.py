"""The body an endpoint receives: the event as published, seen through the endpoint's scope."""

from __future__ import annotations

import json
from typing import Any

from tradepost.core.models import OutboxEvent
from tradepost.orders.representation import order_data_as_seller_sees
from tradepost.webhooks.models import WebhookEndpoint

# Sent as the ``tradepost-webhook-version`` header; bumped only for changes that break receivers.
PAYLOAD_VERSION = "1"


def event_payload(event: OutboxEvent, endpoint: WebhookEndpoint) -> dict[str, Any]:
    """``{id, type, created_at, data}``; a seller's endpoint gets the order as it sees it."""
    payload = event.payload()
    data = payload["data"]
    if endpoint.seller is not None and isinstance(data, dict) and "order" in data:
        payload["data"] = {
            **data,
            "order": order_data_as_seller_sees(data["order"], endpoint.seller.slug),
        }
    return payload


def event_body(event: OutboxEvent, endpoint: WebhookEndpoint) -> str:
    return json.dumps(event_payload(event, endpoint), separators=(",", ":"), sort_keys=True)
