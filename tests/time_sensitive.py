"""Which tests the clock can break, and the moved clock ``make test-clock`` runs them on.

``make test-clock`` runs the time-sensitive tests again with the clock two years ahead and one year
back (``TRADEPOST_TEST_CLOCK_SHIFT_DAYS``): a test that pins a date for some steps and lets others
read today's date fails there today, not on the day the date passes.

A test is time-sensitive when its module moves the clock (``tests.clock``) or writes a calendar
date, or takes a helper from a tests module that writes one (as ``tests/orders/sla_flows.py``
holds ``PAID_AT``). Found from the source, not declared, so a new test that pins a date is run
with the moved clock without anyone remembering to mark it.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
from datetime import UTC, datetime, timedelta
from types import ModuleType

import pytest
import time_machine

MARKER = "time_sensitive"
SHIFT_DAYS = "TRADEPOST_TEST_CLOCK_SHIFT_DAYS"
# 2026-12-01, datetime(2026, 12, 1), date(2025, 3, 3): a day on the calendar, written down.
CALENDAR_DATE = re.compile(
    r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b|\b(?:date|datetime)\(\s*(?:19|20)\d\d\b"
)
MOVES_THE_CLOCK = re.compile(r"\bclock\.(?:travel_to|advance|earlier|frozen_at)\(")


def mark(items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and _time_sensitive(module):
            item.add_marker(MARKER)


@functools.cache
def _time_sensitive(module: ModuleType) -> bool:
    source = _source(module)
    if MOVES_THE_CLOCK.search(source) or CALENDAR_DATE.search(source):
        return True
    return any(CALENDAR_DATE.search(_source(helper)) for helper in _helpers(module))


def _helpers(module: ModuleType) -> set[ModuleType]:
    """The tests modules whose names this module imported (functions, classes, whole modules)."""
    found: set[ModuleType] = set()
    for value in vars(module).values():
        helper = value if isinstance(value, ModuleType) else inspect.getmodule(value)
        if helper is not None and helper is not module and helper.__name__.startswith("tests."):
            found.add(helper)
    return found


@functools.cache
def _source(module: ModuleType) -> str:
    try:
        return inspect.getsource(module)
    except (OSError, TypeError):
        return ""


def move_the_clock() -> None:
    """With ``TRADEPOST_TEST_CLOCK_SHIFT_DAYS`` set, this process's clock runs that many days away
    from the real one, ticking, for the whole session (each pytest-xdist worker moves its own).

    time-machine moves what Python reads as the wall clock (``time.time``, ``datetime.now``) in
    every thread, the live server's included; the monotonic clock and sleeps are left alone.
    Debian's libfaketime 0.9.10 would move the whole process tree, but under it Python's
    ``time.sleep`` fails with EINVAL (it sleeps to an absolute monotonic deadline)."""
    days = os.environ.get(SHIFT_DAYS)
    if days:
        time_machine.travel(datetime.now(UTC) + timedelta(days=int(days)), tick=True).start()
