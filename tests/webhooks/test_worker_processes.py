"""Real `tradepost worker` processes against PostgreSQL: killed mid-batch, and two at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tests.builders import World, build_world, place_order
from tests.webhooks.receiver import Receiver
from tradepost.core.models import PeriodicJob
from tradepost.webhooks import services
from tradepost.webhooks.models import DeliveryStatus, WebhookDelivery

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

TRADEPOST = Path(sys.executable).with_name("tradepost")


def _database_url() -> str:
    params = connection.settings_dict
    return f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{params['NAME']}"


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "TRADEPOST_WEBHOOKS_ALLOW_PRIVATE": "true",
            "TRADEPOST_WEBHOOK_TIMEOUT_SECONDS": "2",
            "TRADEPOST_WORKER_INTERVAL": "0.05",
            "TRADEPOST_VAR_DIR": str(tmp_path),
        }
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [str(TRADEPOST), "worker", "--worker-id", name], env=env, stdout=log, stderr=log
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def _wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s")


def _message_ids(receiver: Receiver) -> Counter[str]:
    with receiver.lock:
        return Counter(r.headers["webhook-id"] for r in receiver.received)


@pytest.fixture
def marketplace(transactional_db: None) -> World:
    return build_world()


def test_a_worker_killed_mid_batch_loses_no_event(
    marketplace: World,
    receiver: Receiver,
    start_worker: Callable[[str], subprocess.Popen[bytes]],
) -> None:
    # given 20 orders waiting to go out, and a receiver slow enough to be caught mid-batch
    created = services.endpoint_create(actor=marketplace.owner.actor, url=receiver.url)
    receiver.secrets = [created.secret]
    receiver.delay_seconds = 0.3
    orders = [place_order(marketplace, {"MUG": 1}).order.number for _ in range(20)]
    # when the first worker is killed (SIGKILL: no clean-up at all) after a few deliveries
    first = start_worker("first")
    _wait_for(lambda: len(_message_ids(receiver)) >= 3 and receiver.in_flight > 0, seconds=90)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    delivered_before_restart = len(_message_ids(receiver))
    # and, once the dead worker's lease on its delivery has run out, a new worker starts
    leases = WebhookDelivery.objects.exclude(leased_until=None).values_list(
        "leased_until", flat=True
    )
    if leases:
        time.sleep(max(0.0, (max(leases) - timezone.now()).total_seconds()) + 0.2)
    PeriodicJob.objects.all().delete()  # its sweep is due at once, not in 30 s
    start_worker("second")
    receiver.delay_seconds = 0
    _wait_for(
        lambda: not WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).exists(),
        seconds=120,
    )
    # then every event arrived, verified, and every delivery succeeded
    numbers = {r.json()["data"]["order"]["number"] for r in receiver.received}
    assert numbers == set(orders)
    assert all(r.verified_with == [created.secret] for r in receiver.received)
    assert delivered_before_restart < len(orders)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_two_workers_deliver_each_event_once(
    marketplace: World,
    receiver: Receiver,
    start_worker: Callable[[str], subprocess.Popen[bytes]],
) -> None:
    # given two workers running side by side
    services.endpoint_create(actor=marketplace.owner.actor, url=receiver.url)
    start_worker("left")
    start_worker("right")
    # when 40 orders are placed while they run
    for _ in range(40):
        place_order(marketplace, {"MUG": 1})
    _wait_for(lambda: sum(_message_ids(receiver).values()) >= 40, seconds=120)
    time.sleep(0.5)  # room for a duplicate to show up, if there were one
    # then each event arrived exactly once
    counts = _message_ids(receiver)
    assert len(counts) == 40
    assert set(counts.values()) == {1}
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() == 40
