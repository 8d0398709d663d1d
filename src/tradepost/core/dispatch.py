"""Hand committed domain events to their subscribers, after commit, in the worker.

A batch of unpublished outbox rows is claimed (``SKIP LOCKED`` on PostgreSQL, so workers never
take the same rows; SQLite's single writer serialises them), every subscriber in
``TRADEPOST_OUTBOX_SUBSCRIBERS`` turns them into its own rows (webhook deliveries, emails) and
the rows are marked published — all in one transaction. A worker killed mid-batch rolls back and
the next one takes the same events again, so none is lost and none is handed over twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from tradepost.core import clock
from tradepost.core.models import OutboxEvent

Subscriber = Callable[[Sequence[OutboxEvent]], None]
BATCH_SIZE = 200


@cache
def _subscribers() -> tuple[Subscriber, ...]:
    return tuple(import_string(path) for path in settings.TRADEPOST_OUTBOX_SUBSCRIBERS)


def outbox_dispatch(*, limit: int = BATCH_SIZE) -> int:
    """Publish up to ``limit`` events, oldest first; returns how many."""
    with transaction.atomic():
        events = list(
            OutboxEvent.objects.filter(published_at__isnull=True)
            .select_for_update(skip_locked=True)
            .order_by("created_at", "id")[:limit]
        )
        if not events:
            return 0
        for subscriber in _subscribers():
            subscriber(events)
        OutboxEvent.objects.filter(pk__in=[event.pk for event in events]).update(
            published_at=clock.now()
        )
    return len(events)
