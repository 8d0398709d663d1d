"""Workers that start together: each gets ready (connects), all wait for one another, then run.

Waiting for everyone keeps connection setup out of the measured time; the first failure in any
worker fails the phase, and a worker that overruns its time limit fails it too.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

START_TIMEOUT_SECONDS = 30.0

# A worker gets its index and the start signal to wait on once it is ready.
Worker = Callable[[int, Callable[[], object]], None]


def run_together(count: int, worker: Worker, *, time_limit: float) -> float:
    """Run ``count`` workers; return the seconds from the common start to the last finish."""
    barrier = threading.Barrier(count + 1, timeout=START_TIMEOUT_SECONDS)
    failures: list[BaseException] = []

    def target(index: int) -> None:
        try:
            worker(index, barrier.wait)
        except BaseException as exc:  # re-raised in the calling thread below
            failures.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a worker failed getting ready
        barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=max(0.0, started + time_limit - time.perf_counter()))
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"a worker failed: {failures[0]!r}") from failures[0]
    if any(thread.is_alive() for thread in threads):
        raise RuntimeError(f"a worker was still running after {time_limit:.0f} s")
    return elapsed
