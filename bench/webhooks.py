"""Webhook delivery measured end to end: real ``tradepost worker`` processes, a real receiver.

Two figures: deliveries per second when a backlog of events is drained by the workers, and the
latency from an event's commit to its arrival at the receiver while orders trickle in.
Needs ``bench.django_env.configure`` first.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from bench.database import tradepost_command
from bench.server import _free_port
from bench.stats import Latency
from tradepost.core.models import OutboxEvent
from tradepost.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

BACKLOG_EVENTS = 2000
TRICKLE_SECONDS = 10.0
TRICKLE_PER_SECOND = 20
WORKERS = 2


@contextlib.contextmanager
def _processes(commands: list[list[str]], env: dict[str, str]) -> Iterator[None]:
    started = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for command in commands
    ]
    try:
        yield
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _sample_event() -> OutboxEvent:
    """A real order's event (the newest one) to copy: the same payload size as production."""
    event = OutboxEvent.objects.filter(type="order.created").order_by("-created_at").first()
    if event is None:
        raise RuntimeError("the bench database has no order.created event to copy")
    return event


def _copies(sample: OutboxEvent, count: int) -> list[OutboxEvent]:
    return [
        OutboxEvent(
            type=sample.type,
            data=sample.data,
            order_number=sample.order_number,
            seller_ids=sample.seller_ids,
        )
        for _ in range(count)
    ]


def _arrivals(log: Path) -> dict[str, float]:
    arrived: dict[str, float] = {}
    if log.exists():
        for line in log.read_text().splitlines():
            message_id, _, when = line.partition(" ")
            arrived.setdefault(message_id, float(when))
    return arrived


def measure(database_url: str) -> dict[str, Any]:
    """Drain a backlog, then time a trickle; the receiver and workers are child processes."""
    OutboxEvent.objects.filter(published_at__isnull=True).update(
        published_at=datetime.now().astimezone()
    )
    port = _free_port()
    log = Path(tempfile.mkdtemp(prefix="tradepost-bench-")) / "arrivals.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TRADEPOST_ENV": "development",
        "TRADEPOST_DEBUG": "false",
        "TRADEPOST_WEBHOOKS_ALLOW_PRIVATE": "true",
        "TRADEPOST_WORKER_INTERVAL": "0.05",
        "TRADEPOST_LOG_LEVEL": "WARNING",
    }
    endpoint = WebhookEndpoint.objects.create(
        url=f"http://127.0.0.1:{port}/hooks",
        secret="whsec_" + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        # Only the events the bench commits: what the workers' periodic jobs emit meanwhile
        # (an SLA notice falling due) is theirs to deliver, not this figure's to count.
        event_types=[_sample_event().type],
    )
    receiver = [sys.executable, "-m", "bench.receiver", str(port), str(log)]
    workers = [
        [*tradepost_command(), "worker", "--worker-id", f"bench-{n}"] for n in range(WORKERS)
    ]
    sample = _sample_event()
    figures: dict[str, Any] = {"workers": WORKERS}
    with _processes([receiver], env):
        time.sleep(0.5)
        OutboxEvent.objects.bulk_create(_copies(sample, BACKLOG_EVENTS))
        started = time.perf_counter()
        with _processes(workers, env):
            _wait(lambda: len(_arrivals(log)) >= BACKLOG_EVENTS, seconds=600)
            drained = time.perf_counter() - started
            figures["backlog"] = {
                "events": BACKLOG_EVENTS,
                "seconds": round(drained, 2),
                "deliveries_per_second": round(BACKLOG_EVENTS / drained, 1),
            }
            figures["trickle"] = _trickle(sample, log)
    figures["all_succeeded"] = (
        not WebhookDelivery.objects.filter(endpoint=endpoint)
        .exclude(status=DeliveryStatus.SUCCEEDED)
        .exists()
    )
    endpoint.delete()
    return figures


def _trickle(sample: OutboxEvent, log: Path) -> dict[str, Any]:
    """One event committed every 1/TRICKLE_PER_SECOND s; latency = arrival - commit."""
    committed: dict[str, float] = {}
    gap = 1 / TRICKLE_PER_SECOND
    deadline = time.perf_counter() + TRICKLE_SECONDS
    while time.perf_counter() < deadline:
        with transaction.atomic():
            [event] = OutboxEvent.objects.bulk_create(_copies(sample, 1))
        committed[f"evt_{event.id.hex}"] = time.time()
        time.sleep(gap)
    _wait(lambda: set(committed) <= set(_arrivals(log)), seconds=60)
    arrived = _arrivals(log)
    latency = Latency.of([arrived[key] - when for key, when in committed.items()])
    cuts = sorted(arrived[key] - when for key, when in committed.items())
    return {
        "events": len(committed),
        "per_second": TRICKLE_PER_SECOND,
        "p50_ms": round(latency.p50_ms, 1),
        "p99_ms": round(cuts[min(len(cuts) - 1, int(len(cuts) * 0.99))] * 1000, 1),
        "max_ms": round(latency.max_ms, 1),
        "worker_interval_s": float(settings.TRADEPOST_WORKER_INTERVAL),
    }


def _wait(condition: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"webhook bench: not done within {seconds} s")
        time.sleep(0.1)


def render(figures: dict[str, Any]) -> list[str]:
    backlog, trickle = figures["backlog"], figures["trickle"]
    return [
        f"webhooks: {figures['workers']} `tradepost worker` processes -> a local receiver",
        f"  backlog of {backlog['events']:,} events drained in {backlog['seconds']:.1f} s: "
        f"{backlog['deliveries_per_second']:,.0f} deliveries/s",
        f"  commit -> delivery at {trickle['per_second']} events/s: "
        f"p50 {trickle['p50_ms']:.0f} ms, "
        f"p99 {trickle['p99_ms']:.0f} ms, max {trickle['max_ms']:.0f} ms "
        f"(worker poll {trickle['worker_interval_s']} s)",
        f"  every delivery succeeded: {'ok' if figures['all_succeeded'] else 'MISS'}",
    ]
