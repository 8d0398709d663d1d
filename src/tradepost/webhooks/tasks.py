"""Background tasks for webhooks, run by ``tradepost worker``."""

from __future__ import annotations

from django_tasks import task

from tradepost.core.leases import expired_leases
from tradepost.webhooks.delivery import delivery_attempt
from tradepost.webhooks.models import DeliveryStatus, WebhookDelivery


@task()
def deliver(delivery_id: str) -> None:
    """One attempt of one delivery; a failure schedules the next attempt as a new task."""
    delivery_attempt(delivery_id)


@task()
def sweep_deliveries() -> int:
    """Re-queue deliveries whose attempt died with its worker (see ``core.leases``)."""
    stale = expired_leases(WebhookDelivery.objects.all(), pending=DeliveryStatus.PENDING)
    for delivery_id in stale:
        deliver.enqueue(str(delivery_id))
    return len(stale)
