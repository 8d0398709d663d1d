"""Writes for webhooks: endpoints (create, change, rotate the secret, delete), resends, replays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import QuerySet

from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import PermissionDenied, ValidationFailed
from tradepost.core.models import OutboxEvent
from tradepost.core.transactions import unit_of_work
from tradepost.orders.models import SellerOrder
from tradepost.webhooks.events import EVENT_TYPES
from tradepost.webhooks.fanout import endpoint_receives
from tradepost.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tradepost.webhooks.safety import check_url_shape, resolve_target
from tradepost.webhooks.selectors import delivery_get, endpoint_get
from tradepost.webhooks.signing import secret_generate
from tradepost.webhooks.tasks import deliver

ROTATION_OVERLAP = timedelta(hours=24)
REPLAY_LIMIT = 10_000


@dataclass(frozen=True)
class EndpointWithSecret:
    """A new or rotated endpoint: ``secret`` is the only time the signing secret is shown."""

    endpoint: WebhookEndpoint
    secret: str


def _require_manager(actor: Actor) -> None:
    if actor.role not in (Role.OWNER, Role.SELLER):
        raise PermissionDenied("Only the marketplace owner and sellers manage webhook endpoints.")


def _check_event_types(event_types: list[str]) -> list[str]:
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown:
        raise ValidationFailed(
            "event_types", f"unknown: {', '.join(unknown)}; known: {', '.join(EVENT_TYPES)}"
        )
    return sorted(set(event_types))


def _check_url(url: str) -> str:
    url = url.strip()
    check_url_shape(url)
    resolve_target(url)  # a name that does not resolve, or resolves inside, is refused now
    return url


def endpoint_create(
    *, actor: Actor, url: str, description: str = "", event_types: list[str] | None = None
) -> EndpointWithSecret:
    """Register an endpoint. A seller's endpoint hears only its own seller orders' events."""
    _require_manager(actor)
    url = _check_url(url)  # resolves the name: before the transaction, never under its locks
    with unit_of_work():
        secret = secret_generate()
        endpoint = WebhookEndpoint.objects.create(
            seller_id=actor.seller_id if actor.role is Role.SELLER else None,
            url=url,
            description=description.strip(),
            event_types=_check_event_types(event_types or []),
            secret=secret,
            created_by_id=actor.user_id,
        )
    return EndpointWithSecret(endpoint, secret)


def endpoint_update(
    *, actor: Actor, endpoint_id: UUID | str, changes: dict[str, Any]
) -> WebhookEndpoint:
    """Change the URL, description, event types or enabled flag; re-enabling clears the failure
    clock, so an endpoint that was disabled for failing gets a fresh five days."""
    url = _check_url(changes["url"]) if "url" in changes else None  # outside the locks
    with unit_of_work():
        endpoint = _locked(actor, endpoint_id)
        if url is not None:
            endpoint.url = url
        if "description" in changes:
            endpoint.description = changes["description"].strip()
        if "event_types" in changes:
            endpoint.event_types = _check_event_types(changes["event_types"])
        if "enabled" in changes and changes["enabled"] != endpoint.enabled:
            endpoint.enabled = changes["enabled"]
            endpoint.disabled_reason = "" if endpoint.enabled else "disabled by a person"
            if endpoint.enabled:
                endpoint.failing_since = None
            else:
                _cancel_pending(endpoint)
        endpoint.save()
    return endpoint


def endpoint_rotate_secret(*, actor: Actor, endpoint_id: UUID | str) -> EndpointWithSecret:
    """A new secret signs from now on; the old one keeps signing beside it for 24 hours."""
    with unit_of_work():
        endpoint = _locked(actor, endpoint_id)
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = clock.now() + ROTATION_OVERLAP
        endpoint.secret = secret_generate()
        endpoint.save(
            update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"]
        )
    return EndpointWithSecret(endpoint, endpoint.secret)


def endpoint_delete(*, actor: Actor, endpoint_id: UUID | str) -> None:
    with unit_of_work():
        # Not locked first: the delete takes the deliveries' rows, then the endpoint's, the order a
        # delivery attempt takes them in; locking the endpoint first deadlocked with the worker.
        endpoint_get(actor=actor, endpoint_id=endpoint_id).delete()


def delivery_resend(*, actor: Actor, delivery_id: UUID | str) -> WebhookDelivery:
    """Send an event to its endpoint once more, as a new delivery with the same ``webhook-id``."""
    with unit_of_work():
        original = delivery_get(actor=actor, delivery_id=delivery_id)
        if not original.endpoint.enabled:
            raise ValidationFailed("endpoint", "is disabled; enable it before resending")
        return _queue(original.endpoint, [original.event])[0]


def endpoint_replay(
    *, actor: Actor, endpoint_id: UUID | str, since: datetime
) -> list[WebhookDelivery]:
    """Queue every event since ``since`` that the endpoint would have received, oldest first."""
    with unit_of_work():
        endpoint = _locked(actor, endpoint_id)
        if since > clock.now():
            raise ValidationFailed("since", "must not be in the future")
        if not endpoint.enabled:
            raise ValidationFailed("endpoint", "is disabled; enable it before replaying")
        events = _replayable_events(endpoint, since)
        chosen = []
        for event in events.order_by("created_at", "id").iterator(chunk_size=1000):
            if endpoint_receives(endpoint, event):
                chosen.append(event)
                if len(chosen) > REPLAY_LIMIT:
                    raise ValidationFailed(
                        "since", f"matches more than {REPLAY_LIMIT} events; choose a later time"
                    )
        return _queue(endpoint, chosen)


def _replayable_events(endpoint: WebhookEndpoint, since: datetime) -> QuerySet[OutboxEvent]:
    """Narrowed in the database by type and, for a seller, by its orders; ``endpoint_receives``
    still has the last word on each row."""
    events = OutboxEvent.objects.filter(created_at__gte=since, published_at__isnull=False)
    if endpoint.event_types:
        events = events.filter(type__in=endpoint.event_types)
    if endpoint.seller_id is not None:
        numbers = SellerOrder.objects.filter(seller_id=endpoint.seller_id).values("order__number")
        events = events.filter(order_number__in=numbers)
    return events


def endpoint_disable_failing(*, endpoint: WebhookEndpoint, now: datetime) -> None:
    """Called with the endpoint locked, when it has failed for five days without a success."""
    from tradepost.notifications.services import email_staff

    endpoint.enabled = False
    endpoint.disabled_reason = f"failing since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC"
    endpoint.save(update_fields=["enabled", "disabled_reason", "updated_at"])
    _cancel_pending(endpoint)
    email_staff(
        subject=f"Webhook endpoint disabled: {endpoint.url}",
        body=(
            f"Tradepost disabled the webhook endpoint {endpoint.url} "
            f"({endpoint.description or 'no description'}): every delivery to it has failed since "
            f"{endpoint.failing_since:%Y-%m-%d %H:%M} UTC.\n\n"
            "Fix the receiver, enable the endpoint again and replay the events it missed:\n"
            f"{settings.TRADEPOST_PUBLIC_URL}/dashboard/webhooks/{endpoint.public_id}/\n"
        ),
    )


def _locked(actor: Actor, endpoint_id: UUID | str) -> WebhookEndpoint:
    # 404 outside the scope; buyers see no endpoint at all, so they never get further.
    endpoint = endpoint_get(actor=actor, endpoint_id=endpoint_id)
    return WebhookEndpoint.objects.select_for_update(no_key=True).get(pk=endpoint.pk)


def _cancel_pending(endpoint: WebhookEndpoint) -> None:
    endpoint.deliveries.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CANCELED, next_attempt_at=None, leased_until=None
    )


def _queue(endpoint: WebhookEndpoint, events: list[OutboxEvent]) -> list[WebhookDelivery]:
    now = clock.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint, event=event, event_type=event.type, next_attempt_at=now
            )
            for event in events
        ]
    )
    for delivery in deliveries:
        deliver.enqueue(str(delivery.pk))
    return deliveries
