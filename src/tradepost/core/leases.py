"""Leases on queued work rows: webhook deliveries and outgoing emails.

A worker leases a due row before the slow part (an HTTP POST, an SMTP conversation) and the lease
outlives any attempt, so a worker that dies mid-attempt leaves a lease that runs out; the sweep
then queues the row again. ``skip_locked`` lets two workers race for the same row without waiting:
the loser gets nothing and moves on.

Both models share the shape this relies on: ``status``, ``next_attempt_at`` and ``leased_until``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import Q

from tradepost.core import clock

M = TypeVar("M", bound=models.Model)

SWEEP_LIMIT = 1000


def claim_due(rows: models.QuerySet[M], pk: Any, *, pending: str, lease: timedelta) -> M | None:
    """Lease one row if it is pending, due and not leased by a live worker; None otherwise."""
    now = clock.now()
    with transaction.atomic():
        row = (
            rows.select_for_update(no_key=True, skip_locked=True, of=("self",))
            .filter(pk=pk, status=pending, next_attempt_at__lte=now)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
            .first()
        )
        if row is None:
            return None
        until = now + lease
        rows.model._default_manager.filter(pk=row.pk).update(leased_until=until)
        row.leased_until = until  # type: ignore[attr-defined]  # both models have the column
    return row


def expired_leases(rows: models.QuerySet[M], *, pending: str) -> list[Any]:
    """Rows whose attempt died with its worker: pending, leased, the lease run out unreleased.

    Every other pending row has a queued task already (queued in the transaction that made it
    due), so a sweep queues only these and never queues a backlog twice.
    """
    now = clock.now()
    return list(
        rows.filter(status=pending, leased_until__isnull=False, leased_until__lt=now)
        .order_by("leased_until")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
