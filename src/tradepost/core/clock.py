"""The one source of "now" for domain code, so tests and the demo loader can set the time.

Services call ``clock.now()`` instead of ``timezone.now()``; ``frozen_at(when)`` pins the time
for the code inside it (a context variable, so threads and requests do not leak into each other).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from datetime import UTC, date, datetime, time

from django.utils import timezone

_frozen: contextvars.ContextVar[datetime | None] = contextvars.ContextVar("frozen", default=None)


def now() -> datetime:
    pinned = _frozen.get()
    return pinned if pinned is not None else timezone.now()


@contextlib.contextmanager
def frozen_at(when: datetime) -> Iterator[None]:
    if timezone.is_naive(when):
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(when)
    try:
        yield
    finally:
        _frozen.reset(token)


def iso_or_none(value: datetime | None) -> str | None:
    """A time as the API writes it (ISO 8601), or None: every representation uses this."""
    return value.isoformat() if value is not None else None


def utc_midnight(day: date) -> datetime:
    """The start of a UTC day: date filters and reports take whole days in UTC."""
    return datetime.combine(day, time.min, tzinfo=UTC)
