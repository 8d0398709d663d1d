"""HTTP load against the running server, measured from the client's side.

The load generator shares the two cores with gunicorn and PostgreSQL, so it stays cheap: one
thread and one ``httpx.Client`` per simulated client (keep-alive wherever the server offers it),
request bodies encoded once up front, and only a status and a duration kept per request.
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from bench.carts import SHIPPING_ADDRESS, Cart
from bench.stats import Latency
from bench.threads import run_together

ORDERS_PATH = "/api/v1/orders"
REQUEST_TIMEOUT_SECONDS = 10.0
TRANSPORT_ERROR = 0  # the status recorded for a request that got no HTTP answer at all
TAX_AMOUNT = 350


@dataclass(frozen=True)
class Sample:
    status: int
    seconds: float


@dataclass
class Run:
    """What a phase's clients saw: every request's status and duration, and the wall time."""

    clients: int
    seconds: float
    samples: list[Sample]
    # CPU the load generator itself used: it runs on the cores the server needs.
    client_cpu_seconds: float = 0.0

    def statuses(self) -> dict[int, int]:
        return dict(sorted(Counter(sample.status for sample in self.samples).items()))

    def count(self, status: int) -> int:
        return sum(1 for sample in self.samples if sample.status == status)

    def per_second(self, status: int) -> float:
        return self.count(status) / self.seconds if self.seconds else 0.0

    def latency(self) -> Latency:
        return Latency.of([sample.seconds for sample in self.samples])


# One request by one client; ``None`` tells that client it is done before the time is up.
Step = Callable[[httpx.Client], Sample | None]


def api_client(base_url: str, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=base_url,
        timeout=REQUEST_TIMEOUT_SECONDS,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )


def timed(send: Callable[[], httpx.Response]) -> tuple[Sample, httpx.Response | None]:
    started = time.perf_counter()
    try:
        response = send()
    except httpx.TransportError:
        return Sample(TRANSPORT_ERROR, time.perf_counter() - started), None
    return Sample(response.status_code, time.perf_counter() - started), response


def post_order(client: httpx.Client, body: bytes) -> tuple[Sample, httpx.Response | None]:
    """One checkout, with a fresh ``Idempotency-Key`` as a careful integrator sends it."""
    key = uuid.uuid4().hex
    return timed(lambda: client.post(ORDERS_PATH, content=body, headers={"Idempotency-Key": key}))


def drive(*, base_url: str, keys: Sequence[str], seconds: float, step: Step) -> Run:
    """One client per key, all starting together, each repeating ``step`` for ``seconds``."""
    samples: list[list[Sample]] = [[] for _ in keys]

    def client_loop(index: int, start: Callable[[], object]) -> None:
        with api_client(base_url, keys[index]) as client:
            start()
            deadline = time.perf_counter() + seconds
            while time.perf_counter() < deadline and (sample := step(client)) is not None:
                samples[index].append(sample)

    cpu_started = time.process_time()
    elapsed = run_together(len(keys), client_loop, time_limit=seconds + REQUEST_TIMEOUT_SECONDS + 5)
    return Run(
        len(keys),
        elapsed,
        [sample for client in samples for sample in client],
        client_cpu_seconds=time.process_time() - cpu_started,
    )


def checkout_body(cart: Cart) -> bytes:
    """The request a storefront sends for ``cart``, with tax on top, encoded once up front."""
    body: dict[str, Any] = {
        "lines": [
            {"listing_id": str(listing.public_id), "quantity": quantity}
            for listing, quantity in cart.lines
        ],
        "shipping_address": SHIPPING_ADDRESS,
        "shipping_amounts": {seller.slug: amount for seller, amount in cart.shipping.items()},
        "tax_amount": TAX_AMOUNT,
    }
    return json.dumps(body).encode()


def checkout_throughput(
    *, base_url: str, keys: Sequence[str], seconds: float, bodies: Sequence[bytes]
) -> Run:
    next_body = itertools.cycle(bodies).__next__

    def step(client: httpx.Client) -> Sample:
        return post_order(client, next_body())[0]

    return drive(base_url=base_url, keys=keys, seconds=seconds, step=step)


def list_latency(
    *, base_url: str, key: str, params: dict[str, str], warmup: int, count: int
) -> Run:
    """One client, one request at a time: the latency a dashboard user waits for."""
    with api_client(base_url, key) as client:
        for _ in range(warmup):
            client.get(ORDERS_PATH, params=params)
        started = time.perf_counter()
        samples = [timed(lambda: client.get(ORDERS_PATH, params=params))[0] for _ in range(count)]
    return Run(1, time.perf_counter() - started, samples)
