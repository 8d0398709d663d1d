"""Background tasks for webhooks, run by ``tradepost worker``."""

from __future__ import annotations

from django_tasks import task

from tradepost.core import clock
from tradepost.webhooks.delivery import delivery_attempt
from tradepost.webhooks.models import DeliveryStatus, WebhookDelivery

SWEEP_LIMIT = 1000


@task()
def deliver(delivery_id: str) -> None:
    """One attempt of one delivery; a failure schedules the next attempt as a new task."""
    delivery_attempt(delivery_id)


@task()
def sweep_deliveries() -> int:
    """Re-queue deliveries whose attempt died with its worker: their lease ran out unreleased.

    Every other pending delivery has a queued task already (queued in the transaction that made
    it due), so nothing else is queued here and a backlog is never queued twice.
    """
    now = clock.now()
    stale = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, leased_until__isnull=False, leased_until__lt=now
        )
        .order_by("leased_until")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    for delivery_id in stale:
        deliver.enqueue(str(delivery_id))
    return len(stale)
