"""The time of a test: the one way tests set "now", so no test depends on today's date.

Two ways, and no third:

- ``travel_to(when)`` pins ``core.clock`` at a calendar date *for the rest of the test*
  (``advance(delta)`` pins it ``delta`` after the current "now"). Every later step in the test's
  thread reads that time (API calls, dashboard pages, worker turns, the threads started by
  ``tests.concurrency``) until the clock is moved again. There is no way back to the real clock,
  so no step of a test that wrote a fixed date can run on today's date by mistake.
- ``earlier(delta)`` builds data as of some time before "now" (the pinned time, or the real one in
  a test that never pinned it), then returns to that "now": dates relative to the real now, for
  the tests whose pages a browser reads through the live server, which keeps the real clock.

The autouse fixture ``clock_restored`` (tests/conftest.py) gives each test a fresh clock and puts
the real one back when the test ends. Tests use this module, never ``core.clock.frozen_at``
(ruff's banned-api rule holds that).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from tradepost.core import clock as domain_clock


class TestClock:
    __test__ = False  # not a test class, whatever its name

    def __init__(self) -> None:
        self._pin: AbstractContextManager[None] | None = None
        self._earlier_blocks = 0

    def travel_to(self, when: datetime) -> datetime:
        if self._earlier_blocks:
            # Leaving the block would undo the pin and put the rest of the test on today's date.
            raise RuntimeError("travel_to inside earlier(): pin the clock before the block")
        self._unpin()
        self._pin = domain_clock.frozen_at(when)
        self._pin.__enter__()
        return when

    def advance(self, delta: timedelta) -> datetime:
        return self.travel_to(domain_clock.now() + delta)

    @contextlib.contextmanager
    def earlier(self, delta: timedelta) -> Iterator[datetime]:
        self._earlier_blocks += 1
        moment = domain_clock.now() - delta
        try:
            with domain_clock.frozen_at(moment):
                yield moment
        finally:
            self._earlier_blocks -= 1

    def close(self) -> None:
        self._unpin()

    def _unpin(self) -> None:
        if self._pin is not None:
            self._pin.__exit__(None, None, None)
            self._pin = None


_current = TestClock()


def start() -> TestClock:
    """A fresh clock for the next test (the autouse fixture calls this)."""
    global _current
    _current.close()
    _current = TestClock()
    return _current


def travel_to(when: datetime) -> datetime:
    """Pin "now" at ``when`` for the rest of the test; returns ``when``."""
    return _current.travel_to(when)


def advance(delta: timedelta) -> datetime:
    """Pin "now" at ``delta`` after the current "now" (pinned or real); returns it."""
    return _current.advance(delta)


def earlier(delta: timedelta) -> AbstractContextManager[datetime]:
    """Inside the block "now" is ``delta`` before the current "now"; after it, that "now" again."""
    return _current.earlier(delta)


def now() -> datetime:
    """What the code under test reads as "now" at this step."""
    return domain_clock.now()


def ahead(days: int) -> datetime:
    """``days`` after "now": a deadline that is still to come whatever today's date (a constant
    one, such as a chargeback's respond-by in 2030, turns into a past one some day)."""
    return domain_clock.now() + timedelta(days=days)
