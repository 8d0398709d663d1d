"""Periodic jobs: each due job is enqueued once per period, whichever worker gets there first."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from tradepost.core import clock
from tradepost.core.models import PeriodicJob

# Below the default (0) of the tasks a person is waiting for, a webhook delivery or an email:
# workers claim tasks highest priority first, so a due job never queues them behind itself.
PERIODIC_JOB_PRIORITY = -10


def periodic_jobs_enqueue() -> list[str]:
    """Enqueue the jobs of ``TRADEPOST_PERIODIC_JOBS`` that are due; returns their names."""
    now = clock.now()
    enqueued = []
    for name, seconds in settings.TRADEPOST_PERIODIC_JOBS.items():
        _ensure(name, now)
        with transaction.atomic():
            moved = PeriodicJob.objects.filter(name=name, next_run_at__lte=now).update(
                next_run_at=now + timedelta(seconds=seconds), last_run_at=now
            )
            if moved:
                # In the same transaction as the move: either both happen or neither.
                import_string(name).using(priority=PERIODIC_JOB_PRIORITY).enqueue()
                enqueued.append(name)
    return enqueued


def _ensure(name: str, now: datetime) -> None:
    if PeriodicJob.objects.filter(name=name).exists():
        return
    try:
        with transaction.atomic():
            PeriodicJob.objects.create(name=name, next_run_at=now)
    except IntegrityError:
        pass  # another worker created it first
