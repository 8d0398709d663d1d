"""Webhook endpoints and deliveries as the API (and the dashboard) show them."""

from __future__ import annotations

from typing import Any

from tradepost.core.clock import iso_or_none
from tradepost.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoint_data(endpoint: WebhookEndpoint, secret: str | None = None) -> dict[str, Any]:
    """The secret appears only when it was just made (create, rotate); never when read back."""
    data: dict[str, Any] = {
        "id": str(endpoint.public_id),
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": endpoint.event_types,
        "enabled": endpoint.enabled,
        "disabled_reason": endpoint.disabled_reason,
        "seller": endpoint.seller.slug if endpoint.seller else None,
        "failing_since": iso_or_none(endpoint.failing_since),
        "previous_secret_expires_at": iso_or_none(endpoint.previous_secret_expires_at),
        "created_at": iso_or_none(endpoint.created_at),
    }
    if secret is not None:
        data["secret"] = secret
    return data


def attempt_data(attempt: WebhookAttempt) -> dict[str, Any]:
    return {
        "attempted_at": iso_or_none(attempt.attempted_at),
        "status_code": attempt.status_code,
        "latency_ms": attempt.latency_ms,
        "response_excerpt": attempt.response_excerpt,
        "error": attempt.error,
    }


def delivery_data(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": str(delivery.public_id),
        "endpoint": str(delivery.endpoint.public_id),
        "event_id": f"evt_{delivery.event_id.hex}",
        "event_type": delivery.event_type,
        "order_number": delivery.event.order_number or None,
        "status": delivery.status,
        "attempt_count": delivery.attempt_count,
        "next_attempt_at": iso_or_none(delivery.next_attempt_at),
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "created_at": iso_or_none(delivery.created_at),
        "delivered_at": iso_or_none(delivery.delivered_at),
        "attempts": [attempt_data(attempt) for attempt in delivery.attempts.all()],
    }
