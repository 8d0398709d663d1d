"""Periodic housekeeping of the task queue itself."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

# Every task Tradepost queues is short (one delivery, one email, one sweep) and bounded by its own
# timeout; one "running" for this long belongs to a worker that died.
ABANDONED_AFTER = timedelta(minutes=15)


@task()
def requeue_abandoned_tasks() -> int:
    """Put tasks a killed worker left running back in the queue.

    Safe to run twice: every task claims its own work (a delivery's or an email's lease) before
    doing it, so a task that did finish its work finds nothing left to do.
    """
    cutoff = timezone.now() - ABANDONED_AFTER  # the task queue keeps real time, not clock.now()
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)
