"""The background worker: publishes the outbox, enqueues periodic jobs, runs queued tasks.

One loop, one thread: each turn hands committed events to their subscribers, enqueues what is due,
then runs ready tasks before sleeping. Several workers may run at once: outbox rows and tasks are
claimed with row locks that skip what another worker holds (``SKIP LOCKED``; SQLite has a single
writer), and periodic jobs with a conditional update.

Tasks are django-tasks' database-backend rows: claimed here the way its own ``db_worker`` claims
them, and run by its runner, so results, tracebacks and signals are recorded as it records them.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from types import FrameType

from django.conf import settings
from django.db import OperationalError, close_old_connections
from django.db.models import Q
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as TaskRunner
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from tradepost.core import clock
from tradepost.core.dispatch import outbox_dispatch
from tradepost.core.schedule import periodic_jobs_enqueue

logger = logging.getLogger("tradepost.worker")
TASKS_PER_TURN = 50
SCHEDULE_CHECK_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 30.0
BACKEND = "default"


class Worker:
    def __init__(self, *, interval: float | None = None, worker_id: str | None = None) -> None:
        self.interval = settings.TRADEPOST_WORKER_INTERVAL if interval is None else interval
        self.worker_id = (worker_id or f"{socket.gethostname()}-{os.getpid()}")[:64]
        self.running = True
        self.next_schedule_check = 0.0
        self.runner = TaskRunner(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=BACKEND,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )

    def stop(self, signum: int, frame: FrameType | None) -> None:
        logger.info("worker %s: %s, stopping after this step", self.worker_id, signum)
        self.running = False

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        logger.info("worker %s started", self.worker_id)
        failures = 0
        while self.running:
            close_old_connections()  # as Django does per request: drop broken or old connections
            try:
                busy = self.turn()
            except Exception:
                # A database restart or a broken job must not end the worker: log, back off, go on.
                failures += 1
                logger.exception("worker %s: turn failed (%d in a row)", self.worker_id, failures)
                time.sleep(min(self.interval * 2**failures, MAX_BACKOFF_SECONDS))
                continue
            failures = 0
            if not busy:
                time.sleep(self.interval)
        logger.info("worker %s stopped", self.worker_id)

    def turn(self) -> bool:
        """One pass over everything; True when there was work, so the loop goes again at once."""
        published = outbox_dispatch()
        now = time.monotonic()
        if now >= self.next_schedule_check:
            # Periodic jobs run every 30 s or more: looking once a second is plenty, and spares
            # the database a write transaction per job on every idle turn.
            periodic_jobs_enqueue()
            self.next_schedule_check = now + SCHEDULE_CHECK_SECONDS
        ran = 0
        while self.running and ran < TASKS_PER_TURN and self._run_one_task():
            ran += 1
        return bool(published or ran)

    def _run_one_task(self) -> bool:
        try:
            with exclusive_transaction():
                task = tasks_due().filter(backend_name=BACKEND).get_locked()
                if task is None:
                    return False
                task.claim(self.worker_id)
        except OperationalError as error:
            if is_locked_database_exception(error):
                return False  # SQLite busy with another worker: try again next turn
            raise
        self.runner.run_task(task)
        return True


def tasks_due() -> DBTaskResultQuerySet:
    """Tasks ready to run by the domain clock. A retry is scheduled from ``clock.now()`` (an
    email's or a delivery's next attempt), so it falls due by the same clock; django-tasks' own
    ``ready()`` asks ``timezone.now()``, which a pinned clock (demo loader, tests) never moves."""
    due = Q(run_after=get_date_max()) | Q(run_after__lte=clock.now())
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(due)
