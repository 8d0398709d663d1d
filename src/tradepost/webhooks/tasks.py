"""Background tasks for webhooks, run by ``tradepost worker``."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django_tasks import task

from tradepost.core import clock
from tradepost.webhooks.delivery import delivery_attempt, lease_seconds
from tradepost.webhooks.models import DeliveryStatus, WebhookDelivery

SWEEP_LIMIT = 1000


@task()
def deliver(delivery_id: str) -> None:
    """One attempt of one delivery; a failure schedules the next attempt as a new task."""
    delivery_attempt(delivery_id)


@task()
def sweep_deliveries() -> int:
    """Re-queue due deliveries whose task was lost (a worker killed mid-attempt, a lost queue).

    Only deliveries overdue by more than a lease are taken, so one whose task is merely waiting
    in a busy queue is not queued twice; a duplicate would find the delivery leased or done.
    """
    overdue = clock.now() - timedelta(seconds=lease_seconds())
    stale = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lt=overdue)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=clock.now()))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    for delivery_id in stale:
        deliver.enqueue(str(delivery_id))
    return len(stale)
