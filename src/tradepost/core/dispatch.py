"""Hand committed domain events to their subscribers, after commit, in the worker.

A batch of unpublished outbox rows is claimed (``SKIP LOCKED`` on PostgreSQL, so workers never
take the same rows; SQLite's single writer serialises them), every subscriber in
``TRADEPOST_OUTBOX_SUBSCRIBERS`` turns them into its own rows (webhook deliveries, emails) and
the rows are marked published — all in one transaction. A worker killed mid-batch rolls back and
the next one takes the same events again, so none is lost and none is handed over twice.

One event that a subscriber cannot handle must not hold up the others: when a batch fails, its
events are handed over one by one, each in a savepoint, and the one that fails stays unpublished
(and logged) for a later turn, behind a growing delay, while the rest go out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils.module_loading import import_string

from tradepost.core import clock
from tradepost.core.models import OutboxEvent

logger = logging.getLogger("tradepost.dispatch")

Subscriber = Callable[[Sequence[OutboxEvent]], None]
BATCH_SIZE = 200
RETRY_DELAY_CAP = timedelta(hours=1)


@cache
def _subscribers() -> tuple[Subscriber, ...]:
    return tuple(import_string(path) for path in settings.TRADEPOST_OUTBOX_SUBSCRIBERS)


def _hand_over(events: Sequence[OutboxEvent]) -> None:
    for subscriber in _subscribers():
        subscriber(events)


def outbox_dispatch(*, limit: int = BATCH_SIZE) -> int:
    """Publish up to ``limit`` due events, oldest first; returns how many went out."""
    now = clock.now()
    with transaction.atomic():
        events = list(
            OutboxEvent.objects.filter(published_at__isnull=True)
            .filter(Q(dispatch_after__isnull=True) | Q(dispatch_after__lte=now))
            .select_for_update(no_key=True, skip_locked=True)
            .order_by("created_at", "id")[:limit]
        )
        if not events:
            return 0
        try:
            with transaction.atomic():
                _hand_over(events)
            published = events
        except Exception:
            logger.exception(
                "outbox batch of %d failed; handing events over one by one", len(events)
            )
            published = [event for event in events if _hand_over_alone(event)]
        OutboxEvent.objects.filter(pk__in=[event.pk for event in published]).update(
            published_at=now
        )
    return len(published)


def _hand_over_alone(event: OutboxEvent) -> bool:
    try:
        with transaction.atomic():
            _hand_over([event])
    except Exception:
        logger.exception(
            "outbox event %s (%s) failed; it will be tried again", event.pk, event.type
        )
        delay = min(timedelta(seconds=30) * 2 ** min(event.dispatch_failures, 10), RETRY_DELAY_CAP)
        OutboxEvent.objects.filter(pk=event.pk).update(
            dispatch_failures=F("dispatch_failures") + 1, dispatch_after=clock.now() + delay
        )
        return False
    return True
